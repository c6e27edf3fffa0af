/*
 * The stand-in for an app's executable while its test suite runs, in C: the twin of
 * porter/validate/client.py (which documents the protocol), built by bkport.native with the host
 * clang. A test suite calls the app thousands of times; a Python interpreter's start was most of
 * what a call cost on the host side.
 *
 * Usage: client NAME [ARG...]   (NAME: what the script called, "$0"), when run under its own
 *        name (`client-...`, as bkport.native builds it); or APP [ARG...] when installed under
 *        the app's name (the driver copies it to `$bindir/busybox`, and runtest's applet links
 *        point there): the name is then argv[0]. So a call of a test script is one process
 *        start, without a `#!/bin/sh` wrapper exec'ing the client.
 * Environment: BKPORT_VALIDATE_SOCKET, the validate driver's Unix socket.
 * Exit status: the app's; 141 when our stdout's reader is gone; 126 when the server is unreachable.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define CHUNK 65536

extern char **environ;

struct buf {
    char *p;
    size_t n, cap;
};

static void put(struct buf *b, const void *p, size_t n)
{
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n)
            cap *= 2;
        b->p = realloc(b->p, cap);
        if (!b->p) {
            fputs("bkport: client out of memory\n", stderr);
            exit(126);
        }
        b->cap = cap;
    }
    memcpy(b->p + b->n, p, n);
    b->n += n;
}

/* 0, or -1 with errno (EPIPE: the reader is gone). */
static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int send_frame(int s, char kind, const char *p, uint32_t n)
{
    unsigned char h[5] = {(unsigned char)kind, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff,
                          (n >> 24) & 0xff};
    if (write_all(s, (const char *)h, 5) < 0)
        return -1;
    return n ? write_all(s, p, n) : 0;
}

enum { STDIN_TTY, STDIN_WHOLE, STDIN_STREAM };

static int stdin_kind(void)
{
    struct stat st;
    if (isatty(0) || fstat(0, &st) < 0)
        return STDIN_TTY; /* a terminal gives none; a closed stdin has none */
    return S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) ? STDIN_STREAM : STDIN_WHOLE;
}

static int unreachable(const char *why)
{
    fprintf(stderr, "bkport: cannot reach the validate server: %s\n", why);
    return 126;
}

/* Write the answer's frames, forwarding stdin while it streams; the app's status. */
static int answer(int s, int stream)
{
    static char in[CHUNK];
    struct buf b = {0};
    size_t off = 0;
    struct pollfd fds[2] = {{s, POLLIN, 0}, {stream ? 0 : -1, POLLIN, 0}};
    for (;;) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return unreachable(strerror(errno));
        }
        if (fds[1].fd >= 0 && fds[1].revents) {
            ssize_t n = read(0, in, sizeof in);
            if (n > 0 && send_frame(s, 'i', in, (uint32_t)n) < 0)
                n = 0; /* the call is over (its app has exited): the answer follows */
            if (n <= 0) {
                write_all(s, "I", 1);
                fds[1].fd = -1;
            }
        }
        if (!fds[0].revents)
            continue;
        ssize_t n = read(s, in, sizeof in);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return unreachable("the validate server closed the connection");
        put(&b, in, (size_t)n);
        while (b.n - off >= 5) {
            const unsigned char *h = (const unsigned char *)b.p + off;
            uint32_t len = h[1] | (uint32_t)h[2] << 8 | (uint32_t)h[3] << 16 | (uint32_t)h[4] << 24;
            if (h[0] == 'x')
                return (int)len;
            if (b.n - off < 5 + (size_t)len)
                break;
            const char *data = b.p + off + 5;
            if (h[0] == 'o') {
                if (write_all(1, data, len) < 0 && errno == EPIPE)
                    return 141; /* the reader is gone (`yes | head`): so is the point */
            } else if (h[0] == 'e') {
                write_all(2, data, len);
            }
            off += 5 + len;
        }
        if (off == b.n)
            b.n = off = 0;
    }
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN); /* a gone reader is an EPIPE to answer, not a death */
    struct buf args = {0}, env = {0}, cwd = {0};
    const char *base = strrchr(argv[0], '/');
    base = base ? base + 1 : argv[0];
    for (int i = strncmp(base, "client", 6) == 0 ? 1 : 0; i < argc; i++)
        put(&args, argv[i], strlen(argv[i]) + (i + 1 < argc));
    int first = 1;
    for (char **e = environ; *e; e++) {
        if (!strchr(*e, '='))
            continue;
        if (!first)
            put(&env, "", 1);
        put(&env, *e, strlen(*e));
        first = 0;
    }
    /* The shell's umask, which a child inherits (client.py says why); last, so it wins. */
    mode_t mask = umask(022);
    umask(mask);
    char um[32];
    int un = snprintf(um, sizeof um, "BKPORT_UMASK=%o", (unsigned)mask);
    if (!first)
        put(&env, "", 1);
    put(&env, um, (size_t)un);
    for (size_t cap = 4096;; cap *= 2) {
        char *p = malloc(cap);
        if (p && getcwd(p, cap)) {
            put(&cwd, p, strlen(p));
            free(p);
            break;
        }
        free(p);
        if (errno != ERANGE)
            return unreachable(strerror(errno));
    }
    int kind = stdin_kind();
    char head[128];
    int hn = snprintf(head, sizeof head, "BKCALL2 %zu %zu %zu %s\n", args.n, env.n, cwd.n,
                      kind == STDIN_STREAM ? "stream" : "whole");

    const char *path = getenv("BKPORT_VALIDATE_SOCKET");
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (!path)
        return unreachable("'BKPORT_VALIDATE_SOCKET'");
    if (strlen(path) >= sizeof addr.sun_path)
        return unreachable("socket path too long");
    strcpy(addr.sun_path, path);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    if (s < 0 || connect(s, (struct sockaddr *)&addr, sizeof addr) < 0)
        return unreachable(strerror(errno));
    if (write_all(s, head, (size_t)hn) < 0 || write_all(s, args.p, args.n) < 0 ||
        write_all(s, env.p, env.n) < 0 || write_all(s, cwd.p, cwd.n) < 0)
        return unreachable(strerror(errno));
    if (kind != STDIN_STREAM) {
        static char in[CHUNK];
        ssize_t n;
        while (kind == STDIN_WHOLE && (n = read(0, in, sizeof in)) != 0) {
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                break;
            }
            if (send_frame(s, 'i', in, (uint32_t)n) < 0)
                return unreachable(strerror(errno));
        }
        if (write_all(s, "I", 1) < 0)
            return unreachable(strerror(errno));
    }
    int status = answer(s, kind == STDIN_STREAM);
    close(s);
    return status;
}

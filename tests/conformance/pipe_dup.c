/* Pipes between threads (blocking reads and writes, end of file, EPIPE with SIGPIPE ignored or
 * caught, O_NONBLOCK, O_CLOEXEC), descriptor duplication (dup, dup2, dup3) and poll/select on a
 * pipe. The conformance driver runs this as `conform pipe_dup`. */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conform.h"

#define MS 1000000LL

static void sleep_ms(long ms)
{
    struct timespec d = { 0, ms * 1000000L };
    nanosleep(&d, NULL);
}

/* A reader thread: one read of up to `len` bytes from `fd`, and when it returned. */
struct rd {
    int fd;
    size_t len;
    char buf[64];
    ssize_t n;
    int err;
    volatile int *flag; /* what the other side had done when the read returned */
    int flag_seen;
};

static void *reader(void *arg)
{
    struct rd *r = arg;
    errno = 0;
    r->n = read(r->fd, r->buf, r->len);
    r->err = errno;
    r->flag_seen = r->flag ? *r->flag : 0;
    return NULL;
}

/* A writer thread: one write of `len` bytes (blocking) and its result. */
struct wr {
    int fd;
    size_t len;
    char buf[2048];
    ssize_t n;
    int err;
    int delay_ms;
};

static void *writer(void *arg)
{
    struct wr *w = arg;
    if (w->delay_ms)
        sleep_ms(w->delay_ms);
    errno = 0;
    w->n = write(w->fd, w->buf, w->len);
    w->err = errno;
    return NULL;
}

static int caught;
static void on_sigpipe(int sig)
{
    if (sig == SIGPIPE)
        caught++;
}

/* Fill a non-blocking write end until EAGAIN; returns how many bytes went in. */
static long fill(int fd)
{
    char blk[256];
    memset(blk, 'f', sizeof blk);
    long total = 0;
    for (int i = 0; i < 10000; i++) {
        ssize_t n = write(fd, blk, sizeof blk);
        if (n < 0)
            break;
        total += n;
    }
    return total;
}

int main(void)
{
    int p[2], q[2];
    char buf[4096];
    struct stat st;
    pthread_t t;

    /* Round trip. */
    CHECK(pipe(p) == 0 && p[0] >= 0 && p[1] >= 0 && p[0] != p[1], "pipe: pipe makes two descriptors");
    CHECK(write(p[1], "hello", 5) == 5, "write: write 5 bytes into the pipe");
    CHECK(read(p[0], buf, sizeof buf) == 5 && memcmp(buf, "hello", 5) == 0,
          "read: read gives the same 5 bytes back");
    CHECK(fstat(p[0], &st) == 0 && S_ISFIFO(st.st_mode), "fstat: fstat of a pipe says S_IFIFO");
    CHECK_ERR(lseek(p[0], 0, SEEK_CUR), ESPIPE, "lseek: lseek on a pipe: ESPIPE");
    CHECK((fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY
          && (fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY, "fcntl: read end O_RDONLY, write end O_WRONLY");
    CHECK_ERR(write(p[0], "x", 1), EBADF, "write: write to the read end: EBADF");
    CHECK_ERR(read(p[1], buf, 1), EBADF, "read: read from the write end: EBADF");
    CHECK(fcntl(p[0], F_GETFD) == 0 && fcntl(p[1], F_GETFD) == 0, "fcntl: pipe(): no FD_CLOEXEC");

    /* A reader blocks until a writer thread writes. */
    volatile int written = 0;
    struct rd r = { .fd = p[0], .len = sizeof r.buf, .flag = &written };
    long long t0 = conform_ns(CLOCK_MONOTONIC);
    CHECK_RC(pthread_create(&t, NULL, reader, &r), 0, "pthread_create: start a reader on the empty pipe");
    sleep_ms(50);
    written = 1;
    CHECK(write(p[1], "ping", 4) == 4, "write: the main thread writes 4 bytes");
    pthread_join(t, NULL);
    CHECK(r.n == 4 && memcmp(r.buf, "ping", 4) == 0 && r.flag_seen == 1,
          "read: the blocked reader gets the 4 bytes, after the write");
    CHECK(conform_ns(CLOCK_MONOTONIC) - t0 >= 40 * MS, "pipe: the reader waited for the writer");

    /* A writer blocks on a full pipe until a reader makes room. */
    CHECK(fcntl(p[1], F_SETFL, O_NONBLOCK) == 0, "fcntl: F_SETFL O_NONBLOCK on the write end");
    long cap = fill(p[1]);
    CHECK(cap >= PIPE_BUF, "pipe: a pipe holds at least PIPE_BUF bytes");
    CHECK_ERR(write(p[1], "x", 1), EAGAIN, "write: write to a full O_NONBLOCK pipe: EAGAIN");
    CHECK(fcntl(p[1], F_SETFL, 0) == 0, "fcntl: clear O_NONBLOCK");
    static struct wr w;
    w.fd = p[1];
    w.len = 1000;
    memset(w.buf, 'w', sizeof w.buf);
    CHECK_RC(pthread_create(&t, NULL, writer, &w), 0, "pthread_create: start a writer on the full pipe");
    sleep_ms(30);
    CHECK(w.n == 0 && w.err == 0, "pipe: the writer is still blocked");
    long got = 0;
    while (got < cap + 1000) {
        ssize_t n = read(p[0], buf, sizeof buf);
        if (n <= 0)
            break;
        got += n;
    }
    pthread_join(t, NULL);
    CHECK(w.n == 1000 && got == cap + 1000, "read: the writer finished: every byte read in order");

    /* End of file after the last writer closes, dup'ed writers counted. */
    int w2 = dup(p[1]);
    CHECK(w2 >= 0, "write: dup the write end");
    CHECK(write(w2, "ab", 2) == 2 && close(w2) == 0, "write: write through the duplicate, close it");
    CHECK(read(p[0], buf, sizeof buf) == 2, "read: the data is there after one writer closed");
    struct rd e = { .fd = p[0], .len = 8, .flag = &written };
    written = 0;
    CHECK_RC(pthread_create(&t, NULL, reader, &e), 0, "pthread_create: start a reader on the empty pipe");
    sleep_ms(30);
    written = 1;
    CHECK(close(p[1]) == 0, "write: close the last write end");
    pthread_join(t, NULL);
    CHECK(e.n == 0 && e.flag_seen == 1, "pipe: the blocked reader sees end of file (0)");
    CHECK(read(p[0], buf, sizeof buf) == 0, "read: later reads are at end of file too");
    close(p[0]);

    /* EPIPE when the reader is gone: with SIGPIPE ignored, then caught. */
    CHECK(pipe(p) == 0, "pipe: a new pipe");
    CHECK(close(p[0]) == 0, "read: close its read end");
    CHECK(signal(SIGPIPE, SIG_IGN) != SIG_ERR, "signal: ignore SIGPIPE");
    CHECK_ERR(write(p[1], "x", 1), EPIPE, "write: write with no reader: EPIPE (SIGPIPE ignored)");
    CHECK(signal(SIGPIPE, on_sigpipe) != SIG_ERR, "signal: catch SIGPIPE");
    CHECK_ERR(write(p[1], "x", 1), EPIPE, "write: write with no reader: EPIPE (SIGPIPE caught)");
    CHECK(caught == 1, "pipe: the SIGPIPE handler ran once");
    signal(SIGPIPE, SIG_IGN);
    close(p[1]);

    CHECK(pipe(p) == 0, "pipe: a new pipe");
    static struct wr b;
    b.fd = p[1];
    b.len = 8;
    CHECK(fcntl(p[1], F_SETFL, O_NONBLOCK) == 0 && fill(p[1]) > 0 && fcntl(p[1], F_SETFL, 0) == 0,
          "fcntl: fill it");
    CHECK_RC(pthread_create(&t, NULL, writer, &b), 0, "pthread_create: start a writer on the full pipe");
    sleep_ms(30);
    CHECK(close(p[0]) == 0, "read: close the read end under the blocked writer");
    pthread_join(t, NULL);
    CHECK(b.n == -1 && b.err == EPIPE, "pipe: the blocked writer fails with EPIPE");
    close(p[1]);

    /* O_NONBLOCK from pipe2 on both ends; O_CLOEXEC. */
    CHECK(pipe2(p, O_NONBLOCK) == 0, "pipe2: pipe2(O_NONBLOCK)");
    CHECK((fcntl(p[0], F_GETFL) & O_NONBLOCK) && (fcntl(p[1], F_GETFL) & O_NONBLOCK),
          "fcntl: both ends are O_NONBLOCK");
    CHECK_ERR(read(p[0], buf, 1), EAGAIN, "read: read of an empty O_NONBLOCK pipe: EAGAIN");
    CHECK(fill(p[1]) >= PIPE_BUF, "pipe: fill the O_NONBLOCK pipe");
    CHECK_ERR(write(p[1], buf, 1), EAGAIN, "write: write to a full O_NONBLOCK pipe: EAGAIN");
    CHECK(fcntl(p[0], F_GETFD) == 0, "fcntl: pipe2 without O_CLOEXEC: no FD_CLOEXEC");
    close(p[0]);
    close(p[1]);
    CHECK(pipe2(p, O_CLOEXEC) == 0, "pipe2: pipe2(O_CLOEXEC)");
    CHECK((fcntl(p[0], F_GETFD) & FD_CLOEXEC) && (fcntl(p[1], F_GETFD) & FD_CLOEXEC),
          "fcntl: both ends have FD_CLOEXEC");
    CHECK(!(fcntl(p[0], F_GETFL) & O_NONBLOCK), "fcntl: and block");
    CHECK_ERR(pipe2(q, 0x40000000), EINVAL, "pipe2: pipe2 with an unknown flag: EINVAL");

    /* dup shares the offset of an open file description. */
    int fd = open("/tmp/dup.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0 && write(fd, "abcdef", 6) == 6, "write: a file with 6 bytes");
    int d = dup(fd);
    CHECK(d >= 0 && d != fd && fcntl(d, F_GETFD) == 0, "dup: a new descriptor without FD_CLOEXEC");
    CHECK(lseek(fd, 2, SEEK_SET) == 2 && read(d, buf, 1) == 1 && buf[0] == 'c',
          "lseek: a seek through one is seen through the other");
    CHECK(lseek(fd, 0, SEEK_CUR) == 3, "lseek: and a read through the other moves both");
    close(d);

    /* dup2 onto an open descriptor closes it first; dup2(fd, fd); dup3. */
    int other = open("/tmp/other.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(other >= 0 && write(other, "XYZ", 3) == 3, "write: a second file");
    CHECK(fcntl(other, F_SETFD, FD_CLOEXEC) == 0, "fcntl: mark it FD_CLOEXEC");
    CHECK(dup2(fd, other) == other, "dup2: dup2 onto the open descriptor returns it");
    struct stat a_st, b_st;
    CHECK(fstat(fd, &a_st) == 0 && fstat(other, &b_st) == 0 && a_st.st_ino == b_st.st_ino,
          "fstat: it now refers to the first file");
    CHECK(fcntl(other, F_GETFD) == 0, "fcntl: dup2 clears FD_CLOEXEC on the new descriptor");
    CHECK(lseek(other, 0, SEEK_SET) == 0 && lseek(fd, 0, SEEK_CUR) == 0, "lseek: and shares its offset");
    CHECK(stat("/tmp/other.txt", &st) == 0 && st.st_size == 3, "dup2: the replaced file is intact");
    CHECK(dup2(fd, fd) == fd, "dup2: dup2(fd, fd) returns fd");
    CHECK_ERR(dup2(99, other), EBADF, "dup2: dup2 of a closed descriptor: EBADF");
    CHECK_ERR(dup2(fd, -1), EBADF, "dup2: dup2 onto a negative descriptor: EBADF");
    CHECK_ERR(dup2(98, 98), EBADF, "dup2: dup2(fd, fd) of a closed descriptor: EBADF");
    CHECK_ERR(dup3(fd, fd, 0), EINVAL, "dup3: dup3(fd, fd): EINVAL");
    CHECK(dup3(fd, other, O_CLOEXEC) == other && (fcntl(other, F_GETFD) & FD_CLOEXEC),
          "dup3: dup3 with O_CLOEXEC sets FD_CLOEXEC");
    CHECK_ERR(dup3(fd, other, 0x40000000), EINVAL, "dup3: dup3 with an unknown flag: EINVAL");
    CHECK(dup2(p[1], 20) == 20 && write(20, "via", 3) == 3 && read(p[0], buf, 3) == 3
          && memcmp(buf, "via", 3) == 0, "dup2: dup2 of a pipe's write end writes into the pipe");
    close(20);
    close(other);
    close(fd);
    unlink("/tmp/dup.txt");
    unlink("/tmp/other.txt");

    /* poll and select on the read end, before and after a write. */
    struct pollfd pf[2] = { { p[0], POLLIN, 0 }, { p[1], POLLOUT, 0 } };
    CHECK(poll(pf, 1, 0) == 0 && pf[0].revents == 0, "poll: an empty pipe is not readable");
    CHECK(poll(&pf[1], 1, 0) == 1 && pf[1].revents == POLLOUT, "poll: its write end is writable");
    CHECK(write(p[1], "!", 1) == 1, "write: write one byte");
    CHECK(poll(pf, 1, 0) == 1 && pf[0].revents == POLLIN, "poll: now the read end is readable");
    fd_set rs;
    FD_ZERO(&rs);
    FD_SET(p[0], &rs);
    struct timeval tv = { 0, 0 };
    CHECK(select(p[0] + 1, &rs, NULL, NULL, &tv) == 1 && FD_ISSET(p[0], &rs),
          "select: the read end is readable");
    CHECK(read(p[0], buf, 1) == 1, "read: drain it");
    static struct wr late;
    late.fd = p[1];
    late.len = 2;
    late.delay_ms = 30;
    CHECK_RC(pthread_create(&t, NULL, writer, &late), 0, "pthread_create: a thread writes in 30 ms");
    t0 = conform_ns(CLOCK_MONOTONIC);
    CHECK(poll(pf, 1, 5000) == 1 && pf[0].revents == POLLIN, "poll: poll waits for the write");
    long long waited = conform_ns(CLOCK_MONOTONIC) - t0;
    CHECK(waited >= 20 * MS && waited < 2000 * MS, "pipe: and returns soon after it");
    pthread_join(t, NULL);
    CHECK(read(p[0], buf, sizeof buf) == 2, "read: drain it");
    t0 = conform_ns(CLOCK_MONOTONIC);
    CHECK(poll(pf, 1, 50) == 0, "poll: poll times out on an empty pipe");
    CHECK(conform_ns(CLOCK_MONOTONIC) - t0 >= 40 * MS, "pipe: after its timeout");
    close(p[1]);
    CHECK(poll(pf, 1, 0) == 1 && (pf[0].revents & POLLHUP), "poll: POLLHUP once no writer is left");
    close(p[0]);
    pf[0].fd = p[0];
    CHECK(poll(pf, 1, 0) == 1 && pf[0].revents == POLLNVAL, "poll: POLLNVAL for a closed descriptor");
    struct pollfd con = { 1, POLLOUT, 0 };
    CHECK(poll(&con, 1, 0) == 1 && con.revents == POLLOUT, "poll: the console's stdout is writable");

    CONFORM_DONE();
}

/* socketpair(AF_UNIX, SOCK_STREAM): bytes both ways between the two ends, across threads
 * (a blocked recv woken by the other end's send), end of file after close and shutdown,
 * EPIPE (SIGPIPE ignored, or suppressed by MSG_NOSIGNAL), poll, SOCK_NONBLOCK/SOCK_CLOEXEC,
 * and the errors for other domains and types. The conformance driver runs this as
 * `conform socketpair`. */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conform.h"

static void *echo(void *arg)
{
    int fd = *(int *)arg;
    char buf[32];
    ssize_t n;
    /* echo back upper-cased until end of file */
    while ((n = recv(fd, buf, sizeof buf, 0)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            buf[i] = (char)(buf[i] >= 'a' && buf[i] <= 'z' ? buf[i] - 32 : buf[i]);
        if (send(fd, buf, (size_t)n, 0) != n)
            break;
    }
    close(fd);
    return NULL;
}

int main(void)
{
    int sv[2];
    char buf[64];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair: socketpair AF_UNIX SOCK_STREAM");
    CHECK(sv[0] >= 0 && sv[1] >= 0 && sv[0] != sv[1], "socketpair: two distinct descriptors");
    CHECK(write(sv[0], "ping", 4) == 4, "write: write on end 0");
    CHECK(read(sv[1], buf, sizeof buf) == 4 && !memcmp(buf, "ping", 4), "read: read on end 1");
    CHECK(send(sv[1], "pong!", 5, 0) == 5, "send: send on end 1");
    CHECK(recv(sv[0], buf, sizeof buf, 0) == 5 && !memcmp(buf, "pong!", 5), "recv: recv on end 0");

    struct pollfd p[2] = { { sv[0], POLLIN | POLLOUT, 0 }, { sv[1], POLLIN | POLLOUT, 0 } };
    CHECK(poll(p, 2, 0) == 2 && p[0].revents == POLLOUT && p[1].revents == POLLOUT,
          "poll: both writable, neither readable");
    CHECK(write(sv[1], "z", 1) == 1 && poll(p, 2, 0) == 2 && (p[0].revents & POLLIN),
          "poll: end 0 readable after end 1 wrote");
    CHECK(read(sv[0], buf, 1) == 1 && buf[0] == 'z', "read: and reads it");

    pthread_t th;
    CHECK(pthread_create(&th, NULL, echo, &sv[1]) == 0, "pthread_create: an echo thread on end 1");
    CHECK(send(sv[0], "hello", 5, 0) == 5, "send: send to the echo thread");
    size_t got = 0;
    while (got < 5) {
        ssize_t n = recv(sv[0], buf + got, sizeof buf - got, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    CHECK(got == 5 && !memcmp(buf, "HELLO", 5), "recv: its answer (a blocked recv woken)");
    CHECK(shutdown(sv[0], SHUT_WR) == 0, "shutdown: shutdown SHUT_WR");
    CHECK(pthread_join(th, NULL) == 0, "pthread_join: the echo thread saw end of file and ended");
    CHECK(recv(sv[0], buf, sizeof buf, 0) == 0, "recv: end of file after the other end closed");
    signal(SIGPIPE, SIG_IGN);
    CHECK_ERR(send(sv[0], "x", 1, 0), EPIPE, "send: send after shutdown: EPIPE");
    CHECK(close(sv[0]) == 0, "socketpair: close end 0");

    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair: a second pair");
    CHECK(close(sv[1]) == 0, "socketpair: close end 1");
    CHECK_ERR(write(sv[0], "x", 1), EPIPE, "write: write with the other end closed: EPIPE");
    signal(SIGPIPE, SIG_DFL);
    CHECK_ERR(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE, "send: MSG_NOSIGNAL: EPIPE, no SIGPIPE");
    CHECK(read(sv[0], buf, 1) == 0, "read: read with the other end closed: end of file");
    close(sv[0]);

    CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) == 0,
          "socketpair: SOCK_NONBLOCK | SOCK_CLOEXEC");
    CHECK_ERR(read(sv[0], buf, 1), EAGAIN, "read: non-blocking read with nothing: EAGAIN");
    CHECK((fcntl(sv[0], F_GETFD) & FD_CLOEXEC) && (fcntl(sv[1], F_GETFL) & O_NONBLOCK),
          "fcntl: FD_CLOEXEC and O_NONBLOCK set");
    CHECK(shutdown(sv[1], SHUT_RD) == 0 && read(sv[1], buf, 1) == 0,
          "shutdown: SHUT_RD: reads answer end of file");
    CHECK_ERR(shutdown(sv[1], 9), EINVAL, "shutdown: shutdown how 9: EINVAL");
    close(sv[0]);
    close(sv[1]);

    CHECK_ERR(socketpair(AF_INET, SOCK_STREAM, 0, sv), EAFNOSUPPORT, "socketpair: AF_INET: EAFNOSUPPORT");
    CHECK_ERR(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), EOPNOTSUPP, "socketpair: SOCK_DGRAM: EOPNOTSUPP");
    CHECK_ERR(socketpair(AF_UNIX, SOCK_STREAM, 7, sv), EPROTONOSUPPORT,
              "socketpair: protocol 7: EPROTONOSUPPORT");
    CONFORM_DONE();
}

/*
 * socketpair(AF_UNIX, SOCK_STREAM) over two kernel pipes (the validation kernel has no
 * sockets). A socket descriptor is the read end of one pipe; the write end of the other pipe
 * is its hidden peer, where write()/send() on the socket go (fileio.c, net.c), which close()
 * closes with it and which poll() asks for POLLOUT (poll.c); shutdown() closes it (SHUT_WR) or
 * makes reads answer end of file (SHUT_RD). Bytes written on either socket
 * are read on the other, end of file after the other side is closed or shut down for writing,
 * EPIPE (and SIGPIPE) after it is closed. Limits: the peer is a descriptor of its own (it
 * shows in the descriptor space), a dup() of a socket can read but not write, and datagram
 * types are refused (pipes keep no message boundaries). getsockname()/getpeername() answer
 * the unnamed AF_UNIX address (the family alone, as Linux does for a socket pair).
 */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"

#define MAX_FDS 64 /* kernel/src/fs/mod.rs MAX_FDS */

/* Per descriptor: is it a socket pair end, the write descriptor behind it + 1 (0 once shut
 * down for writing), and whether reading was shut down. */
static struct {
    unsigned char sock, rd_shut;
    int peer;
} ends[MAX_FDS];

int __bk_is_sock(int fd)
{
    return fd >= 0 && fd < MAX_FDS && ends[fd].sock;
}

int __bk_sock_peer(int fd)
{
    return __bk_is_sock(fd) ? ends[fd].peer - 1 : -1;
}

int __bk_sock_read_shut(int fd)
{
    return __bk_is_sock(fd) && ends[fd].rd_shut;
}

static int drop_peer(int fd)
{
    int p = ends[fd].peer - 1;
    ends[fd].peer = 0;
    return p < 0 ? 0 : (int)bk_fix(bk_close(p));
}

void __bk_sock_closed(int fd)
{
    if (!__bk_is_sock(fd))
        return;
    (void)drop_peer(fd);
    ends[fd].sock = ends[fd].rd_shut = 0;
}

ssize_t __bk_sock_send(int fd, const void *buf, size_t n, int flags)
{
    if (flags & ~MSG_NOSIGNAL)
        return bk_fail(EOPNOTSUPP);
    int p = ends[fd].peer - 1;
    ssize_t r = p < 0 ? bk_fail(EPIPE) : bk_fix(bk_write(p, buf, n));
    if (r < 0 && errno == EPIPE && !(flags & MSG_NOSIGNAL)) {
        (void)raise(SIGPIPE); /* as write() to a pipe without a reader (fileio.c) */
        errno = EPIPE;
    }
    return r;
}

int __bk_sock_shutdown(int fd, int how)
{
    if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR)
        return bk_fail(EINVAL);
    if (how != SHUT_WR)
        ends[fd].rd_shut = 1;
    /* closing the write end gives the other side end of file */
    return how != SHUT_RD ? drop_peer(fd) : 0;
}

static void close_all(const struct PipeFds *a, const struct PipeFds *b)
{
    (void)bk_close(a->read_fd), (void)bk_close(a->write_fd);
    if (b)
        (void)bk_close(b->read_fd), (void)bk_close(b->write_fd);
}

int socketpair(int domain, int type, int protocol, int fds[2])
{
    int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (domain != AF_UNIX)
        return bk_fail(EAFNOSUPPORT);
    if (base != SOCK_STREAM)
        return bk_fail(base == SOCK_DGRAM || base == SOCK_SEQPACKET ? EOPNOTSUPP : EPROTOTYPE);
    if (protocol != 0)
        return bk_fail(EPROTONOSUPPORT);
    if (!fds)
        return bk_fail(EFAULT);
    int kflags = (type & SOCK_NONBLOCK ? BK_O_NONBLOCK : 0) |
                 (type & SOCK_CLOEXEC ? BK_O_CLOEXEC : 0);
    struct PipeFds a, b;
    if (bk_fix(bk_pipe2(&a, kflags)) < 0)
        return -1;
    if (bk_fix(bk_pipe2(&b, kflags)) < 0) {
        int e = errno;
        close_all(&a, NULL);
        return bk_fail(e);
    }
    if (a.read_fd >= MAX_FDS || b.read_fd >= MAX_FDS) {
        close_all(&a, &b);
        return bk_fail(EMFILE);
    }
    /* fds[0] reads pipe a and writes pipe b; fds[1] the reverse */
    ends[a.read_fd].sock = ends[b.read_fd].sock = 1;
    ends[a.read_fd].rd_shut = ends[b.read_fd].rd_shut = 0;
    ends[a.read_fd].peer = b.write_fd + 1;
    ends[b.read_fd].peer = a.write_fd + 1;
    fds[0] = a.read_fd;
    fds[1] = b.read_fd;
    return 0;
}

/* The unnamed AF_UNIX address: the family alone, cut to *len, whose new value is its size. */
static int unnamed(struct sockaddr *restrict addr, socklen_t *restrict len)
{
    if (!addr || !len)
        return bk_fail(EFAULT);
    sa_family_t family = AF_UNIX;
    memcpy(addr, &family, *len < sizeof family ? *len : sizeof family);
    *len = sizeof family;
    return 0;
}

/* Fail for a descriptor that is no socket pair end: EBADF when it is not open, else `e`.
 * Kernel sockets (enable_net) have no name call in the table, so only pairs have names. */
static int not_sock(int fd, int e)
{
    int saved = errno;
    if (fcntl(fd, F_GETFD) < 0)
        return bk_fail(EBADF);
    errno = saved;
    return bk_fail(e);
}

int getsockname(int fd, struct sockaddr *restrict addr, socklen_t *restrict len)
{
    return __bk_is_sock(fd) ? unnamed(addr, len) : not_sock(fd, ENOTSOCK);
}

int getpeername(int fd, struct sockaddr *restrict addr, socklen_t *restrict len)
{
    if (!__bk_is_sock(fd))
        return not_sock(fd, ENOTSOCK);
    if (ends[fd].rd_shut && !ends[fd].peer)
        return bk_fail(EINVAL); /* shut down both ways: POSIX's EINVAL */
    return unnamed(addr, len);
}

int sockatmark(int fd)
{
    /* POSIX: ENOTTY for a descriptor that is no socket; a pipe carries no out-of-band data */
    return __bk_is_sock(fd) ? 0 : not_sock(fd, ENOTTY);
}

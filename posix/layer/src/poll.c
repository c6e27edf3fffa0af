/*
 * <poll.h> and <sys/select.h> over FdReady, the kernel's readiness of one descriptor now.
 *
 * The kernel has no call that sleeps on several descriptors, so a wait re-checks every
 * descriptor after sleeping 1 ms (the tick, 10 ms, on AArch64 and RISC-V): a pipe's data is seen
 * within that delay, and a wait without timeout costs one check per sleep. Everything but a pipe
 * is always ready (regular files as POSIX says; the console's input is the run's finite stdin).
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/select.h>
#include <sys/time.h>
#include <time.h>

#include "internal.h"

static int fd_ready(int fd);

/* Readiness of fd as Linux POLL* bits, or -1 with a picolibc errno (EBADF). A socket pair end
 * reads its own pipe and writes its peer's (sockpair.c). */
static int ready(int fd)
{
    int r = fd_ready(fd);
    if (r < 0 || !__bk_is_sock(fd))
        return r;
    if (__bk_sock_read_shut(fd))
        r |= BK_POLLIN; /* reads answer end of file at once */
    int peer = __bk_sock_peer(fd);
    int w = peer < 0 ? BK_POLLERR : fd_ready(peer);
    return (r & ~(BK_POLLOUT | BK_POLLERR)) | (w < 0 ? BK_POLLERR : w & (BK_POLLOUT | BK_POLLERR));
}

static int fd_ready(int fd)
{
    long m = bk_fd_ready(fd);
    if (m >= 0)
        return (int)m;
    if (errno != BK_ENOSYS)
        return (int)bk_fix(m);
    /* A kernel without FdReady has no pipes: a valid descriptor is ready for its access mode. */
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0)
        return -1;
    int acc = fl & O_ACCMODE;
    return (acc != O_WRONLY ? BK_POLLIN : 0) | (acc != O_RDONLY ? BK_POLLOUT : 0);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleep a little before the next check, never past the deadline (< 0: none). */
static void pause_until(int64_t deadline)
{
    struct timespec d = { 0, 1000000 };
    if (deadline >= 0) {
        int64_t left = deadline - now_ms();
        if (left <= 0)
            return;
    }
    (void)nanosleep(&d, NULL);
}

/* One pass over fds; returns how many have events. */
static int scan(struct pollfd *fds, nfds_t n)
{
    int count = 0;
    for (nfds_t i = 0; i < n; i++) {
        fds[i].revents = 0;
        if (fds[i].fd < 0)
            continue;
        int m = ready(fds[i].fd);
        short r = 0;
        if (m < 0) {
            r = POLLNVAL;
        } else {
            if (m & BK_POLLIN)
                r |= fds[i].events & (POLLIN | POLLRDNORM);
            if (m & BK_POLLOUT)
                r |= fds[i].events & (POLLOUT | POLLWRNORM);
            /* Errors and hang-ups are reported whether asked for or not. */
            if (m & BK_POLLHUP)
                r |= POLLHUP;
            if (m & BK_POLLERR)
                r |= POLLERR;
        }
        fds[i].revents = r;
        if (r)
            count++;
    }
    return count;
}

static int poll_until(struct pollfd *fds, nfds_t n, int64_t deadline)
{
    for (;;) {
        int c = scan(fds, n);
        if (c || (deadline >= 0 && now_ms() >= deadline))
            return c;
        pause_until(deadline);
    }
}

int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
    return poll_until(fds, nfds, timeout < 0 ? -1 : now_ms() + timeout);
}

static int64_t deadline_of(const struct timespec *ts)
{
    if (!ts)
        return -1;
    return now_ms() + (int64_t)ts->tv_sec * 1000 + (ts->tv_nsec + 999999) / 1000000;
}

/* The mask is swapped for the wait: the layer's signals are delivered synchronously in the
 * raising thread, so none can arrive between the swap and the wait that the mask would hold. */
int ppoll(struct pollfd fds[], nfds_t nfds, const struct timespec *restrict timeout,
          const sigset_t *restrict sigmask)
{
    if (timeout && (timeout->tv_sec < 0 || timeout->tv_nsec < 0 || timeout->tv_nsec >= 1000000000))
        return bk_fail(EINVAL);
    sigset_t old;
    if (sigmask)
        (void)sigprocmask(SIG_SETMASK, sigmask, &old);
    int r = poll_until(fds, nfds, deadline_of(timeout));
    if (sigmask)
        (void)sigprocmask(SIG_SETMASK, &old, NULL);
    return r;
}

static int select_until(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, int64_t deadline)
{
    if (nfds < 0 || nfds > FD_SETSIZE)
        return bk_fail(EINVAL);
    for (int fd = 0; fd < nfds; fd++)
        if (((rd && FD_ISSET(fd, rd)) || (wr && FD_ISSET(fd, wr)) || (ex && FD_ISSET(fd, ex)))
            && ready(fd) < 0)
            return bk_fail(EBADF);
    for (;;) {
        fd_set r, w;
        FD_ZERO(&r);
        FD_ZERO(&w);
        int count = 0;
        for (int fd = 0; fd < nfds; fd++) {
            int want_r = rd && FD_ISSET(fd, rd), want_w = wr && FD_ISSET(fd, wr);
            if (!want_r && !want_w)
                continue;
            int m = ready(fd);
            if (m < 0)
                return -1;
            /* End of file and a reader gone are "ready": the read or write would not block. */
            if (want_r && (m & (BK_POLLIN | BK_POLLHUP | BK_POLLERR))) {
                FD_SET(fd, &r);
                count++;
            }
            if (want_w && (m & (BK_POLLOUT | BK_POLLERR))) {
                FD_SET(fd, &w);
                count++;
            }
        }
        if (count || (deadline >= 0 && now_ms() >= deadline)) {
            if (rd)
                *rd = r;
            if (wr)
                *wr = w;
            if (ex)
                FD_ZERO(ex); /* no descriptor has exceptional conditions (out-of-band data) */
            return count;
        }
        pause_until(deadline);
    }
}

int select(int nfds, fd_set *restrict rd, fd_set *restrict wr, fd_set *restrict ex,
           struct timeval *restrict timeout)
{
    int64_t deadline = -1;
    if (timeout) {
        if (timeout->tv_sec < 0 || timeout->tv_usec < 0 || timeout->tv_usec >= 1000000)
            return bk_fail(EINVAL);
        deadline = now_ms() + (int64_t)timeout->tv_sec * 1000 + (timeout->tv_usec + 999) / 1000;
    }
    return select_until(nfds, rd, wr, ex, deadline);
}

int pselect(int nfds, fd_set *restrict rd, fd_set *restrict wr, fd_set *restrict ex,
            const struct timespec *restrict timeout, const sigset_t *restrict sigmask)
{
    if (timeout && (timeout->tv_sec < 0 || timeout->tv_nsec < 0 || timeout->tv_nsec >= 1000000000))
        return bk_fail(EINVAL);
    sigset_t old;
    if (sigmask)
        (void)sigprocmask(SIG_SETMASK, sigmask, &old);
    int r = select_until(nfds, rd, wr, ex, deadline_of(timeout));
    if (sigmask)
        (void)sigprocmask(SIG_SETMASK, &old, NULL);
    return r;
}

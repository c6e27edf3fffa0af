/* Asynchronous I/O: aio_read/aio_write/aio_fsync/aio_error/aio_return/aio_cancel/aio_suspend/
 * lio_listio with SIGEV_NONE and SIGEV_SIGNAL notification and the documented errors. */
#include <aio.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conform.h"

static volatile int sigs, sig_value;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    sigs++;
    sig_value = si->si_value.sival_int;
}

static int wait_done(struct aiocb *cb)
{
    const struct aiocb *l[1] = { cb };
    while (aio_error(cb) == EINPROGRESS)
        aio_suspend(l, 1, NULL);
    return aio_error(cb);
}

int main(void)
{
    int fd = open("/tmp/aio.dat", O_CREAT | O_RDWR | O_TRUNC, 0600);
    CHECK(fd >= 0, "aio_write: test file made");
    char out[64], in[64];
#if defined(_POSIX_ASYNCHRONOUS_IO) && _POSIX_ASYNCHRONOUS_IO > 0
    CHECK(1, "aio_read: _POSIX_ASYNCHRONOUS_IO is defined > 0");
#else
    CHECK(0, "aio_read: _POSIX_ASYNCHRONOUS_IO is defined > 0");
#endif
    memset(out, 'a', sizeof out);
    memcpy(out, "hello aio", 9);

    /* ---- aio_write / aio_error / aio_return ---- */
    struct aiocb w;
    memset(&w, 0, sizeof w);
    w.aio_fildes = fd;
    w.aio_buf = out;
    w.aio_nbytes = sizeof out;
    w.aio_offset = 100;
    w.aio_sigevent.sigev_notify = SIGEV_NONE;
    CHECK(aio_write(&w) == 0, "aio_write: queued");
    CHECK(wait_done(&w) == 0, "aio_error: 0 once the write is done");
    CHECK(aio_return(&w) == (ssize_t)sizeof out, "aio_return: bytes written");
    CHECK_ERR(aio_return(&w), EINVAL, "aio_return: a second call gives EINVAL");
    struct stat st;
    CHECK(fstat(fd, &st) == 0 && st.st_size == 100 + (off_t)sizeof out,
          "aio_write: written at aio_offset");

    /* ---- aio_read ---- */
    struct aiocb r;
    memset(&r, 0, sizeof r);
    r.aio_fildes = fd;
    r.aio_buf = in;
    r.aio_nbytes = sizeof in;
    r.aio_offset = 100;
    CHECK(aio_read(&r) == 0, "aio_read: queued");
    CHECK(wait_done(&r) == 0, "aio_error: 0 once the read is done");
    CHECK(aio_return(&r) == (ssize_t)sizeof in && !memcmp(in, out, sizeof in),
          "aio_read: reads the bytes at aio_offset");
    r.aio_offset = 1000;
    CHECK(aio_read(&r) == 0 && wait_done(&r) == 0 && aio_return(&r) == 0,
          "aio_read: past the end returns 0");

    /* ---- errors at submission ---- */
    struct aiocb bad;
    memset(&bad, 0, sizeof bad);
    bad.aio_fildes = 999;
    bad.aio_buf = in;
    bad.aio_nbytes = 4;
    CHECK_ERR(aio_read(&bad), EBADF, "aio_read: a bad descriptor gives EBADF");
    CHECK_ERR(aio_write(&bad), EBADF, "aio_write: a bad descriptor gives EBADF");
    CHECK_ERR(aio_fsync(O_SYNC, &bad), EBADF, "aio_fsync: a bad descriptor gives EBADF");
    int ro = open("/tmp/aio.dat", O_RDONLY);
    bad.aio_fildes = ro;
    CHECK_ERR(aio_write(&bad), EBADF, "aio_write: a read-only descriptor gives EBADF");
    int wo = open("/tmp/aio.dat", O_WRONLY);
    bad.aio_fildes = wo;
    CHECK_ERR(aio_read(&bad), EBADF, "aio_read: a write-only descriptor gives EBADF");
    bad.aio_fildes = fd;
    bad.aio_offset = -1;
    CHECK_ERR(aio_read(&bad), EINVAL, "aio_read: a negative offset gives EINVAL");
    bad.aio_offset = 0;
    bad.aio_reqprio = -1;
    CHECK_ERR(aio_write(&bad), EINVAL, "aio_write: a negative aio_reqprio gives EINVAL");
    bad.aio_reqprio = 0;
    bad.aio_sigevent.sigev_notify = 12345;
    CHECK_ERR(aio_read(&bad), EINVAL, "aio_read: an unknown sigev_notify gives EINVAL");
    bad.aio_sigevent.sigev_notify = SIGEV_NONE;
    CHECK_ERR(aio_fsync(12345, &w), EINVAL, "aio_fsync: an op other than O_SYNC/O_DSYNC EINVAL");
    struct aiocb never;
    memset(&never, 0, sizeof never);
    CHECK_ERR(aio_return(&never), EINVAL, "aio_return: an aiocb never queued gives EINVAL");

    /* ---- aio_fsync ---- */
    struct aiocb s;
    memset(&s, 0, sizeof s);
    s.aio_fildes = fd;
    CHECK(aio_fsync(O_SYNC, &s) == 0, "aio_fsync: O_SYNC queued");
    CHECK(wait_done(&s) == 0 && aio_return(&s) == 0, "aio_fsync: completes with 0");
    CHECK(aio_fsync(O_DSYNC, &s) == 0 && wait_done(&s) == 0 && aio_return(&s) == 0,
          "aio_fsync: O_DSYNC completes with 0");

    /* ---- aio_cancel ---- */
    CHECK(aio_cancel(fd, &w) == AIO_ALLDONE, "aio_cancel: a finished request is AIO_ALLDONE");
    CHECK(aio_cancel(fd, NULL) == AIO_ALLDONE, "aio_cancel: nothing outstanding is AIO_ALLDONE");
    CHECK_ERR(aio_cancel(999, NULL), EBADF, "aio_cancel: a bad descriptor gives EBADF");
    CHECK_ERR(aio_cancel(ro, &w), EINVAL, "aio_cancel: an aiocb of another descriptor EINVAL");
    /* A request its worker has not started yet is cancelled (the worker usually runs only at
     * the next tick; a few tries make it certain that one is caught queued). */
    static char cbuf[32];
    struct aiocb c;
    int cancelled = 0, consistent = 1;
    for (int tries = 0; tries < 20 && !cancelled; tries++) {
        memset(&c, 0, sizeof c);
        c.aio_fildes = fd;
        c.aio_buf = cbuf;
        c.aio_nbytes = sizeof cbuf;
        if (aio_write(&c) != 0) {
            consistent = 0;
            break;
        }
        int r = aio_cancel(fd, &c), e = wait_done(&c);
        if (r == AIO_CANCELED) {
            cancelled = 1;
            errno = 0;
            consistent &= e == ECANCELED && aio_return(&c) == -1 && errno == ECANCELED;
        } else {
            consistent &= (r == AIO_NOTCANCELED || r == AIO_ALLDONE) && e == 0 &&
                          aio_return(&c) == (ssize_t)sizeof cbuf;
        }
    }
    CHECK(cancelled, "aio_cancel: a request not started yet is AIO_CANCELED");
    CHECK(consistent, "aio_cancel: ECANCELED from aio_error and -1 (ECANCELED) from aio_return "
                      "for the cancelled request, its result for one not cancelled");
    memset(&c, 0, sizeof c);
    c.aio_fildes = fd;
    c.aio_buf = cbuf;
    c.aio_nbytes = sizeof cbuf;
    CHECK(aio_write(&c) == 0 && aio_cancel(fd, NULL) != -1 && wait_done(&c) != EINPROGRESS,
          "aio_cancel: every request of a descriptor (NULL aiocb)");
    (void)aio_return(&c);

    /* ---- SIGEV_SIGNAL ---- */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sig;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &sa, NULL);
    memset(&r, 0, sizeof r);
    r.aio_fildes = fd;
    r.aio_buf = in;
    r.aio_nbytes = 9;
    r.aio_offset = 100;
    r.aio_sigevent.sigev_notify = SIGEV_SIGNAL;
    r.aio_sigevent.sigev_signo = SIGUSR2;
    r.aio_sigevent.sigev_value.sival_int = 77;
    CHECK(aio_read(&r) == 0, "aio_read: with SIGEV_SIGNAL");
    wait_done(&r);
    struct timespec nap = { 0, 10000000 };
    for (int i = 0; i < 100 && !sigs; i++)
        nanosleep(&nap, NULL);
    CHECK(sigs == 1 && sig_value == 77, "aio_read: SIGEV_SIGNAL sent with sigev_value on completion");
    const struct aiocb *done_list[1] = { &r };
    struct timespec to = { 0, 20000000 };
    CHECK(aio_suspend(done_list, 1, &to) == 0, "aio_suspend: a finished request returns 0");
    CHECK(aio_return(&r) == 9, "aio_return: after the signal");

    /* ---- aio_suspend ---- */
    const struct aiocb *none[2] = { NULL, NULL };
    struct timespec short_to = { 0, 20000000 };
    CHECK_ERR(aio_suspend(none, 2, &short_to), EAGAIN,
              "aio_suspend: nothing completes before the timeout: EAGAIN");
    struct timespec bad_to = { 0, 1000000000L };
    CHECK_ERR(aio_suspend(none, 2, &bad_to), EINVAL, "aio_suspend: a bad timeout gives EINVAL");

    /* ---- lio_listio ---- */
    char b1[8], b2[8];
    struct aiocb l1, l2, l3;
    memset(&l1, 0, sizeof l1);
    memset(&l2, 0, sizeof l2);
    memset(&l3, 0, sizeof l3);
    l1.aio_fildes = l2.aio_fildes = l3.aio_fildes = fd;
    l1.aio_lio_opcode = LIO_WRITE;
    l1.aio_buf = "12345678";
    l1.aio_nbytes = 8;
    l1.aio_offset = 0;
    l2.aio_lio_opcode = LIO_READ;
    l2.aio_buf = b1;
    l2.aio_nbytes = 8;
    l2.aio_offset = 100;
    l3.aio_lio_opcode = LIO_NOP;
    struct aiocb *list[3] = { &l1, &l2, &l3 };
    CHECK(lio_listio(LIO_WAIT, list, 3, NULL) == 0, "lio_listio: LIO_WAIT runs the list");
    CHECK(aio_error(&l1) == 0 && aio_return(&l1) == 8, "lio_listio: the write is done on return");
    CHECK(aio_error(&l2) == 0 && aio_return(&l2) == 8 && !memcmp(b1, "hello ai", 8),
          "lio_listio: the read is done on return");
    pread(fd, b2, 8, 0);
    CHECK(!memcmp(b2, "12345678", 8), "lio_listio: the write reached the file");
    struct sigevent lev;
    memset(&lev, 0, sizeof lev);
    lev.sigev_notify = SIGEV_SIGNAL;
    lev.sigev_signo = SIGUSR2;
    lev.sigev_value.sival_int = 99;
    sigs = 0;
    struct aiocb *list2[2] = { &l1, &l2 };
    CHECK(lio_listio(LIO_NOWAIT, list2, 2, &lev) == 0, "lio_listio: LIO_NOWAIT queued");
    for (int i = 0; i < 100 && sigs == 0; i++)
        nanosleep(&nap, NULL);
    CHECK(sigs >= 1 && sig_value == 99, "lio_listio: the list's signal sent when all are done");
    wait_done(&l1);
    wait_done(&l2);
    CHECK(aio_return(&l1) == 8 && aio_return(&l2) == 8, "lio_listio: LIO_NOWAIT results");
    CHECK_ERR(lio_listio(12345, list, 3, NULL), EINVAL, "lio_listio: a bad mode gives EINVAL");
    CHECK_ERR(lio_listio(LIO_WAIT, list, 100000, NULL), EINVAL,
              "lio_listio: more than AIO_LISTIO_MAX gives EINVAL");
    l3.aio_lio_opcode = 12345;
    CHECK_ERR(lio_listio(LIO_WAIT, list, 3, NULL), EINVAL,
              "lio_listio: an unknown aio_lio_opcode gives EINVAL");
    l3.aio_lio_opcode = LIO_NOP;
    struct aiocb lb;
    memset(&lb, 0, sizeof lb);
    lb.aio_fildes = 999;
    lb.aio_lio_opcode = LIO_READ;
    lb.aio_buf = b1;
    lb.aio_nbytes = 1;
    struct aiocb *list3[1] = { &lb };
    CHECK_ERR(lio_listio(LIO_WAIT, list3, 1, NULL), EIO, "lio_listio: a request that fails: EIO");
    CHECK(aio_error(&lb) == EBADF, "lio_listio: the failed request's aio_error is EBADF");
    close(ro);
    close(wo);
    close(fd);
    unlink("/tmp/aio.dat");
    CONFORM_DONE();
}

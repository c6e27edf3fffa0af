/*
 * Asynchronous I/O (<aio.h>): each request runs on its own detached worker thread over
 * pread/pwrite/fsync, so the caller goes on at once; completion sets the request's error and
 * result, bumps a futex word that aio_suspend waits on, and notifies (SIGEV_NONE: nothing,
 * SIGEV_SIGNAL: the signal with sigev_value, to the process). A request is queued until its
 * worker first runs: aio_cancel takes it back then (AIO_CANCELED, ECANCELED from aio_error, the
 * notification sent), and finds it running (AIO_NOTCANCELED) or done (AIO_ALLDONE) after.
 *
 * struct aiocb is the spec's (posix/spec/aio.h.spec) with no room of the layer's: a request's
 * state lives in a table here, keyed by its aiocb, from aio_read until aio_return.
 */
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"
#include "sig.h"

enum { ST_IDLE = 0, ST_RUNNING = 1, ST_DONE = 2, ST_QUEUED = 3 };
enum { OP_READ, OP_WRITE, OP_SYNC };

#ifndef AIO_PRIO_DELTA_MAX
#define AIO_PRIO_DELTA_MAX 0 /* aio_reqprio is not used: requests start as queued */
#endif
#ifndef AIO_LISTIO_MAX
#define AIO_LISTIO_MAX 16
#endif
/* requests queued or finished and not yet taken by aio_return, at once */
#define REQ_MAX 64

void __bk_lock(volatile unsigned long *w);
void __bk_unlock(volatile unsigned long *w);

struct group;
struct req {
    struct aiocb *cb; /* NULL: a free slot */
    volatile int state;
    int err;
    ssize_t ret;
    struct group *group;
    unsigned seq; /* bumped at every submit into the slot */
};
static struct req reqs[REQ_MAX];
static volatile unsigned long reqs_lock;

/* the slot of cb, or -1; reqs_lock held */
static int find(const struct aiocb *cb)
{
    for (int i = 0; i < REQ_MAX; i++)
        if (reqs[i].cb == cb)
            return i;
    return -1;
}

static int state_of(const struct aiocb *cb, int *err, ssize_t *ret)
{
    __bk_lock(&reqs_lock);
    int i = find(cb), st = ST_IDLE;
    if (i >= 0) {
        st = __atomic_load_n(&reqs[i].state, __ATOMIC_ACQUIRE);
        if (err)
            *err = reqs[i].err;
        if (ret)
            *ret = reqs[i].ret;
    }
    __bk_unlock(&reqs_lock);
    return st;
}

/* bumped by every completion: aio_suspend and lio_listio(LIO_WAIT) wait for it to move */
static volatile unsigned long completions;

/* the requests of one lio_listio(LIO_NOWAIT) call with a notification, sent when the last ends */
struct group {
    int left;
    struct sigevent ev;
};

struct job {
    struct req *r;
    int op;
    struct group *group; /* q->group may be reused once a cancelled request is taken */
    unsigned seq;        /* q->seq when queued */
};

static void notify(const struct sigevent *ev)
{
    if (ev->sigev_notify == SIGEV_SIGNAL && ev->sigev_signo > 0)
        (void)sigqueue(getpid(), ev->sigev_signo, ev->sigev_value);
}

static void *work(void *arg)
{
    struct job j = *(struct job *)arg;
    free(arg);
    /* A worker is the layer's, not the application's: process-directed signals go elsewhere. */
    __bk_sig_helper();
    struct req *q = j.r;
    /* Still this job's request (a cancelled one may have been taken by aio_return and its slot
     * reused) and still queued: it starts now. */
    __bk_lock(&reqs_lock);
    int mine = q->seq == j.seq && q->state == ST_QUEUED;
    if (mine)
        __atomic_store_n(&q->state, ST_RUNNING, __ATOMIC_RELEASE);
    __bk_unlock(&reqs_lock);
    if (!mine) {
        /* Cancelled before it started: aio_cancel answered and notified for it. */
        struct group *g = j.group;
        if (g && __atomic_sub_fetch(&g->left, 1, __ATOMIC_ACQ_REL) == 0) {
            notify(&g->ev);
            free(g);
        }
        return NULL;
    }
    struct aiocb *cb = q->cb;
    ssize_t r;
    if (j.op == OP_READ)
        r = pread(cb->aio_fildes, (void *)cb->aio_buf, cb->aio_nbytes, cb->aio_offset);
    else if (j.op == OP_WRITE)
        r = (fcntl(cb->aio_fildes, F_GETFL) & O_APPEND)
                ? write(cb->aio_fildes, (const void *)cb->aio_buf, cb->aio_nbytes)
                : pwrite(cb->aio_fildes, (const void *)cb->aio_buf, cb->aio_nbytes,
                         cb->aio_offset);
    else
        r = fsync(cb->aio_fildes);
    q->ret = r;
    q->err = r < 0 ? errno : 0;
    struct group *g = q->group;
    struct sigevent ev = cb->aio_sigevent;
    __atomic_store_n(&q->state, ST_DONE, __ATOMIC_RELEASE);
    __atomic_add_fetch(&completions, 1, __ATOMIC_ACQ_REL);
    __bk_futex_wake(&completions, (unsigned long)-1);
    notify(&ev);
    if (g && __atomic_sub_fetch(&g->left, 1, __ATOMIC_ACQ_REL) == 0) {
        notify(&g->ev);
        free(g);
    }
    return NULL;
}

/* A zeroed sigevent (an aiocb cleared with memset, as most programs do) asks for nothing: its
 * sigev_notify 0 is no notification here, as Linux's SIGEV_SIGNAL with signal 0 is. */
static int valid_event(const struct sigevent *ev)
{
    if (ev->sigev_notify == SIGEV_NONE || (ev->sigev_notify == 0 && ev->sigev_signo == 0))
        return 1;
    return ev->sigev_notify == SIGEV_SIGNAL && ev->sigev_signo > 0 && ev->sigev_signo < NSIG;
}

/* Check and start one request: 0, or an errno value (nothing started). */
static int submit(struct aiocb *cb, int op, void *group)
{
    if (!cb)
        return EINVAL;
    int fl = fcntl(cb->aio_fildes, F_GETFL);
    if (fl < 0)
        return EBADF;
    int acc = fl & O_ACCMODE;
    if ((op == OP_READ && acc == O_WRONLY) || (op == OP_WRITE && acc == O_RDONLY))
        return EBADF;
    if (op != OP_SYNC && (cb->aio_offset < 0 || cb->aio_nbytes > (size_t)SSIZE_MAX))
        return EINVAL;
    if (cb->aio_reqprio < 0 || cb->aio_reqprio > AIO_PRIO_DELTA_MAX || !valid_event(&cb->aio_sigevent))
        return EINVAL;
    struct job *j = malloc(sizeof *j);
    if (!j)
        return EAGAIN;
    __bk_lock(&reqs_lock);
    int i = find(cb);
    if (i >= 0 && (reqs[i].state == ST_RUNNING || reqs[i].state == ST_QUEUED)) {
        __bk_unlock(&reqs_lock);
        free(j);
        return EINVAL; /* the aiocb of a request still in progress */
    }
    if (i < 0)
        i = find(NULL);
    if (i < 0) {
        __bk_unlock(&reqs_lock);
        free(j);
        return EAGAIN; /* REQ_MAX requests not yet taken by aio_return */
    }
    struct req *q = &reqs[i];
    q->cb = cb;
    q->err = EINPROGRESS;
    q->ret = -1;
    q->group = group;
    j->seq = ++q->seq;
    __atomic_store_n(&q->state, ST_QUEUED, __ATOMIC_RELEASE);
    __bk_unlock(&reqs_lock);
    j->r = q;
    j->op = op;
    j->group = group;
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setstacksize(&a, 4096);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    pthread_t th;
    int e = pthread_create(&th, &a, work, j);
    pthread_attr_destroy(&a);
    if (e) {
        free(j);
        __bk_lock(&reqs_lock);
        q->cb = NULL;
        q->state = ST_IDLE;
        __bk_unlock(&reqs_lock);
        return EAGAIN;
    }
    return 0;
}

int aio_read(struct aiocb *cb)
{
    int e = submit(cb, OP_READ, NULL);
    return e ? bk_fail(e) : 0;
}

int aio_write(struct aiocb *cb)
{
    int e = submit(cb, OP_WRITE, NULL);
    return e ? bk_fail(e) : 0;
}

/* Every write queued before it has been started already; its fsync covers them once done. */
int aio_fsync(int op, struct aiocb *cb)
{
    if (op != O_SYNC && op != O_DSYNC)
        return bk_fail(EINVAL);
    int e = submit(cb, OP_SYNC, NULL);
    return e ? bk_fail(e) : 0;
}

int aio_error(const struct aiocb *cb)
{
    if (!cb)
        return bk_fail(EINVAL);
    int err = 0, st = state_of(cb, &err, NULL);
    if (st == ST_RUNNING || st == ST_QUEUED)
        return EINPROGRESS;
    if (st == ST_IDLE)
        return bk_fail(EINVAL); /* never queued, or its status taken by aio_return */
    return err;
}

ssize_t aio_return(struct aiocb *cb)
{
    __bk_lock(&reqs_lock);
    int i = cb ? find(cb) : -1;
    if (i < 0 || reqs[i].state != ST_DONE) {
        __bk_unlock(&reqs_lock);
        return bk_fail(EINVAL); /* in progress, never queued, or its status taken already */
    }
    ssize_t ret = reqs[i].ret;
    int err = reqs[i].err;
    reqs[i].cb = NULL;
    reqs[i].state = ST_IDLE;
    __bk_unlock(&reqs_lock);
    if (ret < 0) {
        errno = err;
        return -1;
    }
    return ret;
}

/* Cancel cb (NULL: every request on fd): a request its worker has not started yet ends with
 * ECANCELED and its notification; one running goes on (AIO_NOTCANCELED wins over the others). */
int aio_cancel(int fd, struct aiocb *cb)
{
    if (fcntl(fd, F_GETFL) < 0)
        return bk_fail(EBADF);
    if (cb && cb->aio_fildes != fd)
        return bk_fail(EINVAL);
    int running = 0, cancelled = 0;
    struct sigevent evs[REQ_MAX];
    __bk_lock(&reqs_lock);
    for (int i = 0; i < REQ_MAX; i++) {
        struct req *q = &reqs[i];
        if (!q->cb || q->cb->aio_fildes != fd || (cb && q->cb != cb))
            continue;
        int queued = ST_QUEUED;
        if (__atomic_compare_exchange_n(&q->state, &queued, ST_DONE, 0, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE)) {
            q->err = ECANCELED;
            q->ret = -1;
            evs[cancelled++] = q->cb->aio_sigevent;
        } else if (queued == ST_RUNNING) {
            running = 1;
        }
    }
    __bk_unlock(&reqs_lock);
    if (cancelled) {
        __atomic_add_fetch(&completions, 1, __ATOMIC_ACQ_REL);
        __bk_futex_wake(&completions, (unsigned long)-1);
    }
    for (int i = 0; i < cancelled; i++)
        notify(&evs[i]);
    return running ? AIO_NOTCANCELED : cancelled ? AIO_CANCELED : AIO_ALLDONE;
}

static int any_done(const struct aiocb *const list[], int nent)
{
    for (int i = 0; i < nent; i++)
        if (list[i] && state_of(list[i], NULL, NULL) == ST_DONE)
            return 1;
    return 0;
}

int aio_suspend(const struct aiocb *const list[], int nent,
                const struct timespec *restrict timeout)
{
    if (nent < 0 || (nent > 0 && !list))
        return bk_fail(EINVAL);
    if (timeout && (timeout->tv_nsec < 0 || timeout->tv_nsec >= 1000000000L || timeout->tv_sec < 0))
        return bk_fail(EINVAL);
    struct timespec end;
    if (timeout) {
        __bk_now(CLOCK_MONOTONIC, &end);
        end.tv_sec += timeout->tv_sec;
        end.tv_nsec += timeout->tv_nsec;
        if (end.tv_nsec >= 1000000000L) {
            end.tv_nsec -= 1000000000L;
            end.tv_sec++;
        }
    }
    for (;;) {
        unsigned long seen = __atomic_load_n(&completions, __ATOMIC_ACQUIRE);
        if (any_done(list, nent))
            return 0;
        if (timeout) {
            struct bk_kts rel;
            if (__bk_until(CLOCK_MONOTONIC, &end, &rel) == ETIMEDOUT)
                return bk_fail(EAGAIN);
            (void)__bk_futex_wait(&completions, seen, &rel);
        } else {
            (void)__bk_futex_wait(&completions, seen, NULL);
        }
    }
}

int lio_listio(int mode, struct aiocb *const list[], int nent, struct sigevent *restrict sev)
{
    if ((mode != LIO_WAIT && mode != LIO_NOWAIT) || nent < 0 || nent > AIO_LISTIO_MAX ||
        (nent > 0 && !list))
        return bk_fail(EINVAL);
    if (mode == LIO_NOWAIT && sev && !valid_event(sev))
        return bk_fail(EINVAL);
    for (int i = 0; i < nent; i++)
        if (list[i] && list[i]->aio_lio_opcode != LIO_READ &&
            list[i]->aio_lio_opcode != LIO_WRITE && list[i]->aio_lio_opcode != LIO_NOP)
            return bk_fail(EINVAL);
    struct group *g = NULL;
    if (mode == LIO_NOWAIT && sev && sev->sigev_notify != SIGEV_NONE) {
        g = malloc(sizeof *g);
        if (!g)
            return bk_fail(EAGAIN);
        g->left = 1; /* held until every request is started */
        g->ev = *sev;
    }
    int failed = 0;
    for (int i = 0; i < nent; i++) {
        struct aiocb *cb = list[i];
        if (!cb || cb->aio_lio_opcode == LIO_NOP)
            continue;
        if (g)
            __atomic_add_fetch(&g->left, 1, __ATOMIC_ACQ_REL);
        int e = submit(cb, cb->aio_lio_opcode == LIO_READ ? OP_READ : OP_WRITE, g);
        if (e) {
            /* not queued: its own status says why, as a finished request's */
            if (g)
                __atomic_sub_fetch(&g->left, 1, __ATOMIC_ACQ_REL);
            __bk_lock(&reqs_lock);
            int k = find(cb);
            if (k < 0)
                k = find(NULL);
            if (k >= 0) {
                reqs[k].cb = cb;
                reqs[k].err = e;
                reqs[k].ret = -1;
                reqs[k].state = ST_DONE;
            }
            __bk_unlock(&reqs_lock);
            failed = 1;
        }
    }
    if (g && __atomic_sub_fetch(&g->left, 1, __ATOMIC_ACQ_REL) == 0) {
        notify(&g->ev);
        free(g);
    }
    if (mode == LIO_WAIT) {
        for (int i = 0; i < nent; i++) {
            struct aiocb *cb = list[i];
            int err = 0;
            while (cb && cb->aio_lio_opcode != LIO_NOP) {
                unsigned long seen = __atomic_load_n(&completions, __ATOMIC_ACQUIRE);
                int st = state_of(cb, &err, NULL);
                if (st != ST_RUNNING && st != ST_QUEUED)
                    break;
                (void)__bk_futex_wait(&completions, seen, NULL);
            }
            if (cb && cb->aio_lio_opcode != LIO_NOP && err)
                failed = 1;
        }
        return failed ? bk_fail(EIO) : 0;
    }
    return failed ? bk_fail(EIO) : 0;
}

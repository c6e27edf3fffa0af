/*
 * Condition variables: a sequence word the waiters sleep on. A waiter reads the sequence
 * before releasing the mutex, so a signal sent in between changes the word and the futex wait
 * returns at once (no lost wake-up). Timed waits measure the deadline on the clock chosen by
 * pthread_condattr_setclock (CLOCK_REALTIME by default), re-computed after every wake-up.
 * pthread_cond_t (6 words): [0] sequence, [1] clock + 1 (0 = default), [2] waiters.
 */
#include <pthread.h>

#include "sig.h"
#include "thread.h"

#define W(c) ((volatile unsigned long *)(c)->__w)

unsigned long __bk_mutex_release_all(pthread_mutex_t *m);
void __bk_mutex_reacquire(pthread_mutex_t *m, unsigned long count);

int pthread_condattr_init(pthread_condattr_t *a)
{
    a->__w[0] = 0; /* clock + 1 */
    a->__w[1] = PTHREAD_PROCESS_PRIVATE;
    return 0;
}

int pthread_condattr_destroy(pthread_condattr_t *a)
{
    (void)a;
    return 0;
}

int pthread_condattr_getclock(const pthread_condattr_t *restrict a, clockid_t *restrict clk)
{
    *clk = a->__w[0] ? (clockid_t)(a->__w[0] - 1) : CLOCK_REALTIME;
    return 0;
}

int pthread_condattr_setclock(pthread_condattr_t *a, clockid_t clk)
{
    if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC)
        return EINVAL;
    a->__w[0] = (unsigned)clk + 1;
    return 0;
}

int pthread_condattr_getpshared(const pthread_condattr_t *restrict a, int *restrict v)
{
    *v = (int)a->__w[1];
    return 0;
}

int pthread_condattr_setpshared(pthread_condattr_t *a, int v)
{
    if (v != PTHREAD_PROCESS_PRIVATE && v != PTHREAD_PROCESS_SHARED)
        return EINVAL;
    a->__w[1] = (unsigned)v;
    return 0;
}

int pthread_cond_init(pthread_cond_t *restrict c, const pthread_condattr_t *restrict a)
{
    for (unsigned i = 0; i < sizeof c->__w / sizeof c->__w[0]; i++)
        c->__w[i] = 0;
    if (a)
        c->__w[1] = a->__w[0];
    return 0;
}

int pthread_cond_destroy(pthread_cond_t *c)
{
    return W(c)[2] ? EBUSY : 0;
}

static int wait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clk,
                const struct timespec *abstime)
{
    if (abstime && (abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000L))
        return EINVAL;
    __bk_cp_test(); /* a cancellation point */
    unsigned long seq = __atomic_load_n(&W(c)[0], __ATOMIC_ACQUIRE);
    struct bk_kts rel;
    int e = 0;
    if (abstime) {
        e = __bk_until(clk, abstime, &rel);
        if (e)
            return e; /* already past: the mutex is still held, as POSIX requires */
    }
    __atomic_add_fetch(&W(c)[2], 1, __ATOMIC_ACQ_REL);
    unsigned long count = __bk_mutex_release_all(m);
    e = __bk_futex_wait(&W(c)[0], seq, abstime ? &rel : NULL);
    __atomic_sub_fetch(&W(c)[2], 1, __ATOMIC_ACQ_REL);
    __bk_mutex_reacquire(m, count);
    /* Cancelled while waiting: acted on with the mutex held again, as POSIX says (the
     * cleanup handlers release it). A signal handler that ran is a spurious wake-up. */
    __bk_cp_test();
    if (e == EINTR)
        e = 0;
    /* A wake-up that raced with the deadline counts as a wake-up. */
    if (e == ETIMEDOUT && __atomic_load_n(&W(c)[0], __ATOMIC_ACQUIRE) != seq)
        e = 0;
    return e;
}

int pthread_cond_wait(pthread_cond_t *restrict c, pthread_mutex_t *restrict m)
{
    return wait(c, m, CLOCK_REALTIME, NULL);
}

int pthread_cond_timedwait(pthread_cond_t *restrict c, pthread_mutex_t *restrict m,
                           const struct timespec *restrict abstime)
{
    clockid_t clk = W(c)[1] ? (clockid_t)(W(c)[1] - 1) : CLOCK_REALTIME;
    return wait(c, m, clk, abstime);
}

int pthread_cond_clockwait(pthread_cond_t *restrict c, pthread_mutex_t *restrict m,
                           clockid_t clk, const struct timespec *restrict abstime)
{
    if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC)
        return EINVAL;
    return wait(c, m, clk, abstime);
}

int pthread_cond_signal(pthread_cond_t *c)
{
    __atomic_add_fetch(&W(c)[0], 1, __ATOMIC_ACQ_REL);
    if (__atomic_load_n(&W(c)[2], __ATOMIC_ACQUIRE))
        __bk_futex_wake(&W(c)[0], 1);
    return 0;
}

int pthread_cond_broadcast(pthread_cond_t *c)
{
    __atomic_add_fetch(&W(c)[0], 1, __ATOMIC_ACQ_REL);
    if (__atomic_load_n(&W(c)[2], __ATOMIC_ACQUIRE))
        __bk_futex_wake(&W(c)[0], (unsigned long)-1);
    return 0;
}

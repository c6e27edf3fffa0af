/*
 * Read-write locks. pthread_rwlock_t (8 words): [0] state (0 free, n readers, WRITER),
 * [1] sequence word waiters sleep on (bumped on every release), [2] writer's thread,
 * [3] waiters. Readers are not blocked by waiting writers, so a thread may hold several read
 * locks at once without deadlocking itself (POSIX requires it); writers may wait longer.
 */
#include <pthread.h>

#include "thread.h"

#define W(l) ((volatile unsigned long *)(l)->__w)
#define WRITER ((unsigned long)-1)

int pthread_rwlockattr_init(pthread_rwlockattr_t *a)
{
    a->__w[0] = a->__w[1] = 0;
    return 0;
}

int pthread_rwlockattr_destroy(pthread_rwlockattr_t *a)
{
    (void)a;
    return 0;
}

int pthread_rwlockattr_getpshared(const pthread_rwlockattr_t *restrict a, int *restrict v)
{
    *v = (int)a->__w[0];
    return 0;
}

int pthread_rwlockattr_setpshared(pthread_rwlockattr_t *a, int v)
{
    if (v != PTHREAD_PROCESS_PRIVATE && v != PTHREAD_PROCESS_SHARED)
        return EINVAL;
    a->__w[0] = (unsigned)v;
    return 0;
}

int pthread_rwlock_init(pthread_rwlock_t *restrict l, const pthread_rwlockattr_t *restrict a)
{
    (void)a;
    for (unsigned i = 0; i < sizeof l->__w / sizeof l->__w[0]; i++)
        l->__w[i] = 0;
    return 0;
}

int pthread_rwlock_destroy(pthread_rwlock_t *l)
{
    return W(l)[0] ? EBUSY : 0;
}

static int try_rd(pthread_rwlock_t *l)
{
    unsigned long s = __atomic_load_n(&W(l)[0], __ATOMIC_ACQUIRE);
    while (s != WRITER) {
        if (s == WRITER - 1)
            return EAGAIN; /* reader count would overflow */
        if (__atomic_compare_exchange_n(&W(l)[0], &s, s + 1, 0, __ATOMIC_ACQUIRE,
                                        __ATOMIC_ACQUIRE))
            return 0;
    }
    return EBUSY;
}

static int try_wr(pthread_rwlock_t *l)
{
    unsigned long s = 0;
    if (__atomic_compare_exchange_n(&W(l)[0], &s, WRITER, 0, __ATOMIC_ACQUIRE,
                                    __ATOMIC_RELAXED)) {
        W(l)[2] = (unsigned long)pthread_self();
        return 0;
    }
    return EBUSY;
}

static int lock(pthread_rwlock_t *l, int (*try)(pthread_rwlock_t *), clockid_t clk,
                const struct timespec *abstime)
{
    if (try == try_wr && W(l)[0] == WRITER && W(l)[2] == (unsigned long)pthread_self())
        return EDEADLK;
    for (;;) {
        unsigned long seq = __atomic_load_n(&W(l)[1], __ATOMIC_ACQUIRE);
        int e = try(l);
        if (e != EBUSY)
            return e;
        struct bk_kts rel;
        if (abstime) {
            e = __bk_until(clk, abstime, &rel);
            if (e)
                return e;
        }
        __atomic_add_fetch(&W(l)[3], 1, __ATOMIC_ACQ_REL);
        (void)__bk_futex_wait(&W(l)[1], seq, abstime ? &rel : NULL);
        __atomic_sub_fetch(&W(l)[3], 1, __ATOMIC_ACQ_REL);
    }
}

int pthread_rwlock_rdlock(pthread_rwlock_t *l) { return lock(l, try_rd, CLOCK_REALTIME, NULL); }
int pthread_rwlock_wrlock(pthread_rwlock_t *l) { return lock(l, try_wr, CLOCK_REALTIME, NULL); }
int pthread_rwlock_tryrdlock(pthread_rwlock_t *l) { return try_rd(l); }
int pthread_rwlock_trywrlock(pthread_rwlock_t *l) { return try_wr(l); }

int pthread_rwlock_timedrdlock(pthread_rwlock_t *restrict l, const struct timespec *restrict t)
{
    return lock(l, try_rd, CLOCK_REALTIME, t);
}

int pthread_rwlock_timedwrlock(pthread_rwlock_t *restrict l, const struct timespec *restrict t)
{
    return lock(l, try_wr, CLOCK_REALTIME, t);
}

int pthread_rwlock_clockrdlock(pthread_rwlock_t *restrict l, clockid_t clk,
                               const struct timespec *restrict t)
{
    if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC)
        return EINVAL;
    return lock(l, try_rd, clk, t);
}

int pthread_rwlock_clockwrlock(pthread_rwlock_t *restrict l, clockid_t clk,
                               const struct timespec *restrict t)
{
    if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC)
        return EINVAL;
    return lock(l, try_wr, clk, t);
}

int pthread_rwlock_unlock(pthread_rwlock_t *l)
{
    unsigned long s = __atomic_load_n(&W(l)[0], __ATOMIC_ACQUIRE);
    if (s == 0)
        return EPERM;
    if (s == WRITER) {
        if (W(l)[2] != (unsigned long)pthread_self())
            return EPERM;
        W(l)[2] = 0;
        __atomic_store_n(&W(l)[0], 0, __ATOMIC_RELEASE);
    } else {
        __atomic_sub_fetch(&W(l)[0], 1, __ATOMIC_ACQ_REL);
    }
    __atomic_add_fetch(&W(l)[1], 1, __ATOMIC_ACQ_REL);
    if (__atomic_load_n(&W(l)[3], __ATOMIC_ACQUIRE))
        __bk_futex_wake(&W(l)[1], (unsigned long)-1);
    return 0;
}

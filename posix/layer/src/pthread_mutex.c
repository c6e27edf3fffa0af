/*
 * Mutexes of every type over the futex pair. The lock word follows Drepper's "Futexes are
 * tricky" mutex 2: 0 unlocked, 1 locked, 2 locked with (possible) waiters; unlock wakes one
 * waiter only when the word was 2. Owner and recursion count make RECURSIVE and ERRORCHECK.
 * pthread_mutex_t (6 words): [0] lock word, [1] type | robust<<4 | protocol<<8, [2] owner,
 * [3] recursion count, [4] priority ceiling. All-zero is a NORMAL mutex (the initializer).
 */
#include <pthread.h>

#include "thread.h"

#define W(m) ((volatile unsigned long *)(m)->__w)
#define TYPE(m) ((int)(W(m)[1] & 0xf))

struct bk_mattr {
    unsigned int type : 4, robust : 1, protocol : 2, pshared : 1, ceiling : 16;
};
#define MA(a) ((struct bk_mattr *)(void *)(a))
#define CMA(a) ((const struct bk_mattr *)(const void *)(a))

int pthread_mutexattr_init(pthread_mutexattr_t *a)
{
    a->__w[0] = a->__w[1] = 0;
    return 0;
}

int pthread_mutexattr_destroy(pthread_mutexattr_t *a)
{
    (void)a;
    return 0;
}

int pthread_mutexattr_gettype(const pthread_mutexattr_t *restrict a, int *restrict type)
{
    *type = (int)CMA(a)->type;
    return 0;
}

int pthread_mutexattr_settype(pthread_mutexattr_t *a, int type)
{
    if (type != PTHREAD_MUTEX_NORMAL && type != PTHREAD_MUTEX_RECURSIVE &&
        type != PTHREAD_MUTEX_ERRORCHECK)
        return EINVAL;
    MA(a)->type = (unsigned)type;
    return 0;
}

int pthread_mutexattr_getpshared(const pthread_mutexattr_t *restrict a, int *restrict v)
{
    *v = (int)CMA(a)->pshared;
    return 0;
}

/* One process: a shared mutex is a private one that any thread may use, which is all of them. */
int pthread_mutexattr_setpshared(pthread_mutexattr_t *a, int v)
{
    if (v != PTHREAD_PROCESS_PRIVATE && v != PTHREAD_PROCESS_SHARED)
        return EINVAL;
    MA(a)->pshared = (unsigned)v;
    return 0;
}

int pthread_mutexattr_getprotocol(const pthread_mutexattr_t *restrict a, int *restrict v)
{
    *v = (int)CMA(a)->protocol;
    return 0;
}

/* bkport: partial: priority inheritance and ceilings are recorded, not enforced by the kernel */
int pthread_mutexattr_setprotocol(pthread_mutexattr_t *a, int v)
{
    if (v != PTHREAD_PRIO_NONE && v != PTHREAD_PRIO_INHERIT && v != PTHREAD_PRIO_PROTECT)
        return EINVAL;
    MA(a)->protocol = (unsigned)v;
    return 0;
}

int pthread_mutexattr_getprioceiling(const pthread_mutexattr_t *restrict a, int *restrict v)
{
    *v = (int)CMA(a)->ceiling;
    return 0;
}

int pthread_mutexattr_setprioceiling(pthread_mutexattr_t *a, int v)
{
    if (v < 0 || v > 255)
        return EINVAL;
    MA(a)->ceiling = (unsigned)v;
    return 0;
}

int pthread_mutexattr_getrobust(const pthread_mutexattr_t *a, int *v)
{
    *v = (int)CMA(a)->robust;
    return 0;
}

/* bkport: partial: robust mutexes are accepted; an owner's death is never detected */
int pthread_mutexattr_setrobust(pthread_mutexattr_t *a, int v)
{
    if (v != PTHREAD_MUTEX_STALLED && v != PTHREAD_MUTEX_ROBUST)
        return EINVAL;
    MA(a)->robust = (unsigned)v;
    return 0;
}

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a)
{
    for (unsigned i = 0; i < sizeof m->__w / sizeof m->__w[0]; i++)
        m->__w[i] = 0;
    if (a) {
        m->__w[1] = CMA(a)->type | (CMA(a)->robust << 4) | (CMA(a)->protocol << 8);
        m->__w[4] = CMA(a)->ceiling;
    }
    return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
    return W(m)[0] ? EBUSY : 0;
}

/* Acquire the lock word; `abstime` NULL waits for ever. */
static int acquire(pthread_mutex_t *m, clockid_t clk, const struct timespec *abstime)
{
    volatile unsigned long *w = &W(m)[0];
    unsigned long c = 0;
    if (__atomic_compare_exchange_n(w, &c, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
        return 0;
    if (abstime && (abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000L))
        return EINVAL;
    if (c != 2)
        c = __atomic_exchange_n(w, 2, __ATOMIC_ACQUIRE);
    while (c != 0) {
        struct bk_kts rel;
        if (abstime) {
            int e = __bk_until(clk, abstime, &rel);
            if (e)
                return e;
        }
        (void)__bk_futex_wait(w, 2, abstime ? &rel : NULL);
        c = __atomic_exchange_n(w, 2, __ATOMIC_ACQUIRE);
    }
    return 0;
}

static int lock(pthread_mutex_t *m, clockid_t clk, const struct timespec *abstime)
{
    unsigned long me = (unsigned long)pthread_self();
    int type = TYPE(m);
    if (type != PTHREAD_MUTEX_NORMAL && W(m)[2] == me) {
        if (type == PTHREAD_MUTEX_ERRORCHECK)
            return EDEADLK;
        if (W(m)[3] == (unsigned long)-1)
            return EAGAIN;
        W(m)[3]++;
        return 0;
    }
    int e = acquire(m, clk, abstime);
    if (e)
        return e;
    W(m)[2] = me;
    W(m)[3] = 1;
    return 0;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
    return lock(m, CLOCK_REALTIME, NULL);
}

int pthread_mutex_timedlock(pthread_mutex_t *restrict m, const struct timespec *restrict abs)
{
    return lock(m, CLOCK_REALTIME, abs);
}

int pthread_mutex_clocklock(pthread_mutex_t *restrict m, clockid_t clk,
                            const struct timespec *restrict abs)
{
    if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC)
        return EINVAL;
    return lock(m, clk, abs);
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
    unsigned long me = (unsigned long)pthread_self();
    if (TYPE(m) == PTHREAD_MUTEX_RECURSIVE && W(m)[2] == me) {
        W(m)[3]++;
        return 0;
    }
    unsigned long c = 0;
    if (!__atomic_compare_exchange_n(&W(m)[0], &c, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
        return EBUSY;
    W(m)[2] = me;
    W(m)[3] = 1;
    return 0;
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
    unsigned long me = (unsigned long)pthread_self();
    int type = TYPE(m);
    if (type != PTHREAD_MUTEX_NORMAL) {
        if (W(m)[2] != me || !W(m)[0])
            return EPERM;
        if (--W(m)[3] > 0)
            return 0;
    }
    W(m)[2] = 0;
    W(m)[3] = 0;
    if (__atomic_exchange_n(&W(m)[0], 0, __ATOMIC_RELEASE) == 2)
        __bk_futex_wake(&W(m)[0], 1);
    return 0;
}

/* bkport: partial: the ceiling is recorded, not enforced by the kernel */
int pthread_mutex_setprioceiling(pthread_mutex_t *restrict m, int prio, int *restrict old)
{
    if (prio < 0 || prio > 255)
        return EINVAL;
    int e = pthread_mutex_lock(m);
    if (e)
        return e;
    if (old)
        *old = (int)W(m)[4];
    W(m)[4] = (unsigned long)prio;
    return pthread_mutex_unlock(m);
}

int pthread_mutex_getprioceiling(const pthread_mutex_t *restrict m, int *restrict v)
{
    *v = (int)m->__w[4];
    return 0;
}

/* bkport: stub: an owner's death is never detected, so no mutex becomes inconsistent (EINVAL) */
int pthread_mutex_consistent(pthread_mutex_t *m)
{
    (void)m;
    return EINVAL;
}

/* Used by the condition variables: release/reacquire the whole lock (with recursion). */
unsigned long __bk_mutex_release_all(pthread_mutex_t *m);
unsigned long __bk_mutex_release_all(pthread_mutex_t *m)
{
    unsigned long count = W(m)[3];
    W(m)[3] = 1;
    (void)pthread_mutex_unlock(m);
    return count;
}

void __bk_mutex_reacquire(pthread_mutex_t *m, unsigned long count);
void __bk_mutex_reacquire(pthread_mutex_t *m, unsigned long count)
{
    (void)acquire(m, CLOCK_REALTIME, NULL);
    W(m)[2] = (unsigned long)pthread_self();
    W(m)[3] = count;
}

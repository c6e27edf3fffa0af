/*
 * Barriers and spin locks.
 * pthread_barrier_t (4 words): [0] count, [1] arrived, [2] generation (futex word),
 * [3] internal lock. The last thread to arrive starts a new generation and wakes the rest;
 * it is the one that gets PTHREAD_BARRIER_SERIAL_THREAD.
 */
#include <pthread.h>
#include <sched.h>

#include "thread.h"

#define W(b) ((volatile unsigned long *)(b)->__w)

int pthread_barrierattr_init(pthread_barrierattr_t *a)
{
    a->__w[0] = a->__w[1] = 0;
    return 0;
}

int pthread_barrierattr_destroy(pthread_barrierattr_t *a)
{
    (void)a;
    return 0;
}

int pthread_barrierattr_getpshared(const pthread_barrierattr_t *restrict a, int *restrict v)
{
    *v = (int)a->__w[0];
    return 0;
}

int pthread_barrierattr_setpshared(pthread_barrierattr_t *a, int v)
{
    if (v != PTHREAD_PROCESS_PRIVATE && v != PTHREAD_PROCESS_SHARED)
        return EINVAL;
    a->__w[0] = (unsigned)v;
    return 0;
}

int pthread_barrier_init(pthread_barrier_t *restrict b, const pthread_barrierattr_t *restrict a,
                         unsigned count)
{
    (void)a;
    if (count == 0)
        return EINVAL;
    b->__w[0] = count;
    b->__w[1] = b->__w[2] = b->__w[3] = 0;
    return 0;
}

int pthread_barrier_destroy(pthread_barrier_t *b)
{
    return W(b)[1] ? EBUSY : 0;
}

int pthread_barrier_wait(pthread_barrier_t *b)
{
    __bk_lock(&W(b)[3]);
    unsigned long gen = W(b)[2];
    if (++W(b)[1] == W(b)[0]) {
        W(b)[1] = 0;
        __atomic_add_fetch(&W(b)[2], 1, __ATOMIC_ACQ_REL);
        __bk_unlock(&W(b)[3]);
        __bk_futex_wake(&W(b)[2], (unsigned long)-1);
        return PTHREAD_BARRIER_SERIAL_THREAD;
    }
    __bk_unlock(&W(b)[3]);
    while (__atomic_load_n(&W(b)[2], __ATOMIC_ACQUIRE) == gen)
        (void)__bk_futex_wait(&W(b)[2], gen, NULL);
    return 0;
}

/* Spin locks: on one processor spinning only burns the holder's time, so a contended lock
 * yields the processor between attempts. pthread_spinlock_t is an int: 0 free, 1 held. */
int pthread_spin_init(pthread_spinlock_t *l, int pshared)
{
    (void)pshared;
    *l = 0;
    return 0;
}

int pthread_spin_destroy(pthread_spinlock_t *l)
{
    return *l ? EBUSY : 0;
}

int pthread_spin_trylock(pthread_spinlock_t *l)
{
    return __atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE) ? EBUSY : 0;
}

int pthread_spin_lock(pthread_spinlock_t *l)
{
    while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
        sched_yield();
    return 0;
}

int pthread_spin_unlock(pthread_spinlock_t *l)
{
    __atomic_store_n(l, 0, __ATOMIC_RELEASE);
    return 0;
}

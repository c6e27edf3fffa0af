/*
 * Mutexes of every type over the futex pair. The lock word follows Drepper's "Futexes are
 * tricky" mutex 2: 0 unlocked, 1 locked, 2 locked with (possible) waiters; unlock wakes one
 * waiter only when the word was 2. Owner and recursion count make RECURSIVE and ERRORCHECK.
 * pthread_mutex_t (6 words): [0] lock word, [1] type | robust<<4 | protocol<<8, [2] owner,
 * [3] recursion count, [4] priority ceiling, [5] the owner's scheduling before a priority
 * protocol raised it (SAVED | policy<<8 | priority; 0: not raised). All-zero is a NORMAL mutex
 * (the initializer).
 *
 * Priority protocols over the kernel's per-thread policy and priority (SetSchedPolicy): a
 * PRIO_PROTECT mutex raises its owner to the ceiling while held (locking it from above the
 * ceiling is EINVAL); a PRIO_INHERIT mutex is raised by each waiter of higher priority to the
 * waiter's own before it sleeps, so a middle-priority thread cannot keep the owner, and the
 * waiter, off the CPU. Unlock puts the owner back as it was before this mutex raised it.
 */
#include <pthread.h>
#include <sched.h>

#include "thread.h"

#define W(m) ((volatile unsigned long *)(m)->__w)
#define TYPE(m) ((int)(W(m)[1] & 0xf))
#define PROTOCOL(m) ((int)((W(m)[1] >> 8) & 3))
#define SAVED 0x10000UL

/* A thread's policy and priority as the kernel has them (GetSchedPolicy/GetSchedParam). */
static int sched_of(unsigned long tid, int *policy, int *prio)
{
    long pol = bk_syscall6(BK_NR_get_sched_policy, (long)tid, 0, 0, 0, 0, 0);
    long pr = bk_syscall6(BK_NR_get_sched_param, (long)tid, 0, 0, 0, 0, 0);
    if (bk_is_error(pol) || bk_is_error(pr))
        return -1;
    *policy = (int)pol;
    *prio = (int)pr;
    return 0;
}

static void set_sched(unsigned long tid, int policy, int prio)
{
    (void)bk_syscall6(BK_NR_set_sched_policy, (long)tid, policy, prio, 0, 0, 0);
}

/* Raise thread `tid` to `prio` (under `policy` if it is SCHED_OTHER, whose only priority is 0),
 * remembering in the mutex what it had unless something is remembered already. */
static void raise_to(pthread_mutex_t *m, unsigned long tid, int policy, int prio)
{
    int cur_pol, cur;
    if (sched_of(tid, &cur_pol, &cur) || cur >= prio)
        return;
    unsigned long none = 0, was = SAVED | ((unsigned long)cur_pol << 8) | (unsigned long)cur;
    (void)__atomic_compare_exchange_n(&W(m)[5], &none, was, 0, __ATOMIC_ACQ_REL,
                                      __ATOMIC_ACQUIRE);
    set_sched(tid, cur_pol == SCHED_OTHER ? policy : cur_pol, prio);
}

/* What the owner had before this mutex raised it (taken out of the mutex while still held, so
 * the next owner's record is its own). */
static unsigned long take_saved(pthread_mutex_t *m)
{
    return __atomic_exchange_n(&W(m)[5], 0, __ATOMIC_ACQ_REL);
}

/* Back to `was`, once the lock word is free and the waiter woken: lowered first, the owner
 * would give the CPU to a middle-priority thread before handing the mutex on. */
static void restore(unsigned long was)
{
    if (was & SAVED)
        set_sched(__bk_self()->tid, (int)((was >> 8) & 0xff), (int)(was & 0xff));
}

/* PRIO_INHERIT, before a waiter sleeps: lend the owner the waiter's priority. */
static void lend(pthread_mutex_t *m)
{
    struct bk_thread *owner = __bk_thread_of((pthread_t)W(m)[2]);
    int pol, prio;
    if (!owner || owner == __bk_self() || sched_of(__bk_self()->tid, &pol, &prio) || prio == 0)
        return;
    raise_to(m, owner->tid, pol, prio);
}

/* PRIO_PROTECT, once the lock is held: EINVAL when the caller is above the ceiling. */
static int protect(pthread_mutex_t *m)
{
    int pol, prio, ceiling = (int)W(m)[4];
    if (sched_of(__bk_self()->tid, &pol, &prio))
        return 0;
    if (prio > ceiling)
        return EINVAL;
    if (ceiling > 0)
        raise_to(m, __bk_self()->tid, pol == SCHED_OTHER ? SCHED_FIFO : pol, ceiling);
    return 0;
}

static void release_word(pthread_mutex_t *m)
{
    W(m)[2] = 0;
    W(m)[3] = 0;
    if (__atomic_exchange_n(&W(m)[0], 0, __ATOMIC_RELEASE) == 2)
        __bk_futex_wake(&W(m)[0], 1);
}

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
    if (v < sched_get_priority_min(SCHED_FIFO) || v > sched_get_priority_max(SCHED_FIFO))
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
        if (PROTOCOL(m) == PTHREAD_PRIO_INHERIT)
            lend(m);
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
    if (PROTOCOL(m) == PTHREAD_PRIO_PROTECT && (e = protect(m)) != 0) {
        release_word(m);
        return e;
    }
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
    int e;
    if (PROTOCOL(m) == PTHREAD_PRIO_PROTECT && (e = protect(m)) != 0) {
        release_word(m);
        return e;
    }
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
    unsigned long was = PROTOCOL(m) != PTHREAD_PRIO_NONE ? take_saved(m) : 0;
    release_word(m);
    restore(was);
    return 0;
}

int pthread_mutex_setprioceiling(pthread_mutex_t *restrict m, int prio, int *restrict old)
{
    if (prio < sched_get_priority_min(SCHED_FIFO) || prio > sched_get_priority_max(SCHED_FIFO))
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
    if (PROTOCOL(m) == PTHREAD_PRIO_PROTECT)
        (void)protect(m); /* held again: at the ceiling again */
}

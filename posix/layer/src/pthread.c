/*
 * Threads over CreateThread/ExitThread. A pthread_t is the address of the thread's record.
 * Each thread gets a stack and a TLS block from the kernel allocator; both are freed only
 * once the kernel no longer knows the thread (GetSchedParam answers ESRCH), because the
 * thread still runs on its stack between announcing its exit and the ExitThread trap.
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sig.h"
#include "thread.h"
#include "tls.h"

#define DEFAULT_STACK (16 * 1024)

static struct bk_thread main_thread;
static volatile unsigned long live = 1;      /* threads that have not exited */
static volatile unsigned long zombie_lock;
static struct bk_thread *zombies;            /* exited detached threads awaiting reaping */
volatile unsigned long __bk_all_lock;
struct bk_thread *__bk_all;

static void all_add(struct bk_thread *t)
{
    __bk_lock(&__bk_all_lock);
    t->all_next = __bk_all;
    __bk_all = t;
    __bk_unlock(&__bk_all_lock);
}

static void all_remove(struct bk_thread *t)
{
    __bk_lock(&__bk_all_lock);
    for (struct bk_thread **pp = &__bk_all; *pp; pp = &(*pp)->all_next)
        if (*pp == t) {
            *pp = t->all_next;
            break;
        }
    __bk_unlock(&__bk_all_lock);
}

/* ---- internal lock: 0 free, 1 held, 2 held with waiters ---- */

void __bk_lock(volatile unsigned long *w)
{
    unsigned long c = 0;
    if (__atomic_compare_exchange_n(w, &c, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
        return;
    if (c != 2)
        c = __atomic_exchange_n(w, 2, __ATOMIC_ACQUIRE);
    while (c != 0) {
        (void)__bk_futex_wait(w, 2, NULL);
        c = __atomic_exchange_n(w, 2, __ATOMIC_ACQUIRE);
    }
}

void __bk_unlock(volatile unsigned long *w)
{
    if (__atomic_exchange_n(w, 0, __ATOMIC_RELEASE) == 2)
        __bk_futex_wake(w, 1);
}

/* ---- registry ---- */

void __bk_threads_init(void *main_tls)
{
    main_thread.magic = BK_THREAD_MAGIC;
    main_thread.tid = (unsigned long)bk_syscall6(BK_NR_get_tid, 0, 0, 0, 0, 0, 0);
    main_thread.is_main = 1;
    main_thread.tls = main_tls;
    main_thread.altstack.ss_flags = SS_DISABLE;
    all_add(&main_thread);
}

/* By stack range, not TLS: correct even where the kernel does not switch the thread pointer. */
struct bk_thread *__bk_self(void)
{
    struct bk_thread *t = __bk_tls_thread();
    return t ? t : &main_thread;
}

struct bk_thread *__bk_thread_of(pthread_t t)
{
    struct bk_thread *th = (struct bk_thread *)t;
    if (!th || ((uintptr_t)th & (sizeof(long) - 1)) || th->magic != BK_THREAD_MAGIC)
        return NULL;
    return th;
}

/* The kernel has retired the thread: its stack and TLS can go. */
static int kernel_gone(unsigned long tid)
{
    long r = bk_syscall6(BK_NR_get_sched_param, (long)tid, 0, 0, 0, 0, 0);
    return bk_is_error(r) && -r == BK_ESRCH;
}

static void release(struct bk_thread *t)
{
    while (!kernel_gone(t->tid))
        (void)bk_syscall6(BK_NR_sched_yield, 0, 0, 0, 0, 0, 0);
    if (t->stack)
        __bk_tls_unregister(t->stack);
    if (t->own_stack)
        __bk_kfree(t->stack);
    __bk_kfree(t->tls);
    t->magic = 0;
    free(t);
}

/* Free the detached threads the kernel has finished with. */
static void reap(void)
{
    __bk_lock(&zombie_lock);
    struct bk_thread **pp = &zombies;
    while (*pp) {
        struct bk_thread *t = *pp;
        if (kernel_gone(t->tid)) {
            *pp = t->next;
            release(t);
        } else {
            pp = &t->next;
        }
    }
    __bk_unlock(&zombie_lock);
}

/* ---- life cycle ---- */

static void thread_start(struct bk_thread *t)
{
    __bk_tls_enter(t->tls);
    /* The creator records the id too, but this thread may run before its creator returns. */
    __atomic_store_n(&t->tid, (unsigned long)bk_syscall6(BK_NR_get_tid, 0, 0, 0, 0, 0, 0),
                     __ATOMIC_RELEASE);
    pthread_exit(t->fn(t->arg));
}

struct bk_attr {
    unsigned long stacksize;
    void *stackaddr;
    unsigned long guardsize;
    int detach, inherit, policy, prio, scope;
};
_Static_assert(sizeof(struct bk_attr) <= sizeof(pthread_attr_t), "attr fits pthread_attr_t");
#define ATTR(a) ((struct bk_attr *)(void *)(a))
#define CATTR(a) ((const struct bk_attr *)(const void *)(a))

int pthread_create(pthread_t *restrict out, const pthread_attr_t *restrict attr,
                   void *(*fn)(void *), void *restrict arg)
{
    struct bk_attr def = { DEFAULT_STACK, NULL, 0, PTHREAD_CREATE_JOINABLE,
                           PTHREAD_INHERIT_SCHED, SCHED_OTHER, 0, PTHREAD_SCOPE_SYSTEM };
    const struct bk_attr *a = attr ? CATTR(attr) : &def;
    if (a->inherit == PTHREAD_EXPLICIT_SCHED && __bk_sched_check(a->policy, a->prio))
        return EINVAL;
    reap();
    __bk_tls_probe();
    struct bk_thread *t = calloc(1, sizeof *t);
    if (!t)
        return EAGAIN;
    t->magic = BK_THREAD_MAGIC;
    t->fn = fn;
    t->arg = arg;
    t->join_state = a->detach == PTHREAD_CREATE_DETACHED ? JS_DETACHED : JS_JOINABLE;
    /* POSIX: the creator's signal mask, nothing pending, no alternate stack. */
    t->sigmask = __bk_self()->sigmask;
    t->altstack.ss_flags = SS_DISABLE;
    t->stack_size = (a->stacksize ? a->stacksize : DEFAULT_STACK) & ~(size_t)15;
    if (a->stackaddr) {
        t->stack = a->stackaddr;
    } else {
        t->stack = __bk_kalloc(t->stack_size, 16);
        t->own_stack = 1;
    }
    t->tls = __bk_tls_alloc();
    if (!t->stack || !t->tls || __bk_tls_register(t->stack, t->stack_size, t->tls, t) < 0) {
        if (t->own_stack)
            __bk_kfree(t->stack);
        __bk_kfree(t->tls);
        free(t);
        return EAGAIN;
    }
    struct SpawnArgs sa = {
        .spawn_hook = 0,
        .stack_start = (unsigned long)t->stack,
        .stack_size = t->stack_size,
        .entry = (unsigned long)thread_start,
        .arg = (unsigned long)t,
        .cleanup = 0,
    };
    __atomic_add_fetch(&live, 1, __ATOMIC_ACQ_REL);
    /* Listed before it exists: the new thread may run, exit and leave the list (all_remove)
     * before CreateThread returns here, and a record listed after that would stay listed
     * once freed. */
    all_add(t);
    long tid = bk_syscall6(BK_NR_create_thread, (long)&sa, 0, 0, 0, 0, 0);
    if (bk_is_error(tid)) {
        all_remove(t);
        __atomic_sub_fetch(&live, 1, __ATOMIC_ACQ_REL);
        __bk_tls_unregister(t->stack);
        if (t->own_stack)
            __bk_kfree(t->stack);
        __bk_kfree(t->tls);
        free(t);
        /* The kernel's thread table is full (EAGAIN) or the attributes were refused. */
        return -tid == BK_EAGAIN ? EAGAIN : EINVAL;
    }
    __atomic_store_n(&t->tid, (unsigned long)tid, __ATOMIC_RELEASE);
    *out = (pthread_t)t;
    if (a->inherit == PTHREAD_EXPLICIT_SCHED)
        (void)__bk_sched_apply((unsigned long)tid, a->policy, a->prio);
    return 0;
}

void __bk_cleanup_push(struct __bk_cleanup *c, void (*routine)(void *), void *arg)
{
    c->routine = routine;
    c->arg = arg;
    c->next = __bk_self()->cleanup;
    __bk_self()->cleanup = c;
}

void __bk_cleanup_pop(struct __bk_cleanup *c, int execute)
{
    __bk_self()->cleanup = c->next;
    if (execute)
        c->routine(c->arg);
}

_Noreturn void pthread_exit(void *ret)
{
    struct bk_thread *t = __bk_self();
    while (t->cleanup) {
        struct __bk_cleanup *c = t->cleanup;
        t->cleanup = c->next;
        c->routine(c->arg);
    }
    __bk_keys_run_destructors();
    all_remove(t);
    t->ret = ret;
    /* The last thread to go ends the application, as if main had returned 0. */
    if (__atomic_sub_fetch(&live, 1, __ATOMIC_ACQ_REL) == 0)
        exit(0);
    if (!t->is_main) {
        unsigned long js = JS_JOINABLE;
        if (__atomic_compare_exchange_n(&t->join_state, &js, JS_EXITED, 0, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE)) {
            __bk_futex_wake(&t->join_state, (unsigned long)-1);
        } else {
            /* Detached: queue the record for reaping by a later pthread_create/join. */
            __bk_lock(&zombie_lock);
            t->join_state = JS_ZOMBIE;
            t->next = zombies;
            zombies = t;
            __bk_unlock(&zombie_lock);
        }
    }
    for (;;)
        (void)bk_syscall6(BK_NR_exit_thread, 0, 0, 0, 0, 0, 0);
}

static void unjoin(void *t)
{
    ((struct bk_thread *)t)->joining = 0;
}

int pthread_join(pthread_t th, void **ret)
{
    struct bk_thread *t = __bk_thread_of(th);
    if (!t)
        return ESRCH;
    if (t == __bk_self())
        return EDEADLK;
    if (t->is_main)
        return EINVAL; /* the main thread's end is the application's end */
    int expect = 0;
    if (!__atomic_compare_exchange_n(&t->joining, &expect, 1, 0, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE))
        return EINVAL; /* another thread is joining it */
    /* A cancellation point: cancelled while waiting, the target stays joinable. */
    int rc = 0;
    pthread_cleanup_push(unjoin, t);
    __bk_cp_enter();
    for (;;) {
        unsigned long js = __atomic_load_n(&t->join_state, __ATOMIC_ACQUIRE);
        if (js == JS_EXITED)
            break;
        if (js != JS_JOINABLE) {
            rc = EINVAL; /* detached */
            break;
        }
        (void)__bk_futex_wait(&t->join_state, JS_JOINABLE, NULL);
    }
    __bk_cp_leave();
    pthread_cleanup_pop(rc != 0);
    if (rc)
        return rc;
    if (ret)
        *ret = t->ret;
    release(t);
    reap();
    return 0;
}

int pthread_detach(pthread_t th)
{
    struct bk_thread *t = __bk_thread_of(th);
    if (!t)
        return ESRCH;
    if (t->is_main)
        return 0;
    unsigned long js = JS_JOINABLE;
    if (__atomic_compare_exchange_n(&t->join_state, &js, JS_DETACHED, 0, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE))
        return 0;
    if (js == JS_EXITED) {
        release(t); /* already finished: nobody else will join it */
        return 0;
    }
    return EINVAL;
}

pthread_t pthread_self(void)
{
    return (pthread_t)__bk_self();
}

int pthread_equal(pthread_t a, pthread_t b)
{
    return a == b;
}

/* ---- cancellation ----
 * Deferred cancellation is acted on at the cancellation points: each brackets itself with
 * __bk_cp_enter/__bk_cp_leave (signal.c), and pthread_cancel interrupts the target's wait in
 * the kernel (ThreadInterrupt), so a thread blocked in sleep, sem_wait, pthread_join, sigwait,
 * ... is cancelled there. Asynchronous cancellation acts at once: on the calling thread here,
 * on another thread running user code through the kernel's diversion into the signal entry
 * (signal.c), at the next tick or call. */

int pthread_cancel(pthread_t th)
{
    struct bk_thread *t = __bk_thread_of(th);
    if (!t)
        return ESRCH;
    t->cancel_pending = 1;
    if (t == __bk_self()) {
        if (t->cancel_type == PTHREAD_CANCEL_ASYNCHRONOUS)
            __bk_cp_test();
        return 0;
    }
    if (t->cancel_state == PTHREAD_CANCEL_ENABLE && t->join_state != JS_EXITED &&
        t->join_state != JS_ZOMBIE)
        (void)bk_syscall6(BK_NR_thread_interrupt, (long)t->tid, 0, 0, 0, 0, 0);
    return 0;
}

void __bk_cp_test(void)
{
    struct bk_thread *t = __bk_self();
    if (t->cancel_pending && t->cancel_state == PTHREAD_CANCEL_ENABLE) {
        /* Acted on once: the cleanup handlers may call cancellation points themselves. */
        t->cancel_state = PTHREAD_CANCEL_DISABLE;
        t->in_cp = 0;
        pthread_exit(PTHREAD_CANCELED);
    }
}

int pthread_setcancelstate(int state, int *old)
{
    if (state != PTHREAD_CANCEL_ENABLE && state != PTHREAD_CANCEL_DISABLE)
        return EINVAL;
    struct bk_thread *t = __bk_self();
    if (old)
        *old = t->cancel_state;
    t->cancel_state = state;
    if (t->cancel_type == PTHREAD_CANCEL_ASYNCHRONOUS)
        __bk_cp_test();
    return 0;
}

int pthread_setcanceltype(int type, int *old)
{
    if (type != PTHREAD_CANCEL_DEFERRED && type != PTHREAD_CANCEL_ASYNCHRONOUS)
        return EINVAL;
    struct bk_thread *t = __bk_self();
    if (old)
        *old = t->cancel_type;
    t->cancel_type = type;
    if (type == PTHREAD_CANCEL_ASYNCHRONOUS) {
        __bk_sig_async_on();
        __bk_cp_test();
    }
    return 0;
}

void pthread_testcancel(void)
{
    __bk_cp_test();
}

/* ---- attributes ---- */

int pthread_attr_init(pthread_attr_t *attr)
{
    memset(attr, 0, sizeof *attr);
    struct bk_attr *a = ATTR(attr);
    a->stacksize = DEFAULT_STACK;
    a->detach = PTHREAD_CREATE_JOINABLE;
    a->inherit = PTHREAD_INHERIT_SCHED;
    a->policy = SCHED_OTHER;
    a->scope = PTHREAD_SCOPE_SYSTEM;
    return 0;
}

int pthread_attr_destroy(pthread_attr_t *attr)
{
    (void)attr;
    return 0;
}

int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *v)
{
    *v = CATTR(attr)->detach;
    return 0;
}

int pthread_attr_setdetachstate(pthread_attr_t *attr, int v)
{
    if (v != PTHREAD_CREATE_JOINABLE && v != PTHREAD_CREATE_DETACHED)
        return EINVAL;
    ATTR(attr)->detach = v;
    return 0;
}

int pthread_attr_getstacksize(const pthread_attr_t *restrict attr, size_t *restrict v)
{
    *v = CATTR(attr)->stacksize;
    return 0;
}

int pthread_attr_setstacksize(pthread_attr_t *attr, size_t v)
{
    if (v < PTHREAD_STACK_MIN)
        return EINVAL;
    ATTR(attr)->stacksize = v;
    return 0;
}

int pthread_attr_getstack(const pthread_attr_t *restrict attr, void **restrict addr,
                          size_t *restrict size)
{
    *addr = CATTR(attr)->stackaddr;
    *size = CATTR(attr)->stacksize;
    return 0;
}

int pthread_attr_setstack(pthread_attr_t *attr, void *addr, size_t size)
{
    if (size < PTHREAD_STACK_MIN)
        return EINVAL;
    ATTR(attr)->stackaddr = addr;
    ATTR(attr)->stacksize = size;
    return 0;
}

/* No MMU: a guard size is recorded but no guard page exists. */
/* bkport: partial: recorded only, no guard pages without an MMU */
int pthread_attr_setguardsize(pthread_attr_t *attr, size_t v)
{
    ATTR(attr)->guardsize = v;
    return 0;
}

int pthread_attr_getguardsize(const pthread_attr_t *restrict attr, size_t *restrict v)
{
    *v = CATTR(attr)->guardsize;
    return 0;
}

int pthread_attr_getinheritsched(const pthread_attr_t *restrict attr, int *restrict v)
{
    *v = CATTR(attr)->inherit;
    return 0;
}

int pthread_attr_setinheritsched(pthread_attr_t *attr, int v)
{
    if (v != PTHREAD_INHERIT_SCHED && v != PTHREAD_EXPLICIT_SCHED)
        return EINVAL;
    ATTR(attr)->inherit = v;
    return 0;
}

int pthread_attr_getschedparam(const pthread_attr_t *restrict attr,
                               struct sched_param *restrict p)
{
    p->sched_priority = CATTR(attr)->prio;
    return 0;
}

int pthread_attr_setschedparam(pthread_attr_t *restrict attr,
                               const struct sched_param *restrict p)
{
    /* checked against the policy at pthread_create, whichever of the two is set first */
    if (p->sched_priority < sched_get_priority_min(SCHED_OTHER) ||
        p->sched_priority > sched_get_priority_max(SCHED_FIFO))
        return EINVAL;
    ATTR(attr)->prio = p->sched_priority;
    return 0;
}

int pthread_attr_getschedpolicy(const pthread_attr_t *restrict attr, int *restrict v)
{
    *v = CATTR(attr)->policy;
    return 0;
}

int pthread_attr_setschedpolicy(pthread_attr_t *attr, int v)
{
    if (v != SCHED_RR && v != SCHED_FIFO && v != SCHED_OTHER)
        return EINVAL;
    ATTR(attr)->policy = v;
    return 0;
}

int pthread_attr_getscope(const pthread_attr_t *restrict attr, int *restrict v)
{
    *v = CATTR(attr)->scope;
    return 0;
}

int pthread_attr_setscope(pthread_attr_t *attr, int v)
{
    if (v == PTHREAD_SCOPE_PROCESS)
        return ENOTSUP; /* every thread is a kernel thread */
    if (v != PTHREAD_SCOPE_SYSTEM)
        return EINVAL;
    ATTR(attr)->scope = v;
    return 0;
}

/* Scheduling of one thread (pthread_getschedparam, ...): sched.c. */

static int concurrency;

int pthread_getconcurrency(void)
{
    return concurrency;
}

int pthread_setconcurrency(int level)
{
    if (level < 0)
        return EINVAL;
    concurrency = level; /* a hint only: every thread is a kernel thread */
    return 0;
}

/* bkport: partial: accepted, but fork never happens so the handlers never run */
int pthread_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void))
{
    (void)prepare, (void)parent, (void)child;
    return 0;
}

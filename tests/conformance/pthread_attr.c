/*
 * <pthread.h> objects and attributes: thread, mutex and condition-variable attributes with
 * their defaults, the values the standard allows and the EINVAL/EBUSY/EPERM/ESRCH/EDEADLK
 * errors it documents; pthread_self/equal/detach, thread-specific data, cleanup handlers,
 * pthread_atfork and the concurrency level.
 */
#include "conform.h"
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_t seen_self;
static int cleanup_order[3], cleanup_n;

static void *record_self(void *arg)
{
    seen_self = pthread_self();
    return arg;
}

static void push_order(void *v)
{
    cleanup_order[cleanup_n++] = (int)(intptr_t)v;
}

static void *with_cleanup(void *arg)
{
    pthread_cleanup_push(push_order, (void *)1);
    pthread_cleanup_push(push_order, (void *)2);
    pthread_cleanup_pop(1); /* runs 2 */
    pthread_cleanup_push(push_order, (void *)3);
    pthread_cleanup_pop(0); /* removed without running */
    pthread_cleanup_pop(1); /* runs 1 */
    return arg;
}

static void *sleeper(void *arg)
{
    (void)arg;
    usleep(20000);
    return NULL;
}

static void *holds_mutex(void *m)
{
    pthread_mutex_lock(m);
    return NULL;
}

static int once_calls;
static void once_inc(void)
{
    once_calls++;
}

static pthread_key_t key;
static void *key_value(void *arg)
{
    void *before = pthread_getspecific(key);
    pthread_setspecific(key, arg);
    return before == NULL && pthread_getspecific(key) == arg ? (void *)1 : (void *)0;
}

int main(void)
{
    pthread_attr_t a;
    int v;
    size_t sz;
    void *addr;

    CHECK_RC(pthread_attr_init(&a), 0, "pthread_attr_init: initialises");
    CHECK(pthread_attr_getdetachstate(&a, &v) == 0 && v == PTHREAD_CREATE_JOINABLE,
          "pthread_attr_getdetachstate: default is PTHREAD_CREATE_JOINABLE");
    CHECK_RC(pthread_attr_setdetachstate(&a, 99), EINVAL, "pthread_attr_setdetachstate: invalid value: EINVAL");
    CHECK(pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED) == 0 &&
          pthread_attr_getdetachstate(&a, &v) == 0 && v == PTHREAD_CREATE_DETACHED,
          "pthread_attr_getdetachstate: reads back PTHREAD_CREATE_DETACHED");
    CHECK(pthread_attr_getstacksize(&a, &sz) == 0 && sz >= PTHREAD_STACK_MIN,
          "pthread_attr_getstacksize: default is at least PTHREAD_STACK_MIN");
    CHECK_RC(pthread_attr_setstacksize(&a, PTHREAD_STACK_MIN - 1), EINVAL,
             "pthread_attr_setstacksize: below PTHREAD_STACK_MIN: EINVAL");
    CHECK(pthread_attr_setstacksize(&a, PTHREAD_STACK_MIN * 4) == 0 &&
          pthread_attr_getstacksize(&a, &sz) == 0 && sz == PTHREAD_STACK_MIN * 4,
          "pthread_attr_getstacksize: reads back the size set");
    CHECK(pthread_attr_getguardsize(&a, &sz) == 0, "pthread_attr_getguardsize: has a default");
    CHECK(pthread_attr_setguardsize(&a, 256) == 0 && pthread_attr_getguardsize(&a, &sz) == 0 && sz == 256,
          "pthread_attr_setguardsize: reads back the size set");
    CHECK(pthread_attr_getscope(&a, &v) == 0 && (v == PTHREAD_SCOPE_SYSTEM || v == PTHREAD_SCOPE_PROCESS),
          "pthread_attr_getscope: a valid default scope");
    CHECK_RC(pthread_attr_setscope(&a, 99), EINVAL, "pthread_attr_setscope: invalid value: EINVAL");
    {
        int rc = pthread_attr_setscope(&a, PTHREAD_SCOPE_SYSTEM);
        CHECK(rc == 0 || rc == ENOTSUP, "pthread_attr_setscope: PTHREAD_SCOPE_SYSTEM is set or ENOTSUP");
    }
    {
        static char stack[PTHREAD_STACK_MIN * 4] __attribute__((aligned(16)));
        CHECK_RC(pthread_attr_setstack(&a, stack, PTHREAD_STACK_MIN - 1), EINVAL,
                 "pthread_attr_setstack: size below PTHREAD_STACK_MIN: EINVAL");
        CHECK(pthread_attr_setstack(&a, stack, sizeof stack) == 0 &&
              pthread_attr_getstack(&a, &addr, &sz) == 0 && addr == stack && sz == sizeof stack,
              "pthread_attr_getstack: reads back the stack set");
    }
    CHECK_RC(pthread_attr_destroy(&a), 0, "pthread_attr_destroy: destroys");

    {
        pthread_t t;
        CHECK(pthread_create(&t, NULL, record_self, (void *)7) == 0, "pthread_create: starts a thread");
        void *ret = NULL;
        CHECK(pthread_join(t, &ret) == 0 && ret == (void *)7, "pthread_join: the thread's return value");
        CHECK(pthread_equal(seen_self, t), "pthread_self: the created thread's id is the one pthread_create gave");
        CHECK(pthread_equal(pthread_self(), pthread_self()), "pthread_self: stable in a thread");
        CHECK(!pthread_equal(pthread_self(), t), "pthread_equal: different threads are unequal");
        CHECK_RC(pthread_join(pthread_self(), NULL), EDEADLK, "pthread_join: joining oneself: EDEADLK");
    }
    {
        pthread_t t;
        pthread_create(&t, NULL, sleeper, NULL);
        CHECK_RC(pthread_detach(t), 0, "pthread_detach: detaches a running thread");
        CHECK_RC(pthread_join(t, NULL), EINVAL, "pthread_join: a detached thread: EINVAL");
        usleep(50000);
    }
    {
        pthread_t t;
        pthread_create(&t, NULL, with_cleanup, NULL);
        pthread_join(t, NULL);
        CHECK(cleanup_n == 2 && cleanup_order[0] == 2 && cleanup_order[1] == 1,
              "pthread_cleanup_pop: runs handlers last-pushed first, only when asked");
        CHECK(cleanup_n == 2, "pthread_cleanup_push: a popped-without-running handler never runs");
    }

    {
        pthread_mutexattr_t ma;
        CHECK_RC(pthread_mutexattr_init(&ma), 0, "pthread_mutexattr_init: initialises");
        CHECK(pthread_mutexattr_getprotocol(&ma, &v) == 0 && v == PTHREAD_PRIO_NONE,
              "pthread_mutexattr_getprotocol: default is PTHREAD_PRIO_NONE");
        CHECK_RC(pthread_mutexattr_setprotocol(&ma, 99), EINVAL, "pthread_mutexattr_setprotocol: invalid protocol: EINVAL");
        CHECK(pthread_mutexattr_setprotocol(&ma, PTHREAD_PRIO_INHERIT) == 0 &&
              pthread_mutexattr_getprotocol(&ma, &v) == 0 && v == PTHREAD_PRIO_INHERIT,
              "pthread_mutexattr_setprotocol: PTHREAD_PRIO_INHERIT reads back");
        CHECK(pthread_mutexattr_setprotocol(&ma, PTHREAD_PRIO_PROTECT) == 0,
              "pthread_mutexattr_setprotocol: PTHREAD_PRIO_PROTECT");
        int lo = sched_get_priority_min(SCHED_FIFO), hi = sched_get_priority_max(SCHED_FIFO);
        CHECK(pthread_mutexattr_setprioceiling(&ma, hi) == 0 &&
              pthread_mutexattr_getprioceiling(&ma, &v) == 0 && v == hi,
              "pthread_mutexattr_getprioceiling: reads back the ceiling set");
        CHECK_RC(pthread_mutexattr_setprioceiling(&ma, hi + 1000), EINVAL,
                 "pthread_mutexattr_setprioceiling: out of range: EINVAL");
        CHECK(pthread_mutexattr_getpshared(&ma, &v) == 0 && v == PTHREAD_PROCESS_PRIVATE,
              "pthread_mutexattr_getpshared: default is PTHREAD_PROCESS_PRIVATE");
        CHECK_RC(pthread_mutexattr_setpshared(&ma, 99), EINVAL, "pthread_mutexattr_setpshared: invalid value: EINVAL");
        pthread_mutex_t m;
        CHECK_RC(pthread_mutex_init(&m, &ma), 0, "pthread_mutex_init: with attributes");
        CHECK(pthread_mutex_getprioceiling(&m, &v) == 0 && v == hi,
              "pthread_mutex_getprioceiling: the attribute's ceiling");
        int old = -1;
        CHECK(pthread_mutex_setprioceiling(&m, lo, &old) == 0 && old == hi &&
              pthread_mutex_getprioceiling(&m, &v) == 0 && v == lo,
              "pthread_mutex_setprioceiling: sets, gives the old ceiling");
        CHECK_RC(pthread_mutex_setprioceiling(&m, hi + 1000, &old), EINVAL,
                 "pthread_mutex_setprioceiling: out of range: EINVAL");
        pthread_mutex_destroy(&m);
        CHECK_RC(pthread_mutexattr_destroy(&ma), 0, "pthread_mutexattr_destroy: destroys");
    }
    {
        pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
        CHECK_RC(pthread_mutex_trylock(&m), 0, "pthread_mutex_trylock: a free mutex");
        pthread_t t;
        pthread_mutex_t m2;
        CHECK_RC(pthread_mutex_init(&m2, NULL), 0, "pthread_mutex_init: default attributes");
        pthread_create(&t, NULL, holds_mutex, &m2);
        pthread_join(t, NULL);
        CHECK_RC(pthread_mutex_trylock(&m2), EBUSY, "pthread_mutex_trylock: held by another thread: EBUSY");
        pthread_mutex_unlock(&m);
    }
    {
        pthread_condattr_t ca;
        pthread_cond_t c;
        CHECK_RC(pthread_condattr_init(&ca), 0, "pthread_condattr_init: initialises");
        CHECK(pthread_condattr_getpshared(&ca, &v) == 0 && v == PTHREAD_PROCESS_PRIVATE,
              "pthread_condattr_getpshared: default is PTHREAD_PROCESS_PRIVATE");
        CHECK_RC(pthread_condattr_setpshared(&ca, 99), EINVAL, "pthread_condattr_setpshared: invalid value: EINVAL");
        clockid_t clk;
        CHECK(pthread_condattr_getclock(&ca, &clk) == 0 && clk == CLOCK_REALTIME,
              "pthread_condattr_getclock: default is CLOCK_REALTIME");
        CHECK_RC(pthread_cond_init(&c, &ca), 0, "pthread_cond_init: with attributes");
        CHECK_RC(pthread_cond_broadcast(&c), 0, "pthread_cond_broadcast: no waiters is not an error");
        CHECK_RC(pthread_cond_signal(&c), 0, "pthread_cond_signal: no waiters is not an error");
        CHECK_RC(pthread_cond_destroy(&c), 0, "pthread_cond_destroy: unused condition");
        CHECK_RC(pthread_condattr_destroy(&ca), 0, "pthread_condattr_destroy: destroys");
    }
    {
        pthread_rwlockattr_t ra;
        CHECK_RC(pthread_rwlockattr_init(&ra), 0, "pthread_rwlockattr_init: initialises");
        CHECK(pthread_rwlockattr_getpshared(&ra, &v) == 0 && v == PTHREAD_PROCESS_PRIVATE,
              "pthread_rwlockattr_getpshared: default is PTHREAD_PROCESS_PRIVATE");
        CHECK_RC(pthread_rwlockattr_setpshared(&ra, 99), EINVAL, "pthread_rwlockattr_setpshared: invalid value: EINVAL");
        pthread_rwlock_t rw;
        CHECK_RC(pthread_rwlock_init(&rw, &ra), 0, "pthread_rwlock_init: with attributes");
        CHECK_RC(pthread_rwlock_tryrdlock(&rw), 0, "pthread_rwlock_tryrdlock: a free lock");
        CHECK_RC(pthread_rwlock_tryrdlock(&rw), 0, "pthread_rwlock_tryrdlock: readers share the lock");
        CHECK_RC(pthread_rwlock_trywrlock(&rw), EBUSY, "pthread_rwlock_trywrlock: read-locked: EBUSY");
        pthread_rwlock_unlock(&rw);
        pthread_rwlock_unlock(&rw);
        CHECK_RC(pthread_rwlock_trywrlock(&rw), 0, "pthread_rwlock_trywrlock: a free lock");
        CHECK_RC(pthread_rwlock_unlock(&rw), 0, "pthread_rwlock_unlock: the writer unlocks");
        CHECK_RC(pthread_rwlock_destroy(&rw), 0, "pthread_rwlock_destroy: destroys");
        CHECK_RC(pthread_rwlockattr_destroy(&ra), 0, "pthread_rwlockattr_destroy: destroys");
    }
    {
        pthread_barrierattr_t ba;
        pthread_barrier_t b;
        CHECK_RC(pthread_barrierattr_init(&ba), 0, "pthread_barrierattr_init: initialises");
        CHECK(pthread_barrierattr_getpshared(&ba, &v) == 0 && v == PTHREAD_PROCESS_PRIVATE,
              "pthread_barrierattr_getpshared: default is PTHREAD_PROCESS_PRIVATE");
        CHECK_RC(pthread_barrierattr_setpshared(&ba, 99), EINVAL, "pthread_barrierattr_setpshared: invalid value: EINVAL");
        CHECK_RC(pthread_barrier_init(&b, &ba, 0), EINVAL, "pthread_barrier_init: count 0: EINVAL");
        CHECK_RC(pthread_barrier_init(&b, &ba, 1), 0, "pthread_barrier_init: count 1");
        CHECK_RC(pthread_barrier_wait(&b), PTHREAD_BARRIER_SERIAL_THREAD,
                 "pthread_barrier_wait: the only waiter is the serial thread");
        CHECK_RC(pthread_barrier_destroy(&b), 0, "pthread_barrier_destroy: destroys");
        CHECK_RC(pthread_barrierattr_destroy(&ba), 0, "pthread_barrierattr_destroy: destroys");
    }
    {
        pthread_spinlock_t s;
        CHECK_RC(pthread_spin_init(&s, PTHREAD_PROCESS_PRIVATE), 0, "pthread_spin_init: initialises");
        CHECK_RC(pthread_spin_lock(&s), 0, "pthread_spin_lock: a free lock");
        CHECK_RC(pthread_spin_trylock(&s), EBUSY, "pthread_spin_trylock: held: EBUSY");
        CHECK_RC(pthread_spin_unlock(&s), 0, "pthread_spin_unlock: unlocks");
        CHECK_RC(pthread_spin_destroy(&s), 0, "pthread_spin_destroy: destroys");
    }
    {
        CHECK_RC(pthread_key_create(&key, NULL), 0, "pthread_key_create: a new key");
        CHECK(pthread_getspecific(key) == NULL, "pthread_getspecific: NULL before any set");
        CHECK_RC(pthread_setspecific(key, (void *)5), 0, "pthread_setspecific: sets this thread's value");
        pthread_t t;
        void *ok = NULL;
        pthread_create(&t, NULL, key_value, (void *)9);
        pthread_join(t, &ok);
        CHECK(ok == (void *)1, "pthread_setspecific: another thread has its own value");
        CHECK(pthread_getspecific(key) == (void *)5, "pthread_getspecific: this thread's value is kept");
        CHECK_RC(pthread_key_delete(key), 0, "pthread_key_delete: deletes the key");
    }
    {
        pthread_once_t once = PTHREAD_ONCE_INIT;
        CHECK(pthread_once(&once, once_inc) == 0 && pthread_once(&once, once_inc) == 0 && once_calls == 1,
              "pthread_once: the routine runs once");
    }
    CHECK(pthread_getconcurrency() == 0, "pthread_getconcurrency: 0 before any set");
    CHECK(pthread_setconcurrency(3) == 0 && pthread_getconcurrency() == 3,
          "pthread_setconcurrency: the level reads back");
    CHECK_RC(pthread_setconcurrency(-1), EINVAL, "pthread_setconcurrency: negative level: EINVAL");
    pthread_setconcurrency(0);
    CHECK_RC(pthread_atfork(NULL, NULL, NULL), 0, "pthread_atfork: registers (no fork in one process)");
    pthread_testcancel();
    CHECK(1, "pthread_testcancel: returns when no cancel is pending");
    CONFORM_DONE();
}

/* Mutex priority protocols: a PTHREAD_PRIO_PROTECT mutex runs its owner at the ceiling while
 * held (and refuses a caller above the ceiling), a PTHREAD_PRIO_INHERIT mutex lends a waiter's
 * priority to the owner, so that the classic inversion (low owner, high waiter, a middle thread
 * spinning) ends with the high thread served before the middle one is done. */
#include <pthread.h>
#include <sched.h>
#include <time.h>

#include "conform.h"

static void spin_ms(long ms)
{
    long long end = conform_ns(CLOCK_MONOTONIC) + ms * 1000000LL;
    while (conform_ns(CLOCK_MONOTONIC) < end)
        ;
}

static int my_prio(int *policy)
{
    struct sched_param sp;
    int pol;
    if (pthread_getschedparam(pthread_self(), &pol, &sp))
        return -1;
    if (policy)
        *policy = pol;
    return sp.sched_priority;
}

static void set_me(int policy, int prio)
{
    struct sched_param sp = { prio };
    (void)pthread_setschedparam(pthread_self(), policy, &sp);
}

static pthread_t start(int prio, void *(*fn)(void *))
{
    pthread_attr_t a;
    struct sched_param sp = { prio };
    pthread_attr_init(&a);
    pthread_attr_setinheritsched(&a, PTHREAD_EXPLICIT_SCHED);
    pthread_attr_setschedpolicy(&a, SCHED_FIFO);
    pthread_attr_setschedparam(&a, &sp);
    pthread_t t;
    if (pthread_create(&t, &a, fn, NULL))
        t = 0;
    pthread_attr_destroy(&a);
    return t;
}

static void make(pthread_mutex_t *m, int protocol, int ceiling)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setprotocol(&a, protocol);
    if (ceiling)
        pthread_mutexattr_setprioceiling(&a, ceiling);
    pthread_mutex_init(m, &a);
    pthread_mutexattr_destroy(&a);
}

/* ---- PRIO_PROTECT ---- */
static void protect_checks(void)
{
    pthread_mutex_t m;
    make(&m, PTHREAD_PRIO_PROTECT, 30);
    int pol;
    set_me(SCHED_FIFO, 10);
    CHECK(pthread_mutex_lock(&m) == 0 && my_prio(&pol) == 30 && pol == SCHED_FIFO,
          "pthread_mutex_lock: a PRIO_PROTECT mutex runs its owner at the ceiling");
    CHECK(pthread_mutex_unlock(&m) == 0 && my_prio(&pol) == 10 && pol == SCHED_FIFO,
          "pthread_mutex_unlock: the owner of a PRIO_PROTECT mutex returns to its priority");
    CHECK(pthread_mutex_trylock(&m) == 0 && my_prio(NULL) == 30,
          "pthread_mutex_trylock: a PRIO_PROTECT mutex runs its owner at the ceiling");
    pthread_mutex_unlock(&m);

    set_me(SCHED_FIFO, 40);
    CHECK_RC(pthread_mutex_lock(&m), EINVAL,
             "pthread_mutex_lock: PRIO_PROTECT, caller above the ceiling: EINVAL");
    CHECK_RC(pthread_mutex_trylock(&m), EINVAL,
             "pthread_mutex_trylock: PRIO_PROTECT, caller above the ceiling: EINVAL");
    CHECK(my_prio(NULL) == 40, "pthread_mutex_lock: a refused PRIO_PROTECT lock leaves the "
                               "caller's priority as it was");
    set_me(SCHED_FIFO, 10);
    CHECK(pthread_mutex_trylock(&m) == 0,
          "pthread_mutex_trylock: a refused PRIO_PROTECT lock was not left held");
    pthread_mutex_unlock(&m);

    /* nested: the outer ceiling comes back when the inner mutex is let go */
    pthread_mutex_t inner;
    make(&inner, PTHREAD_PRIO_PROTECT, 50);
    pthread_mutex_lock(&m);
    pthread_mutex_lock(&inner);
    CHECK(my_prio(NULL) == 50, "pthread_mutex_lock: nested PRIO_PROTECT mutexes: the higher "
                               "ceiling");
    pthread_mutex_unlock(&inner);
    CHECK(my_prio(NULL) == 30, "pthread_mutex_unlock: nested PRIO_PROTECT mutexes: back to the "
                               "outer ceiling");
    pthread_mutex_unlock(&m);
    CHECK(my_prio(NULL) == 10, "pthread_mutex_unlock: nested PRIO_PROTECT mutexes: back to the "
                               "thread's own priority");
    pthread_mutex_destroy(&inner);

    /* a SCHED_OTHER thread (priority 0) is raised too */
    set_me(SCHED_OTHER, 0);
    CHECK(pthread_mutex_lock(&m) == 0 && my_prio(&pol) == 30 && pol == SCHED_FIFO,
          "pthread_mutex_lock: a SCHED_OTHER owner of a PRIO_PROTECT mutex runs at the ceiling");
    pthread_mutex_unlock(&m);
    CHECK(my_prio(&pol) == 0 && pol == SCHED_OTHER,
          "pthread_mutex_unlock: a SCHED_OTHER owner returns to SCHED_OTHER");

    int old = 0, v = 0;
    CHECK(pthread_mutex_setprioceiling(&m, 20, &old) == 0 && old == 30 &&
              pthread_mutex_getprioceiling(&m, &v) == 0 && v == 20,
          "pthread_mutex_setprioceiling: changes the ceiling of a PRIO_PROTECT mutex");
    set_me(SCHED_FIFO, 10);
    CHECK(pthread_mutex_lock(&m) == 0 && my_prio(NULL) == 20,
          "pthread_mutex_setprioceiling: the new ceiling applies to the next owner");
    pthread_mutex_unlock(&m);
    CHECK_RC(pthread_mutex_setprioceiling(&m, 0, &old), EINVAL,
             "pthread_mutex_setprioceiling: below the SCHED_FIFO range: EINVAL");
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    CHECK_RC(pthread_mutexattr_setprioceiling(&a, sched_get_priority_max(SCHED_FIFO) + 1),
             EINVAL, "pthread_mutexattr_setprioceiling: above the SCHED_FIFO range: EINVAL");
    pthread_mutexattr_destroy(&a);
    pthread_mutex_destroy(&m);
}

/* ---- PRIO_INHERIT: the inversion ---- */
static pthread_mutex_t pi;
static volatile int low_holds, middle_done, high_saw_middle_done = -1;
static volatile int low_prio_lent = -1, low_prio_after = -1;

static void *low(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&pi);
    low_holds = 1;
    /* work while holding: the high thread arrives and waits meanwhile */
    long long end = conform_ns(CLOCK_MONOTONIC) + 80 * 1000000LL;
    int highest = 0;
    while (conform_ns(CLOCK_MONOTONIC) < end) {
        int p = my_prio(NULL);
        if (p > highest)
            highest = p;
    }
    low_prio_lent = highest;
    pthread_mutex_unlock(&pi);
    low_prio_after = my_prio(NULL);
    return NULL;
}

static void *middle(void *arg)
{
    (void)arg;
    spin_ms(400);
    middle_done = 1;
    return NULL;
}

static void *high(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&pi);
    high_saw_middle_done = middle_done;
    pthread_mutex_unlock(&pi);
    return NULL;
}

static void inherit_checks(void)
{
    make(&pi, PTHREAD_PRIO_INHERIT, 0);
    set_me(SCHED_FIFO, 60); /* above all three: main sets the scene */
    pthread_t l = start(10, low);
    struct timespec d = { 0, 10 * 1000000L };
    for (int i = 0; i < 100 && !low_holds; i++)
        nanosleep(&d, NULL);
    CHECK(low_holds, "pthread_mutex_lock: the low thread holds the PRIO_INHERIT mutex");
    pthread_t h = start(30, high);
    pthread_t m = start(20, middle);
    pthread_join(h, NULL);
    pthread_join(m, NULL);
    pthread_join(l, NULL);
    CHECK(high_saw_middle_done == 0,
          "pthread_mutex_lock: PRIO_INHERIT: the waiting high thread is served before a "
          "middle-priority thread is done (no inversion)");
    CHECK(low_prio_lent == 30, "pthread_mutex_lock: PRIO_INHERIT: the owner runs at its "
                               "highest waiter's priority");
    CHECK(low_prio_after == 10, "pthread_mutex_unlock: PRIO_INHERIT: the owner returns to its "
                                "own priority");
    pthread_mutex_destroy(&pi);
    set_me(SCHED_OTHER, 0);
}

int main(void)
{
    protect_checks();
    inherit_checks();
    CONFORM_DONE();
}

/* Scheduling: policies and priorities recorded per thread and honoured by the kernel (a
 * higher-priority ready thread preempts a lower one, SCHED_FIFO runs until it blocks or yields,
 * SCHED_RR shares the CPU among equals), and each call's documented errors. */
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include "conform.h"

static void spin_ms(long ms)
{
    long long end = conform_ns(CLOCK_MONOTONIC) + ms * 1000000LL;
    while (conform_ns(CLOCK_MONOTONIC) < end)
        ;
}

/* the order in which threads ran their first step */
static volatile int order[8], norder;
static void mark(int who)
{
    int i = __atomic_fetch_add(&norder, 1, __ATOMIC_SEQ_CST);
    if (i < 8)
        order[i] = who;
}

static void *low_fn(void *arg)
{
    (void)arg;
    mark(1);
    return NULL;
}

static void *high_fn(void *arg)
{
    (void)arg;
    mark(2);
    return NULL;
}

static pthread_t start(int policy, int prio, void *(*fn)(void *), void *arg)
{
    pthread_attr_t a;
    struct sched_param sp = { prio };
    pthread_attr_init(&a);
    pthread_attr_setinheritsched(&a, PTHREAD_EXPLICIT_SCHED);
    pthread_attr_setschedpolicy(&a, policy);
    pthread_attr_setschedparam(&a, &sp);
    pthread_t t;
    if (pthread_create(&t, &a, fn, arg))
        t = 0;
    pthread_attr_destroy(&a);
    return t;
}

/* SCHED_RR among equals: two spinners at one priority both advance within 200 ms */
static volatile long rr_count[2];
static volatile int rr_stop;
static void *rr_fn(void *arg)
{
    int i = (int)(long)arg;
    while (!rr_stop)
        rr_count[i]++;
    return NULL;
}

/* SCHED_FIFO among equals: the first runs alone until it yields */
static volatile int fifo_seen_other, fifo_b_ran;
static void *fifo_a(void *arg)
{
    (void)arg;
    int before = fifo_b_ran; /* the other may have been picked first: it ran to its end */
    long long end = conform_ns(CLOCK_MONOTONIC) + 60000000LL;
    while (conform_ns(CLOCK_MONOTONIC) < end)
        if (!before && fifo_b_ran)
            fifo_seen_other = 1;
    sched_yield();
    return NULL;
}
static void *fifo_b(void *arg)
{
    (void)arg;
    fifo_b_ran = 1;
    return NULL;
}

int main(void)
{
    struct sched_param sp;
    int policy;

    /* ---- the option macros of <unistd.h> say what is supported ---- */
#if defined(_POSIX_PRIORITY_SCHEDULING) && _POSIX_PRIORITY_SCHEDULING > 0
    CHECK(1, "sched_setscheduler: _POSIX_PRIORITY_SCHEDULING is defined > 0");
#else
    CHECK(0, "sched_setscheduler: _POSIX_PRIORITY_SCHEDULING is defined > 0");
#endif
#if defined(_POSIX_THREAD_PRIORITY_SCHEDULING) && _POSIX_THREAD_PRIORITY_SCHEDULING > 0
    CHECK(1, "pthread_setschedparam: _POSIX_THREAD_PRIORITY_SCHEDULING is defined > 0");
#else
    CHECK(0, "pthread_setschedparam: _POSIX_THREAD_PRIORITY_SCHEDULING is defined > 0");
#endif
#if defined(_POSIX_SPORADIC_SERVER) && _POSIX_SPORADIC_SERVER == -1 && \
    defined(_POSIX_THREAD_SPORADIC_SERVER) && _POSIX_THREAD_SPORADIC_SERVER == -1
    CHECK(1, "sched_setscheduler: _POSIX_SPORADIC_SERVER and _POSIX_THREAD_SPORADIC_SERVER -1");
#else
    CHECK(0, "sched_setscheduler: _POSIX_SPORADIC_SERVER and _POSIX_THREAD_SPORADIC_SERVER -1");
#endif

    /* ---- what the main thread starts with ---- */
    CHECK(sched_getscheduler(0) == SCHED_OTHER, "sched_getscheduler: main starts SCHED_OTHER");
    CHECK(sched_getparam(0, &sp) == 0 && sp.sched_priority == 0,
          "sched_getparam: SCHED_OTHER priority 0");
    CHECK_RC(pthread_getschedparam(pthread_self(), &policy, &sp), 0,
             "pthread_getschedparam: of the main thread");
    CHECK(policy == SCHED_OTHER, "pthread_getschedparam: policy SCHED_OTHER");

    /* ---- priority ranges ---- */
    CHECK(sched_get_priority_max(SCHED_FIFO) - sched_get_priority_min(SCHED_FIFO) >= 31,
          "sched_get_priority_max: SCHED_FIFO has at least 32 priorities");
    CHECK(sched_get_priority_max(SCHED_RR) - sched_get_priority_min(SCHED_RR) >= 31,
          "sched_get_priority_max: SCHED_RR has at least 32 priorities");
    CHECK(sched_get_priority_min(SCHED_OTHER) <= sched_get_priority_max(SCHED_OTHER),
          "sched_get_priority_min: SCHED_OTHER range");
    CHECK_ERR(sched_get_priority_max(12345), EINVAL, "sched_get_priority_max: bad policy EINVAL");
    CHECK_ERR(sched_get_priority_min(-1), EINVAL, "sched_get_priority_min: bad policy EINVAL");
    int fmin = sched_get_priority_min(SCHED_FIFO), fmax = sched_get_priority_max(SCHED_FIFO);

    /* ---- sched_rr_get_interval ---- */
    struct timespec iv;
    CHECK(sched_rr_get_interval(0, &iv) == 0 && (iv.tv_sec > 0 || iv.tv_nsec > 0),
          "sched_rr_get_interval: a positive quantum");
    CHECK_ERR(sched_rr_get_interval(getpid() + 1000, &iv), ESRCH,
              "sched_rr_get_interval: another pid ESRCH");

    /* ---- sched_setscheduler / sched_setparam: recorded, errors ---- */
    sp.sched_priority = fmin + 1;
    CHECK(sched_setscheduler(0, SCHED_RR, &sp) == SCHED_OTHER,
          "sched_setscheduler: returns the former policy");
    CHECK(sched_getscheduler(0) == SCHED_RR, "sched_getscheduler: SCHED_RR recorded");
    CHECK(sched_getparam(0, &sp) == 0 && sp.sched_priority == fmin + 1,
          "sched_getparam: the priority recorded");
    sp.sched_priority = fmin + 2;
    CHECK(sched_setparam(0, &sp) == 0, "sched_setparam: change the priority");
    CHECK(sched_getparam(0, &sp) == 0 && sp.sched_priority == fmin + 2,
          "sched_setparam: new priority recorded");
    CHECK(sched_getscheduler(0) == SCHED_RR, "sched_setparam: keeps the policy");
    sp.sched_priority = fmax + 1;
    CHECK_ERR(sched_setparam(0, &sp), EINVAL, "sched_setparam: priority above max EINVAL");
    CHECK_ERR(sched_setscheduler(0, SCHED_FIFO, &sp), EINVAL,
              "sched_setscheduler: priority above max EINVAL");
    sp.sched_priority = fmin;
    CHECK_ERR(sched_setscheduler(0, 12345, &sp), EINVAL, "sched_setscheduler: bad policy EINVAL");
    CHECK_ERR(sched_setscheduler(getpid() + 1000, SCHED_FIFO, &sp), ESRCH,
              "sched_setscheduler: another pid ESRCH");
    CHECK_ERR(sched_setparam(getpid() + 1000, &sp), ESRCH, "sched_setparam: another pid ESRCH");
    CHECK_ERR(sched_getparam(getpid() + 1000, &sp), ESRCH, "sched_getparam: another pid ESRCH");
    CHECK_ERR(sched_getscheduler(getpid() + 1000), ESRCH,
              "sched_getscheduler: another pid ESRCH");
    CHECK_ERR(sched_getscheduler(-1), EINVAL, "sched_getscheduler: negative pid EINVAL");
    CHECK(sched_getscheduler(0) == SCHED_RR && sched_getparam(0, &sp) == 0 &&
              sp.sched_priority == fmin + 2,
          "sched_setscheduler: a refused call changes nothing");
    sp.sched_priority = 5;
    CHECK_ERR(sched_setscheduler(0, SCHED_OTHER, &sp), EINVAL,
              "sched_setscheduler: SCHED_OTHER takes only priority 0");

    /* ---- pthread_setschedparam / pthread_setschedprio ---- */
    sp.sched_priority = fmin + 3;
    CHECK_RC(pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp), 0,
             "pthread_setschedparam: SCHED_FIFO");
    CHECK_RC(pthread_getschedparam(pthread_self(), &policy, &sp), 0, "pthread_getschedparam: after");
    CHECK(policy == SCHED_FIFO && sp.sched_priority == fmin + 3,
          "pthread_getschedparam: SCHED_FIFO at the priority set");
    CHECK_RC(pthread_setschedprio(pthread_self(), fmin + 4), 0, "pthread_setschedprio: valid");
    pthread_getschedparam(pthread_self(), &policy, &sp);
    CHECK(policy == SCHED_FIFO && sp.sched_priority == fmin + 4,
          "pthread_setschedprio: priority changed, policy kept");
    CHECK_RC(pthread_setschedprio(pthread_self(), fmax + 1), EINVAL,
             "pthread_setschedprio: out of range EINVAL");
    sp.sched_priority = fmin;
    CHECK_RC(pthread_setschedparam(pthread_self(), 12345, &sp), EINVAL,
             "pthread_setschedparam: bad policy EINVAL");
    sp.sched_priority = fmax + 1;
    CHECK_RC(pthread_setschedparam(pthread_self(), SCHED_RR, &sp), EINVAL,
             "pthread_setschedparam: bad priority EINVAL");

    /* ---- attributes ---- */
    pthread_attr_t a;
    int v;
    pthread_attr_init(&a);
    CHECK_RC(pthread_attr_getinheritsched(&a, &v), 0, "pthread_attr_getinheritsched: default");
    CHECK(v == PTHREAD_INHERIT_SCHED, "pthread_attr_getinheritsched: PTHREAD_INHERIT_SCHED default");
    CHECK_RC(pthread_attr_setinheritsched(&a, PTHREAD_EXPLICIT_SCHED), 0,
             "pthread_attr_setinheritsched: EXPLICIT");
    CHECK_RC(pthread_attr_setinheritsched(&a, 12345), EINVAL,
             "pthread_attr_setinheritsched: bad value EINVAL");
    CHECK_RC(pthread_attr_setschedpolicy(&a, SCHED_RR), 0, "pthread_attr_setschedpolicy: SCHED_RR");
    CHECK_RC(pthread_attr_getschedpolicy(&a, &v), 0, "pthread_attr_getschedpolicy: read back");
    CHECK(v == SCHED_RR, "pthread_attr_getschedpolicy: SCHED_RR");
    CHECK_RC(pthread_attr_setschedpolicy(&a, 12345), EINVAL,
             "pthread_attr_setschedpolicy: bad policy EINVAL");
    sp.sched_priority = fmin + 7;
    CHECK_RC(pthread_attr_setschedparam(&a, &sp), 0, "pthread_attr_setschedparam: valid");
    sp.sched_priority = 0;
    CHECK_RC(pthread_attr_getschedparam(&a, &sp), 0, "pthread_attr_getschedparam: read back");
    CHECK(sp.sched_priority == fmin + 7, "pthread_attr_getschedparam: the priority set");
    sp.sched_priority = fmax + 100;
    CHECK_RC(pthread_attr_setschedparam(&a, &sp), EINVAL,
             "pthread_attr_setschedparam: out of range EINVAL");
    pthread_attr_destroy(&a);
    CHECK(PTHREAD_STACK_MIN % 4096 == 0 && PTHREAD_STACK_MIN > 0,
          "pthread_attr_setstacksize: PTHREAD_STACK_MIN is a multiple of the page size");
    pthread_attr_init(&a);
    CHECK_RC(pthread_attr_setstacksize(&a, PTHREAD_STACK_MIN - 1), EINVAL,
             "pthread_attr_setstacksize: below PTHREAD_STACK_MIN EINVAL");
    CHECK_RC(pthread_attr_setstacksize(&a, PTHREAD_STACK_MIN), 0,
             "pthread_attr_setstacksize: PTHREAD_STACK_MIN accepted");
    pthread_attr_destroy(&a);

    /* explicit scheduling reaches the new thread; inherited scheduling copies the creator's */
    norder = 0;
    pthread_t t = start(SCHED_RR, fmin + 1, low_fn, NULL);
    CHECK_RC(t ? pthread_getschedparam(t, &policy, &sp) : ESRCH, 0,
             "pthread_create: explicit-scheduling thread made");
    pthread_join(t, NULL);
    pthread_attr_init(&a);
    pthread_attr_setinheritsched(&a, PTHREAD_EXPLICIT_SCHED);
    pthread_attr_setschedpolicy(&a, SCHED_OTHER);
    sp.sched_priority = fmin + 5;
    pthread_attr_setschedparam(&a, &sp);
    CHECK_RC(pthread_create(&t, &a, low_fn, NULL), EINVAL,
             "pthread_create: SCHED_OTHER with a realtime priority EINVAL");
    pthread_attr_destroy(&a);

    /* ---- preemption: main is SCHED_FIFO at fmin+4 ---- */
    /* a lower-priority thread made by a FIFO thread does not run until the creator blocks */
    norder = 0;
    pthread_t lo = start(SCHED_FIFO, fmin + 1, low_fn, NULL);
    spin_ms(30);
    CHECK(norder == 0, "pthread_create: a lower-priority thread does not preempt its creator");
    pthread_join(lo, NULL);
    CHECK(norder == 1 && order[0] == 1, "pthread_join: the lower-priority thread runs once main blocks");

    /* a higher-priority thread runs at once, before its creator goes on */
    norder = 0;
    pthread_t hi = start(SCHED_FIFO, fmin + 10, high_fn, NULL);
    mark(0);
    CHECK(norder == 2 && order[0] == 2 && order[1] == 0,
          "pthread_create: a higher-priority thread preempts its creator at once");
    pthread_join(hi, NULL);

    /* raising a ready thread above the caller lets it run at once */
    norder = 0;
    lo = start(SCHED_FIFO, fmin + 1, low_fn, NULL);
    CHECK(norder == 0, "pthread_setschedprio: before, the lower thread waits");
    CHECK_RC(pthread_setschedprio(lo, fmin + 20), 0, "pthread_setschedprio: raise another thread");
    CHECK(norder == 1 && order[0] == 1, "pthread_setschedprio: the raised thread ran at once");
    pthread_join(lo, NULL);

    /* lowering oneself below a ready thread yields to it */
    norder = 0;
    lo = start(SCHED_FIFO, fmin + 2, low_fn, NULL);
    CHECK(norder == 0, "pthread_setschedparam: the other thread waits while main is higher");
    sp.sched_priority = fmin + 1;
    pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
    CHECK(norder == 1, "pthread_setschedparam: lowering oneself lets the higher thread run");
    pthread_join(lo, NULL);

    /* SCHED_FIFO among equals: no time slicing */
    sp.sched_priority = fmin + 10;
    pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
    pthread_t fa = start(SCHED_FIFO, fmin + 5, fifo_a, NULL);
    pthread_t fb = start(SCHED_FIFO, fmin + 5, fifo_b, NULL);
    pthread_join(fa, NULL);
    pthread_join(fb, NULL);
    CHECK(!fifo_seen_other && fifo_b_ran,
          "sched_yield: a SCHED_FIFO thread keeps the CPU among equals until it yields");

    /* SCHED_RR among equals: both advance */
    pthread_t r0 = start(SCHED_RR, fmin + 5, rr_fn, (void *)0L);
    pthread_t r1 = start(SCHED_RR, fmin + 5, rr_fn, (void *)1L);
    struct timespec nap = { 0, 200000000 };
    nanosleep(&nap, NULL);
    long c0 = rr_count[0], c1 = rr_count[1];
    rr_stop = 1;
    pthread_join(r0, NULL);
    pthread_join(r1, NULL);
    CHECK(c0 > 0 && c1 > 0, "sched_rr_get_interval: SCHED_RR threads of one priority share the CPU");

    /* back to SCHED_OTHER */
    sp.sched_priority = 0;
    CHECK(sched_setscheduler(0, SCHED_OTHER, &sp) == SCHED_FIFO,
          "sched_setscheduler: back to SCHED_OTHER, former SCHED_FIFO");
    CONFORM_DONE();
}

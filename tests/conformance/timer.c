/* <time.h> per-process timers and alarm(): expiry measured against the clock, periodic timers,
 * disarming, and the signal they raise; timers on the CPU-time clocks (the process's, the
 * calling thread's, a pthread_getcpuclockid clock) expire after that much CPU time, not while
 * the thread sleeps. */
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conform.h"

static volatile int fired;
static volatile long long fired_at;
static void on_alarm(int s)
{
    (void)s;
    if (!fired)
        fired_at = conform_ns(CLOCK_MONOTONIC);
    fired++;
}

static void wait_for(int n, long long max_ns)
{
    long long end = conform_ns(CLOCK_MONOTONIC) + max_ns;
    while (fired < n && conform_ns(CLOCK_MONOTONIC) < end) {
        struct timespec d = { 0, 2000000L };
        nanosleep(&d, NULL);
    }
}

/* Spin until fired or `max_ns` of real time: CPU time for the CPU-clock timers. */
static void burn_until_fired(long long max_ns)
{
    long long end = conform_ns(CLOCK_MONOTONIC) + max_ns;
    unsigned long n = 0;
    while (!fired && ((++n & 0xfff) || conform_ns(CLOCK_MONOTONIC) < end))
        ;
}

/* A one-shot 30 ms timer on clk: quiet through 60 ms of sleep (for a thread clock), then fires
 * once its thread has run 30 ms. */
static void cpu_timer(clockid_t clk, const char *name, int sleeps_quiet)
{
    char what[128];
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    timer_t t;
    snprintf(what, sizeof what, "timer_create: on %s", name);
    int made = timer_create(clk, &ev, &t) == 0;
    CHECK(made, what);
    if (!made)
        return;
    struct itimerspec v;
    memset(&v, 0, sizeof v);
    v.it_value.tv_nsec = 30000000L;
    fired = 0;
    struct timespec c0, c1;
    clock_gettime(clk, &c0);
    timer_settime(t, 0, &v, NULL);
    if (sleeps_quiet) {
        struct timespec d = { 0, 60000000L };
        nanosleep(&d, NULL);
        snprintf(what, sizeof what, "%s timer: quiet while its thread sleeps", name);
        CHECK(fired == 0, what);
    }
    burn_until_fired(3000000000LL);
    clock_gettime(clk, &c1);
    long long used = (c1.tv_sec - c0.tv_sec) * 1000000000LL + (c1.tv_nsec - c0.tv_nsec);
    snprintf(what, sizeof what, "%s timer: fires after 30 ms of CPU time", name);
    CHECK(fired == 1 && used >= 30000000LL, what);
    timer_delete(t);
}

/* ---- SIGEV_THREAD ---- */
static sem_t noticed;
static volatile int notice_value, notice_on_stack;
static volatile pthread_t notice_thread;
static char notice_stack[16384] __attribute__((aligned(16)));

static void on_notice(union sigval v)
{
    char here;
    notice_value = v.sival_int;
    notice_thread = pthread_self();
    notice_on_stack = &here >= notice_stack && &here < notice_stack + sizeof notice_stack;
    sem_post(&noticed);
}

static int notice_within(long long ns)
{
    struct timespec limit = conform_after(CLOCK_REALTIME, ns);
    return sem_timedwait(&noticed, &limit) == 0;
}

int main(void)
{
    signal(SIGUSR1, on_alarm);
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    timer_t t;
    CHECK(timer_create(CLOCK_MONOTONIC, &ev, &t) == 0, "timer_create");
    struct itimerspec v, cur;
    memset(&v, 0, sizeof v);
    v.it_value.tv_nsec = 40000000L;
    long long s = conform_ns(CLOCK_MONOTONIC);
    CHECK(timer_settime(t, 0, &v, NULL) == 0, "arm a one-shot 40 ms timer");
    CHECK(timer_gettime(t, &cur) == 0 && cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 &&
          cur.it_value.tv_nsec <= 40000000L, "timer_gettime reports the time left");
    wait_for(1, 2000000000LL);
    CHECK(fired == 1, "the timer raised its signal once");
    CHECK(fired_at - s >= 40000000LL, "not before its expiry");
    CHECK(timer_gettime(t, &cur) == 0 && cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0,
          "a fired one-shot timer is disarmed");
    fired = 0;
    v.it_value.tv_nsec = 10000000L;
    v.it_interval.tv_nsec = 10000000L;
    timer_settime(t, 0, &v, NULL);
    wait_for(3, 2000000000LL);
    CHECK(fired >= 3, "a periodic timer fires repeatedly");
    memset(&v, 0, sizeof v);
    CHECK(timer_settime(t, 0, &v, NULL) == 0, "disarm");
    int n = fired;
    struct timespec d = { 0, 50000000L };
    nanosleep(&d, NULL);
    CHECK(fired == n, "a disarmed timer stays quiet");
    v.it_value.tv_nsec = 1000000000L;
    CHECK_ERR(timer_settime(t, 0, &v, NULL), EINVAL, "tv_nsec = 1e9: EINVAL");
    CHECK(timer_delete(t) == 0, "timer_delete");
    CHECK_ERR(timer_create((clockid_t)777, &ev, &t), EINVAL, "unknown clock: EINVAL");

    /* SIGEV_THREAD: sigev_notify_function(sigev_value) in a new thread, with the attributes */
    sem_init(&noticed, 0, 0);
    struct sigevent tev;
    memset(&tev, 0, sizeof tev);
    tev.sigev_notify = SIGEV_THREAD;
    tev.sigev_notify_function = on_notice;
    tev.sigev_value.sival_int = 4242;
    timer_t tt;
    CHECK(timer_create(CLOCK_MONOTONIC, &tev, &tt) == 0, "timer_create: SIGEV_THREAD");
    memset(&v, 0, sizeof v);
    v.it_value.tv_nsec = 20000000L;
    timer_settime(tt, 0, &v, NULL);
    CHECK(notice_within(3000000000LL) && notice_value == 4242,
          "SIGEV_THREAD: the function is called with sigev_value");
    CHECK(!pthread_equal(notice_thread, pthread_self()),
          "SIGEV_THREAD: in a thread of its own, not the caller");
    v.it_value.tv_nsec = 10000000L;
    v.it_interval.tv_nsec = 10000000L;
    timer_settime(tt, 0, &v, NULL);
    int calls = 0;
    while (calls < 3 && notice_within(3000000000LL))
        calls++;
    memset(&v, 0, sizeof v);
    timer_settime(tt, 0, &v, NULL);
    CHECK(calls == 3, "SIGEV_THREAD: a periodic timer calls the function at every expiry");
    timer_delete(tt);
    struct timespec settle = { 0, 30000000L };
    nanosleep(&settle, NULL);
    while (sem_trywait(&noticed) == 0)
        ;
    pthread_attr_t na;
    pthread_attr_init(&na);
    pthread_attr_setstack(&na, notice_stack, sizeof notice_stack);
    tev.sigev_notify_attributes = &na;
    tev.sigev_value.sival_int = 7;
    notice_on_stack = 0;
    CHECK(timer_create(CLOCK_MONOTONIC, &tev, &tt) == 0,
          "timer_create: SIGEV_THREAD with sigev_notify_attributes");
    v.it_value.tv_nsec = 20000000L;
    timer_settime(tt, 0, &v, NULL);
    CHECK(notice_within(3000000000LL) && notice_value == 7 && notice_on_stack,
          "SIGEV_THREAD: the thread is made with sigev_notify_attributes (its stack)");
    timer_delete(tt);
    nanosleep(&settle, NULL);
    tev.sigev_notify_function = NULL;
    tev.sigev_notify_attributes = NULL;
    CHECK_ERR(timer_create(CLOCK_MONOTONIC, &tev, &tt), EINVAL,
              "timer_create: SIGEV_THREAD without a function: EINVAL");

    cpu_timer(CLOCK_PROCESS_CPUTIME_ID, "CLOCK_PROCESS_CPUTIME_ID", 0);
    cpu_timer(CLOCK_THREAD_CPUTIME_ID, "CLOCK_THREAD_CPUTIME_ID", 1);
    clockid_t mine;
    CHECK(pthread_getcpuclockid(pthread_self(), &mine) == 0, "pthread_getcpuclockid");
    cpu_timer(mine, "a pthread_getcpuclockid clock", 1);

    fired = 0;
    signal(SIGALRM, on_alarm);
    CHECK(alarm(1) == 0, "alarm(1) with none pending returns 0");
    CHECK(alarm(5) == 1, "a new alarm returns the seconds left on the old one");
    CHECK(alarm(0) >= 4, "alarm(0) cancels and returns what was left");
    CONFORM_DONE();
}

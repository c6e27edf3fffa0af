/* Timers: timer_t ids checked (invalid and deleted ids are EINVAL, never a crash), overruns
 * counted, SIGEV_SIGNAL with the value, SIGEV_NONE, and the documented errors. */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conform.h"

static volatile int fired, got_value;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    fired++;
    got_value = si->si_value.sival_int;
}

static void spin_ms(long ms)
{
    long long end = conform_ns(CLOCK_MONOTONIC) + ms * 1000000LL;
    while (conform_ns(CLOCK_MONOTONIC) < end)
        ;
}

int main(void)
{
    struct itimerspec v, o;
    timer_t t, bogus;
    memset(&v, 0, sizeof v);
    memset(&bogus, 0x5a, sizeof bogus);

    /* ---- invalid ids ---- */
    CHECK_ERR(timer_delete(bogus), EINVAL, "timer_delete: an id never made gives EINVAL");
    CHECK_ERR(timer_settime(bogus, 0, &v, NULL), EINVAL,
              "timer_settime: an id never made gives EINVAL");
    CHECK_ERR(timer_gettime(bogus, &o), EINVAL, "timer_gettime: an id never made gives EINVAL");
    CHECK_ERR(timer_getoverrun(bogus), EINVAL, "timer_getoverrun: an id never made gives EINVAL");
    CHECK_ERR(timer_delete((timer_t)0), EINVAL, "timer_delete: id 0 gives EINVAL");

    /* ---- creation errors ---- */
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_NONE;
    CHECK_ERR(timer_create((clockid_t)12345, &ev, &t), EINVAL,
              "timer_create: an unknown clock gives EINVAL");
    ev.sigev_notify = 12345;
    CHECK_ERR(timer_create(CLOCK_MONOTONIC, &ev, &t), EINVAL,
              "timer_create: an unknown sigev_notify gives EINVAL");
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = 0;
    CHECK_ERR(timer_create(CLOCK_MONOTONIC, &ev, &t), EINVAL,
              "timer_create: signal 0 gives EINVAL");
    ev.sigev_signo = 1000;
    CHECK_ERR(timer_create(CLOCK_MONOTONIC, &ev, &t), EINVAL,
              "timer_create: signal 1000 gives EINVAL");

    /* ---- deleted ids ---- */
    ev.sigev_notify = SIGEV_NONE;
    CHECK(timer_create(CLOCK_MONOTONIC, &ev, &t) == 0, "timer_create: SIGEV_NONE timer");
    v.it_value.tv_sec = 10;
    CHECK(timer_settime(t, 0, &v, NULL) == 0, "timer_settime: arm a SIGEV_NONE timer");
    CHECK(timer_gettime(t, &o) == 0 && o.it_value.tv_sec >= 9 && o.it_value.tv_sec <= 10,
          "timer_gettime: SIGEV_NONE timer counts down");
    CHECK(timer_delete(t) == 0, "timer_delete: a live timer");
    CHECK_ERR(timer_settime(t, 0, &v, NULL), EINVAL, "timer_settime: after timer_delete EINVAL");
    CHECK_ERR(timer_gettime(t, &o), EINVAL, "timer_gettime: after timer_delete EINVAL");
    CHECK_ERR(timer_getoverrun(t), EINVAL, "timer_getoverrun: after timer_delete EINVAL");
    CHECK_ERR(timer_delete(t), EINVAL, "timer_delete: twice gives EINVAL");
    timer_t t2;
    CHECK(timer_create(CLOCK_MONOTONIC, &ev, &t2) == 0, "timer_create: after a delete");
    CHECK(memcmp(&t, &t2, sizeof t) != 0, "timer_create: a reused slot gets a new id");
    CHECK_ERR(timer_settime(t, 0, &v, NULL), EINVAL,
              "timer_settime: a deleted id stays invalid when its slot is reused");
    CHECK(timer_settime(t2, 0, &v, NULL) == 0, "timer_settime: the new timer works");
    CHECK(timer_delete(t2) == 0, "timer_delete: the new timer");

    /* ---- settime errors ---- */
    CHECK(timer_create(CLOCK_MONOTONIC, &ev, &t) == 0, "timer_create: for the settime errors");
    v.it_value.tv_nsec = 1000000000L;
    CHECK_ERR(timer_settime(t, 0, &v, NULL), EINVAL, "timer_settime: tv_nsec 1e9 gives EINVAL");
    v.it_value.tv_nsec = -1;
    CHECK_ERR(timer_settime(t, 0, &v, NULL), EINVAL, "timer_settime: tv_nsec -1 gives EINVAL");
    v.it_value.tv_nsec = 0;
    v.it_interval.tv_nsec = 1000000000L;
    CHECK_ERR(timer_settime(t, 0, &v, NULL), EINVAL,
              "timer_settime: interval tv_nsec 1e9 gives EINVAL");
    memset(&v, 0, sizeof v);
    CHECK(timer_settime(t, 0, &v, &o) == 0 && o.it_value.tv_sec == 0 && o.it_value.tv_nsec == 0,
          "timer_settime: disarmed timer's old value is zero");
    timer_delete(t);

    /* ---- SIGEV_SIGNAL with sigev_value, and overruns ---- */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sig;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    ev.sigev_value.sival_int = 4242;
    CHECK(timer_create(CLOCK_MONOTONIC, &ev, &t) == 0, "timer_create: SIGEV_SIGNAL timer");
    v.it_value.tv_nsec = 20000000;
    CHECK(timer_settime(t, 0, &v, NULL) == 0, "timer_settime: one-shot 20 ms");
    struct timespec nap = { 0, 100000000 };
    for (int i = 0; i < 10 && !fired; i++)
        nanosleep(&nap, NULL);
    CHECK(fired == 1, "timer_settime: one-shot SIGEV_SIGNAL timer fires once");
    CHECK(got_value == 4242, "timer_create: the handler gets sigev_value in si_value");
    CHECK(timer_getoverrun(t) == 0, "timer_getoverrun: 0 for a timely one-shot");

    /* a 5 ms periodic timer while a SCHED_FIFO main spins 200 ms: the timer's helper cannot run,
     * so the expiries meanwhile are one notification and its overrun (read within the next
     * period, after a 1 ms sleep that lets the helper catch up) */
    struct sched_param sp = { sched_get_priority_min(SCHED_FIFO) + 1 };
    pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
    fired = 0;
    v.it_value.tv_nsec = 5000000;
    v.it_interval.tv_nsec = 5000000;
    timer_settime(t, 0, &v, NULL);
    spin_ms(200);
    nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
    int over = timer_getoverrun(t);
    memset(&v, 0, sizeof v);
    timer_settime(t, 0, &v, NULL);
    sp.sched_priority = 0;
    pthread_setschedparam(pthread_self(), SCHED_OTHER, &sp);
    CHECK(over >= 20, "timer_getoverrun: expiries missed while the notification was late count");
    CHECK(over >= 0 && over <= 0x7fffffff, "timer_getoverrun: in range");
    CHECK(timer_delete(t) == 0, "timer_delete: SIGEV_SIGNAL timer");

    /* ---- many timers: ids distinct ---- */
    timer_t many[8];
    int made = 0;
    ev.sigev_notify = SIGEV_NONE;
    for (int i = 0; i < 8; i++)
        made += timer_create(CLOCK_REALTIME, &ev, &many[i]) == 0;
    CHECK(made == 8, "timer_create: 8 timers at once");
    int distinct = 1;
    for (int i = 0; i < 8; i++)
        for (int j = i + 1; j < 8; j++)
            distinct &= memcmp(&many[i], &many[j], sizeof many[i]) != 0;
    CHECK(distinct, "timer_create: each timer has its own id");
    int deleted = 0;
    for (int i = 0; i < 8; i++)
        deleted += timer_delete(many[i]) == 0;
    CHECK(deleted == 8, "timer_delete: all 8");
    CONFORM_DONE();
}

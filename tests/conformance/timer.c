/* <time.h> per-process timers and alarm(): expiry measured against the clock, periodic timers,
 * disarming, and the signal they raise. */
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

    fired = 0;
    signal(SIGALRM, on_alarm);
    CHECK(alarm(1) == 0, "alarm(1) with none pending returns 0");
    CHECK(alarm(5) == 1, "a new alarm returns the seconds left on the old one");
    CHECK(alarm(0) >= 4, "alarm(0) cancels and returns what was left");
    CONFORM_DONE();
}

/* Interval timers (<sys/time.h>, XSI): setitimer/getitimer with ITIMER_REAL (SIGALRM, shared
 * with alarm()), a periodic timer, the old value returned, disarming, ITIMER_VIRTUAL and
 * ITIMER_PROF, bad arguments. The conformance driver runs this as `conform itimer`. */
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "conform.h"

static volatile sig_atomic_t alarms, vtalarms;

static void on_alrm(int s)
{
    (void)s;
    alarms++;
}

static void on_vtalrm(int s)
{
    (void)s;
    vtalarms++;
}

static void wait_for(volatile sig_atomic_t *n, int want, long ms)
{
    long long until = conform_ns(CLOCK_MONOTONIC) + ms * 1000000LL;
    while (*n < want && conform_ns(CLOCK_MONOTONIC) < until) {
        struct timespec d = { 0, 2000000L };
        nanosleep(&d, NULL);
    }
}

int main(void)
{
    struct itimerval v, o;
    memset(&v, 0, sizeof v);
    CHECK(getitimer(ITIMER_REAL, &o) == 0 && !o.it_value.tv_sec && !o.it_value.tv_usec,
          "ITIMER_REAL starts disarmed");
    signal(SIGALRM, on_alrm);
    v.it_value.tv_usec = 30000;
    CHECK(setitimer(ITIMER_REAL, &v, &o) == 0, "setitimer ITIMER_REAL 30 ms, one shot");
    CHECK(getitimer(ITIMER_REAL, &o) == 0 && o.it_value.tv_sec == 0 && o.it_value.tv_usec > 0 &&
          o.it_value.tv_usec <= 30000, "getitimer: 0 < remaining <= 30 ms");
    wait_for(&alarms, 1, 2000);
    CHECK(alarms == 1, "SIGALRM once");
    CHECK(getitimer(ITIMER_REAL, &o) == 0 && !o.it_value.tv_sec && !o.it_value.tv_usec,
          "disarmed after it fired");

    v.it_value.tv_usec = 10000;
    v.it_interval.tv_usec = 10000;
    alarms = 0;
    CHECK(setitimer(ITIMER_REAL, &v, NULL) == 0, "periodic 10 ms");
    wait_for(&alarms, 3, 3000);
    CHECK(alarms >= 3, "at least three SIGALRMs from the periodic timer");
    memset(&v, 0, sizeof v);
    CHECK(setitimer(ITIMER_REAL, &v, &o) == 0 && o.it_interval.tv_usec == 10000,
          "disarming returns the old interval");
    int seen = alarms;
    struct timespec d = { 0, 50000000L };
    nanosleep(&d, NULL);
    CHECK(alarms == seen, "no SIGALRM after disarming");

    v.it_value.tv_sec = 5;
    CHECK(setitimer(ITIMER_REAL, &v, NULL) == 0, "ITIMER_REAL 5 s");
    CHECK(alarm(0) == 5, "alarm() sees the same timer (5 s left)");
    CHECK(getitimer(ITIMER_REAL, &o) == 0 && !o.it_value.tv_sec && !o.it_value.tv_usec,
          "alarm(0) disarmed it");

    signal(SIGVTALRM, on_vtalrm);
    memset(&v, 0, sizeof v);
    v.it_value.tv_usec = 20000;
    CHECK(setitimer(ITIMER_VIRTUAL, &v, NULL) == 0, "setitimer ITIMER_VIRTUAL");
    wait_for(&vtalarms, 1, 3000);
    CHECK(vtalarms == 1, "SIGVTALRM");
    CHECK(getitimer(ITIMER_PROF, &o) == 0 && !o.it_value.tv_sec && !o.it_value.tv_usec,
          "ITIMER_PROF never set: disarmed");
    memset(&v, 0, sizeof v);
    CHECK(setitimer(ITIMER_PROF, &v, &o) == 0 && !o.it_value.tv_usec, "disarming ITIMER_PROF");

    v.it_value.tv_usec = 1000000;
    CHECK_ERR(setitimer(ITIMER_REAL, &v, NULL), EINVAL, "tv_usec 1000000: EINVAL");
    v.it_value.tv_usec = 0;
    CHECK_ERR(setitimer(7, &v, NULL), EINVAL, "which 7: EINVAL");
    CHECK_ERR(getitimer(-1, &o), EINVAL, "getitimer(-1): EINVAL");
    signal(SIGALRM, SIG_DFL);
    CONFORM_DONE();
}

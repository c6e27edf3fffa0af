/*
 * Interval timers (<sys/time.h> setitimer/getitimer, XSI) over the layer's POSIX timers
 * (timer.c). ITIMER_REAL is the timer alarm() uses, as on Linux, so the two see each other's
 * setting. ITIMER_VIRTUAL and ITIMER_PROF count process CPU time on Linux; here the
 * application is the only process and the kernel keeps no per-process CPU time, so they run
 * on CLOCK_MONOTONIC (SIGVTALRM, SIGPROF): time spent idle counts too.
 */
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "internal.h"

static timer_t cpu_timers[2]; /* ITIMER_VIRTUAL, ITIMER_PROF; made on first use */
static pthread_mutex_t cpu_lock = PTHREAD_MUTEX_INITIALIZER;

/* The timer behind `which`; 0 when not made yet and `make` is 0. */
static timer_t timer_for(int which, int make)
{
    if (which == ITIMER_REAL)
        return __bk_alarm_timer();
    timer_t *t = &cpu_timers[which == ITIMER_PROF];
    pthread_mutex_lock(&cpu_lock);
    if (!*t && make) {
        struct sigevent ev;
        memset(&ev, 0, sizeof ev);
        ev.sigev_notify = SIGEV_SIGNAL;
        ev.sigev_signo = which == ITIMER_PROF ? SIGPROF : SIGVTALRM;
        if (timer_create(CLOCK_MONOTONIC, &ev, t) < 0)
            *t = 0;
    }
    timer_t r = *t;
    pthread_mutex_unlock(&cpu_lock);
    return r;
}

static struct timespec ts_of(const struct timeval *tv)
{
    struct timespec ts = { tv->tv_sec, (long)tv->tv_usec * 1000 };
    return ts;
}

/* Round up to whole microseconds: a timer still armed must not read as 0 (disarmed). */
static struct timeval tv_of(const struct timespec *ts)
{
    struct timeval tv = { ts->tv_sec, (suseconds_t)((ts->tv_nsec + 999) / 1000) };
    if (tv.tv_usec == 1000000) {
        tv.tv_sec++;
        tv.tv_usec = 0;
    }
    return tv;
}

static void to_itimerval(const struct itimerspec *s, struct itimerval *v)
{
    v->it_interval = tv_of(&s->it_interval);
    v->it_value = tv_of(&s->it_value);
}

static int valid_which(int which)
{
    return which == ITIMER_REAL || which == ITIMER_VIRTUAL || which == ITIMER_PROF;
}

/* bkport: partial: ITIMER_VIRTUAL and ITIMER_PROF count elapsed time (no per-process CPU time) */
int getitimer(int which, struct itimerval *v)
{
    if (!valid_which(which))
        return bk_fail(EINVAL);
    if (!v)
        return bk_fail(EFAULT);
    memset(v, 0, sizeof *v);
    timer_t t = timer_for(which, 0);
    if (!t)
        return 0; /* never set: disarmed */
    struct itimerspec s;
    if (timer_gettime(t, &s) < 0)
        return -1;
    to_itimerval(&s, v);
    return 0;
}

/* bkport: partial: ITIMER_VIRTUAL and ITIMER_PROF count elapsed time (no per-process CPU time) */
int setitimer(int which, const struct itimerval *restrict v, struct itimerval *restrict old)
{
    if (!valid_which(which))
        return bk_fail(EINVAL);
    if (!v)
        return bk_fail(EFAULT);
    if (v->it_value.tv_usec < 0 || v->it_value.tv_usec >= 1000000 ||
        v->it_interval.tv_usec < 0 || v->it_interval.tv_usec >= 1000000 ||
        v->it_value.tv_sec < 0 || v->it_interval.tv_sec < 0)
        return bk_fail(EINVAL);
    int arming = v->it_value.tv_sec || v->it_value.tv_usec;
    timer_t t = timer_for(which, arming);
    if (!t) {
        if (arming)
            return bk_fail(EAGAIN);
        if (old)
            memset(old, 0, sizeof *old);
        return 0;
    }
    struct itimerspec s = { ts_of(&v->it_interval), ts_of(&v->it_value) }, os;
    if (timer_settime(t, 0, &s, &os) < 0)
        return -1;
    if (old)
        to_itimerval(&os, old);
    return 0;
}

/*
 * Per-process timers (timer_create ... timer_getoverrun) and alarm(), kept in the layer: each
 * timer is served by a helper thread that sleeps on a condition variable with the timer's
 * clock until the expiry, then notifies (SIGEV_SIGNAL: the signal is generated for the process
 * with SI_TIMER, and runs in an application thread that does not block it, never on the helper,
 * which blocks every signal; SIGEV_NONE: nothing) and re-arms for periodic timers, counting overruns
 * when expiries were missed; SIGEV_THREAD: a new detached thread per expiry calls
 * sigev_notify_function(sigev_value), made with sigev_notify_attributes when given (detached
 * whatever they say: nobody joins it), with every signal blocked as the helper has them. The table's TimerCreate.. calls are not needed (the validation
 * kernel does not implement them); each timer costs one kernel thread.
 *
 * Timers on a CPU-time clock (CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID of the creating
 * thread, a pthread_getcpuclockid clock) are read through ThreadCpuTime: the helper sleeps on
 * the monotonic clock for what is left (CPU time never runs faster than real time, so it never
 * sleeps past the expiry) and reads the CPU clock again.
 *
 * A timer_t is an index into the process's table of timers with a generation beside it, never
 * a pointer: an id never made, or one deleted, is EINVAL (a reused slot has a new generation).
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "sig.h"

struct bk_timer {
    clockid_t clk;
    int cpu;              /* a CPU-time clock, of thread cpu_tid (0: the process) */
    unsigned long cpu_tid;
    struct sigevent ev;
    struct timespec next, interval;
    int armed, deleted, overrun, last_overrun;
    unsigned gen; /* bumped by every timer_settime, so a sleeping helper re-reads */
    pthread_mutex_t m;
    pthread_cond_t c;
    pthread_t th;
};

#define TIMER_MAX 32 /* _POSIX_TIMER_MAX */

static struct bk_timer *timers[TIMER_MAX];
static unsigned timer_gen[TIMER_MAX];
static pthread_mutex_t timers_lock = PTHREAD_MUTEX_INITIALIZER;

static timer_t id_of(int slot)
{
    return (timer_t)(uintptr_t)(((uintptr_t)(timer_gen[slot] & 0xffffff) << 8) | (slot + 1));
}

/* The timer behind id, locked (its `m`), or NULL: an id is checked under timers_lock, so a
 * timer_delete that took it out of the table first is never raced to a freed record. */
static struct bk_timer *lookup(timer_t id)
{
    uintptr_t v = (uintptr_t)id;
    int slot = (int)(v & 0xff) - 1;
    if (slot < 0 || slot >= TIMER_MAX)
        return NULL;
    pthread_mutex_lock(&timers_lock);
    struct bk_timer *t = timers[slot];
    if (t && id_of(slot) == id)
        pthread_mutex_lock(&t->m);
    else
        t = NULL;
    pthread_mutex_unlock(&timers_lock);
    return t;
}

/* The one way a timer notifies by signal: to the process, with the timer's value. */
static void send_signal(int sig, union sigval v)
{
    /* For the process, with SI_TIMER; never run here (the helper blocks every signal). */
    (void)__bk_sig_send(NULL, sig, SI_TIMER, v);
}

static long long ns_of(const struct timespec *t)
{
    return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static struct timespec ts_of(long long ns)
{
    struct timespec t = { (time_t)(ns / 1000000000LL), (long)(ns % 1000000000LL) };
    return t;
}

/* The timer's clock now: 0, or EINVAL when a thread CPU clock's thread has gone. */
static int now_of(struct bk_timer *t, struct timespec *now)
{
    if (!t->cpu)
        return __bk_now(t->clk, now);
    struct bk_kts k;
    long r = bk_syscall6(BK_NR_thread_cpu_time, (long)t->cpu_tid, (long)&k, 0, 0, 0, 0);
    if (bk_is_error(r))
        return EINVAL;
    now->tv_sec = k.tv_sec;
    now->tv_nsec = k.tv_nsec;
    return 0;
}

/* Wait for t's expiry on a CPU clock: ETIMEDOUT when reached, otherwise 0 (woken early or a
 * monotonic sleep of what was left ended: the caller looks again). */
static int cpu_wait(struct bk_timer *t)
{
    struct timespec now, m;
    if (now_of(t, &now)) {
        t->armed = 0; /* the thread whose clock it was has gone */
        return 0;
    }
    long long left = ns_of(&t->next) - ns_of(&now);
    if (left <= 0)
        return ETIMEDOUT;
    __bk_now(CLOCK_MONOTONIC, &m);
    struct timespec until = ts_of(ns_of(&m) + left);
    (void)pthread_cond_clockwait(&t->c, &t->m, CLOCK_MONOTONIC, &until);
    return 0;
}

struct notice {
    void (*fn)(union sigval);
    union sigval v;
};

static void *notify_thread(void *arg)
{
    struct notice n = *(struct notice *)arg;
    free(arg);
    n.fn(n.v);
    return NULL;
}

/* SIGEV_THREAD: -1 when the thread cannot be made (the thread table is full): that expiry is
 * not notified. */
static int start_notice(const struct sigevent *ev)
{
    struct notice *n = malloc(sizeof *n);
    if (!n)
        return -1;
    n->fn = ev->sigev_notify_function;
    n->v = ev->sigev_value;
    pthread_attr_t a;
    if (ev->sigev_notify_attributes)
        a = *(const pthread_attr_t *)ev->sigev_notify_attributes;
    else
        pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    pthread_t th;
    if (pthread_create(&th, &a, notify_thread, n) != 0) {
        free(n);
        return -1;
    }
    return 0;
}

static void *serve(void *arg)
{
    struct bk_timer *t = arg;
    __bk_sig_helper();
    pthread_mutex_lock(&t->m);
    while (!t->deleted) {
        if (!t->armed) {
            pthread_cond_wait(&t->c, &t->m);
            continue;
        }
        unsigned gen = t->gen;
        int e = t->cpu ? cpu_wait(t) : pthread_cond_clockwait(&t->c, &t->m, t->clk, &t->next);
        if (e != ETIMEDOUT || t->deleted || gen != t->gen || !t->armed)
            continue;
        struct timespec now;
        now_of(t, &now);
        long long iv = ns_of(&t->interval), missed = 0;
        if (iv > 0) {
            long long next = ns_of(&t->next) + iv;
            if (next <= ns_of(&now)) {
                missed = (ns_of(&now) - next) / iv + 1;
                next += missed * iv;
            }
            t->next = ts_of(next);
        } else {
            t->armed = 0;
        }
        /* The overrun of the notification just sent: expiries it stands for beyond the first. */
        long long over = missed;
        t->last_overrun = (int)(over > 0x7fffffff ? 0x7fffffff : over);
        struct sigevent ev = t->ev;
        pthread_mutex_unlock(&t->m);
        if (ev.sigev_notify == SIGEV_SIGNAL)
            send_signal(ev.sigev_signo, ev.sigev_value);
        if (ev.sigev_notify == SIGEV_THREAD)
            (void)start_notice(&ev);
        pthread_mutex_lock(&t->m);
    }
    pthread_mutex_unlock(&t->m);
    return NULL;
}

int timer_create(clockid_t clk, struct sigevent *restrict ev, timer_t *restrict out)
{
    unsigned long cpu_tid = 0;
    int cpu = clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC;
    if (cpu) {
        struct timespec probe;
        if (!__bk_cpu_clock_tid(clk, &cpu_tid) || clock_gettime(clk, &probe) < 0)
            return bk_fail(EINVAL);
    }
    if (!out)
        return bk_fail(EINVAL);
    if (ev && ev->sigev_notify != SIGEV_NONE && ev->sigev_notify != SIGEV_SIGNAL &&
        !(ev->sigev_notify == SIGEV_THREAD && ev->sigev_notify_function))
        return bk_fail(EINVAL);
    if (ev && ev->sigev_notify == SIGEV_SIGNAL && (ev->sigev_signo <= 0 || ev->sigev_signo >= NSIG))
        return bk_fail(EINVAL);
    struct bk_timer *t = calloc(1, sizeof *t);
    if (!t)
        return bk_fail(EAGAIN);
    t->clk = clk;
    t->cpu = cpu;
    t->cpu_tid = cpu_tid; /* CLOCK_THREAD_CPUTIME_ID: the creator's, resolved here */
    pthread_mutex_init(&t->m, NULL);
    pthread_cond_init(&t->c, NULL);
    pthread_mutex_lock(&timers_lock);
    int slot = 0;
    while (slot < TIMER_MAX && timers[slot])
        slot++;
    if (slot == TIMER_MAX) {
        pthread_mutex_unlock(&timers_lock);
        free(t);
        return bk_fail(EAGAIN);
    }
    timers[slot] = t; /* reserved; published with its id once its helper runs */
    timer_gen[slot]++;
    pthread_mutex_unlock(&timers_lock);
    t->clk = clk;
    if (ev) {
        t->ev = *ev;
    } else {
        /* POSIX's default: SIGALRM with the timer's id as the value */
        t->ev.sigev_notify = SIGEV_SIGNAL;
        t->ev.sigev_signo = SIGALRM;
        t->ev.sigev_value.sival_int = (int)(uintptr_t)id_of(slot);
    }
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setstacksize(&a, 4096);
    int e = pthread_create(&t->th, &a, serve, t);
    pthread_attr_destroy(&a);
    if (e) {
        pthread_mutex_lock(&timers_lock);
        timers[slot] = NULL;
        pthread_mutex_unlock(&timers_lock);
        free(t);
        return bk_fail(EAGAIN);
    }
    pthread_mutex_lock(&timers_lock);
    *out = id_of(slot);
    pthread_mutex_unlock(&timers_lock);
    return 0;
}

int timer_delete(timer_t id)
{
    /* out of the table first: from here no lookup finds it, and one that did holds t->m */
    uintptr_t v = (uintptr_t)id;
    int slot = (int)(v & 0xff) - 1;
    struct bk_timer *t = NULL;
    pthread_mutex_lock(&timers_lock);
    if (slot >= 0 && slot < TIMER_MAX && timers[slot] && id_of(slot) == id) {
        t = timers[slot];
        timers[slot] = NULL;
    }
    pthread_mutex_unlock(&timers_lock);
    if (!t)
        return bk_fail(EINVAL);
    pthread_mutex_lock(&t->m);
    t->deleted = 1;
    pthread_cond_broadcast(&t->c);
    pthread_mutex_unlock(&t->m);
    pthread_join(t->th, NULL);
    free(t);
    return 0;
}

static void remaining(struct bk_timer *t, struct itimerspec *v)
{
    memset(v, 0, sizeof *v);
    v->it_interval = t->interval;
    if (t->armed) {
        struct timespec now;
        now_of(t, &now);
        long long left = ns_of(&t->next) - ns_of(&now);
        v->it_value = ts_of(left > 0 ? left : 1);
    }
}

int timer_gettime(timer_t id, struct itimerspec *v)
{
    struct bk_timer *t = lookup(id);
    if (!t)
        return bk_fail(EINVAL);
    if (!v) {
        pthread_mutex_unlock(&t->m);
        return bk_fail(EFAULT);
    }
    remaining(t, v);
    pthread_mutex_unlock(&t->m);
    return 0;
}

int timer_settime(timer_t id, int flags, const struct itimerspec *restrict v,
                  struct itimerspec *restrict old)
{
    if (!v || v->it_value.tv_nsec < 0 || v->it_value.tv_nsec >= 1000000000L ||
        v->it_interval.tv_nsec < 0 || v->it_interval.tv_nsec >= 1000000000L ||
        v->it_value.tv_sec < 0 || v->it_interval.tv_sec < 0)
        return bk_fail(EINVAL);
    struct bk_timer *t = lookup(id);
    if (!t)
        return bk_fail(EINVAL);
    if (old)
        remaining(t, old);
    t->gen++;
    t->interval = v->it_interval;
    t->armed = v->it_value.tv_sec != 0 || v->it_value.tv_nsec != 0;
    if (t->armed) {
        if (flags & TIMER_ABSTIME) {
            t->next = v->it_value;
        } else {
            struct timespec now;
            now_of(t, &now);
            t->next = ts_of(ns_of(&now) + ns_of(&v->it_value));
        }
    }
    pthread_cond_broadcast(&t->c);
    pthread_mutex_unlock(&t->m);
    return 0;
}

int timer_getoverrun(timer_t id)
{
    struct bk_timer *t = lookup(id);
    if (!t)
        return bk_fail(EINVAL);
    int n = t->last_overrun;
    pthread_mutex_unlock(&t->m);
    return n;
}

/* alarm(): one process-wide CLOCK_REALTIME timer generating SIGALRM for the process. */
static timer_t alarm_timer;
static pthread_once_t alarm_once = PTHREAD_ONCE_INIT;
static void alarm_init(void)
{
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGALRM;
    if (timer_create(CLOCK_REALTIME, &ev, &alarm_timer) < 0)
        alarm_timer = 0;
}

timer_t __bk_alarm_timer(void)
{
    pthread_once(&alarm_once, alarm_init);
    return alarm_timer;
}

unsigned alarm(unsigned seconds)
{
    if (!__bk_alarm_timer())
        return 0;
    struct itimerspec v, old;
    memset(&v, 0, sizeof v);
    v.it_value.tv_sec = seconds;
    (void)timer_settime(alarm_timer, 0, &v, &old);
    return (unsigned)old.it_value.tv_sec + (old.it_value.tv_nsec > 0);
}

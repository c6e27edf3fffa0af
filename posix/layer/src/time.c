/*
 * <time.h> and <sys/time.h> clocks and sleeping over ClockGetTime/ClockNanoSleep, with
 * CLOCK_REALTIME set through ClockSetRealtime (proposed) and the CPU-time clocks read through
 * ThreadCpuTime (proposed).
 * Timespecs are converted to the kernel's two-word layout (internal.h: struct bk_kts).
 */
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "sig.h"

static int cpu_clock_now(unsigned long tid, struct timespec *ts)
{
    struct bk_kts kts;
    long r = bk_syscall6(BK_NR_thread_cpu_time, (long)tid, (long)&kts, 0, 0, 0, 0);
    if (bk_is_error(r))
        return EINVAL; /* the thread of a pthread_getcpuclockid id has gone */
    ts->tv_sec = kts.tv_sec;
    ts->tv_nsec = kts.tv_nsec;
    return 0;
}

int clock_gettime(clockid_t clk, struct timespec *ts)
{
    int e = __bk_now(clk, ts);
    unsigned long tid;
    /* a thread's CPU clock (pthread_getcpuclockid) has no picolibc name for the translator */
    if (e == EINVAL && __bk_cpu_clock_tid(clk, &tid))
        e = cpu_clock_now(tid, ts);
    return e ? bk_fail(e) : 0;
}

/* The kernel's clocks count nanoseconds from the board's timer. */
int clock_getres(clockid_t clk, struct timespec *res)
{
    unsigned long tid;
    if (__bk_cpu_clock_tid(clk, &tid)) {
        struct timespec now;
        if (cpu_clock_now(tid, &now))
            return bk_fail(EINVAL);
    } else if (__bk_clock_to_kernel(clk) < 0) {
        return bk_fail(EINVAL);
    }
    if (res) {
        res->tv_sec = 0;
        res->tv_nsec = 1;
    }
    return 0;
}

/* Only CLOCK_REALTIME can be set: the monotonic and CPU-time clocks cannot (EINVAL, as POSIX
 * says for CLOCK_MONOTONIC); setting it moves the time of day alone, not the monotonic clock
 * nor the sleeps and timed waits measured on it. */
int clock_settime(clockid_t clk, const struct timespec *ts)
{
    if (clk != CLOCK_REALTIME || !ts || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000L ||
        ts->tv_sec < 0)
        return bk_fail(EINVAL);
    struct bk_kts kts = bk_kts_from(ts);
    long r = bk_syscall6(BK_NR_clock_set_realtime, (long)&kts, 0, 0, 0, 0, 0);
    return bk_is_error(r) ? bk_fail(__bk_errno_from_linux((int)-r)) : 0;
}

int settimeofday(const struct timeval *tv, const struct timezone *tz)
{
    (void)tz;
    if (!tv)
        return 0;
    if (tv->tv_usec < 0 || tv->tv_usec >= 1000000)
        return bk_fail(EINVAL);
    struct timespec ts = { tv->tv_sec, (long)tv->tv_usec * 1000 };
    return clock_settime(CLOCK_REALTIME, &ts);
}

int clock_nanosleep(clockid_t clk, int flags, const struct timespec *req, struct timespec *rem)
{
    unsigned long tid;
    if (__bk_cpu_clock_tid(clk, &tid))
        return tid == 0 ? ENOTSUP : EINVAL; /* CPU time cannot be slept on (POSIX's errors) */
    int k = __bk_clock_to_kernel(clk);
    if (k < 0)
        return EINVAL;
    if (req->tv_nsec < 0 || req->tv_nsec >= 1000000000L || req->tv_sec < 0)
        return EINVAL;
    struct bk_kts kreq = bk_kts_from(req), krem = { 0, 0 };
    int kflags = (flags & TIMER_ABSTIME) ? 1 /* Linux TIMER_ABSTIME */ : 0;
    /* A cancellation point. A relative sleep becomes a deadline, so a wait interrupted for
     * nothing to deliver (ThreadInterrupt raced) resumes for what is left, and EINTR tells it. */
    struct timespec end;
    if (!kflags) {
        (void)__bk_now(clk, &end);
        end.tv_sec += req->tv_sec;
        end.tv_nsec += req->tv_nsec;
        if (end.tv_nsec >= 1000000000L) {
            end.tv_nsec -= 1000000000L;
            end.tv_sec++;
        }
        kreq = bk_kts_from(&end);
        kflags = 1;
    }
    __bk_cp_enter();
    long r;
    while ((r = bk_syscall6(BK_NR_clock_nanosleep, k, kflags, (long)&kreq, (long)&krem, 0, 0)) ==
           -BK_EINTR) {
        if (__bk_sig_interrupted())
            break;
    }
    __bk_cp_leave();
    if (r == -BK_EINTR) {
        if (rem && !(flags & TIMER_ABSTIME)) {
            struct timespec now;
            (void)__bk_now(clk, &now);
            long long left = ((long long)end.tv_sec - now.tv_sec) * 1000000000LL +
                             (end.tv_nsec - now.tv_nsec);
            if (left < 0)
                left = 0;
            rem->tv_sec = (time_t)(left / 1000000000LL);
            rem->tv_nsec = (long)(left % 1000000000LL);
        }
        return EINTR;
    }
    if (bk_is_error(r)) {
        if (rem && !(flags & TIMER_ABSTIME)) {
            rem->tv_sec = krem.tv_sec;
            rem->tv_nsec = krem.tv_nsec;
        }
        return __bk_errno_from_linux((int)-r);
    }
    return 0;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
    int e = clock_nanosleep(CLOCK_MONOTONIC, 0, req, rem);
    return e ? bk_fail(e) : 0;
}

unsigned sleep(unsigned seconds)
{
    struct timespec req = { (time_t)seconds, 0 }, rem = { 0, 0 };
    if (nanosleep(&req, &rem) < 0)
        return (unsigned)rem.tv_sec + (rem.tv_nsec > 0);
    return 0;
}

int usleep(useconds_t us)
{
    if (us >= 1000000)
        return bk_fail(EINVAL);
    struct timespec req = { 0, (long)us * 1000 };
    return nanosleep(&req, NULL);
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
    (void)tz;
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
        return -1;
    if (tv) {
        tv->tv_sec = ts.tv_sec;
        tv->tv_usec = (suseconds_t)(ts.tv_nsec / 1000);
    }
    return 0;
}

time_t time(time_t *t)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
        return (time_t)-1;
    if (t)
        *t = ts.tv_sec;
    return ts.tv_sec;
}

/* One process, no children: its CPU time is the process's CPU-time clock (user time: the kernel
 * does not separate system time), and the return value the elapsed monotonic time, both in
 * CLK_TCK units (1000000, <machine/time.h>). clock() (picolibc's) adds the two CPU times. */
clock_t times(struct tms *buf)
{
    struct timespec ts, cpu;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0 || clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu) < 0)
        return (clock_t)-1;
    clock_t ticks = (clock_t)(ts.tv_sec * CLK_TCK + ts.tv_nsec / (1000000000L / CLK_TCK));
    if (buf) {
        buf->tms_utime = (clock_t)(cpu.tv_sec * CLK_TCK + cpu.tv_nsec / (1000000000L / CLK_TCK));
        buf->tms_stime = 0;
        buf->tms_cutime = 0;
        buf->tms_cstime = 0;
    }
    return ticks;
}

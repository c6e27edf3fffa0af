/* Clocks: CLOCK_REALTIME settable with the monotonic clock unaffected, absolute realtime sleeps,
 * the CPU-time clocks (process, thread, pthread_getcpuclockid, clock_getcpuclockid), and
 * CLOCKS_PER_SEC / clock(). */
#include <pthread.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "conform.h"

static long long ns(const struct timespec *t)
{
    return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static void spin_ms(long ms)
{
    long long end = conform_ns(CLOCK_MONOTONIC) + ms * 1000000LL;
    while (conform_ns(CLOCK_MONOTONIC) < end)
        ;
}

static volatile int worker_go, worker_start;
static clockid_t worker_clk;

static void *worker(void *arg)
{
    (void)arg;
    while (!worker_start)
        sched_yield();
    spin_ms(30);
    worker_go = 1;
    while (worker_go != 2)
        sched_yield();
    return NULL;
}

int main(void)
{
    struct timespec rt0, mono0, t, res;
    clock_gettime(CLOCK_REALTIME, &rt0);
    clock_gettime(CLOCK_MONOTONIC, &mono0);
#if defined(_POSIX_CPUTIME) && _POSIX_CPUTIME > 0 && defined(_POSIX_THREAD_CPUTIME) && \
    _POSIX_THREAD_CPUTIME > 0
    CHECK(1, "clock_getcpuclockid: _POSIX_CPUTIME and _POSIX_THREAD_CPUTIME defined > 0");
#else
    CHECK(0, "clock_getcpuclockid: _POSIX_CPUTIME and _POSIX_THREAD_CPUTIME defined > 0");
#endif
    /* the host passed its time of day at boot: after 2020-01-01 */
    CHECK(rt0.tv_sec > 1577836800, "clock_gettime: CLOCK_REALTIME is the time of day (after 2020)");

    /* ---- clock_settime ---- */
    struct timespec set = { 2000000000, 500000000 }; /* 2033-05-18 */
    CHECK(clock_settime(CLOCK_REALTIME, &set) == 0, "clock_settime: CLOCK_REALTIME can be set");
    clock_gettime(CLOCK_REALTIME, &t);
    CHECK(t.tv_sec == 2000000000 && ns(&t) - ns(&set) < 500000000LL,
          "clock_settime: CLOCK_REALTIME reads the time just set");
    clock_gettime(CLOCK_MONOTONIC, &t);
    CHECK(ns(&t) >= ns(&mono0) && ns(&t) - ns(&mono0) < 5000000000LL,
          "clock_settime: CLOCK_MONOTONIC unaffected by setting CLOCK_REALTIME");
    CHECK(time(NULL) == 2000000000, "clock_settime: time() follows the new CLOCK_REALTIME");
    struct timeval tv;
    gettimeofday(&tv, NULL);
    CHECK(tv.tv_sec == 2000000000, "clock_settime: gettimeofday follows the new CLOCK_REALTIME");

    struct timespec bad = { 1, 1000000000L };
    CHECK_ERR(clock_settime(CLOCK_REALTIME, &bad), EINVAL,
              "clock_settime: tv_nsec 1000000000 gives EINVAL");
    bad.tv_nsec = -1;
    CHECK_ERR(clock_settime(CLOCK_REALTIME, &bad), EINVAL, "clock_settime: tv_nsec -1 gives EINVAL");
    struct timespec one = { 100, 0 };
    CHECK_ERR(clock_settime(CLOCK_MONOTONIC, &one), EINVAL,
              "clock_settime: CLOCK_MONOTONIC cannot be set (EINVAL)");
    CHECK_ERR(clock_settime((clockid_t)12345, &one), EINVAL,
              "clock_settime: an unknown clock gives EINVAL");
    CHECK_ERR(clock_settime(CLOCK_PROCESS_CPUTIME_ID, &one), EINVAL,
              "clock_settime: CLOCK_PROCESS_CPUTIME_ID cannot be set (EINVAL)");
    clock_gettime(CLOCK_REALTIME, &t);
    CHECK(t.tv_sec == 2000000000, "clock_settime: a refused call leaves CLOCK_REALTIME as it was");

    /* ---- clock_nanosleep on CLOCK_REALTIME with TIMER_ABSTIME after the set ---- */
    struct timespec until = conform_after(CLOCK_REALTIME, 50000000LL), m1, m2;
    clock_gettime(CLOCK_MONOTONIC, &m1);
    int rc = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &until, NULL);
    clock_gettime(CLOCK_MONOTONIC, &m2);
    CHECK(rc == 0, "clock_nanosleep: absolute CLOCK_REALTIME deadline 50 ms ahead succeeds");
    CHECK(ns(&m2) - ns(&m1) >= 45000000LL && ns(&m2) - ns(&m1) < 2000000000LL,
          "clock_nanosleep: absolute CLOCK_REALTIME deadline sleeps about 50 ms, not 0 or years");
    clock_gettime(CLOCK_REALTIME, &t);
    CHECK(ns(&t) >= ns(&until), "clock_nanosleep: wakes at or after the absolute deadline");
    struct timespec past = { 1000, 0 };
    CHECK(clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &past, NULL) == 0,
          "clock_nanosleep: an absolute deadline already passed returns 0 at once");

    /* back to the real time of day (what the rest of the run expects) */
    CHECK(clock_settime(CLOCK_REALTIME, &rt0) == 0, "clock_settime: can be set back");
    clock_gettime(CLOCK_REALTIME, &t);
    CHECK(t.tv_sec >= rt0.tv_sec && t.tv_sec < rt0.tv_sec + 10,
          "clock_settime: setting back restores the time of day");

    /* ---- CPU-time clocks ---- */
    struct timespec p0, p1, th0, th1;
    CHECK(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &p0) == 0,
          "clock_gettime: CLOCK_PROCESS_CPUTIME_ID readable");
    CHECK(clock_gettime(CLOCK_THREAD_CPUTIME_ID, &th0) == 0,
          "clock_gettime: CLOCK_THREAD_CPUTIME_ID readable");
    spin_ms(40);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &p1);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &th1);
    CHECK(ns(&th1) - ns(&th0) >= 30000000LL,
          "clock_gettime: CLOCK_THREAD_CPUTIME_ID advances by the time the thread spun (40 ms)");
    CHECK(ns(&p1) - ns(&p0) >= 30000000LL,
          "clock_gettime: CLOCK_PROCESS_CPUTIME_ID advances while the process runs");
    struct timespec s0, s1;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &s0);
    struct timespec nap = { 0, 50000000 };
    nanosleep(&nap, NULL);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &s1);
    CHECK(ns(&s1) - ns(&s0) < 25000000LL,
          "clock_gettime: CLOCK_THREAD_CPUTIME_ID does not count a 50 ms sleep");
    CHECK(clock_getres(CLOCK_THREAD_CPUTIME_ID, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0,
          "clock_getres: CLOCK_THREAD_CPUTIME_ID has a resolution");
    CHECK(clock_getres(CLOCK_PROCESS_CPUTIME_ID, &res) == 0,
          "clock_getres: CLOCK_PROCESS_CPUTIME_ID has a resolution");

    clockid_t pc;
    CHECK_RC(clock_getcpuclockid(0, &pc), 0, "clock_getcpuclockid: pid 0 gives the process clock");
    CHECK(pc == CLOCK_PROCESS_CPUTIME_ID || clock_gettime(pc, &t) == 0,
          "clock_getcpuclockid: the clock is readable");
    CHECK_RC(clock_getcpuclockid(getpid(), &pc), 0, "clock_getcpuclockid: getpid() accepted");
    CHECK_RC(clock_getcpuclockid(getpid() + 1000, &pc), ESRCH,
             "clock_getcpuclockid: another pid gives ESRCH");

    /* a worker's clock, read from main: it counts the worker's spinning, not main's */
    pthread_t th;
    pthread_create(&th, NULL, worker, NULL);
    CHECK_RC(pthread_getcpuclockid(th, &worker_clk), 0,
             "pthread_getcpuclockid: a live thread has a CPU clock");
    CHECK(worker_clk != CLOCK_REALTIME && worker_clk != CLOCK_MONOTONIC &&
              worker_clk != CLOCK_PROCESS_CPUTIME_ID,
          "pthread_getcpuclockid: the id is its own clock");
    struct timespec w0, w1, me0, me1;
    CHECK(clock_gettime(worker_clk, &w0) == 0,
          "pthread_getcpuclockid: clock_gettime reads the thread's clock");
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &me0);
    worker_start = 1;
    while (!worker_go)
        nanosleep(&(struct timespec){ 0, 2000000 }, NULL);
    clock_gettime(worker_clk, &w1);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &me1);
    CHECK(ns(&w1) - ns(&w0) >= 20000000LL,
          "pthread_getcpuclockid: the worker's clock counts its 30 ms of spinning");
    CHECK(ns(&me1) - ns(&me0) < ns(&w1) - ns(&w0),
          "pthread_getcpuclockid: main's own clock counted less (it slept meanwhile)");
    CHECK(clock_getres(worker_clk, &res) == 0, "clock_getres: a thread's CPU clock");
    CHECK(clock_nanosleep(worker_clk, 0, &nap, NULL) == EINVAL,
          "clock_nanosleep: a thread's CPU clock gives EINVAL");
    CHECK(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &nap, NULL) == EINVAL,
          "clock_nanosleep: CLOCK_THREAD_CPUTIME_ID gives EINVAL");
    struct timespec pz;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &pz);
    CHECK(ns(&pz) >= ns(&w1), "clock_gettime: the process clock includes the worker's time");
    worker_go = 2;
    pthread_join(th, NULL);
    struct timespec pa;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &pa);
    CHECK(ns(&pa) >= ns(&pz), "clock_gettime: the process clock keeps an exited thread's time");

    /* ---- CLOCKS_PER_SEC and clock() (XSI: 1000000) ---- */
    CHECK(CLOCKS_PER_SEC == 1000000, "clock: CLOCKS_PER_SEC is 1000000 (XSI)");
    clock_t c0 = clock();
    spin_ms(30);
    clock_t c1 = clock();
    CHECK(c0 != (clock_t)-1 && c1 - c0 >= (clock_t)(CLOCKS_PER_SEC / 50),
          "clock: 30 ms of spinning is at least 20 ms of processor time");
    CONFORM_DONE();
}

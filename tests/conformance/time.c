/* <time.h>/<sys/time.h>: clocks advance, sleeps last at least as asked (measured against the
 * monotonic clock), invalid arguments fail with EINVAL. */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "conform.h"

int main(void)
{
    struct timespec a, b, res;
    CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0, "clock_gettime CLOCK_MONOTONIC");
    CHECK(clock_gettime(CLOCK_REALTIME, &b) == 0, "clock_gettime CLOCK_REALTIME");
    CHECK(a.tv_nsec >= 0 && a.tv_nsec < 1000000000L, "tv_nsec in range");
    CHECK_ERR(clock_gettime((clockid_t)12345, &a), EINVAL, "unknown clock: EINVAL");
    CHECK(clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0,
          "clock_getres");
    long long t0 = conform_ns(CLOCK_MONOTONIC);
    struct timespec req = { 0, 30 * 1000000L };
    CHECK(nanosleep(&req, NULL) == 0, "nanosleep 30 ms");
    long long slept = conform_ns(CLOCK_MONOTONIC) - t0;
    CHECK(slept >= 30000000LL, "nanosleep lasted at least 30 ms");
    CHECK(slept < 2000000000LL, "nanosleep did not last seconds");
    req.tv_nsec = 1000000000L;
    CHECK_ERR(nanosleep(&req, NULL), EINVAL, "nanosleep with tv_nsec = 1e9: EINVAL");
    req.tv_sec = -1;
    req.tv_nsec = 0;
    CHECK_ERR(nanosleep(&req, NULL), EINVAL, "nanosleep with a negative time: EINVAL");
    t0 = conform_ns(CLOCK_MONOTONIC);
    struct timespec until = conform_after(CLOCK_MONOTONIC, 20000000LL);
    CHECK(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == 0,
          "clock_nanosleep TIMER_ABSTIME");
    CHECK(conform_ns(CLOCK_MONOTONIC) - t0 >= 20000000LL, "absolute sleep reached its deadline");
    CHECK(usleep(10000) == 0, "usleep 10 ms");
    CHECK(conform_ns(CLOCK_MONOTONIC) - t0 >= 30000000LL, "usleep slept");
    long long m1 = conform_ns(CLOCK_MONOTONIC), m2 = conform_ns(CLOCK_MONOTONIC);
    CHECK(m2 >= m1, "the monotonic clock does not go back");
    struct timeval tv;
    CHECK(gettimeofday(&tv, NULL) == 0 && tv.tv_usec >= 0 && tv.tv_usec < 1000000,
          "gettimeofday");
    time_t now = time(NULL);
    CHECK(now != (time_t)-1 && (now - tv.tv_sec) >= 0 && (now - tv.tv_sec) <= 1,
          "time() agrees with gettimeofday");
    CHECK(sleep(0) == 0, "sleep(0)");

    /* The time of day is the host's (passed at boot), not 1970 + the time since boot. */
    CHECK(now > 1577836800 /* 2020-01-01 */, "time() is the time of day, not seconds since boot");
    struct stat st;
    int fd = open("/tmp/stamp", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0 && fstat(fd, &st) == 0 && st.st_mtime >= now - 1 && st.st_mtime <= time(NULL),
          "a new file's mtime is the time of day");
    if (fd >= 0)
        close(fd);
    /* An absolute CLOCK_REALTIME deadline 20 ms ahead: waited for, measured on MONOTONIC. */
    t0 = conform_ns(CLOCK_MONOTONIC);
    until = conform_after(CLOCK_REALTIME, 20000000LL);
    CHECK(clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &until, NULL) == 0,
          "clock_nanosleep CLOCK_REALTIME TIMER_ABSTIME");
    long long waited = conform_ns(CLOCK_MONOTONIC) - t0;
    CHECK(waited >= 19000000LL && waited < 2000000000LL,
          "an absolute time-of-day deadline is reached, not seconds or decades away");
    CONFORM_DONE();
}

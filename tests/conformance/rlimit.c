/* Resource limits and usage (<sys/resource.h>, XSI): the RLIMIT_* names and struct rlimit,
 * getrlimit/setrlimit kept and reported (a soft limit above the hard one is EINVAL), the
 * descriptor limit the kernel's and sysconf(_SC_OPEN_MAX)'s, getrusage's times moving. The
 * conformance driver runs this as `conform rlimit`. */
#include <sys/resource.h>
#include <unistd.h>

#include "conform.h"

int main(void)
{
    struct rlimit rl, old;
    const int names[] = { RLIMIT_CORE, RLIMIT_CPU, RLIMIT_DATA, RLIMIT_FSIZE, RLIMIT_NOFILE,
                          RLIMIT_STACK, RLIMIT_AS };
    int all = 1;
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
        all &= getrlimit(names[i], &rl) == 0 && rl.rlim_cur <= rl.rlim_max;
    CHECK(all, "getrlimit: getrlimit answers every RLIMIT_* name, soft <= hard");
    CHECK(RLIM_INFINITY == (rlim_t)-1 && sizeof(rlim_t) >= 8, "getrlimit: RLIM_INFINITY, a 64-bit rlim_t");
    CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur == 64 && rl.rlim_max == 64,
          "getrlimit: RLIMIT_NOFILE is the kernel's 64 descriptors");
    CHECK(sysconf(_SC_OPEN_MAX) == (long)rl.rlim_cur, "sysconf: sysconf(_SC_OPEN_MAX) is RLIMIT_NOFILE");
    CHECK(getrlimit(RLIMIT_STACK, &old) == 0, "getrlimit: getrlimit RLIMIT_STACK");
    rl.rlim_cur = 256 * 1024;
    rl.rlim_max = old.rlim_max;
    CHECK(setrlimit(RLIMIT_STACK, &rl) == 0, "setrlimit: setrlimit lowers the soft stack limit");
    CHECK(getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur == 256 * 1024 &&
          rl.rlim_max == old.rlim_max, "getrlimit: getrlimit reports what was set");
    rl.rlim_cur = 2;
    rl.rlim_max = 1;
    CHECK_ERR(setrlimit(RLIMIT_STACK, &rl), EINVAL, "setrlimit: setrlimit soft above hard: EINVAL");
    CHECK(setrlimit(RLIMIT_STACK, &old) == 0, "setrlimit: setrlimit restores the old limit");
    CHECK_ERR(getrlimit(-1, &rl), EINVAL, "getrlimit: getrlimit(-1): EINVAL");
    CHECK_ERR(setrlimit(9999, &old), EINVAL, "setrlimit: setrlimit(9999): EINVAL");
    rl.rlim_cur = rl.rlim_max = 1000;
    CHECK_ERR(setrlimit(RLIMIT_NOFILE, &rl), EPERM, "setrlimit: RLIMIT_NOFILE above the kernel's: EPERM");
    rl.rlim_cur = 0;
    rl.rlim_max = RLIM_INFINITY;
    CHECK(setrlimit(RLIMIT_CORE, &rl) == 0, "setrlimit: RLIMIT_CORE 0");

    struct rusage a, b;
    CHECK(getrusage(RUSAGE_SELF, &a) == 0, "getrusage: getrusage RUSAGE_SELF");
    struct timespec d = { 0, 20000000L };
    nanosleep(&d, NULL);
    CHECK(getrusage(RUSAGE_SELF, &b) == 0, "getrusage: getrusage again");
    long long ua = a.ru_utime.tv_sec * 1000000LL + a.ru_utime.tv_usec;
    long long ub = b.ru_utime.tv_sec * 1000000LL + b.ru_utime.tv_usec;
    CHECK(ub > ua && a.ru_utime.tv_usec < 1000000, "getrlimit: ru_utime moves forward, usec < 1e6");
    CHECK(getrusage(RUSAGE_CHILDREN, &a) == 0 && a.ru_utime.tv_sec == 0 &&
          a.ru_utime.tv_usec == 0, "getrusage: RUSAGE_CHILDREN: no children, no time");
    CHECK_ERR(getrusage(42, &a), EINVAL, "getrusage: getrusage(42): EINVAL");
    CONFORM_DONE();
}

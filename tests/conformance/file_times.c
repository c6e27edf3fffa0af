/* Settable file times: utimensat/futimens/utimes/utime store access and modification times
 * (nanoseconds kept), UTIME_NOW and UTIME_OMIT as POSIX says, the change time moves to now,
 * and the errors: EINVAL for a bad tv_nsec or flag, ENOENT, EBADF. */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "conform.h"

static struct stat st_of(const char *p)
{
    struct stat st;
    memset(&st, 0, sizeof st);
    stat(p, &st);
    return st;
}

int main(void)
{
    const char *p = "/tmp/times.txt";
    int fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0 && write(fd, "x", 1) == 1, "open: a file to set times on");
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);

    struct timespec t[2] = { { 1000000000, 123456789 }, { 1200000000, 987654321 } };
    CHECK(utimensat(AT_FDCWD, p, t, 0) == 0, "utimensat: explicit times");
    struct stat st = st_of(p);
    CHECK(st.st_atim.tv_sec == 1000000000 && st.st_atim.tv_nsec == 123456789,
          "utimensat: st_atim as given, to the nanosecond");
    CHECK(st.st_mtim.tv_sec == 1200000000 && st.st_mtim.tv_nsec == 987654321,
          "utimensat: st_mtim as given, to the nanosecond");
    CHECK(st.st_ctim.tv_sec >= now.tv_sec - 1, "utimensat: st_ctim moved to now");

    struct timespec omit_a[2] = { { 5, UTIME_OMIT }, { 1300000000, 0 } };
    CHECK(utimensat(AT_FDCWD, p, omit_a, 0) == 0, "utimensat: UTIME_OMIT for the access time");
    st = st_of(p);
    CHECK(st.st_atim.tv_sec == 1000000000 && st.st_mtime == 1300000000,
          "utimensat: UTIME_OMIT kept atime, mtime set");

    struct timespec now_m[2] = { { 0, UTIME_OMIT }, { 0, UTIME_NOW } };
    CHECK(utimensat(AT_FDCWD, p, now_m, 0) == 0, "utimensat: UTIME_NOW for the modification time");
    st = st_of(p);
    CHECK(st.st_atime == 1000000000 && st.st_mtime >= now.tv_sec - 1 &&
              st.st_mtime <= now.tv_sec + 60,
          "utimensat: UTIME_NOW is the time of day");

    struct timespec both_omit[2] = { { 0, UTIME_OMIT }, { 0, UTIME_OMIT } };
    time_t m0 = st.st_mtime;
    CHECK(utimensat(AT_FDCWD, p, both_omit, 0) == 0 && st_of(p).st_mtime == m0,
          "utimensat: both UTIME_OMIT change nothing");

    CHECK(utimensat(AT_FDCWD, p, NULL, 0) == 0, "utimensat: NULL means now");
    st = st_of(p);
    CHECK(st.st_atime >= now.tv_sec - 1 && st.st_mtime >= now.tv_sec - 1,
          "utimensat: NULL set both to now");

    struct timespec f[2] = { { 1400000000, 5 }, { 1500000000, 6 } };
    CHECK(futimens(fd, f) == 0, "futimens: explicit times");
    st = st_of(p);
    CHECK(st.st_atim.tv_nsec == 5 && st.st_mtime == 1500000000 && st.st_mtim.tv_nsec == 6,
          "futimens: stored");

    struct timeval tv[2] = { { 1600000000, 250000 }, { 1700000000, 750000 } };
    CHECK(utimes(p, tv) == 0, "utimes: explicit times");
    st = st_of(p);
    CHECK(st.st_atime == 1600000000 && st.st_atim.tv_nsec == 250000000 &&
              st.st_mtime == 1700000000 && st.st_mtim.tv_nsec == 750000000,
          "utimes: microseconds kept");

    struct utimbuf ub = { 1100000000, 1111111111 };
    CHECK(utime(p, &ub) == 0, "utime: explicit times");
    st = st_of(p);
    CHECK(st.st_atime == 1100000000 && st.st_mtime == 1111111111, "utime: stored");

    CHECK(mkdir("/tmp/tdir", 0755) == 0 || errno == EEXIST, "mkdir: a directory");
    struct timespec d[2] = { { 1000, 0 }, { 2000, 0 } };
    CHECK(utimensat(AT_FDCWD, "/tmp/tdir", d, 0) == 0 && st_of("/tmp/tdir").st_mtime == 2000,
          "utimensat: a directory's times");

    /* Writing moves mtime to now again. */
    CHECK(write(fd, "y", 1) == 1 && st_of(p).st_mtime >= now.tv_sec - 1,
          "write: mtime is now after a write");

    struct timespec bad[2] = { { 0, 1000000000 }, { 0, 0 } };
    CHECK_ERR(utimensat(AT_FDCWD, p, bad, 0), EINVAL, "utimensat: tv_nsec 1e9 is EINVAL");
    struct timespec neg[2] = { { 0, 0 }, { 0, -1 } };
    CHECK_ERR(futimens(fd, neg), EINVAL, "futimens: negative tv_nsec is EINVAL");
    struct timeval badtv[2] = { { 0, 1000000 }, { 0, 0 } };
    CHECK_ERR(utimes(p, badtv), EINVAL, "utimes: tv_usec 1e6 is EINVAL");
    CHECK_ERR(utimensat(AT_FDCWD, p, t, 0x4000), EINVAL, "utimensat: an unknown flag is EINVAL");
    CHECK_ERR(utimensat(AT_FDCWD, "/tmp/no/such", t, 0), ENOENT, "utimensat: ENOENT");
    CHECK_ERR(utimes("/tmp/none", NULL), ENOENT, "utimes: ENOENT");
    CHECK_ERR(futimens(99, t), EBADF, "futimens: EBADF for a closed descriptor");
    int pfd[2];
    CHECK(pipe(pfd) == 0, "pipe: for futimens");
    CHECK_ERR(futimens(pfd[0], NULL), EINVAL, "futimens: EINVAL on a pipe (no inode)");
    close(pfd[0]);
    close(pfd[1]);

    close(fd);
    unlink(p);
    rmdir("/tmp/tdir");
    return conform_failed;
}

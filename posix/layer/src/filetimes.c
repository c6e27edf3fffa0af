/*
 * File times, special files and pipes to commands. utimensat()/futimens()/utimes() store access
 * and modification times through the proposed kernel calls SetFileTimes/FsetFileTimes, which
 * keep nanoseconds and understand UTIME_NOW/UTIME_OMIT; mknod()/mkfifo() and popen() fail with
 * the errno of a missing facility.
 *
 * Permissions: BlueOS runs one user, who owns every file and may set any time, so the EACCES and
 * EPERM cases of POSIX (not the owner, no write access) never arise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>

#include "internal.h"

/* times (NULL: both now) -> the kernel's two timespecs; EINVAL for a bad tv_nsec. The kernel
 * checks too, but picolibc's time_t is wider than the kernel's long on Cortex-M. */
static int to_kernel(const struct timespec *times, struct bk_kts k[2])
{
    for (int i = 0; i < 2; i++) {
        if (!times) {
            k[i].tv_sec = 0;
            k[i].tv_nsec = UTIME_NOW;
            continue;
        }
        long ns = times[i].tv_nsec;
        if (ns != UTIME_NOW && ns != UTIME_OMIT) {
            if (ns < 0 || ns >= 1000000000L)
                return bk_fail(EINVAL);
            /* the file system keeps times of day from 1970 up to what a long holds */
            if (times[i].tv_sec < 0 || (long long)times[i].tv_sec != (long)times[i].tv_sec)
                return bk_fail(EINVAL);
        }
        k[i] = bk_kts_from(&times[i]);
    }
    return 0;
}

/* dirfd must be AT_FDCWD unless the path is absolute (the kernel has no *at calls). */
/* bkport: partial: only AT_FDCWD or an absolute path (else ENOTSUP); AT_SYMLINK_NOFOLLOW on a symbolic link ENOTSUP */
int utimensat(int dirfd, const char *path, const struct timespec times[2], int flags)
{
    struct bk_kts k[2];
    if (!path)
        return bk_fail(EFAULT);
    if (flags & ~AT_SYMLINK_NOFOLLOW)
        return bk_fail(EINVAL);
    if (dirfd != AT_FDCWD && path[0] != '/')
        return bk_fail(ENOTSUP);
    if (to_kernel(times, k) < 0)
        return -1;
    if (flags & AT_SYMLINK_NOFOLLOW) {
        /* the kernel stores no times for a link itself: only a path that is not one */
        struct stat st;
        if (lstat(path, &st) < 0)
            return -1;
        if (S_ISLNK(st.st_mode))
            return bk_fail(ENOTSUP);
    }
    return (int)bk_fix(bk_set_file_times(path, BK_KTS(&k[0]), BK_KTS(&k[1])));
}

int futimens(int fd, const struct timespec times[2])
{
    struct bk_kts k[2];
    if (to_kernel(times, k) < 0)
        return -1;
    return (int)bk_fix(bk_fset_file_times(fd, BK_KTS(&k[0]), BK_KTS(&k[1])));
}

int utimes(const char *path, const struct timeval times[2])
{
    if (!times)
        return utimensat(AT_FDCWD, path, NULL, 0);
    struct timespec ts[2];
    for (int i = 0; i < 2; i++) {
        if (times[i].tv_usec < 0 || times[i].tv_usec >= 1000000)
            return bk_fail(EINVAL);
        ts[i].tv_sec = times[i].tv_sec;
        ts[i].tv_nsec = times[i].tv_usec * 1000L;
    }
    return utimensat(AT_FDCWD, path, ts, 0);
}

/* bkport: stub: the file system has no device nodes (EPERM: not permitted to create them) */
int mknod(const char *path, mode_t mode, dev_t dev)
{
    (void)path, (void)mode, (void)dev;
    return bk_fail(EPERM);
}

/* bkport: stub: no named pipes: the file system has no FIFO nodes (ENOSYS); pipe() makes unnamed ones */
int mkfifo(const char *path, mode_t mode)
{
    (void)path, (void)mode;
    return bk_fail(ENOSYS);
}

/* bkport: stub: popen needs fork and a pipe; BlueOS runs one process (ENOSYS, as fork()) */
FILE *popen(const char *command, const char *mode)
{
    (void)command, (void)mode;
    errno = ENOSYS;
    return NULL;
}

/* bkport: stub: popen() never returns a stream, so there is none to close (ECHILD: no child) */
int pclose(FILE *stream)
{
    (void)stream;
    return bk_fail(ECHILD);
}

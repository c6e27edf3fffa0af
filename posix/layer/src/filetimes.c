/*
 * File times, special files and pipes to commands: what the kernel has no call for.
 * utimensat()/futimens()/utimes() check their arguments and the file like POSIX says, then can only
 * accept "now" and "omit" (there is no call to store a time); mknod()/mkfifo() and popen()
 * fail with the errno of a missing facility.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>

#include "internal.h"

static int times_ok(const struct timespec t[2])
{
    if (!t)
        return 0;
    for (int i = 0; i < 2; i++) {
        long ns = t[i].tv_nsec;
        if (ns != UTIME_NOW && ns != UTIME_OMIT && (ns < 0 || ns >= 1000000000L))
            return bk_fail(EINVAL);
    }
    for (int i = 0; i < 2; i++)
        if (t[i].tv_nsec != UTIME_NOW && t[i].tv_nsec != UTIME_OMIT)
            return bk_fail(ENOSYS); /* an explicit time cannot be stored */
    return 0;
}

/* The kernel has no call to set file times: "now" and "omit" (and NULL) succeed without changing
 * the recorded times, an explicit time fails with ENOSYS; only AT_FDCWD or an absolute path. */
/* bkport: partial: no kernel call to set file times: now/omit succeed without effect, explicit times ENOSYS */
int utimensat(int dirfd, const char *path, const struct timespec times[2], int flags)
{
    struct stat st;
    (void)flags; /* no symbolic links: AT_SYMLINK_NOFOLLOW changes nothing */
    if (!path)
        return bk_fail(EFAULT);
    if (dirfd != AT_FDCWD && path[0] != '/')
        return bk_fail(ENOTSUP);
    if (stat(path, &st) < 0)
        return -1;
    return times_ok(times);
}

/* bkport: partial: as utimensat(): "now"/"omit" succeed without effect, explicit times ENOSYS */
int futimens(int fd, const struct timespec times[2])
{
    struct stat st;
    if (fstat(fd, &st) < 0)
        return -1;
    return times_ok(times);
}

/* bkport: partial: as utimensat(): NULL succeeds without effect, explicit times ENOSYS */
int utimes(const char *path, const struct timeval times[2])
{
    struct stat st;
    if (stat(path, &st) < 0)
        return -1;
    if (!times)
        return 0;
    for (int i = 0; i < 2; i++)
        if (times[i].tv_usec < 0 || times[i].tv_usec >= 1000000)
            return bk_fail(EINVAL);
    return bk_fail(ENOSYS);
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

/*
 * File-system information and device control: statvfs/fstatvfs over Statfs/FStatfs (the
 * kernel's struct statfs, kernel/src/abi.rs: eight u64 words), ioctl (<sys/ioctl.h>), utime
 * (<utime.h>, over utimensat), and POSIX's advisory information (posix_fadvise,
 * posix_fallocate).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <utime.h>

#include "internal.h"

struct bk_kstatfs {
    uint64_t f_type, f_bsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree, f_namelen;
};

static void from_kstatfs(struct statvfs *v, const struct bk_kstatfs *k)
{
    v->f_bsize = (unsigned long)k->f_bsize;
    v->f_frsize = (unsigned long)k->f_bsize;
    v->f_blocks = (fsblkcnt_t)k->f_blocks;
    v->f_bfree = (fsblkcnt_t)k->f_bfree;
    v->f_bavail = (fsblkcnt_t)k->f_bavail;
    v->f_files = (fsfilcnt_t)k->f_files;
    v->f_ffree = (fsfilcnt_t)k->f_ffree;
    v->f_favail = (fsfilcnt_t)k->f_ffree;
    v->f_fsid = (unsigned long)k->f_type;
    v->f_flag = 0;
    v->f_namemax = (unsigned long)k->f_namelen;
}

int statvfs(const char *restrict path, struct statvfs *restrict v)
{
    struct bk_kstatfs k;
    if (bk_fix(bk_statfs(path, (struct statfs *)(void *)&k)) < 0)
        return -1;
    from_kstatfs(v, &k);
    return 0;
}

int fstatvfs(int fd, struct statvfs *v)
{
    struct bk_kstatfs k;
    if (bk_fix(bk_fstatfs(fd, (struct statfs *)(void *)&k)) < 0)
        return -1;
    from_kstatfs(v, &k);
    return 0;
}

/* FIONREAD and TIOCGWINSZ go to the kernel's Ioctl; the requests that only set a descriptor flag
 * are fcntl() in other words, so the layer answers them. Anything else is the kernel's (ENOTTY). */
int ioctl(int fd, unsigned long request, ...)
{
    va_list ap;
    va_start(ap, request);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    /* 32 bits, as Linux reads it: a caller that declared `int request` may leave the upper half
     * of the register undefined. */
    unsigned req = (unsigned)request;
    switch (req) {
    case FIONBIO: {
        int fl = fcntl(fd, F_GETFL);
        if (fl < 0)
            return -1;
        if (!arg)
            return bk_fail(EFAULT);
        fl = *(const int *)arg ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
        return fcntl(fd, F_SETFL, fl) < 0 ? -1 : 0;
    }
    case FIOCLEX:
    case FIONCLEX:
        return fcntl(fd, F_SETFD, req == FIOCLEX ? FD_CLOEXEC : 0) < 0 ? -1 : 0;
    default:
        return (int)bk_fix(bk_ioctl(fd, req, arg));
    }
}

/* As utimensat(), which it is (filetimes.c): whole seconds, NULL for now. */
int utime(const char *path, const struct utimbuf *times)
{
    if (!times)
        return utimensat(AT_FDCWD, path, NULL, 0);
    struct timespec ts[2] = { { times->actime, 0 }, { times->modtime, 0 } };
    return utimensat(AT_FDCWD, path, ts, 0);
}

/* Which file descriptors advice and preallocation apply to: POSIX's error number for the
 * others (a pipe, a socket: ESPIPE; a directory or a device: ENODEV), 0 for a regular file. */
static int regular_file(int fd, struct stat *st)
{
    int saved = errno;
    int e = fstat(fd, st) < 0 ? errno : 0;
    errno = saved;
    if (e)
        return e;
    if (S_ISFIFO(st->st_mode) || S_ISSOCK(st->st_mode))
        return ESPIPE;
    return S_ISREG(st->st_mode) ? 0 : ENODEV;
}

/* Advice only: a RAM file system has no read-ahead or cache to tune, so every valid advice is
 * taken and changes nothing. */
int posix_fadvise(int fd, off_t offset, off_t len, int advice)
{
    struct stat st;
    int e = regular_file(fd, &st);
    if (e == ENODEV)
        e = 0; /* POSIX: advice on other files may be ignored */
    if (e)
        return e;
    if (offset < 0 || len < 0)
        return EINVAL;
    switch (advice) {
    case POSIX_FADV_NORMAL:
    case POSIX_FADV_RANDOM:
    case POSIX_FADV_SEQUENTIAL:
    case POSIX_FADV_WILLNEED:
    case POSIX_FADV_DONTNEED:
    case POSIX_FADV_NOREUSE: return 0;
    default: return EINVAL;
    }
}

/* The file's bytes are in RAM, so allocating is growing it (zero-filled) to offset + len when
 * it is shorter; a file already that long is left as it is. */
int posix_fallocate(int fd, off_t offset, off_t len)
{
    struct stat st;
    if (offset < 0 || len <= 0)
        return EINVAL;
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || (flags & O_ACCMODE) == O_RDONLY)
        return EBADF;
    int e = regular_file(fd, &st);
    if (e)
        return e;
    if (offset > (off_t)0x7fffffff - len)
        return EFBIG;
    if (st.st_size >= offset + len)
        return 0;
    int saved = errno;
    e = ftruncate(fd, offset + len) < 0 ? errno : 0;
    errno = saved;
    return e;
}

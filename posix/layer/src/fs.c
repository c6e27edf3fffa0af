/*
 * <sys/stat.h> and the path calls of <unistd.h> over Stat/FStat/Mkdir/Rmdir/Unlink/Link/
 * Rename/Chdir/Getcwd/Ftruncate. The kernel fills its own struct stat (kernel/src/abi.rs,
 * 112 bytes on every arch); picolibc's differs per target, so it is copied field by field.
 * There are no symbolic links, users or permissions beyond the mode bits stored.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

struct bk_kstat {
    uint64_t st_dev, st_ino;
    uint32_t st_mode, st_nlink, st_uid, st_gid;
    uint64_t st_rdev;
    int64_t st_size, st_blksize, st_blocks;
    int64_t st_atim[2], st_mtim[2], st_ctim[2];
};
_Static_assert(sizeof(struct bk_kstat) == 112, "kernel struct stat is 112 bytes");

static void from_kstat(struct stat *st, const struct bk_kstat *k)
{
    memset(st, 0, sizeof *st);
    st->st_dev = (dev_t)k->st_dev;
    st->st_ino = (ino_t)k->st_ino;
    st->st_mode = (mode_t)k->st_mode; /* S_IF* and permission bits are the same octal values */
    st->st_nlink = (nlink_t)k->st_nlink;
    st->st_uid = (uid_t)k->st_uid;
    st->st_gid = (gid_t)k->st_gid;
    st->st_rdev = (dev_t)k->st_rdev;
    st->st_size = (off_t)k->st_size;
    st->st_blksize = (blksize_t)k->st_blksize;
    st->st_blocks = (blkcnt_t)k->st_blocks;
    st->st_atim.tv_sec = (time_t)k->st_atim[0];
    st->st_atim.tv_nsec = (long)k->st_atim[1];
    st->st_mtim.tv_sec = (time_t)k->st_mtim[0];
    st->st_mtim.tv_nsec = (long)k->st_mtim[1];
    st->st_ctim.tv_sec = (time_t)k->st_ctim[0];
    st->st_ctim.tv_nsec = (long)k->st_ctim[1];
}

int stat(const char *restrict path, struct stat *restrict st)
{
    struct bk_kstat k;
    if (bk_fix(bk_stat(path, (struct stat *)(void *)&k)) < 0)
        return -1;
    from_kstat(st, &k);
    return 0;
}

/* The kernel's Lstat; a kernel without it (ENOSYS) has no symbolic links, so stat() answers. */
int lstat(const char *restrict path, struct stat *restrict st)
{
    struct bk_kstat k;
    if (bk_fix(bk_lstat(path, (struct stat *)(void *)&k)) < 0)
        return errno == ENOSYS ? stat(path, st) : -1;
    from_kstat(st, &k);
    return 0;
}

int fstat(int fd, struct stat *st)
{
    struct bk_kstat k;
    if (bk_fix(bk_fstat(fd, (struct stat *)(void *)&k)) < 0)
        return -1;
    from_kstat(st, &k);
    return 0;
}

static mode_t cmask = 022;

mode_t umask(mode_t mask)
{
    mode_t old = cmask;
    cmask = mask & 0777;
    return old;
}

mode_t __bk_umask(void)
{
    return cmask;
}

int mkdir(const char *path, mode_t mode)
{
    if (bk_fix(bk_mkdir(path, mode & ~cmask & 07777)) == 0)
        return 0;
    /* The kernel answers EBUSY for "/" (a mount point); POSIX says EEXIST for any existing
     * name, and `mkdir -p` relies on it. */
    struct stat st;
    if (errno == EBUSY && stat(path, &st) == 0)
        errno = EEXIST;
    return -1;
}

int rmdir(const char *path)
{
    return (int)bk_fix(bk_rmdir(path));
}

int unlink(const char *path)
{
    return (int)bk_fix(bk_unlink(path));
}

int link(const char *a, const char *b)
{
    return (int)bk_fix(bk_link(a, b));
}

int rename(const char *a, const char *b)
{
    return (int)bk_fix(bk_rename(a, b));
}

/* remove(): unlink() for files, rmdir() for directories (C and POSIX). */
int remove(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return -1;
    return S_ISDIR(st.st_mode) ? rmdir(path) : unlink(path);
}

int chdir(const char *path)
{
    return (int)bk_fix(bk_chdir(path));
}

char *getcwd(char *buf, size_t size)
{
    char *own = NULL;
    if (!buf) {
        /* Widely used extension (glibc, musl): allocate when buf is NULL. */
        size = size ? size : 256;
        buf = own = malloc(size);
        if (!buf)
            return NULL;
    } else if (size == 0) {
        errno = EINVAL;
        return NULL;
    }
    if (bk_fix(bk_getcwd(buf, size)) < 0) {
        free(own);
        return NULL;
    }
    return buf;
}

int ftruncate(int fd, off_t len)
{
    if (len < 0)
        return bk_fail(EINVAL);
    return (int)bk_fix(bk_ftruncate(fd, (long)len));
}

int truncate(const char *path, off_t len)
{
    int fd = open(path, O_WRONLY);
    if (fd < 0)
        return -1;
    int r = ftruncate(fd, len);
    int e = errno;
    (void)close(fd);
    errno = e;
    return r;
}

/* One user, root: every existing file is readable and writable; X_OK needs an execute bit
 * (as for root on Linux). */
int access(const char *path, int amode)
{
    struct stat st;
    if (amode & ~(R_OK | W_OK | X_OK))
        return bk_fail(EINVAL);
    if (stat(path, &st) < 0)
        return -1;
    if ((amode & X_OK) && !S_ISDIR(st.st_mode) && !(st.st_mode & 0111))
        return bk_fail(EACCES);
    return 0;
}

int chmod(const char *path, mode_t mode)
{
    return (int)bk_fix(bk_chmod(path, mode & 07777));
}

int fchmod(int fd, mode_t mode)
{
    return (int)bk_fix(bk_fchmod(fd, mode & 07777));
}

/*
 * <unistd.h> and <fcntl.h> descriptor I/O over Read/Write/Open/Close/Lseek/Fcntl. Flag values
 * cross from picolibc's numbering to Linux's (the kernel's) here and nowhere else.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bkport/abi_translate.h>

#include "internal.h"

/* The generated flag translation (<bkport/abi_translate.h>): every O_* both sides define. */
int __bk_oflags_to_kernel(int flags)
{
    return bk_oflags_to_linux(flags);
}

int __bk_oflags_from_kernel(int kflags)
{
    return bk_oflags_from_linux(kflags);
}

ssize_t read(int fd, void *buf, size_t n)
{
    if (__bk_sock_read_shut(fd))
        return 0;
    return bk_fix(bk_read(fd, buf, n));
}

ssize_t write(int fd, const void *buf, size_t n)
{
    if (__bk_is_sock(fd))
        return __bk_sock_send(fd, buf, n, 0);
    ssize_t r = bk_fix(bk_write(fd, buf, n));
    if (r < 0 && errno == EPIPE) {
        /* A pipe with no reader: POSIX sends SIGPIPE to the writer (default action: end the
         * application) and the write fails with EPIPE when the signal is ignored or caught. */
        (void)raise(SIGPIPE);
        errno = EPIPE;
    }
    return r;
}

int open(const char *path, int flags, ...)
{
    mode_t mode = 0;
    if (flags & O_CREAT) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int) & 07777 & ~__bk_umask();
        va_end(ap);
    }
    return (int)bk_fix(bk_open(path, __bk_oflags_to_kernel(flags), mode));
}

int creat(const char *path, mode_t mode)
{
    return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

int close(int fd)
{
    __bk_sock_closed(fd);
    return (int)bk_fix(bk_close(fd));
}

/* bkport: partial: offsets past 2 GiB cannot be returned (Lseek answers an int) */
off_t lseek(int fd, off_t off, int whence)
{
    if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END)
        return bk_fail(EINVAL);
    return (off_t)bk_fix(bk_lseek(fd, (unsigned long)off, whence));
}

/* Record locks (F_GETLK, F_SETLK, F_SETLKW). POSIX locks belong to a process, and a process's
 * own locks never conflict with each other (a new lock over one it holds replaces it): with one
 * process there is nobody to conflict with, so every valid request is granted at once (F_SETLKW
 * never waits) and F_GETLK always finds the region free. No state is kept; what is checked is
 * everything POSIX makes an error for a single process. */
static int record_lock(int fd, int cmd, struct flock *fl)
{
    int fl_acc = fcntl(fd, F_GETFL);
    if (fl_acc < 0)
        return -1; /* EBADF */
    if (!fl)
        return bk_fail(EFAULT);
    int acc = fl_acc & O_ACCMODE;
    switch (fl->l_type) {
    case F_RDLCK:
        if (cmd != F_GETLK && acc == O_WRONLY)
            return bk_fail(EBADF); /* a read lock needs a descriptor open for reading */
        break;
    case F_WRLCK:
        if (cmd != F_GETLK && acc == O_RDONLY)
            return bk_fail(EBADF); /* a write lock needs one open for writing */
        break;
    case F_UNLCK:
        if (cmd == F_GETLK)
            return bk_fail(EINVAL); /* Linux's answer: there is no lock to test for */
        break;
    default:
        return bk_fail(EINVAL);
    }
    off_t base;
    struct stat st;
    switch (fl->l_whence) {
    case SEEK_SET:
        base = 0;
        break;
    case SEEK_CUR:
        base = lseek(fd, 0, SEEK_CUR);
        if (base < 0)
            base = 0; /* a pipe has no offset: its region starts at 0 */
        break;
    case SEEK_END:
        base = fstat(fd, &st) == 0 ? st.st_size : 0;
        break;
    default:
        return bk_fail(EINVAL);
    }
    /* The region: l_len > 0 is [start, start + len), 0 runs to the end of any file size, < 0 is
     * [start + len, start). It must not begin before offset 0, nor end past off_t's range. */
    long long start = (long long)base + fl->l_start;
    long long len = fl->l_len;
    if (len < 0) {
        start += len;
        len = -len;
    }
    if (start < 0)
        return bk_fail(EINVAL);
    long long off_max = sizeof(off_t) == 4 ? 0x7fffffffLL : 0x7fffffffffffffffLL;
    if (start > off_max || (len > 0 && len - 1 > off_max - start))
        return bk_fail(EOVERFLOW);
    if (cmd == F_GETLK)
        fl->l_type = F_UNLCK; /* everything else stays as the caller wrote it (POSIX) */
    return 0;
}

int fcntl(int fd, int cmd, ...)
{
    va_list ap;
    va_start(ap, cmd);
    unsigned long arg = va_arg(ap, unsigned long);
    va_end(ap);
    switch (cmd) {
    case F_DUPFD:
    case F_GETFD:
    case F_SETFD:
        return (int)bk_fix(bk_fcntl(fd, cmd, arg));
    case F_DUPFD_CLOEXEC: {
        int nfd = (int)bk_fix(bk_fcntl(fd, F_DUPFD, arg));
        if (nfd >= 0)
            (void)bk_fcntl(nfd, F_SETFD, FD_CLOEXEC);
        return nfd;
    }
    case F_GETFL: {
        int k = (int)bk_fix(bk_fcntl(fd, F_GETFL, 0));
        return k < 0 ? k : __bk_oflags_from_kernel(k);
    }
    case F_SETFL:
        return (int)bk_fix(bk_fcntl(fd, F_SETFL, (unsigned long)__bk_oflags_to_kernel((int)arg)));
    case F_GETLK:
    case F_SETLK:
    case F_SETLKW:
        return record_lock(fd, cmd, (struct flock *)arg);
    default:
        /* Ownership (F_GETOWN/F_SETOWN) has no meaning without other processes. */
        return bk_fail(EINVAL);
    }
}

/* lockf(): fcntl's record locks over [offset, offset + len) in lockf's terms. */
int lockf(int fd, int function, off_t len)
{
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_CUR, .l_start = 0, .l_len = len };
    switch (function) {
    case F_ULOCK:
        fl.l_type = F_UNLCK;
        return fcntl(fd, F_SETLK, &fl);
    case F_LOCK:
    case F_TLOCK:
        return fcntl(fd, function == F_LOCK ? F_SETLKW : F_SETLK, &fl);
    case F_TEST:
        /* 0: unlocked or locked by this process, which is every region here. */
        return fcntl(fd, F_GETLK, &fl) < 0 ? -1 : 0;
    default:
        return bk_fail(EINVAL);
    }
}

int dup(int fd)
{
    return fcntl(fd, F_DUPFD, 0);
}

/* Dup3 closes and fills fd2 in one trap, so no other thread can take the slot between. */
int dup2(int fd, int fd2)
{
    if (fcntl(fd, F_GETFD) < 0)
        return -1;
    if (fd2 < 0)
        return bk_fail(EBADF);
    if (fd == fd2)
        return fd2;
    long k = bk_dup3(fd, fd2, 0);
    if (k >= 0 || errno != BK_ENOSYS)
        return (int)bk_fix(k);
    /* A kernel without Dup3 (BlueOS today): close, then duplicate at the lowest free >= fd2. */
    (void)bk_close(fd2);
    int r = fcntl(fd, F_DUPFD, fd2);
    if (r >= 0 && r != fd2) {
        (void)bk_close(r);
        return bk_fail(EBADF);
    }
    return r;
}

/* The file system is in RAM: once write() returned, the data is as durable as it gets. */
int fsync(int fd)
{
    return fcntl(fd, F_GETFD) < 0 ? -1 : 0;
}

int fdatasync(int fd)
{
    return fsync(fd);
}

/* bkport: partial: seek-read-seek, not atomic against other threads sharing the descriptor */
ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
    off_t cur = lseek(fd, 0, SEEK_CUR);
    if (cur < 0 || lseek(fd, off, SEEK_SET) < 0)
        return -1;
    ssize_t r = read(fd, buf, n);
    int e = errno;
    (void)lseek(fd, cur, SEEK_SET);
    errno = e;
    return r;
}

/* bkport: partial: seek-write-seek, not atomic against other threads sharing the descriptor */
ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    off_t cur = lseek(fd, 0, SEEK_CUR);
    if (cur < 0 || lseek(fd, off, SEEK_SET) < 0)
        return -1;
    ssize_t r = write(fd, buf, n);
    int e = errno;
    (void)lseek(fd, cur, SEEK_SET);
    errno = e;
    return r;
}

/* A terminal is a character device: the console descriptors. */
int isatty(int fd)
{
    struct stat st;
    if (fstat(fd, &st) < 0)
        return 0;
    if (!S_ISCHR(st.st_mode)) {
        errno = ENOTTY;
        return 0;
    }
    return 1;
}

int dup3(int fd, int fd2, int flags)
{
    if (flags & ~O_CLOEXEC)
        return bk_fail(EINVAL);
    return (int)bk_fix(bk_dup3(fd, fd2, flags & O_CLOEXEC ? BK_O_CLOEXEC : 0));
}

int pipe2(int fds[2], int flags)
{
    if (flags & ~(O_NONBLOCK | O_CLOEXEC))
        return bk_fail(EINVAL);
    /* The kernel's PipeFds is two ints in this order: the array's layout. */
    return (int)bk_fix(bk_pipe2((struct PipeFds *)(void *)fds, __bk_oflags_to_kernel(flags)));
}

int pipe(int fds[2])
{
    return pipe2(fds, 0);
}

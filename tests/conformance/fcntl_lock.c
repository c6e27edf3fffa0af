/* Record locks for one process (what SQLite needs for a file database): F_SETLK/F_SETLKW grant
 * every valid request at once, threads of the process share its locks (no wait between them),
 * F_GETLK finds every region free, and the errors POSIX gives: EBADF for a bad descriptor or an
 * access mode the lock type needs, EINVAL for a bad l_type/l_whence or a region before 0.
 * lockf() over the same locks. */
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include "conform.h"

static struct flock lk(short type, short whence, long start, long len)
{
    struct flock f;
    memset(&f, 0, sizeof f);
    f.l_type = type;
    f.l_whence = whence;
    f.l_start = start;
    f.l_len = len;
    return f;
}

static int lock_fd;
static void *locker(void *arg)
{
    (void)arg;
    struct flock f = lk(F_WRLCK, SEEK_SET, 0, 0);
    return (void *)(long)fcntl(lock_fd, F_SETLKW, &f);
}

int main(void)
{
    const char *path = "/tmp/lock.db";
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0 && write(fd, "0123456789", 10) == 10, "write: create a 10-byte file");

    struct flock f = lk(F_WRLCK, SEEK_SET, 0, 0);
    CHECK(fcntl(fd, F_SETLK, &f) == 0, "fcntl: F_SETLK write lock on the whole file");
    f = lk(F_RDLCK, SEEK_SET, 2, 3);
    CHECK(fcntl(fd, F_SETLKW, &f) == 0, "fcntl: F_SETLKW read lock over part of it (replaces ours)");
    /* SQLite's lock bytes lie at 1 GiB, far past the end of a small database. */
    f = lk(F_WRLCK, SEEK_SET, 0x40000000L, 1);
    CHECK(fcntl(fd, F_SETLK, &f) == 0, "fcntl: a lock past the end of the file");
    f = lk(F_WRLCK, SEEK_SET, 0x40000002L, 510);
    CHECK(fcntl(fd, F_SETLK, &f) == 0, "fcntl: SQLite's shared range");
    f = lk(F_UNLCK, SEEK_SET, 0, 0);
    CHECK(fcntl(fd, F_SETLK, &f) == 0, "fcntl: F_UNLCK releases everything");

    f = lk(F_WRLCK, SEEK_CUR, 4, 2);
    f.l_pid = 1234;
    CHECK(fcntl(fd, F_GETLK, &f) == 0 && f.l_type == F_UNLCK, "fcntl: F_GETLK: no lock would block it");
    CHECK(f.l_whence == SEEK_CUR && f.l_start == 4 && f.l_len == 2 && f.l_pid == 1234,
          "fcntl: F_GETLK leaves the rest of the structure as it was");
    f = lk(F_UNLCK, SEEK_SET, 0, 0);
    CHECK_ERR(fcntl(fd, F_GETLK, &f), EINVAL, "fcntl: F_GETLK of F_UNLCK: EINVAL");

    f = lk(F_WRLCK, SEEK_SET, 0, 0);
    CHECK_ERR(fcntl(-1, F_SETLK, &f), EBADF, "fcntl: F_SETLK on descriptor -1: EBADF");
    CHECK_ERR(fcntl(60, F_SETLKW, &f), EBADF, "fcntl: F_SETLKW on a closed descriptor: EBADF");
    CHECK_ERR(fcntl(60, F_GETLK, &f), EBADF, "fcntl: F_GETLK on a closed descriptor: EBADF");
    f = lk(99, SEEK_SET, 0, 0);
    CHECK_ERR(fcntl(fd, F_SETLK, &f), EINVAL, "fcntl: a bad l_type: EINVAL");
    CHECK_ERR(fcntl(fd, F_GETLK, &f), EINVAL, "fcntl: a bad l_type to F_GETLK: EINVAL");
    f = lk(F_WRLCK, 7, 0, 0);
    CHECK_ERR(fcntl(fd, F_SETLK, &f), EINVAL, "fcntl: a bad l_whence: EINVAL");
    f = lk(F_WRLCK, SEEK_SET, -1, 1);
    CHECK_ERR(fcntl(fd, F_SETLK, &f), EINVAL, "fcntl: a region starting before 0: EINVAL");
    f = lk(F_WRLCK, SEEK_SET, 10, -20);
    CHECK_ERR(fcntl(fd, F_SETLK, &f), EINVAL, "fcntl: a negative length reaching before 0: EINVAL");
    f = lk(F_WRLCK, SEEK_SET, 10, -5);
    CHECK(fcntl(fd, F_SETLK, &f) == 0, "fcntl: a negative length: the bytes before l_start");
    f = lk(F_WRLCK, SEEK_END, -10, 10);
    CHECK(fcntl(fd, F_SETLK, &f) == 0, "fcntl: SEEK_END - 10: the whole file");
    f = lk(F_WRLCK, SEEK_END, -11, 1);
    CHECK_ERR(fcntl(fd, F_SETLK, &f), EINVAL, "fcntl: SEEK_END before the start: EINVAL");

    int ro = open(path, O_RDONLY), wo = open(path, O_WRONLY);
    f = lk(F_WRLCK, SEEK_SET, 0, 1);
    CHECK_ERR(fcntl(ro, F_SETLK, &f), EBADF, "fcntl: a write lock on a read-only descriptor: EBADF");
    CHECK_ERR(fcntl(ro, F_SETLKW, &f), EBADF, "fcntl: the same with F_SETLKW: EBADF");
    CHECK(fcntl(ro, F_GETLK, &f) == 0 && f.l_type == F_UNLCK, "fcntl: F_GETLK needs no access mode");
    f = lk(F_RDLCK, SEEK_SET, 0, 1);
    CHECK(fcntl(ro, F_SETLK, &f) == 0, "fcntl: a read lock on a read-only descriptor");
    CHECK_ERR(fcntl(wo, F_SETLK, &f), EBADF, "fcntl: a read lock on a write-only descriptor: EBADF");
    f = lk(F_WRLCK, SEEK_SET, 0, 1);
    CHECK(fcntl(wo, F_SETLK, &f) == 0, "fcntl: a write lock on a write-only descriptor");

    /* Locks belong to the process: another thread's F_SETLKW over our write lock must not wait. */
    f = lk(F_WRLCK, SEEK_SET, 0, 0);
    CHECK(fcntl(fd, F_SETLK, &f) == 0, "fcntl: write-lock the whole file");
    lock_fd = fd;
    pthread_t t;
    void *rv = (void *)-1L;
    CHECK(pthread_create(&t, NULL, locker, NULL) == 0 && pthread_join(t, &rv) == 0 && rv == 0,
          "pthread_create: another thread's F_SETLKW on the same region is granted at once");

    CHECK(lockf(fd, F_LOCK, 0) == 0 && lockf(fd, F_TLOCK, 5) == 0, "lockf: lockf F_LOCK, F_TLOCK");
    CHECK(lockf(fd, F_TEST, 0) == 0, "lockf: lockf F_TEST: not locked by another process");
    CHECK(lockf(fd, F_ULOCK, 0) == 0, "lockf: lockf F_ULOCK");
    CHECK_ERR(lockf(ro, F_LOCK, 0), EBADF, "lockf: lockf F_LOCK on a read-only descriptor: EBADF");
    CHECK_ERR(lockf(fd, 42, 0), EINVAL, "lockf: lockf with a bad function: EINVAL");
    CHECK_ERR(lockf(-1, F_TEST, 0), EBADF, "lockf: lockf on a bad descriptor: EBADF");

    close(ro);
    close(wo);
    close(fd);
    unlink(path);
    CONFORM_DONE();
}

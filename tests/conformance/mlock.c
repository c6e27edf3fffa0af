/* Memory locking and shared memory objects: mlock/munlock/mlockall/munlockall argument checks,
 * shm_open's names (with or without a leading '/'; "/" alone refused with EINVAL). */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conform.h"

int main(void)
{
    char *buf = malloc(8192);
    static char data[4096];
#if defined(_POSIX_MEMLOCK) && _POSIX_MEMLOCK > 0 && defined(_POSIX_MEMLOCK_RANGE) && \
    _POSIX_MEMLOCK_RANGE > 0
    CHECK(1, "mlock: _POSIX_MEMLOCK and _POSIX_MEMLOCK_RANGE defined > 0");
#else
    CHECK(0, "mlock: _POSIX_MEMLOCK and _POSIX_MEMLOCK_RANGE defined > 0");
#endif

    /* ---- mlock / munlock ---- */
    CHECK(mlock(buf, 8192) == 0, "mlock: heap memory");
    CHECK(munlock(buf, 8192) == 0, "munlock: heap memory");
    CHECK(mlock(data, sizeof data) == 0, "mlock: static data");
    CHECK(munlock(data, sizeof data) == 0, "munlock: static data");
    CHECK(mlock(buf, 0) == 0, "mlock: zero length");
    CHECK_ERR(mlock((void *)(uintptr_t)16, 4096), ENOMEM, "mlock: the first page is not mapped");
    CHECK_ERR(munlock((void *)(uintptr_t)16, 4096), ENOMEM,
              "munlock: the first page is not mapped");
    CHECK_ERR(mlock(buf, SIZE_MAX - 16), ENOMEM, "mlock: a range wrapping the address space");

    /* ---- mlockall / munlockall ---- */
    CHECK(mlockall(MCL_CURRENT) == 0, "mlockall: MCL_CURRENT");
    CHECK(mlockall(MCL_CURRENT | MCL_FUTURE) == 0, "mlockall: MCL_CURRENT|MCL_FUTURE");
    CHECK(mlockall(MCL_FUTURE) == 0, "mlockall: MCL_FUTURE");
    CHECK_ERR(mlockall(0), EINVAL, "mlockall: no flag gives EINVAL");
    CHECK_ERR(mlockall(0x4000), EINVAL, "mlockall: an unknown flag gives EINVAL");
    CHECK(munlockall() == 0, "munlockall: succeeds");

    /* ---- shm_open names ---- */
    int fd = shm_open("bk_noslash", O_CREAT | O_RDWR | O_EXCL, 0600);
    CHECK(fd >= 0, "shm_open: a name without a leading '/' is accepted");
    CHECK(write(fd, "abc", 3) == 3, "shm_open: the object is writable");
    int fd2 = shm_open("/bk_noslash", O_RDWR, 0);
    char got[4] = { 0 };
    CHECK(fd2 >= 0 && read(fd2, got, 3) == 3 && !strcmp(got, "abc"),
          "shm_open: \"name\" and \"/name\" are one object");
    close(fd2);
    close(fd);
    CHECK(shm_unlink("bk_noslash") == 0, "shm_unlink: a name without a leading '/'");
    CHECK_ERR(shm_open("/bk_noslash", O_RDWR, 0), ENOENT, "shm_open: gone after shm_unlink");
    CHECK_ERR(shm_open("/", O_CREAT | O_RDWR, 0600), EINVAL, "shm_open: \"/\" alone gives EINVAL");
    CHECK_ERR(shm_open("", O_CREAT | O_RDWR, 0600), EINVAL, "shm_open: an empty name gives EINVAL");
    CHECK_ERR(shm_open("/a/b", O_CREAT | O_RDWR, 0600), EINVAL,
              "shm_open: a name with an inner '/' gives EINVAL");
    char longname[300];
    memset(longname, 'x', sizeof longname - 1);
    longname[0] = '/';
    longname[sizeof longname - 1] = 0;
    CHECK_ERR(shm_open(longname, O_CREAT | O_RDWR, 0600), ENAMETOOLONG,
              "shm_open: a name past NAME_MAX gives ENAMETOOLONG");
    CHECK_ERR(shm_unlink("/"), EINVAL, "shm_unlink: \"/\" alone gives EINVAL");
    CHECK_ERR(shm_unlink("/bk_never"), ENOENT, "shm_unlink: an object that does not exist ENOENT");
    fd = shm_open("/bk_excl", O_CREAT | O_EXCL | O_RDWR, 0600);
    CHECK(fd >= 0, "shm_open: O_CREAT|O_EXCL makes a new object");
    CHECK_ERR(shm_open("/bk_excl", O_CREAT | O_EXCL | O_RDWR, 0600), EEXIST,
              "shm_open: O_EXCL on an existing object gives EEXIST");
    CHECK(ftruncate(fd, 4096) == 0, "shm_open: ftruncate sizes the object");
    char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(m != MAP_FAILED, "mmap: a shared memory object MAP_SHARED");
    if (m != MAP_FAILED) {
        m[0] = 'Z';
        char c = 0;
        CHECK(pread(fd, &c, 1, 0) == 1 && c == 'Z', "mmap: a store reaches the object");
        CHECK(mlock(m, 4096) == 0, "mlock: a shared mapping");
        CHECK(munmap(m, 4096) == 0, "munmap: the shared mapping");
    }
    close(fd);
    shm_unlink("/bk_excl");
    free(buf);
    CONFORM_DONE();
}

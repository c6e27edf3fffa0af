/*
 * <sys/mman.h> without an MMU. Memory is never paged out, so the locking calls have nothing to
 * do and succeed. mmap() gives anonymous memory from the kernel heap, and private file mappings
 * as a copy of the file; shared file mappings would need the kernel to write pages back and
 * fail with ENOTSUP. Shared memory objects are files under /dev/shm (one process: sharing a
 * name between threads is all there is to share).
 */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define PAGE 4096

/* Mapped regions, for munmap(). */
static struct {
    void *addr;
    size_t len;
} maps[32];
static volatile unsigned long maps_lock;
void __bk_lock(volatile unsigned long *w);
void __bk_unlock(volatile unsigned long *w);

/* bkport: partial: anonymous and private file mappings only (a copy); MAP_SHARED files fail with ENOTSUP */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    (void)prot;
    if (len == 0 || (off & (PAGE - 1)) || !((flags & MAP_SHARED) ^ (flags & MAP_PRIVATE))) {
        errno = EINVAL;
        return MAP_FAILED;
    }
    if (flags & MAP_FIXED) {
        (void)addr;
        errno = ENOTSUP; /* no address space to place mappings in */
        return MAP_FAILED;
    }
    if (!(flags & MAP_ANONYMOUS) && (flags & MAP_SHARED)) {
        errno = ENOTSUP;
        return MAP_FAILED;
    }
    void *p = __bk_kalloc(len, PAGE);
    if (!p) {
        errno = ENOMEM;
        return MAP_FAILED;
    }
    memset(p, 0, len);
    if (!(flags & MAP_ANONYMOUS)) {
        off_t cur = lseek(fd, 0, SEEK_CUR);
        if (cur < 0 || lseek(fd, off, SEEK_SET) < 0) {
            __bk_kfree(p);
            errno = EBADF;
            return MAP_FAILED;
        }
        size_t done = 0;
        ssize_t n;
        while (done < len && (n = read(fd, (char *)p + done, len - done)) > 0)
            done += (size_t)n;
        (void)lseek(fd, cur, SEEK_SET);
    }
    __bk_lock(&maps_lock);
    for (unsigned i = 0; i < sizeof maps / sizeof maps[0]; i++) {
        if (!maps[i].addr) {
            maps[i].addr = p;
            maps[i].len = len;
            __bk_unlock(&maps_lock);
            return p;
        }
    }
    __bk_unlock(&maps_lock);
    __bk_kfree(p);
    errno = ENOMEM;
    return MAP_FAILED;
}

/* bkport: partial: whole mappings only */
int munmap(void *addr, size_t len)
{
    if (((uintptr_t)addr & (PAGE - 1)) || len == 0)
        return bk_fail(EINVAL);
    __bk_lock(&maps_lock);
    for (unsigned i = 0; i < sizeof maps / sizeof maps[0]; i++) {
        if (maps[i].addr == addr) {
            maps[i].addr = NULL;
            __bk_unlock(&maps_lock);
            __bk_kfree(addr);
            return 0;
        }
    }
    __bk_unlock(&maps_lock);
    return 0; /* POSIX: unmapping a range with no mapping is not an error */
}

/* Private and anonymous mappings have nothing to write back. */
int msync(void *addr, size_t len, int flags)
{
    (void)len;
    if (((uintptr_t)addr & (PAGE - 1)) || ((flags & MS_SYNC) && (flags & MS_ASYNC)))
        return bk_fail(EINVAL);
    return 0;
}

/* bkport: partial: no MMU: protections are not enforced */
int mprotect(void *addr, size_t len, int prot)
{
    (void)len, (void)prot;
    return ((uintptr_t)addr & (PAGE - 1)) ? bk_fail(EINVAL) : 0;
}

int posix_madvise(void *addr, size_t len, int advice)
{
    (void)addr, (void)len;
    return (advice < POSIX_MADV_NORMAL || advice > POSIX_MADV_DONTNEED) ? EINVAL : 0;
}

/* Nothing is ever paged out: memory is always locked. */
int mlock(const void *addr, size_t len)
{
    (void)addr, (void)len;
    return 0;
}

int munlock(const void *addr, size_t len)
{
    (void)addr, (void)len;
    return 0;
}

int mlockall(int flags)
{
    if (flags == 0 || (flags & ~(MCL_CURRENT | MCL_FUTURE)))
        return bk_fail(EINVAL);
    return 0;
}

int munlockall(void)
{
    return 0;
}

static int shm_path(const char *name, char *path, size_t size)
{
    if (!name || name[0] != '/' || strchr(name + 1, '/'))
        return bk_fail(EINVAL);
    if (strlen(name) + sizeof "/dev/shm" > size)
        return bk_fail(ENAMETOOLONG);
    (void)mkdir("/dev", 0755);
    (void)mkdir("/dev/shm", 01777);
    strcpy(path, "/dev/shm");
    strcat(path, name);
    return 0;
}

/* bkport: partial: a file under /dev/shm; mapping it copies (no MAP_SHARED) */
int shm_open(const char *name, int oflag, mode_t mode)
{
    char path[96];
    if (shm_path(name, path, sizeof path) < 0)
        return -1;
    return open(path, oflag | O_CLOEXEC, mode);
}

int shm_unlink(const char *name)
{
    char path[96];
    if (shm_path(name, path, sizeof path) < 0)
        return -1;
    return unlink(path);
}

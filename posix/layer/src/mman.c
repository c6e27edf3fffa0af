/*
 * <sys/mman.h> without an MMU. Memory is never paged out, so the locking calls have nothing to
 * do and succeed. mmap() gives anonymous memory from the kernel heap, and private file mappings
 * as a copy of the file. A shared file mapping is the file's own bytes (kernel FileMap: one
 * address space, so the kernel makes the range one pinned block of the file and answers its
 * address), so read()/write() and every mapping of the file see the same bytes and msync has
 * nothing to write back. Shared memory objects are files under /dev/shm (one process: sharing a
 * name between threads is all there is to share).
 */
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define PAGE 4096
/* the longest object name (one file-name component of the RAM file system) */
#define SHM_NAME_MAX 255

/* Mapped regions, for munmap() and msync(); `shared` ones belong to the kernel (FileUnmap). */
static struct {
    void *addr;
    size_t len;
    int shared;
} maps[32];
static volatile unsigned long maps_lock;
void __bk_lock(volatile unsigned long *w);
void __bk_unlock(volatile unsigned long *w);

static int remember(void *p, size_t len, int shared)
{
    __bk_lock(&maps_lock);
    for (unsigned i = 0; i < sizeof maps / sizeof maps[0]; i++) {
        if (!maps[i].addr) {
            maps[i].addr = p;
            maps[i].len = len;
            maps[i].shared = shared;
            __bk_unlock(&maps_lock);
            return 0;
        }
    }
    __bk_unlock(&maps_lock);
    return -1;
}

static void *map_shared_file(size_t len, int prot, int fd, off_t off)
{
    unsigned long a;
    if (bk_fix(bk_file_map(fd, (unsigned long)off, len, prot, &a)) < 0)
        return MAP_FAILED;
    if (remember((void *)a, len, 1) < 0) {
        (void)bk_file_unmap(a);
        errno = EMFILE; /* POSIX: the number of mapped regions would exceed the limit */
        return MAP_FAILED;
    }
    return (void *)a;
}

/* bkport: partial: MAP_FIXED fails (ENOTSUP); a MAP_SHARED file range that straddles a block another mapping of the file pins fails (ENOTSUP) */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    if (len == 0 || off < 0 || (off & (PAGE - 1)) ||
        !(flags & MAP_SHARED) == !(flags & MAP_PRIVATE)) {
        errno = EINVAL;
        return MAP_FAILED;
    }
    if (flags & MAP_FIXED) {
        (void)addr;
        errno = ENOTSUP; /* no address space to place mappings in */
        return MAP_FAILED;
    }
    if (!(flags & MAP_ANONYMOUS) && (flags & MAP_SHARED))
        return map_shared_file(len, prot, fd, off);
    if (!(flags & MAP_ANONYMOUS) && fcntl(fd, F_GETFL) < 0)
        return MAP_FAILED; /* EBADF, before any memory is taken */
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
    if (remember(p, len, 0) == 0)
        return p;
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
            int shared = maps[i].shared;
            maps[i].addr = NULL;
            __bk_unlock(&maps_lock);
            if (shared)
                (void)bk_file_unmap((unsigned long)addr);
            else
                __bk_kfree(addr);
            return 0;
        }
    }
    __bk_unlock(&maps_lock);
    return 0; /* POSIX: unmapping a range with no mapping is not an error */
}

/* Nothing to write back: a shared mapping is the file's bytes. The arguments are still
 * checked as POSIX says (ENOMEM for a range that is not mapped). */
int msync(void *addr, size_t len, int flags)
{
    if (((uintptr_t)addr & (PAGE - 1)) || (flags & ~(MS_ASYNC | MS_SYNC | MS_INVALIDATE)) ||
        ((flags & MS_SYNC) && (flags & MS_ASYNC)))
        return bk_fail(EINVAL);
    uintptr_t a = (uintptr_t)addr;
    int found = 0;
    __bk_lock(&maps_lock);
    for (unsigned i = 0; i < sizeof maps / sizeof maps[0] && !found; i++) {
        uintptr_t s = (uintptr_t)maps[i].addr;
        size_t n = (maps[i].len + PAGE - 1) & ~(size_t)(PAGE - 1);
        found = maps[i].addr && a >= s && len <= n && a - s <= n - len;
    }
    __bk_unlock(&maps_lock);
    return found ? 0 : bk_fail(ENOMEM);
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

/* Nothing is ever paged out: memory is always locked. A range that wraps past the end of the
 * address space, or that starts in the first page (never the app's memory on any board), is
 * not mapped: ENOMEM, as POSIX says. */
static int lock_range(const void *addr, size_t len)
{
    uintptr_t a = (uintptr_t)addr;
    if (len == 0)
        return 0;
    if (a + len < a || a < PAGE)
        return bk_fail(ENOMEM);
    return 0;
}

int mlock(const void *addr, size_t len)
{
    return lock_range(addr, len);
}

int munlock(const void *addr, size_t len)
{
    return lock_range(addr, len);
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

/* A name is one path component, with or without a leading '/' (POSIX leaves a name without it
 * implementation-defined; Linux accepts it): "name" and "/name" are one object. */
static int shm_path(const char *name, char *path, size_t size)
{
    if (!name)
        return bk_fail(EINVAL);
    if (name[0] == '/')
        name++;
    if (!name[0] || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
        return bk_fail(EINVAL);
    if (strlen(name) > SHM_NAME_MAX)
        return bk_fail(ENAMETOOLONG);
    if (strlen(name) + sizeof "/dev/shm/" > size)
        return bk_fail(ENAMETOOLONG);
    (void)mkdir("/dev", 0755);
    (void)mkdir("/dev/shm", 01777);
    strcpy(path, "/dev/shm/");
    strcat(path, name);
    return 0;
}

int shm_open(const char *name, int oflag, mode_t mode)
{
    char path[SHM_NAME_MAX + 16];
    if (shm_path(name, path, sizeof path) < 0)
        return -1;
    return open(path, oflag | O_CLOEXEC, mode);
}

int shm_unlink(const char *name)
{
    char path[SHM_NAME_MAX + 16];
    if (shm_path(name, path, sizeof path) < 0)
        return -1;
    return unlink(path);
}

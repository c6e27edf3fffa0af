/*
 * <stdlib.h> memory over the kernel allocator (AllocMem/FreeMem). picolibc's malloc would carve
 * a heap out of sbrk(); BlueOS apps share the kernel heap instead, so memory freed by one
 * thread is available to every other user of the heap.
 *
 * Every block carries a header just before the pointer returned: the start of the kernel
 * allocation (to free it, whatever alignment was asked) and the usable size (for realloc).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define HDR 16 /* keeps the returned pointer max_align_t-aligned on every target */

struct hdr {
    void *base;
    size_t size;
};

/* Raw calls: no errno (this runs before TLS exists, at start-up). */
void *__bk_kalloc(size_t size, size_t align)
{
    unsigned long p = 0;
    long r = bk_syscall6(BK_NR_alloc_mem, (long)&p, (long)size, (long)align, 0, 0, 0);
    if (bk_is_error(r) || !p)
        return NULL;
    return (void *)p;
}

void __bk_kfree(void *p)
{
    if (p)
        (void)bk_syscall6(BK_NR_free_mem, (long)p, 0, 0, 0, 0, 0);
}

static void *alloc_aligned(size_t size, size_t align)
{
    if (align < HDR)
        align = HDR;
    if (size > (size_t)-1 - align - HDR) {
        errno = ENOMEM;
        return NULL;
    }
    /* Room for the header before an `align`-aligned address. */
    char *base = __bk_kalloc(size + align, align);
    if (!base) {
        /* AllocMem answers -1 (EPERM) when out of memory (table: partial); POSIX says ENOMEM. */
        errno = ENOMEM;
        return NULL;
    }
    char *user = base + align;
    struct hdr *h = (struct hdr *)(void *)(user - sizeof(struct hdr));
    h->base = base;
    h->size = size;
    return user;
}

static struct hdr *hdr_of(void *p)
{
    return (struct hdr *)(void *)((char *)p - sizeof(struct hdr));
}

void *malloc(size_t size)
{
    return alloc_aligned(size ? size : 1, HDR);
}

void free(void *p)
{
    if (p)
        __bk_kfree(hdr_of(p)->base);
}

void *calloc(size_t n, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(n, size, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = malloc(total);
    if (p)
        memset(p, 0, total);
    return p;
}

void *realloc(void *p, size_t size)
{
    if (!p)
        return malloc(size);
    if (size == 0) {
        free(p);
        return NULL;
    }
    size_t old = hdr_of(p)->size;
    if (size <= old) {
        return p;
    }
    void *q = malloc(size);
    if (!q)
        return NULL;
    memcpy(q, p, old);
    free(p);
    return q;
}

void *reallocarray(void *p, size_t n, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(n, size, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(p, total);
}

int posix_memalign(void **out, size_t align, size_t size)
{
    if (align < sizeof(void *) || (align & (align - 1)))
        return EINVAL;
    void *p = alloc_aligned(size ? size : 1, align);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

void *aligned_alloc(size_t align, size_t size)
{
    if (align == 0 || (align & (align - 1))) {
        errno = EINVAL;
        return NULL;
    }
    return alloc_aligned(size ? size : 1, align);
}

void *memalign(size_t align, size_t size)
{
    return aligned_alloc(align, size);
}

/* picolibc's sbrk-based pieces are never linked: there is no program break on BlueOS. */
/* bkport: stub: no program break on BlueOS; malloc uses the kernel heap */
void *sbrk(ptrdiff_t incr)
{
    (void)incr;
    errno = ENOMEM;
    return (void *)-1;
}

/* Linear search (<search.h>, XSI): picolibc has the tree and hash searches only. */
#include <search.h>
#include <string.h>

void *lfind(const void *key, const void *base, size_t *nelp, size_t width,
            int (*compar)(const void *, const void *))
{
    const char *p = base;
    for (size_t i = 0; i < *nelp; i++, p += width)
        if (!compar(key, p))
            return (void *)p;
    return NULL;
}

void *lsearch(const void *key, void *base, size_t *nelp, size_t width,
              int (*compar)(const void *, const void *))
{
    void *found = lfind(key, base, nelp, width, compar);
    if (found)
        return found;
    /* not there: appended, as POSIX says; the caller's array has room for it */
    char *end = (char *)base + *nelp * width;
    memcpy(end, key, width);
    (*nelp)++;
    return end;
}

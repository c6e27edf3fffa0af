/*
 * POSIX.1-2008 stdio functions that picolibc's tinystdio does not build: getdelim/getline
 * (read a whole line into a growing malloc'd buffer) and dprintf/vdprintf (formatted output
 * straight to a descriptor, bypassing the streams), and fflush(NULL).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

ssize_t getdelim(char **restrict lineptr, size_t *restrict n, int delimiter,
                 FILE *restrict stream)
{
    if (!lineptr || !n || !stream) {
        errno = EINVAL;
        return -1;
    }
    if (!*lineptr)
        *n = 0;
    size_t len = 0;
    for (;;) {
        int c = getc(stream);
        if (c == EOF) {
            if (len == 0 || ferror(stream))
                return -1;
            break;
        }
        if (len + 2 > *n) { /* room for this byte and the terminating NUL */
            size_t cap = *n < 64 ? 128 : *n * 2;
            char *p = realloc(*lineptr, cap);
            if (!p) {
                errno = ENOMEM;
                return -1;
            }
            *lineptr = p;
            *n = cap;
        }
        (*lineptr)[len++] = (char)c;
        if (c == delimiter)
            break;
    }
    (*lineptr)[len] = '\0';
    return (ssize_t)len; /* len < *n, an allocation size: it fits */
}

ssize_t getline(char **restrict lineptr, size_t *restrict n, FILE *restrict stream)
{
    return getdelim(lineptr, n, '\n', stream);
}

static int write_all(int fd, const char *p, size_t len)
{
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

int vdprintf(int fd, const char *restrict fmt, va_list ap)
{
    char small[256];
    va_list again;
    va_copy(again, ap);
    int len = vsnprintf(small, sizeof small, fmt, ap);
    int rc = len;
    if (len < 0) {
        rc = -1;
    } else if ((size_t)len < sizeof small) {
        rc = write_all(fd, small, (size_t)len) < 0 ? -1 : len;
    } else {
        char *big = malloc((size_t)len + 1);
        if (!big) {
            errno = ENOMEM;
            rc = -1;
        } else {
            vsnprintf(big, (size_t)len + 1, fmt, again);
            rc = write_all(fd, big, (size_t)len) < 0 ? -1 : len;
            free(big);
        }
    }
    va_end(again);
    return rc;
}

int dprintf(int fd, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vdprintf(fd, fmt, ap);
    va_end(ap);
    return rc;
}

#undef fflush

/* tinystdio keeps no list of the streams fopen() made: fflush(NULL) flushes the standard
 * streams, the others are flushed by fflush(f) or fclose(). */
/* bkport: partial: fflush(NULL) flushes stdout and stderr only (no list of fopen'd streams) */
int __bk_fflush(FILE *stream)
{
    if (stream)
        return fflush(stream);
    int rc = 0;
    if (fflush(stdout) == EOF)
        rc = EOF;
    if (fflush(stderr) == EOF)
        rc = EOF;
    return rc;
}

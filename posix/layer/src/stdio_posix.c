/*
 * POSIX.1-2008 stdio functions that picolibc's tinystdio does not build: getdelim/getline
 * (read a whole line into a growing malloc'd buffer) and dprintf/vdprintf (formatted output
 * straight to a descriptor, bypassing the streams), fflush(NULL), and the list of open streams
 * that fflush(NULL) and exit() flush.
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
#undef fopen
#undef fdopen
#undef freopen

/* The streams fopen()/fdopen()/freopen() made and that are not closed yet: tinystdio keeps no
 * such list, and without one exit() cannot flush them. A fixed table, like a C library's
 * FOPEN_MAX: a stream beyond it works but is flushed only by fflush(f) or fclose().
 *
 * A stream leaves the table when it closes, however fclose() is reached: tinystdio's fclose()
 * ends with the stream's own close function (struct __file_close, when __SCLOSE is set), and a
 * tracked stream's is replaced by one that first takes it out of the table. A macro around
 * fclose() alone missed calls through a pointer (sqlite's .import keeps `fclose` in xCloser):
 * the freed stream stayed listed, and exit() flushed through its reused memory. */
static FILE *open_streams[FOPEN_MAX];
static int (*closers[FOPEN_MAX])(FILE *);

static int close_tracked(FILE *f);

static void track(FILE *f)
{
    if (!f || !(f->flags & __SCLOSE))
        return;
    struct __file_close *cf = (struct __file_close *)f;
    for (size_t i = 0; i < FOPEN_MAX; i++)
        if (!open_streams[i]) {
            open_streams[i] = f;
            closers[i] = cf->close;
            cf->close = close_tracked;
            return;
        }
}

/* Takes `f` out of the table and gives it back its own close function, which it returns. */
static int (*untrack(FILE *f))(FILE *)
{
    for (size_t i = 0; i < FOPEN_MAX; i++)
        if (open_streams[i] == f) {
            int (*close)(FILE *) = closers[i];
            open_streams[i] = NULL;
            ((struct __file_close *)f)->close = close;
            return close;
        }
    return NULL;
}

static int close_tracked(FILE *f)
{
    int (*close)(FILE *) = untrack(f);
    return close ? close(f) : 0;
}

FILE *__bk_fopen(const char *restrict path, const char *restrict mode)
{
    FILE *f = fopen(path, mode);
    track(f);
    return f;
}

FILE *__bk_fdopen(int fd, const char *mode)
{
    FILE *f = fdopen(fd, mode);
    track(f);
    return f;
}

/* A standard stream stays out of the table: exit flushes those anyway. */
FILE *__bk_freopen(const char *restrict path, const char *restrict mode, FILE *restrict stream)
{
    (void)untrack(stream);
    FILE *f = freopen(path, mode, stream);
    if (f && f != stdin && f != stdout && f != stderr)
        track(f);
    return f;
}

/* fflush(NULL) flushes every stream the list holds and the standard ones. */
/* bkport: partial: fflush(NULL) reaches the first FOPEN_MAX streams open at once */
int __bk_fflush(FILE *stream)
{
    if (stream)
        return fflush(stream);
    int rc = 0;
    for (size_t i = 0; i < FOPEN_MAX; i++)
        if (open_streams[i] && fflush(open_streams[i]) == EOF)
            rc = EOF;
    if (fflush(stdout) == EOF)
        rc = EOF;
    if (fflush(stderr) == EOF)
        rc = EOF;
    return rc;
}

/* C: NULL only when the end of the file comes before any character was read, or on a read error;
 * a partial last line is returned. */
char *__bk_fgets(char *restrict str, int size, FILE *restrict stream)
{
    if (!str || size <= 0 || !stream)
        return NULL;
    int i = 0;
    while (i < size - 1) {
        int c = getc(stream);
        if (c == EOF) {
            if (i == 0 || ferror(stream))
                return NULL;
            break;
        }
        str[i++] = (char)c;
        if (c == '\n')
            break;
    }
    str[i] = '\0';
    return str;
}

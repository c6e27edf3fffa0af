/* <stdio.h>: picolibc's tinystdio, plus the POSIX functions it leaves out and the layer
 * defines (and fflush(NULL), which it gets wrong): getdelim/getline and dprintf/vdprintf (stdio_posix.c), the stream locks and the
 * *_unlocked character functions (stdio_ext.c), popen/pclose (filetimes.c: stubs). */
#ifndef BKPORT_LAYER_STDIO_H
#define BKPORT_LAYER_STDIO_H

#include_next <stdio.h>
#include <stdarg.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

ssize_t getdelim(char **restrict lineptr, size_t *restrict n, int delimiter,
                 FILE *restrict stream);
ssize_t getline(char **restrict lineptr, size_t *restrict n, FILE *restrict stream);
int dprintf(int fd, const char *restrict fmt, ...) __attribute__((__format__(__printf__, 2, 3)));
int vdprintf(int fd, const char *restrict fmt, va_list ap)
    __attribute__((__format__(__printf__, 2, 0)));

FILE *popen(const char *command, const char *mode);
int pclose(FILE *stream);

/* picolibc's tinystdio fflush() dereferences its argument: fflush(NULL), which POSIX defines as
 * "flush every output stream", faults. The layer's version handles NULL (stdio_posix.c). */
int __bk_fflush(FILE *stream);
#define fflush(stream) __bk_fflush(stream)

void flockfile(FILE *f);
int ftrylockfile(FILE *f);
void funlockfile(FILE *f);
int getc_unlocked(FILE *f);
int getchar_unlocked(void);
int putc_unlocked(int c, FILE *f);
int putchar_unlocked(int c);

#ifdef __cplusplus
}
#endif

#endif

/* <stdio.h>: picolibc's tinystdio, plus FILENAME_MAX/FOPEN_MAX and the POSIX functions it leaves
 * out and the layer defines (and fflush(NULL), which it gets wrong, and the list of open streams
 * that fflush(NULL) and exit() flush): getdelim/getline and dprintf/vdprintf (stdio_posix.c), the stream locks and the
 * *_unlocked character functions (stdio_ext.c), popen/pclose (filetimes.c: stubs). */
#ifndef BKPORT_LAYER_STDIO_H
#define BKPORT_LAYER_STDIO_H

#include_next <stdio.h>
#include <stdarg.h>
#include <sys/types.h>

/* ISO C's limits, which tinystdio leaves out. A path the kernel accepts is shorter than 1024
 * bytes (kernel/src/uaccess.rs PATH_MAX), so 1024 holds any name fopen() can open. Streams
 * cost only memory, but each holds a descriptor: as many as sysconf(_SC_OPEN_MAX) promises,
 * which sysconf(_SC_STREAM_MAX) answers too. */
#ifndef FILENAME_MAX
#define FILENAME_MAX 1024
#endif
#ifndef FOPEN_MAX
#define FOPEN_MAX 32
#endif

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

/* tinystdio keeps no list of open streams, so neither fflush(NULL) nor exit() could reach a
 * stream fopen() made: what a program wrote to one and never fclose()d was lost at exit (sed's
 * `w FILE`). The layer's versions keep that list (stdio_posix.c); a stream leaves it through
 * its own close function, so fclose() needs no wrapper (and a pointer to it still works). */
FILE *__bk_fopen(const char *restrict path, const char *restrict mode);
FILE *__bk_fdopen(int fd, const char *mode);
FILE *__bk_freopen(const char *restrict path, const char *restrict mode, FILE *restrict stream);
#define fopen(path, mode) __bk_fopen(path, mode)
#define fdopen(fd, mode) __bk_fdopen(fd, mode)
#define freopen(path, mode, stream) __bk_freopen(path, mode, stream)

/* tinystdio's fgets() answers NULL when it meets the end of the file, even after reading part of
 * a line: the last line of a file without a final newline was lost (busybox rev). The layer's
 * returns what it read, as C says (stdio_posix.c). */
char *__bk_fgets(char *restrict str, int size, FILE *restrict stream);
#define fgets(str, size, stream) __bk_fgets(str, size, stream)

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

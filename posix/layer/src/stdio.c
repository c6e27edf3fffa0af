/*
 * picolibc's stdio hooked to the descriptors. Debian's picolibc is built with tinystdio and
 * POSIX_IO: fopen()/fdopen() already go through open/read/write/lseek/close (which the layer
 * provides), but the three standard streams are left for the system to define. They are
 * buffered streams over descriptors 0, 1 and 2, line-buffered so that output appears line by
 * line on the board's console, and flushed at exit().
 */
#include <stdio.h>
#include <stdio-bufio.h>
#include <unistd.h>

#include "internal.h"

static ssize_t rd(int fd, void *buf, size_t n)
{
    return read(fd, buf, n);
}

static ssize_t wr(int fd, const void *buf, size_t n)
{
    return write(fd, buf, n);
}

static off_t sk(int fd, off_t off, int whence)
{
    return lseek(fd, off, whence);
}

static char in_buf[128], out_buf[256], err_buf[128];

/* fclose() of a standard stream: flush it and close its descriptor, as POSIX says, but never
 * free it. picolibc's __bufio_close frees the FILE (fdopen's streams are malloc'ed), and these
 * three are static: free() of one read a header before the app's first data object (garbage on
 * most boards, a bus fault on the AN547, whose app memory starts there). */
static int std_close(FILE *f)
{
    struct __file_bufio *bf = (struct __file_bufio *)f;
    int ret = __bufio_flush(f) < 0 ? EOF : 0;
    if (close(bf->fd) < 0)
        ret = EOF;
    return ret;
}

/* FDEV_SETUP_BUFIO with std_close in place of __bufio_close. */
#define BK_STD_STREAM(fd_, buf_, rwflag_, bflags_)                                          \
    {                                                                                       \
        .xfile = FDEV_SETUP_EXT(__bufio_put, __bufio_get, __bufio_flush, std_close,         \
                                __bufio_seek, __bufio_setvbuf, (rwflag_) | __SBUF),         \
        .fd = (fd_), .dir = 0, .bflags = (bflags_), .pos = 0, .buf = (buf_),               \
        .size = sizeof(buf_), .len = 0, .off = 0, .read = rd, .write = wr, .lseek = sk,    \
        .close = NULL,                                                                      \
    }

static struct __file_bufio bk_stdin = BK_STD_STREAM(0, in_buf, __SRD, 0);
static struct __file_bufio bk_stdout = BK_STD_STREAM(1, out_buf, __SWR, __BLBF);
static struct __file_bufio bk_stderr = BK_STD_STREAM(2, err_buf, __SWR, __BLBF);

FILE *const stdin = &bk_stdin.xfile.cfile.file;
FILE *const stdout = &bk_stdout.xfile.cfile.file;
FILE *const stderr = &bk_stderr.xfile.cfile.file;

/* At exit (and abnormal termination): every stream, as exit() must (stdio_posix.c keeps the
 * list of those fopen() made). */
void __bk_stdio_flush(void)
{
    (void)__bk_fflush(NULL);
}

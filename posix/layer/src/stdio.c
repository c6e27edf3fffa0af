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

static struct __file_bufio bk_stdin =
    FDEV_SETUP_BUFIO(0, in_buf, sizeof in_buf, rd, wr, sk, NULL, __SRD, 0);
static struct __file_bufio bk_stdout =
    FDEV_SETUP_BUFIO(1, out_buf, sizeof out_buf, rd, wr, sk, NULL, __SWR, __BLBF);
static struct __file_bufio bk_stderr =
    FDEV_SETUP_BUFIO(2, err_buf, sizeof err_buf, rd, wr, sk, NULL, __SWR, __BLBF);

FILE *const stdin = &bk_stdin.xfile.cfile.file;
FILE *const stdout = &bk_stdout.xfile.cfile.file;
FILE *const stderr = &bk_stderr.xfile.cfile.file;

void __bk_stdio_flush(void)
{
    fflush(stdout);
    fflush(stderr);
}

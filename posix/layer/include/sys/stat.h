/* <sys/stat.h>: picolibc's, plus lstat() and mknod(), which it declares only for a few systems,
 * and the UTIME_NOW/UTIME_OMIT values of utimensat()/futimens() (Linux's; filetimes.c). */
#ifndef BKPORT_LAYER_SYS_STAT_H
#define BKPORT_LAYER_SYS_STAT_H

#include_next <sys/stat.h>

int lstat(const char *__restrict __path, struct stat *__restrict __buf);
int mknod(const char *__path, mode_t __mode, dev_t __dev);

#ifndef UTIME_NOW
#define UTIME_NOW ((1L << 30) - 1L)
#define UTIME_OMIT ((1L << 30) - 2L)
#endif

#endif

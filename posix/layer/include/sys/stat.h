/* <sys/stat.h>: picolibc's, plus lstat(), which it declares only for a few systems. */
#ifndef BKPORT_LAYER_SYS_STAT_H
#define BKPORT_LAYER_SYS_STAT_H

#include_next <sys/stat.h>

int lstat(const char *__restrict __path, struct stat *__restrict __buf);

#endif

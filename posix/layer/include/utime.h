/* <utime.h>: picolibc's gives struct utimbuf but never declares utime() itself (fsextra.c
 * defines it). */
#ifndef BKPORT_LAYER_UTIME_H
#define BKPORT_LAYER_UTIME_H

#include_next <utime.h>

#ifdef __cplusplus
extern "C" {
#endif
int utime(const char *__path, const struct utimbuf *__times);
#ifdef __cplusplus
}
#endif

#endif

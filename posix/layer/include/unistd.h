/* <unistd.h>: picolibc's, plus the confstr() name it defines only for Cygwin and RTEMS, and
 * POSIX.1-2024's pipe2/dup3, which picolibc declares only for _GNU_SOURCE. */
#ifndef BKPORT_LAYER_UNISTD_H
#define BKPORT_LAYER_UNISTD_H

#include_next <unistd.h>

#ifndef _CS_PATH
#define _CS_PATH 0
#endif

#if !__GNU_VISIBLE
int dup3(int __fildes, int __fildes2, int __flags);
int pipe2(int __fildes[2], int __flags);
#endif

#endif

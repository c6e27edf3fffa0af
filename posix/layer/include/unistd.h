/* <unistd.h>: picolibc's, plus the confstr() name it defines only for Cygwin and RTEMS. */
#ifndef BKPORT_LAYER_UNISTD_H
#define BKPORT_LAYER_UNISTD_H

#include_next <unistd.h>

#ifndef _CS_PATH
#define _CS_PATH 0
#endif

#endif

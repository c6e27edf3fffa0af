/* <limits.h>: picolibc's, plus SSIZE_MAX, which POSIX requires and picolibc leaves out. */
#ifndef BKPORT_LAYER_LIMITS_H
#define BKPORT_LAYER_LIMITS_H

#include_next <limits.h>

#ifndef SSIZE_MAX
/* ssize_t is the signed type of size_t's width, which is intptr_t's on the three targets */
#define SSIZE_MAX __INTPTR_MAX__
#endif

#endif

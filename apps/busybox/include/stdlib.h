/* bkport compat for busybox: picolibc's <stdlib.h> declares the non-standard
 * `char *itoa(int, char *, int)` and `utoa(unsigned, char *, int)`, while libbb defines its own
 * one-argument itoa()/utoa() (libbb/xfuncs.c). picolibc's are renamed out of the way here;
 * busybox's definitions win at link time because its objects come before libc.a. */
#ifndef BKPORT_BUSYBOX_STDLIB_H
#define BKPORT_BUSYBOX_STDLIB_H
#define itoa bkport_picolibc_itoa
#define utoa bkport_picolibc_utoa
#include_next <stdlib.h>
#undef itoa
#undef utoa
#endif

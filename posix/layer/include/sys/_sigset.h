/* <sys/_sigset.h>: a 64-bit sigset_t on every target (picolibc's is an unsigned long: 32 bits on
 * Cortex-M, too few for Linux's 64 signal numbers). Bit s-1 stands for signal s, as on Linux.
 * Only the layer's signal functions read a sigset_t (picolibc's libc.a has none that do). */
#ifndef _SYS__SIGSET_H_
#define _SYS__SIGSET_H_

typedef unsigned long long __sigset_t;

#endif

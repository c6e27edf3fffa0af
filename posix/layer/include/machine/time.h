/*
 * Replaces picolibc's <machine/time.h>, which gives CLOCKS_PER_SEC 100 on Arm and AArch64 (and
 * 1000000 on RISC-V): XSI requires 1000000 everywhere. clock() and times() count in these units
 * (posix/layer/src/time.c). Nothing else of picolibc's file applies to these targets.
 */
#ifndef _MACHTIME_H_
#define _MACHTIME_H_

#define _CLOCKS_PER_SEC_ 1000000

#endif

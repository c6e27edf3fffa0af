/* <setjmp.h>: picolibc's setjmp/longjmp, plus what POSIX adds and picolibc leaves out (it has
 * them only for Cygwin and RTEMS): sigjmp_buf, sigsetjmp/siglongjmp and the XSI
 * _setjmp/_longjmp (setjmp.c). Lua, for one, picks _setjmp/_longjmp on every POSIX system. */
#ifndef BKPORT_LAYER_SETJMP_H
#define BKPORT_LAYER_SETJMP_H

#include_next <setjmp.h>
#include <sys/_sigset.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An array type, as POSIX asks, so `env` decays to a pointer like a jmp_buf does. The jmp_buf
 * comes first: sigsetjmp hands the same address to picolibc's setjmp. `__ra` holds sigsetjmp's
 * return address while it calls the mask saver (setjmp.c). */
typedef struct __bk_sigjmp_buf {
    jmp_buf __jb;
    unsigned long __ra;
    int __savemask;
    __sigset_t __mask;
} sigjmp_buf[1];

/* _setjmp/_longjmp never touch the signal mask; neither do picolibc's setjmp/longjmp, so they
 * are the same functions under the XSI names. */
int _setjmp(jmp_buf env) __attribute__((__returns_twice__));
void _longjmp(jmp_buf env, int val) __attribute__((__noreturn__));

/* A non-zero `savemask` saves the signal mask, which siglongjmp then restores. */
int sigsetjmp(sigjmp_buf env, int savemask) __attribute__((__returns_twice__));
void siglongjmp(sigjmp_buf env, int val) __attribute__((__noreturn__));

#ifdef __cplusplus
}
#endif

#endif

/*
 * Non-local jumps beyond ISO C: the XSI _setjmp/_longjmp and POSIX's sigsetjmp/siglongjmp, over
 * picolibc's setjmp/longjmp (assembly that saves the callee-saved registers, the stack pointer
 * and the return address).
 *
 * A function that saves a context must return twice into its caller's frame, so _setjmp and
 * sigsetjmp cannot be C functions calling setjmp: setjmp would save their own frame, gone once
 * they return. They are naked functions that end in a tail branch to setjmp, leaving the stack
 * pointer and the return address as the caller made them: setjmp then saves the caller's
 * context, exactly as if the caller had called it. The jumps back are ordinary C.
 */
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>

#define RA_OFFSET offsetof(struct __bk_sigjmp_buf, __ra)

/* The same function as setjmp: one branch, nothing saved (no signal mask, as XSI says). */
__attribute__((naked))
int _setjmp(jmp_buf env)
{
#if defined(__riscv)
    __asm__ volatile("tail setjmp");
#elif defined(__aarch64__)
    __asm__ volatile("b setjmp");
#else
    __asm__ volatile("b.w setjmp");
#endif
}

void _longjmp(jmp_buf env, int val)
{
    longjmp(env, val);
}

/* Called by sigsetjmp before its branch to setjmp; returns `env` so the caller finds it again
 * (the argument register is not preserved across the call). */
struct __bk_sigjmp_buf *__bk_sigjmp_save(struct __bk_sigjmp_buf *env, int savemask);
struct __bk_sigjmp_buf *__bk_sigjmp_save(struct __bk_sigjmp_buf *env, int savemask)
{
    env->__savemask = savemask != 0;
    if (savemask)
        (void)sigprocmask(SIG_BLOCK, NULL, &env->__mask);
    return env;
}

/* Save the mask, then become setjmp. The call clobbers the return-address register, so it waits
 * in the buffer's `__ra` across the call; the stack pointer is untouched (the callee's frame is
 * below it, as for any call), and the helper preserves the callee-saved registers setjmp saves. */
__attribute__((naked))
int sigsetjmp(sigjmp_buf env, int savemask)
{
#if defined(__riscv)
    __asm__ volatile("sd ra, %0(a0)\n\t"
                     "call __bk_sigjmp_save\n\t"
                     "ld ra, %0(a0)\n\t"
                     "tail setjmp" ::"i"(RA_OFFSET));
#elif defined(__aarch64__)
    __asm__ volatile("str x30, [x0, %0]\n\t"
                     "bl __bk_sigjmp_save\n\t"
                     "ldr x30, [x0, %0]\n\t"
                     "b setjmp" ::"i"(RA_OFFSET));
#else
    __asm__ volatile("str lr, [r0, %0]\n\t"
                     "bl __bk_sigjmp_save\n\t"
                     "ldr lr, [r0, %0]\n\t"
                     "b.w setjmp" ::"i"(RA_OFFSET));
#endif
}

void siglongjmp(sigjmp_buf env, int val)
{
    if (env->__savemask)
        (void)sigprocmask(SIG_SETMASK, &env->__mask, NULL);
    longjmp(env->__jb, val);
}

/* <setjmp.h> beyond ISO C: the XSI _setjmp/_longjmp (Lua's error handling on POSIX systems) and
 * sigsetjmp/siglongjmp, jumping out of nested calls and out of a signal handler; the signal mask
 * is restored exactly when sigsetjmp was asked to save it. */
#include <setjmp.h>
#include <signal.h>
#include <string.h>

#include "conform.h"

static jmp_buf jb;
static sigjmp_buf sjb;
static volatile int depth_reached;

/* Out of line with a live buffer, so each level is a real stack frame the jump must unwind
 * (clang would otherwise turn the recursion into a loop). */
__attribute__((noinline)) static int descend(int depth, int how)
{
    volatile char frame[64];
    memset((char *)frame, depth, sizeof frame);
    depth_reached = depth;
    if (depth == 0) {
        if (how == 0)
            _longjmp(jb, 7);
        if (how == 1)
            _longjmp(jb, 0);
        if (how == 2)
            longjmp(jb, 3);
        siglongjmp(sjb, 9);
    }
    return descend(depth - 1, how) + frame[depth % 64];
}

static int blocked(int sig)
{
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    return sigismember(&cur, sig);
}

static volatile int handled;
static void jump_out(int sig)
{
    handled++;
    siglongjmp(sjb, sig);
}

int main(void)
{
    volatile int kept = 1;
    int r = _setjmp(jb);
    if (r == 0) {
        CHECK(1, "_setjmp: _setjmp returns 0 when called");
        kept = 2;
        descend(40, 0);
        CHECK(0, "_longjmp: _longjmp does not return");
    }
    CHECK(r == 7 && depth_reached == 0, "_longjmp: _longjmp from 40 nested calls: _setjmp returns 7");
    CHECK(kept == 2, "setjmp: a volatile local keeps the value it had at the jump");

    r = _setjmp(jb);
    if (r == 0)
        descend(5, 1);
    CHECK(r == 1, "_longjmp: _longjmp(env, 0) makes _setjmp return 1");

    r = setjmp(jb);
    if (r == 0)
        descend(5, 2);
    CHECK(r == 3, "longjmp: longjmp to a setjmp buffer");

    /* Each name is a real function (a program may take its address or declare it itself). */
    int (*sj)(jmp_buf) = _setjmp;
    void (*lj)(jmp_buf, int) = _longjmp;
    void (*slj)(sigjmp_buf, int) = siglongjmp;
    CHECK(sj != NULL && lj != NULL && slj != NULL, "_setjmp: _setjmp, _longjmp, siglongjmp are functions");

    sigset_t usr1, none;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    r = sigsetjmp(sjb, 1);
    if (r == 0) {
        sigprocmask(SIG_BLOCK, &usr1, NULL);
        CHECK(blocked(SIGUSR1), "sigsetjmp: SIGUSR1 blocked after sigsetjmp(env, 1)");
        descend(20, 3);
    }
    CHECK(r == 9, "siglongjmp: siglongjmp from 20 nested calls: sigsetjmp returns 9");
    CHECK(!blocked(SIGUSR1), "siglongjmp: siglongjmp restores the mask sigsetjmp(env, 1) saved");

    r = sigsetjmp(sjb, 0);
    if (r == 0) {
        sigprocmask(SIG_BLOCK, &usr1, NULL);
        descend(3, 3);
    }
    CHECK(r == 9 && blocked(SIGUSR1), "sigsetjmp: sigsetjmp(env, 0): siglongjmp leaves the mask as it is");
    sigprocmask(SIG_SETMASK, &none, NULL);

    /* A handler runs with its signal blocked; jumping out must not leave it blocked. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = jump_out;
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0, "siglongjmp: install a handler that jumps out");
    r = sigsetjmp(sjb, 1);
    if (r == 0) {
        raise(SIGUSR1);
        CHECK(0, "setjmp: the handler does not return");
    }
    CHECK(r == SIGUSR1 && handled == 1, "siglongjmp: siglongjmp out of the handler");
    CHECK(!blocked(SIGUSR1), "siglongjmp: the handler's signal is unblocked again");
    r = sigsetjmp(sjb, 1);
    if (r == 0)
        raise(SIGUSR1);
    CHECK(r == SIGUSR1 && handled == 2, "siglongjmp: the signal is delivered again after the jump");
    signal(SIGUSR1, SIG_DFL);
    CONFORM_DONE();
}

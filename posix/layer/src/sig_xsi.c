/*
 * The XSI signal-management calls (sighold, sigrelse, sigignore, sigset, sigpause), kept apart
 * from signal.c because they need nothing of its state: each is a composition of
 * sigprocmask, sigaction and sigsuspend; and sigaltstack, which is the calling thread's record
 * only (signal.c's deliver runs an SA_ONSTACK handler on it).
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "internal.h"
#include "thread.h"

#undef sigaddset
#undef sigdelset
#undef sigemptyset
#undef sigfillset
#undef sigismember

int sighold(int sig)
{
    sigset_t s = 0;
    if (sigaddset(&s, sig) < 0)
        return -1;
    return sigprocmask(SIG_BLOCK, &s, NULL);
}

int sigrelse(int sig)
{
    sigset_t s = 0;
    if (sigaddset(&s, sig) < 0)
        return -1;
    return sigprocmask(SIG_UNBLOCK, &s, NULL);
}

int sigignore(int sig)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    return sigaction(sig, &sa, NULL);
}

/* SIG_HOLD adds sig to the mask and leaves its action; any other disposition is installed and
 * sig removed from the mask. The answer is SIG_HOLD when sig was blocked before. */
_sig_func_ptr sigset(int sig, _sig_func_ptr disp)
{
    if (sig <= 0 || sig >= NSIG || sig == SIGKILL || sig == SIGSTOP)
        return errno = EINVAL, SIG_ERR;
    struct sigaction old;
    (void)sigaction(sig, NULL, &old);
    sigset_t cur;
    (void)sigprocmask(SIG_BLOCK, NULL, &cur);
    int held = sigismember(&cur, sig) == 1;
    if (disp == SIG_HOLD) {
        if (sighold(sig) < 0)
            return SIG_ERR;
        return held ? SIG_HOLD : old.sa_handler;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = disp;
    if (sigaction(sig, &sa, NULL) < 0 || sigrelse(sig) < 0)
        return SIG_ERR;
    return held ? SIG_HOLD : old.sa_handler;
}

/* XSI sigpause (picolibc names it __xpg_sigpause): wait for a signal with sig unblocked. */
int __xpg_sigpause(int sig)
{
    if (sig <= 0 || sig >= NSIG)
        return bk_fail(EINVAL);
    sigset_t s;
    (void)sigprocmask(SIG_BLOCK, NULL, &s);
    (void)sigdelset(&s, sig);
    return sigsuspend(&s);
}

/* Per thread, as POSIX says; a handler with SA_ONSTACK runs on it (deliver). */
int sigaltstack(const stack_t *restrict ss, stack_t *restrict old)
{
    struct bk_thread *me = __bk_self();
    if (old) {
        *old = me->altstack;
        if (me->on_altstack)
            old->ss_flags |= SS_ONSTACK;
    }
    if (ss) {
        if (me->on_altstack)
            return bk_fail(EPERM);
        if (ss->ss_flags & ~SS_DISABLE)
            return bk_fail(EINVAL);
        if (!(ss->ss_flags & SS_DISABLE) && ss->ss_size < MINSIGSTKSZ)
            return bk_fail(ENOMEM);
        me->altstack = *ss;
    }
    return 0;
}

/*
 * <signal.h> where a single-process kernel gives it meaning. The kernel's RtSig* calls are
 * placeholders (table: fake), and no other process can send a signal, so signals live entirely
 * in the layer: raise() and kill() on our own pid deliver synchronously to the calling thread,
 * the process mask blocks delivery (the signal stays pending until unblocked), and the default
 * actions follow POSIX: ignore for SIGCHLD/SIGURG/SIGWINCH/SIGCONT, otherwise terminate the
 * application with status 128 + signal (as a shell reports a killed child).
 * Asynchronous signals (timers' SIGEV_SIGNAL, SIGINT from a terminal) are never generated.
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#undef sigaddset
#undef sigdelset
#undef sigemptyset
#undef sigfillset
#undef sigismember

#define VALID(s) ((s) > 0 && (s) < NSIG)
/* Signal s is bit s-1 of the 64-bit sigset_t (include/sys/_sigset.h), as on Linux. */
#define BIT(s) ((sigset_t)1 << ((s) - 1))

static struct sigaction actions[NSIG];
static volatile sigset_t mask;
/* Pending signals as two 32-bit words: Cortex-M has no 64-bit atomic operations. */
static volatile uint32_t pend[2];
/* What the next delivery of each signal reports in its siginfo_t (sigqueue sets it; one
 * pending instance per signal, so a second sigqueue before delivery replaces the value). */
static int next_code[NSIG];
static union sigval next_value[NSIG];

static void pend_add(int s)
{
    __atomic_or_fetch(&pend[(s - 1) / 32], 1u << ((s - 1) % 32), __ATOMIC_ACQ_REL);
}

/* Clear s; whether it was pending (another thread may have taken it first). */
static int pend_take(int s)
{
    uint32_t b = 1u << ((s - 1) % 32);
    return (__atomic_fetch_and(&pend[(s - 1) / 32], ~b, __ATOMIC_ACQ_REL) & b) != 0;
}

static sigset_t pend_set(void)
{
    return (sigset_t)pend[0] | (sigset_t)pend[1] << 32;
}

static int lowest(sigset_t set)
{
    return __builtin_ctzll(set) + 1;
}

/* The siginfo_t of signal s now being taken, and back to SI_USER for the next one. */
static void take_info(int s, siginfo_t *info)
{
    memset(info, 0, sizeof *info);
    info->si_signo = s;
    info->si_code = next_code[s] ? next_code[s] : SI_USER;
    info->si_value = next_value[s];
    info->si_pid = getpid();
    next_code[s] = 0;
    memset(&next_value[s], 0, sizeof next_value[s]);
}
/* Futex word bumped on every raise, so sigsuspend()/sigwait() can sleep until one comes. */
static volatile unsigned long raised;

int sigemptyset(sigset_t *s) { *s = 0; return 0; }
int sigfillset(sigset_t *s) { *s = ~(sigset_t)0; return 0; }
int sigaddset(sigset_t *s, const int sig)
{
    if (!VALID(sig))
        return bk_fail(EINVAL);
    *s |= BIT(sig);
    return 0;
}
int sigdelset(sigset_t *s, const int sig)
{
    if (!VALID(sig))
        return bk_fail(EINVAL);
    *s &= ~BIT(sig);
    return 0;
}
int sigismember(const sigset_t *s, int sig)
{
    if (!VALID(sig))
        return bk_fail(EINVAL);
    return (*s & BIT(sig)) != 0;
}

static int default_ignores(int sig)
{
    return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

static void deliver(int sig, siginfo_t *info)
{
    struct sigaction sa = actions[sig];
    if (sa.sa_handler == SIG_IGN || (sa.sa_handler == SIG_DFL && default_ignores(sig)))
        return;
    if (sa.sa_handler == SIG_DFL) {
        __bk_stdio_flush(); /* abnormal termination, but keep what was printed */
        _exit(128 + sig);
    }
    if (sa.sa_flags & SA_RESETHAND)
        actions[sig].sa_handler = SIG_DFL;
    sigset_t old = mask;
    mask |= sa.sa_mask | ((sa.sa_flags & SA_NODEFER) ? 0 : BIT(sig));
    if (sa.sa_flags & SA_SIGINFO)
        sa.sa_sigaction(sig, info, NULL);
    else
        sa.sa_handler(sig);
    mask = old;
}

/* Deliver every pending signal the mask no longer blocks. */
static void deliver_pending(void)
{
    sigset_t ready;
    while ((ready = pend_set() & ~mask) != 0) {
        int sig = lowest(ready);
        siginfo_t info;
        take_info(sig, &info);
        if (pend_take(sig))
            deliver(sig, &info);
    }
}

int raise(int sig)
{
    if (!VALID(sig))
        return bk_fail(EINVAL);
    pend_add(sig);
    __atomic_add_fetch(&raised, 1, __ATOMIC_ACQ_REL);
    __bk_futex_wake(&raised, (unsigned long)-1);
    deliver_pending();
    return 0;
}

int kill(pid_t pid, int sig)
{
    if (sig != 0 && !VALID(sig))
        return bk_fail(EINVAL);
    if (pid != getpid() && pid != 0 && pid != -1 && pid != -getpid())
        return bk_fail(ESRCH);
    return sig == 0 ? 0 : raise(sig);
}

int sigaction(int sig, const struct sigaction *restrict act, struct sigaction *restrict old)
{
    if (!VALID(sig) || (act && (sig == SIGKILL || sig == SIGSTOP)))
        return bk_fail(EINVAL);
    if (old)
        *old = actions[sig];
    if (act) {
        actions[sig] = *act;
        actions[sig].sa_mask &= ~(BIT(SIGKILL) | BIT(SIGSTOP));
    }
    return 0;
}

_sig_func_ptr signal(int sig, _sig_func_ptr fn)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    if (sigaction(sig, &sa, &old) < 0)
        return SIG_ERR;
    return old.sa_handler;
}

/* One mask for the process: the layer delivers only synchronously, so per-thread masks would
 * behave the same for every signal raised by a thread on itself. */
int sigprocmask(int how, const sigset_t *restrict set, sigset_t *restrict old)
{
    if (old)
        *old = mask;
    if (set) {
        sigset_t s = *set & ~(BIT(SIGKILL) | BIT(SIGSTOP));
        switch (how) {
        case SIG_BLOCK: mask |= s; break;
        case SIG_UNBLOCK: mask &= ~s; break;
        case SIG_SETMASK: mask = s; break;
        default: return bk_fail(EINVAL);
        }
        deliver_pending();
    }
    return 0;
}

int pthread_sigmask(int how, const sigset_t *restrict set, sigset_t *restrict old)
{
    return sigprocmask(how, set, old) < 0 ? errno : 0;
}

int sigpending(sigset_t *set)
{
    *set = pend_set() & mask;
    return 0;
}

int sigsuspend(const sigset_t *set)
{
    sigset_t old = mask;
    for (;;) {
        unsigned long seen = raised;
        mask = *set;
        if (pend_set() & ~mask) {
            deliver_pending();
            mask = old;
            return bk_fail(EINTR);
        }
        mask = old;
        (void)__bk_futex_wait(&raised, seen, NULL);
    }
}

int pause(void)
{
    sigset_t cur = mask;
    return sigsuspend(&cur);
}

int sigwait(const sigset_t *restrict set, int *restrict sig)
{
    for (;;) {
        unsigned long seen = raised;
        sigset_t ready = pend_set() & *set;
        if (ready) {
            int s = lowest(ready);
            siginfo_t info;
            take_info(s, &info);
            if (!pend_take(s))
                continue;
            *sig = s;
            return 0;
        }
        (void)__bk_futex_wait(&raised, seen, NULL);
    }
}

/* Another thread cannot be interrupted: the signal is raised in the calling thread, which is
 * exact for pthread_kill(pthread_self(), sig) and for handlers that do not care where they run. */
/* bkport: partial: the handler runs in the calling thread, not in the target thread */
int pthread_kill(pthread_t t, int sig)
{
    if (sig != 0 && !VALID(sig))
        return EINVAL;
    if (!t)
        return ESRCH;
    return sig == 0 ? 0 : (raise(sig) < 0 ? errno : 0);
}

/* The value reaches an SA_SIGINFO handler (or sigwaitinfo) with si_code SI_QUEUE. */
/* bkport: partial: one pending instance per signal: a second sigqueue before delivery replaces the value */
int sigqueue(pid_t pid, int sig, const union sigval value)
{
    if (sig != 0 && !VALID(sig))
        return bk_fail(EINVAL);
    if (pid != getpid() && pid != 0 && pid != -1 && pid != -getpid())
        return bk_fail(ESRCH);
    if (sig == 0)
        return 0;
    next_value[sig] = value;
    next_code[sig] = SI_QUEUE;
    return raise(sig);
}

/* The XSI signal-management calls, over sigprocmask and sigaction. */
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
    if (!VALID(sig) || sig == SIGKILL || sig == SIGSTOP)
        return errno = EINVAL, SIG_ERR;
    struct sigaction old;
    (void)sigaction(sig, NULL, &old);
    int held = (mask & BIT(sig)) != 0;
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
    sigset_t s = mask;
    if (!VALID(sig))
        return bk_fail(EINVAL);
    s &= ~BIT(sig);
    return sigsuspend(&s);
}

int sigtimedwait(const sigset_t *restrict set, siginfo_t *restrict info,
                 const struct timespec *restrict timeout)
{
    struct timespec deadline;
    if (timeout) {
        if (timeout->tv_nsec < 0 || timeout->tv_nsec >= 1000000000L)
            return bk_fail(EINVAL);
        __bk_now(CLOCK_MONOTONIC, &deadline);
        deadline.tv_sec += timeout->tv_sec;
        deadline.tv_nsec += timeout->tv_nsec;
        if (deadline.tv_nsec >= 1000000000L) {
            deadline.tv_nsec -= 1000000000L;
            deadline.tv_sec++;
        }
    }
    for (;;) {
        unsigned long seen = raised;
        sigset_t ready = pend_set() & *set;
        if (ready) {
            int s = lowest(ready);
            siginfo_t taken;
            take_info(s, &taken);
            if (!pend_take(s))
                continue;
            if (info)
                *info = taken;
            return s;
        }
        struct bk_kts rel;
        if (timeout) {
            int e = __bk_until(CLOCK_MONOTONIC, &deadline, &rel);
            if (e)
                return bk_fail(e == ETIMEDOUT ? EAGAIN : e);
        }
        (void)__bk_futex_wait(&raised, seen, timeout ? &rel : NULL);
    }
}

int sigwaitinfo(const sigset_t *restrict set, siginfo_t *restrict info)
{
    return sigtimedwait(set, info, NULL);
}

/* Handlers run on the stack of the thread that raised the signal. */
/* bkport: partial: the alternate stack is recorded but handlers run on the raising thread's stack */
int sigaltstack(const stack_t *restrict ss, stack_t *restrict old)
{
    static stack_t cur = { .ss_flags = SS_DISABLE };
    if (old)
        *old = cur;
    if (ss) {
        if (ss->ss_flags & ~SS_DISABLE)
            return bk_fail(EINVAL);
        if (!(ss->ss_flags & SS_DISABLE) && ss->ss_size < MINSIGSTKSZ)
            return bk_fail(ENOMEM);
        cur = *ss;
    }
    return 0;
}

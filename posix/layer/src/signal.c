/*
 * <signal.h> in one address space. Signals live in the layer: a queue of generated signals,
 * each for one thread (pthread_kill, raise, the thread's own faults) or for the process (kill,
 * sigqueue, timers, alarm), masks per thread (a new thread inherits its creator's and starts
 * with nothing pending), and handlers run on the thread that takes the signal:
 * - the generating thread itself, before kill/raise/pthread_kill return, when the signal is for
 *   it (or for the process) and it does not block it;
 * - otherwise the target (a thread not blocking a process-directed one) is interrupted with
 *   ThreadInterrupt: its wait in the kernel (AtomicWait, ClockNanosleep) answers EINTR, or its
 *   next one does, and the layer runs the handler there (__bk_sig_interrupted) before the
 *   interrupted call returns EINTR (sem_wait, nanosleep, sigsuspend, ...) or resumes waiting
 *   (pthread_cond_wait, mutexes, which POSIX does not let a signal interrupt).
 * - a target running user code (a compute loop) is diverted by the kernel at its next trap (a
 *   tick, a call, being switched in) into __bk_sig_entry (SignalEntry, registered with the first
 *   handler or asynchronous cancellation), which runs its handlers (or acts on an asynchronous
 *   cancellation) and resumes it exactly where it was (SignalReturn).
 * Standard signals pending for the same target merge; realtime ones queue (SIGQUEUE_MAX in
 * all) and the lowest-numbered signal goes first. Default actions follow POSIX: ignore for
 * SIGCHLD/SIGURG/SIGWINCH/SIGCONT, otherwise end the application with status 128 + signal.
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "sig.h"
#include "thread.h"

#undef sigaddset
#undef sigdelset
#undef sigemptyset
#undef sigfillset
#undef sigismember

#define VALID(s) ((s) > 0 && (s) < NSIG)
/* Signal s is bit s-1 of the 64-bit sigset_t (include/sys/_sigset.h), as on Linux. */
#define BIT(s) ((sigset_t)1 << ((s) - 1))
#define UNBLOCKABLE (BIT(SIGKILL) | BIT(SIGSTOP))
/* POSIX's minimum {_POSIX_SIGQUEUE_MAX} is 32: realtime signals pending at once. */
#define QMAX 64

struct pending {
    struct bk_thread *to; /* NULL: for the process */
    int signo, code;
    union sigval value;
};

static struct sigaction actions[NSIG];
static struct pending queue[QMAX];
static int queued;
/* A word guarding the queue, never held across a handler or a futex wait of its own: 0 or the
 * holder's record, so a holder diverted into the signal entry does not wait for itself. */
static volatile unsigned long qword;
/* Futex word bumped on every generation, so sigsuspend()/sigwait() can sleep until one comes. */
static volatile unsigned long raised;

static void qlock(void)
{
    /* Sleep a tick rather than spin: the holder may be a lower-priority thread. */
    static const struct bk_kts tick = { 0, 1000000 };
    unsigned long me = (unsigned long)__bk_self(), held = 0;
    while (!__atomic_compare_exchange_n(&qword, &held, me, 0, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED)) {
        (void)bk_syscall6(BK_NR_atomic_wait, (long)&qword, (long)held, (long)&tick, 0, 0, 0);
        held = 0;
    }
}

static void qunlock(void)
{
    __atomic_store_n(&qword, 0, __ATOMIC_RELEASE);
}

static struct bk_thread *self(void)
{
    return __bk_self();
}

/* Signals pending for thread t (its own and the process's). */
static sigset_t pending_for(struct bk_thread *t)
{
    sigset_t s = 0;
    qlock();
    for (int i = 0; i < queued; i++)
        if (!queue[i].to || queue[i].to == t)
            s |= BIT(queue[i].signo);
    qunlock();
    return s;
}

/* Take the lowest-numbered signal of `allowed` pending for t (the oldest instance of it). */
static int take(struct bk_thread *t, sigset_t allowed, siginfo_t *info)
{
    int best = -1;
    qlock();
    for (int i = 0; i < queued; i++) {
        struct pending *p = &queue[i];
        if ((p->to && p->to != t) || !(allowed & BIT(p->signo)))
            continue;
        if (best < 0 || p->signo < queue[best].signo)
            best = i;
    }
    if (best < 0) {
        qunlock();
        return 0;
    }
    struct pending p = queue[best];
    memmove(&queue[best], &queue[best + 1], (size_t)(queued - best - 1) * sizeof queue[0]);
    queued--;
    qunlock();
    memset(info, 0, sizeof *info);
    info->si_signo = p.signo;
    info->si_code = p.code;
    info->si_value = p.value;
    info->si_pid = getpid();
    return p.signo;
}

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

struct call {
    struct sigaction sa;
    int sig;
    siginfo_t *info;
};

static void run_handler(void *arg)
{
    struct call *c = arg;
    if (c->sa.sa_flags & SA_SIGINFO)
        c->sa.sa_sigaction(c->sig, c->info, NULL);
    else
        c->sa.sa_handler(c->sig);
}

/* Call fn(arg) with the stack pointer at `top` (16-byte aligned), back on our stack after. */
__attribute__((noinline)) static void on_stack(void *top, void (*fn)(void *), void *arg)
{
#if defined(__aarch64__)
    __asm__ volatile("mov x19, sp\n\tmov sp, %0\n\tmov x0, %2\n\tblr %1\n\tmov sp, x19"
                     : : "r"(top), "r"(fn), "r"(arg)
                     : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
                       "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x30", "memory",
                       "cc");
#elif defined(__riscv)
    __asm__ volatile("mv s1, sp\n\tmv sp, %0\n\tmv a0, %2\n\tjalr %1\n\tmv sp, s1"
                     : : "r"(top), "r"(fn), "r"(arg)
                     : "ra", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "a0", "a1", "a2", "a3",
                       "a4", "a5", "a6", "a7", "s1", "memory");
#elif defined(__arm__)
    __asm__ volatile("mov r4, sp\n\tmov sp, %0\n\tmov r0, %2\n\tblx %1\n\tmov sp, r4"
                     : : "r"(top), "r"(fn), "r"(arg)
                     : "r0", "r1", "r2", "r3", "r4", "r12", "lr", "memory", "cc");
#else
    (void)top;
    fn(arg);
#endif
}

static void deliver(int sig, siginfo_t *info)
{
    struct bk_thread *me = self();
    struct call c = { actions[sig], sig, info };
    if (c.sa.sa_handler == SIG_IGN || (c.sa.sa_handler == SIG_DFL && default_ignores(sig)))
        return;
    if (c.sa.sa_handler == SIG_DFL) {
        __bk_stdio_flush(); /* abnormal termination, but keep what was printed */
        _exit(128 + sig);
    }
    if (c.sa.sa_flags & SA_RESETHAND)
        actions[sig].sa_handler = SIG_DFL;
    sigset_t old = me->sigmask;
    me->sigmask |= (c.sa.sa_mask | ((c.sa.sa_flags & SA_NODEFER) ? 0 : BIT(sig))) & ~UNBLOCKABLE;
    if ((c.sa.sa_flags & SA_ONSTACK) && !(me->altstack.ss_flags & SS_DISABLE) &&
        !me->on_altstack && me->altstack.ss_size) {
        uintptr_t top = ((uintptr_t)me->altstack.ss_sp + me->altstack.ss_size) & ~(uintptr_t)15;
        me->on_altstack = 1;
        on_stack((void *)top, run_handler, &c);
        me->on_altstack = 0;
    } else {
        run_handler(&c);
    }
    me->sig_runs++;
    if (!(c.sa.sa_flags & SA_RESTART))
        me->sig_breaks++;
    me->sigmask = old;
}

/* Deliver every signal pending for the calling thread that its mask lets through. */
static int deliver_pending(void)
{
    struct bk_thread *me = self();
    int n = 0;
    siginfo_t info;
    int sig;
    while ((sig = take(me, ~me->sigmask, &info)) != 0) {
        deliver(sig, &info);
        n++;
    }
    return n;
}

/* ---- asynchronous delivery ----
 * The kernel diverts a running target here, on its own stack below what it was using, with its
 * saved context at ctx. It cannot act yet while it holds the queue's lock (the handlers would
 * wait for it) or before it has started (no TLS yet): it asks to be entered again at its next
 * trap. Its next wait still answers EINTR; the waits that must end after a handler compare
 * sig_runs too (sigsuspend). */
static volatile unsigned long entry_set;

/* The thread has set its thread pointer (thread_start): picolibc's errno and the handlers'
 * TLS work. On Cortex-M TLS is found by stack range, registered before the thread starts. */
static int tls_ready(void)
{
    uintptr_t tp = 1;
#if defined(__riscv)
    __asm__ volatile("mv %0, tp" : "=r"(tp));
#elif defined(__aarch64__)
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(tp));
#endif
    return tp != 0;
}

_Noreturn void __bk_sig_entry(void *ctx);
_Noreturn void __bk_sig_entry(void *ctx)
{
    struct bk_thread *me = self();
    int again = qword == (unsigned long)me || !tls_ready();
    if (!again) {
        deliver_pending();
        if (me->cancel_type == PTHREAD_CANCEL_ASYNCHRONOUS)
            __bk_cp_test();
    }
    (void)bk_syscall6(BK_NR_signal_return, (long)ctx, again, 0, 0, 0, 0);
    for (;;)
        ; /* SignalReturn does not return: it resumes the context */
}

void __bk_sig_async_on(void)
{
    if (!__atomic_exchange_n(&entry_set, 1, __ATOMIC_ACQ_REL))
        (void)bk_syscall6(BK_NR_signal_entry, (long)__bk_sig_entry, 0, 0, 0, 0, 0);
}

static void interrupt(struct bk_thread *t)
{
    (void)bk_syscall6(BK_NR_thread_interrupt, (long)t->tid, 0, 0, 0, 0, 0);
}

int __bk_sig_send(struct bk_thread *to, int sig, int code, union sigval v)
{
    struct bk_thread *me = self();
    if (actions[sig].sa_handler == SIG_IGN && !(to ? to->sigmask : me->sigmask & BIT(sig)))
        return 0; /* discarded at generation: nobody could wait for it unblocked */
    qlock();
    int dup = 0;
    if (sig < SIGRTMIN)
        for (int i = 0; i < queued && !dup; i++)
            dup = queue[i].signo == sig && queue[i].to == to;
    if (!dup) {
        if (queued == QMAX) {
            qunlock();
            return EAGAIN;
        }
        queue[queued++] = (struct pending){ to, sig, code, v };
    }
    qunlock();
    __atomic_add_fetch(&raised, 1, __ATOMIC_ACQ_REL);
    __bk_futex_wake(&raised, (unsigned long)-1);
    if ((to == me || !to) && !(me->sigmask & BIT(sig))) {
        deliver_pending();
        return 0;
    }
    if (to) {
        if (!(to->sigmask & BIT(sig)))
            interrupt(to);
        return 0;
    }
    /* For the process: interrupt one thread that does not block it (if every thread blocks
     * it, it stays pending until one unblocks it or takes it with sigwait). */
    __bk_lock(&__bk_all_lock);
    struct bk_thread *t = __bk_all;
    while (t && (t == me || !__atomic_load_n(&t->tid, __ATOMIC_ACQUIRE) ||
                 (t->sigmask & BIT(sig))))
        t = t->all_next;
    unsigned long tid = t ? t->tid : 0;
    __bk_unlock(&__bk_all_lock);
    if (tid)
        (void)bk_syscall6(BK_NR_thread_interrupt, (long)tid, 0, 0, 0, 0, 0);
    return 0;
}

int __bk_sig_interrupted(void)
{
    int n = deliver_pending();
    struct bk_thread *me = self();
    if (me->in_cp || me->cancel_type == PTHREAD_CANCEL_ASYNCHRONOUS)
        __bk_cp_test();
    return n;
}

unsigned __bk_sig_runs(void)
{
    return self()->sig_runs;
}

/* Handlers run on this thread that were installed without SA_RESTART: a restartable wait
 * (mq_send, mq_receive: the calls Linux restarts) ends with EINTR only when this moved. */
unsigned __bk_sig_breaks(void)
{
    return self()->sig_breaks;
}

void __bk_sig_helper(void)
{
    self()->sigmask = ~(sigset_t)0;
}

void __bk_cp_enter(void)
{
    __bk_cp_test();
    self()->in_cp++;
}

void __bk_cp_leave(void)
{
    self()->in_cp--;
}

static const union sigval novalue;

int raise(int sig)
{
    if (!VALID(sig))
        return bk_fail(EINVAL);
    return __bk_sig_send(self(), sig, SI_USER, novalue) ? bk_fail(EAGAIN) : 0;
}

static int our_pid(pid_t pid)
{
    return pid == getpid() || pid == 0 || pid == -1 || pid == -getpid();
}

int kill(pid_t pid, int sig)
{
    if (sig != 0 && !VALID(sig))
        return bk_fail(EINVAL);
    if (!our_pid(pid))
        return bk_fail(ESRCH);
    if (sig == 0)
        return 0;
    return __bk_sig_send(NULL, sig, SI_USER, novalue) ? bk_fail(EAGAIN) : 0;
}

int killpg(pid_t pgrp, int sig)
{
    if (pgrp < 0)
        return bk_fail(EINVAL);
    return kill(pgrp == 0 ? 0 : -pgrp, sig);
}

int sigaction(int sig, const struct sigaction *restrict act, struct sigaction *restrict old)
{
    if (!VALID(sig) || (act && (sig == SIGKILL || sig == SIGSTOP)))
        return bk_fail(EINVAL);
    if (old)
        *old = actions[sig];
    if (act) {
        actions[sig] = *act;
        actions[sig].sa_mask &= ~UNBLOCKABLE;
        if (act->sa_handler != SIG_IGN && act->sa_handler != SIG_DFL)
            __bk_sig_async_on();
        /* POSIX: setting SIG_IGN discards the pending instances of sig. */
        if (act->sa_handler == SIG_IGN) {
            qlock();
            int j = 0;
            for (int i = 0; i < queued; i++)
                if (queue[i].signo != sig)
                    queue[j++] = queue[i];
            queued = j;
            qunlock();
        }
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

int pthread_sigmask(int how, const sigset_t *restrict set, sigset_t *restrict old)
{
    struct bk_thread *me = self();
    sigset_t cur = me->sigmask;
    if (set) {
        sigset_t s = *set & ~UNBLOCKABLE;
        switch (how) {
        case SIG_BLOCK: cur |= s; break;
        case SIG_UNBLOCK: cur &= ~s; break;
        case SIG_SETMASK: cur = s; break;
        default: return EINVAL;
        }
    }
    if (old)
        *old = me->sigmask;
    if (set) {
        me->sigmask = cur;
        deliver_pending();
    }
    return 0;
}

/* In a threaded process POSIX leaves sigprocmask unspecified; it is the calling thread's. */
int sigprocmask(int how, const sigset_t *restrict set, sigset_t *restrict old)
{
    int e = pthread_sigmask(how, set, old);
    return e ? bk_fail(e) : 0;
}

int sigpending(sigset_t *set)
{
    struct bk_thread *me = self();
    *set = pending_for(me) & me->sigmask;
    return 0;
}

int sigsuspend(const sigset_t *set)
{
    struct bk_thread *me = self();
    __bk_cp_enter();
    sigset_t old = me->sigmask;
    me->sigmask = *set & ~UNBLOCKABLE;
    /* A handler may also run asynchronously (the signal entry) between the check and the wait:
     * it ends the wait as well. */
    unsigned runs = me->sig_runs;
    for (;;) {
        unsigned long seen = raised;
        if (deliver_pending() || me->sig_runs != runs ||
            __bk_futex_wait(&raised, seen, NULL) == EINTR)
            break;
    }
    me->sigmask = old;
    __bk_cp_leave();
    deliver_pending(); /* what the restored mask no longer blocks */
    return bk_fail(EINTR);
}

int pause(void)
{
    sigset_t cur = self()->sigmask;
    return sigsuspend(&cur);
}

/* The lowest pending signal of `set`, waiting for one until `timeout` (NULL: for ever). */
static int wait_for(const sigset_t *set, siginfo_t *info, const struct timespec *timeout)
{
    struct bk_thread *me = self();
    struct timespec deadline;
    if (timeout) {
        if (timeout->tv_nsec < 0 || timeout->tv_nsec >= 1000000000L || timeout->tv_sec < 0)
            return -EINVAL;
        __bk_now(CLOCK_MONOTONIC, &deadline);
        deadline.tv_sec += timeout->tv_sec;
        deadline.tv_nsec += timeout->tv_nsec;
        if (deadline.tv_nsec >= 1000000000L) {
            deadline.tv_nsec -= 1000000000L;
            deadline.tv_sec++;
        }
    }
    __bk_cp_enter();
    int s;
    /* The generation that wakes this wait may also divert the thread into the signal entry
     * before it looks again: a handler that ran so interrupts it as well. */
    unsigned runs = me->sig_runs;
    for (;;) {
        unsigned long seen = raised;
        siginfo_t taken;
        if ((s = take(me, *set & ~UNBLOCKABLE, &taken)) != 0) {
            if (info)
                *info = taken;
            break;
        }
        struct bk_kts rel;
        if (timeout) {
            int e = __bk_until(CLOCK_MONOTONIC, &deadline, &rel);
            if (e) {
                s = -(e == ETIMEDOUT ? EAGAIN : e);
                break;
            }
        }
        /* A handler that ran for a signal outside `set` interrupts sigwaitinfo (EINTR). */
        if ((__bk_futex_wait(&raised, seen, timeout ? &rel : NULL) == EINTR ||
             me->sig_runs != runs) && info) {
            s = -EINTR;
            break;
        }
    }
    __bk_cp_leave();
    return s;
}

int sigwait(const sigset_t *restrict set, int *restrict sig)
{
    siginfo_t info;
    int s;
    /* sigwait is not interrupted: a handler that ran while waiting leaves it waiting. */
    while ((s = wait_for(set, NULL, NULL)) < 0)
        if (s != -EINTR)
            return -s;
    (void)info;
    *sig = s;
    return 0;
}

int sigtimedwait(const sigset_t *restrict set, siginfo_t *restrict info,
                 const struct timespec *restrict timeout)
{
    siginfo_t dummy;
    int s = wait_for(set, info ? info : &dummy, timeout);
    return s < 0 ? bk_fail(-s) : s;
}

int sigwaitinfo(const sigset_t *restrict set, siginfo_t *restrict info)
{
    return sigtimedwait(set, info, NULL);
}

int pthread_kill(pthread_t t, int sig)
{
    if (sig != 0 && !VALID(sig))
        return EINVAL;
    struct bk_thread *th = __bk_thread_of(t);
    if (!th || th->join_state == JS_EXITED || th->join_state == JS_ZOMBIE)
        return ESRCH;
    return sig == 0 ? 0 : __bk_sig_send(th, sig, SI_USER, novalue);
}

/* The value reaches an SA_SIGINFO handler (or sigwaitinfo) with si_code SI_QUEUE. */
int sigqueue(pid_t pid, int sig, const union sigval value)
{
    if (sig != 0 && !VALID(sig))
        return bk_fail(EINVAL);
    if (!our_pid(pid))
        return bk_fail(ESRCH);
    if (sig == 0)
        return 0;
    int e = __bk_sig_send(NULL, sig, SI_QUEUE, value);
    return e ? bk_fail(e) : 0;
}

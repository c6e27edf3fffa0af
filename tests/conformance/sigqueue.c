/* Realtime signals (issue 14): sigqueue with si_value, siginfo_t for SA_SIGINFO handlers
 * (si_signo, si_code SI_QUEUE/SI_USER/SI_TIMER, si_value), queued and not merged, the lowest
 * number first; standard signals merge; sigaltstack (a handler on the alternate stack); the
 * sigset functions' EINVAL for every bad number. Run as `conform sigqueue`. */
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conform.h"

static int order[32], values[32], codes[32], signos[32];
static volatile int n;

static void rec(int sig, siginfo_t *info, void *ctx)
{
    (void)ctx;
    if (n < 32) {
        order[n] = sig;
        signos[n] = info->si_signo;
        codes[n] = info->si_code;
        values[n] = info->si_value.sival_int;
        n++;
    }
}

static void install(int sig, int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = rec;
    sa.sa_flags = SA_SIGINFO | flags;
    sigaction(sig, &sa, NULL);
}

static volatile uintptr_t local_at;
static volatile int alt_flag;
static void on_alt(int sig)
{
    volatile int here = sig;
    local_at = (uintptr_t)&here;
    stack_t cur;
    sigaltstack(NULL, &cur);
    alt_flag = cur.ss_flags;
}

static char alt[16384] __attribute__((aligned(16)));

int main(void)
{
    sigset_t s, all;
    int r1 = SIGRTMIN, r2 = SIGRTMIN + 1, rmax = SIGRTMAX;
    install(r1, 0);
    install(r2, 0);
    install(rmax, 0);
    install(SIGUSR1, 0);
    sigemptyset(&s);
    sigaddset(&s, r1);
    sigaddset(&s, r2);
    sigaddset(&s, rmax);
    sigaddset(&s, SIGUSR1);
    sigprocmask(SIG_BLOCK, &s, NULL);
    union sigval v;
    for (int i = 0; i < 3; i++) {
        v.sival_int = 100 + i;
        CHECK(sigqueue(getpid(), rmax, v) == 0, "sigqueue: SIGRTMAX queued while blocked");
    }
    for (int i = 0; i < 3; i++) {
        v.sival_int = 200 + i;
        CHECK(sigqueue(getpid(), r2, v) == 0, "sigqueue: SIGRTMIN+1 queued while blocked");
    }
    v.sival_int = 300;
    CHECK(sigqueue(getpid(), r1, v) == 0, "sigqueue: SIGRTMIN queued while blocked");
    v.sival_int = 1;
    sigqueue(getpid(), SIGUSR1, v);
    v.sival_int = 2;
    sigqueue(getpid(), SIGUSR1, v);
    sigset_t p;
    sigpending(&p);
    CHECK(sigismember(&p, r1) && sigismember(&p, r2) && sigismember(&p, rmax) &&
              sigismember(&p, SIGUSR1),
          "sigpending: the queued realtime signals are pending");
    n = 0;
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    CHECK(n == 8, "sigqueue: 7 realtime instances queued, not merged, and 1 SIGUSR1 (merged)");
    CHECK(order[0] == SIGUSR1 && codes[0] == SI_QUEUE,
          "sigqueue: the lowest-numbered signal first (SIGUSR1 before the realtime ones)");
    CHECK(order[1] == r1 && values[1] == 300, "sigqueue: then SIGRTMIN with its value");
    CHECK(order[2] == r2 && order[3] == r2 && order[4] == r2,
          "sigqueue: then the three SIGRTMIN+1, lowest number first");
    CHECK(values[2] == 200 && values[3] == 201 && values[4] == 202,
          "sigqueue: instances of one signal in the order they were sent");
    CHECK(order[5] == rmax && values[5] == 100 && values[7] == 102,
          "sigqueue: SIGRTMAX last, its three values in order");
    CHECK(signos[7] == rmax && codes[7] == SI_QUEUE,
          "sigaction: SA_SIGINFO handler gets si_signo and si_code SI_QUEUE");
    n = 0;
    raise(r1);
    CHECK(n == 1 && codes[0] == SI_USER && signos[0] == r1,
          "raise: si_code SI_USER in the SA_SIGINFO handler");
    n = 0;
    kill(getpid(), r1);
    CHECK(n == 1 && codes[0] == SI_USER, "kill: si_code SI_USER");

    /* SI_TIMER and the timer's si_value */
    timer_t tm;
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = r2;
    ev.sigev_value.sival_int = 4242;
    n = 0;
    CHECK(timer_create(CLOCK_MONOTONIC, &ev, &tm) == 0, "timer_create: SIGEV_SIGNAL realtime");
    struct itimerspec its = { { 0, 0 }, { 0, 50000000 } };
    timer_settime(tm, 0, &its, NULL);
    struct timespec d = { 1, 0 };
    nanosleep(&d, NULL);
    timer_delete(tm);
    CHECK(n == 1 && codes[0] == SI_TIMER, "timer_settime: the expiry's si_code is SI_TIMER");
    CHECK(n == 1 && values[0] == 4242, "timer_settime: the expiry carries sigev_value");

    /* sigwaitinfo with si_value */
    sigprocmask(SIG_BLOCK, &s, NULL);
    v.sival_int = 77;
    sigqueue(getpid(), r2, v);
    siginfo_t info;
    memset(&info, 0, sizeof info);
    CHECK(sigwaitinfo(&s, &info) == r2 && info.si_value.sival_int == 77 &&
              info.si_code == SI_QUEUE,
          "sigwaitinfo: takes the queued signal with si_value and SI_QUEUE");
    sigprocmask(SIG_UNBLOCK, &s, NULL);

    /* EINVAL and ESRCH */
    CHECK_ERR(sigqueue(getpid(), NSIG, v), EINVAL, "sigqueue: bad signal gives EINVAL");
    CHECK_ERR(sigqueue(getpid(), -3, v), EINVAL, "sigqueue: negative signal gives EINVAL");
    CHECK_ERR(sigqueue(getpid() + 100, SIGUSR1, v), ESRCH, "sigqueue: no such process ESRCH");
    CHECK(sigqueue(getpid(), 0, v) == 0, "sigqueue: signal 0 checks the process");

    /* sigset functions for every number */
    int bad = 0, good = 0;
    for (int sig = 1; sig <= SIGRTMAX; sig++) {
        sigemptyset(&all);
        if (sigaddset(&all, sig) == 0 && sigismember(&all, sig) == 1)
            good++;
        for (int o = 1; o <= SIGRTMAX; o++)
            if (o != sig && sigismember(&all, o) != 0)
                bad++;
        sigdelset(&all, sig);
        if (sigismember(&all, sig) != 0)
            bad++;
    }
    CHECK(good == SIGRTMAX && bad == 0,
          "sigaddset: every signal 1..SIGRTMAX is its own bit (no 1<<sig past 31)");
    CHECK_ERR(sigaddset(&all, 0), EINVAL, "sigaddset: signal 0 gives EINVAL");
    CHECK_ERR(sigaddset(&all, SIGRTMAX + 1), EINVAL, "sigaddset: SIGRTMAX+1 gives EINVAL");
    CHECK_ERR(sigdelset(&all, SIGRTMAX + 1), EINVAL, "sigdelset: SIGRTMAX+1 gives EINVAL");
    CHECK_ERR(sigismember(&all, SIGRTMAX + 1), EINVAL, "sigismember: SIGRTMAX+1 gives EINVAL");
    CHECK_ERR(sigdelset(&all, -1), EINVAL, "sigdelset: -1 gives EINVAL");
    CHECK_ERR(sigismember(&all, 0), EINVAL, "sigismember: 0 gives EINVAL");

    /* sigaltstack */
    stack_t ss, old;
    memset(&ss, 0, sizeof ss);
    CHECK(sigaltstack(NULL, &old) == 0 && (old.ss_flags & SS_DISABLE),
          "sigaltstack: disabled at first");
    ss.ss_sp = alt;
    ss.ss_size = 1024;
    CHECK_ERR(sigaltstack(&ss, NULL), ENOMEM, "sigaltstack: smaller than MINSIGSTKSZ ENOMEM");
    ss.ss_size = sizeof alt;
    ss.ss_flags = 0x40;
    CHECK_ERR(sigaltstack(&ss, NULL), EINVAL, "sigaltstack: bad flags give EINVAL");
    ss.ss_flags = 0;
    CHECK(sigaltstack(&ss, NULL) == 0, "sigaltstack: installs the alternate stack");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alt;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR2, &sa, NULL);
    local_at = 0;
    raise(SIGUSR2);
    CHECK(local_at >= (uintptr_t)alt && local_at < (uintptr_t)alt + sizeof alt,
          "sigaltstack: an SA_ONSTACK handler's locals are on the alternate stack");
    CHECK(alt_flag & SS_ONSTACK, "sigaltstack: SS_ONSTACK reported inside the handler");
    sa.sa_flags = 0;
    sigaction(SIGUSR2, &sa, NULL);
    local_at = 0;
    raise(SIGUSR2);
    CHECK(local_at && (local_at < (uintptr_t)alt || local_at >= (uintptr_t)alt + sizeof alt),
          "sigaltstack: a handler without SA_ONSTACK stays on the thread's stack");
    CHECK(sigaltstack(NULL, &old) == 0 && old.ss_sp == alt && old.ss_size == sizeof alt &&
              !(old.ss_flags & SS_ONSTACK),
          "sigaltstack: reads back the stack, not on it outside the handler");
    ss.ss_flags = SS_DISABLE;
    CHECK(sigaltstack(&ss, NULL) == 0, "sigaltstack: SS_DISABLE turns it off");
    CONFORM_DONE();
}

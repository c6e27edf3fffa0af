/* <signal.h> beyond ISO C (issue 14's signal header gaps): SA_SIGINFO handlers through
 * sa_sigaction with si_signo/si_code/si_value (raise: SI_USER, sigqueue: SI_QUEUE), the
 * SA_ONSTACK/SA_RESTART/SA_NODEFER/SA_RESETHAND/SA_NOCLDWAIT flags, the realtime signals
 * SIGRTMIN..SIGRTMAX (numbers past 31 in masks and sets on every board), sigaddset/sigdelset/
 * sigismember answering EINVAL for bad numbers, SIG_HOLD with sigset, and sighold/sigrelse/
 * sigignore. The conformance driver runs this as `conform signal_ext`. */
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "conform.h"

static volatile int got_sig, got_code, got_int, plain;

static void on_info(int sig, siginfo_t *info, void *ctx)
{
    (void)ctx;
    got_sig = sig;
    got_code = info ? info->si_code : -1;
    got_int = info ? info->si_value.sival_int : -1;
}

static void on_plain(int sig)
{
    plain = sig;
}

int main(void)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    CHECK(SA_SIGINFO && SA_ONSTACK && SA_RESTART && SA_NODEFER && SA_RESETHAND && SA_NOCLDWAIT,
          "SA_SIGINFO, SA_ONSTACK, SA_RESTART, SA_NODEFER, SA_RESETHAND, SA_NOCLDWAIT defined");
    CHECK((SA_SIGINFO & SA_ONSTACK) == 0 && (SA_RESTART & SA_NODEFER) == 0 &&
          (SA_RESETHAND & SA_SIGINFO) == 0, "the flags are distinct bits");
    CHECK(SIGRTMAX - SIGRTMIN + 1 >= _POSIX_RTSIG_MAX,
          "at least _POSIX_RTSIG_MAX realtime signals");
    CHECK(SIGRTMIN > SIGUSR2 && SIGRTMIN > SIGTERM && SIGRTMAX < NSIG,
          "SIGRTMIN..SIGRTMAX in range");
    CHECK(SIG_HOLD != SIG_DFL && SIG_HOLD != SIG_IGN && SIG_HOLD != SIG_ERR, "SIG_HOLD distinct");

    sa.sa_sigaction = on_info;
    sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0,
          "sigaction with SA_SIGINFO | SA_RESTART | SA_ONSTACK");
    CHECK(sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_sigaction == on_info &&
          (old.sa_flags & SA_SIGINFO), "the action reads back with sa_sigaction");
    raise(SIGUSR1);
    CHECK(got_sig == SIGUSR1 && got_code == SI_USER, "raise: handler gets si_signo, SI_USER");
    union sigval v;
    v.sival_int = 4242;
    CHECK(sigqueue(getpid(), SIGUSR1, v) == 0, "sigqueue");
    CHECK(got_code == SI_QUEUE && got_int == 4242, "sigqueue: SI_QUEUE and the value");

    int rt = SIGRTMIN + 3;
    CHECK(sigaction(rt, &sa, NULL) == 0, "sigaction on SIGRTMIN+3");
    got_sig = 0;
    CHECK(raise(rt) == 0 && got_sig == rt, "SIGRTMIN+3 delivered to its handler");
    got_sig = 0;
    CHECK(sigaction(SIGRTMAX, &sa, NULL) == 0 && raise(SIGRTMAX) == 0 && got_sig == SIGRTMAX,
          "SIGRTMAX delivered");

    sigset_t s, pend;
    sigemptyset(&s);
    CHECK(sigaddset(&s, SIGRTMAX) == 0 && sigismember(&s, SIGRTMAX) == 1, "sigaddset SIGRTMAX");
    CHECK(sigismember(&s, SIGRTMIN) == 0 && sigismember(&s, SIGRTMAX - 32) == 0,
          "no other bit set (no wrap past 32)");
    CHECK(sigaddset(&s, SIGRTMIN) == 0 && sigdelset(&s, SIGRTMAX) == 0 &&
          sigismember(&s, SIGRTMAX) == 0 && sigismember(&s, SIGRTMIN) == 1, "sigdelset");
    CHECK_ERR(sigaddset(&s, 0), EINVAL, "sigaddset(0): EINVAL");
    CHECK_ERR(sigaddset(&s, NSIG), EINVAL, "sigaddset(NSIG): EINVAL");
    CHECK_ERR(sigdelset(&s, -1), EINVAL, "sigdelset(-1): EINVAL");
    CHECK_ERR(sigismember(&s, 1000), EINVAL, "sigismember(1000): EINVAL");
    sigfillset(&s);
    CHECK(sigismember(&s, SIGRTMAX) == 1 && sigismember(&s, 1) == 1, "sigfillset has every signal");

    sigemptyset(&s);
    sigaddset(&s, SIGRTMAX);
    got_sig = 0;
    CHECK(sigprocmask(SIG_BLOCK, &s, NULL) == 0 && raise(SIGRTMAX) == 0 && got_sig == 0,
          "a blocked SIGRTMAX is not delivered");
    CHECK(sigpending(&pend) == 0 && sigismember(&pend, SIGRTMAX) == 1, "it is pending");
    CHECK(sigprocmask(SIG_UNBLOCK, &s, NULL) == 0 && got_sig == SIGRTMAX,
          "unblocking delivers it");

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_plain;
    sa.sa_flags = SA_RESETHAND;
    CHECK(sigaction(SIGUSR2, &sa, NULL) == 0 && raise(SIGUSR2) == 0 && plain == SIGUSR2,
          "SA_RESETHAND: the handler runs once ...");
    CHECK(sigaction(SIGUSR2, NULL, &old) == 0 && old.sa_handler == SIG_DFL,
          "... then the action is SIG_DFL");

    CHECK(sighold(SIGUSR2) == 0, "sighold");
    CHECK(sigprocmask(SIG_BLOCK, NULL, &s) == 0 && sigismember(&s, SIGUSR2) == 1, "SIGUSR2 held");
    CHECK(sigrelse(SIGUSR2) == 0 && sigprocmask(SIG_BLOCK, NULL, &s) == 0 &&
          sigismember(&s, SIGUSR2) == 0, "sigrelse");
    plain = 0;
    CHECK(sigset(SIGUSR2, on_plain) == SIG_DFL, "sigset installs a handler (old: SIG_DFL)");
    CHECK(sigset(SIGUSR2, SIG_HOLD) == on_plain, "sigset SIG_HOLD (old: the handler)");
    raise(SIGUSR2);
    CHECK(plain == 0, "held: not delivered");
    CHECK(sigset(SIGUSR2, on_plain) == SIG_HOLD && plain == SIGUSR2,
          "sigset again releases it (old: SIG_HOLD) and delivers");
    CHECK(sigignore(SIGUSR2) == 0 && raise(SIGUSR2) == 0, "sigignore: raise is ignored");
    CHECK_ERR(sigignore(SIGKILL), EINVAL, "sigignore(SIGKILL): EINVAL");
    CHECK_ERR(sighold(0), EINVAL, "sighold(0): EINVAL");
    CHECK(sigset(SIGKILL, on_plain) == SIG_ERR && errno == EINVAL,
          "sigset(SIGKILL): SIG_ERR EINVAL");
    signal(SIGUSR1, SIG_DFL);
    signal(SIGUSR2, SIG_DFL);
    CONFORM_DONE();
}

/* <signal.h> within one process: handlers run on raise/kill, SIG_IGN, blocking keeps a signal
 * pending until unblocked, sigaction reports the previous action, and the errors. */
#include <signal.h>
#include <unistd.h>

#include "conform.h"

static volatile int hits, last;
static void on_sig(int s)
{
    hits++;
    last = s;
}

int main(void)
{
    CHECK(signal(SIGUSR1, on_sig) == SIG_DFL, "signal returns the previous (default) handler");
    CHECK(raise(SIGUSR1) == 0 && hits == 1 && last == SIGUSR1, "raise runs the handler");
    CHECK(kill(getpid(), SIGUSR1) == 0 && hits == 2, "kill(getpid()) runs the handler");
    CHECK(signal(SIGUSR1, SIG_IGN) == on_sig, "signal returns the previous handler");
    CHECK(raise(SIGUSR1) == 0 && hits == 2, "an ignored signal does nothing");
    struct sigaction sa, old;
    sa.sa_handler = on_sig;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    CHECK(sigaction(SIGUSR2, &sa, &old) == 0 && old.sa_handler == SIG_DFL, "sigaction");
    sigset_t set, prev, pend;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    CHECK(sigprocmask(SIG_BLOCK, &set, &prev) == 0, "block SIGUSR2");
    CHECK(raise(SIGUSR2) == 0 && hits == 2, "a blocked signal is not delivered");
    CHECK(sigpending(&pend) == 0 && sigismember(&pend, SIGUSR2), "it is pending");
    CHECK(sigprocmask(SIG_SETMASK, &prev, NULL) == 0 && hits == 3 && last == SIGUSR2,
          "unblocking delivers it");
    CHECK(sigpending(&pend) == 0 && !sigismember(&pend, SIGUSR2), "no longer pending");
    CHECK_ERR(sigaction(SIGKILL, &sa, NULL), EINVAL, "catching SIGKILL: EINVAL");
    CHECK_ERR(raise(0x7fff), EINVAL, "raise of an invalid signal: EINVAL");
    CHECK_ERR(sigprocmask(12345, &set, NULL), EINVAL, "sigprocmask with a bad how: EINVAL");
    CONFORM_DONE();
}

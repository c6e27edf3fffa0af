/* Signals and threads (issue 14): per-thread masks (pthread_sigmask, sigprocmask in a threaded
 * process) and pending sets (sigpending), a new thread's inherited mask and empty pending set,
 * pthread_kill running the handler in the target thread, process-directed signals (kill,
 * sigqueue, alarm, timers) going to a thread that does not block them, and sigwait/sigwaitinfo/
 * sigtimedwait in a worker while main blocks the signal. Run as `conform signal_thread`. */
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conform.h"

static volatile pthread_t ran_in;
static volatile int hits, last_sig;
static sem_t ready, go, done;

static void on_sig(int sig)
{
    ran_in = pthread_self();
    last_sig = sig;
    hits++;
}

static void handle(int sig)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sig;
    sigaction(sig, &sa, NULL);
}

static void block_only(int sig, sigset_t *old)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    pthread_sigmask(SIG_BLOCK, &s, old);
}

/* ---- inheritance ---- */
static sigset_t child_mask, child_pending;
static void *report_masks(void *arg)
{
    (void)arg;
    pthread_sigmask(SIG_BLOCK, NULL, &child_mask);
    sigpending(&child_pending);
    return NULL;
}

/* ---- a thread's own mask does not block the others ---- */
static volatile int blocked_in_worker;
static void *block_usr1(void *arg)
{
    (void)arg;
    block_only(SIGUSR1, NULL);
    sigset_t m;
    pthread_sigmask(SIG_BLOCK, NULL, &m);
    blocked_in_worker = sigismember(&m, SIGUSR1);
    return NULL;
}

/* ---- pthread_kill: the handler runs in the target ---- */
static void *sleeper(void *arg)
{
    (void)arg;
    sem_post(&ready);
    struct timespec d = { 5, 0 };
    nanosleep(&d, NULL);
    return NULL;
}

/* ---- a worker pending a thread-directed signal it blocks ---- */
static volatile int worker_pending, worker_pending_after;
static void *blocked_target(void *arg)
{
    (void)arg;
    block_only(SIGUSR2, NULL);
    sem_post(&ready);
    sem_wait(&go);
    sigset_t p;
    sigpending(&p);
    worker_pending = sigismember(&p, SIGUSR2);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR2);
    pthread_sigmask(SIG_UNBLOCK, &s, NULL); /* delivered here, before pthread_sigmask returns */
    worker_pending_after = hits;
    return NULL;
}

/* ---- sigwait in a worker while main blocks ---- */
static volatile int waited_sig, waited_info_sig, waited_info_code, timed_sig;
static void *waiter(void *arg)
{
    (void)arg;
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    int sig = 0;
    sem_post(&ready);
    if (sigwait(&s, &sig) == 0)
        waited_sig = sig;
    sem_post(&go); /* standard signals merge: main sends the next one once this one is taken */
    siginfo_t info;
    memset(&info, 0, sizeof info);
    if (sigwaitinfo(&s, &info) == SIGUSR1) {
        waited_info_sig = info.si_signo;
        waited_info_code = info.si_code;
    }
    sem_post(&go);
    struct timespec to = { 5, 0 };
    timed_sig = sigtimedwait(&s, NULL, &to);
    sem_post(&done);
    return NULL;
}

/* ---- process-directed signals go to the thread that does not block them ---- */
static void *unblocked_sleeper(void *arg)
{
    (void)arg;
    sigset_t none;
    sigemptyset(&none);
    pthread_sigmask(SIG_SETMASK, &none, NULL);
    sem_post(&ready);
    struct timespec d = { 5, 0 };
    nanosleep(&d, NULL);
    return NULL;
}

int main(void)
{
    sem_init(&ready, 0, 0);
    sem_init(&go, 0, 0);
    sem_init(&done, 0, 0);
    pthread_t t;
    sigset_t old, cur, s;

    /* inheritance */
    block_only(SIGUSR2, &old);
    raise(SIGUSR2); /* pending for main only */
    sigemptyset(&child_mask);
    sigemptyset(&child_pending);
    pthread_create(&t, NULL, report_masks, NULL);
    pthread_join(t, NULL);
    CHECK(sigismember(&child_mask, SIGUSR2) == 1,
          "pthread_create: the new thread inherits the creator's signal mask");
    CHECK(sigismember(&child_pending, SIGUSR2) == 0,
          "pthread_create: the new thread starts with an empty pending set");
    sigpending(&cur);
    CHECK(sigismember(&cur, SIGUSR2) == 1, "sigpending: main still has its SIGUSR2 pending");
    signal(SIGUSR2, SIG_IGN); /* discards the pending one */
    sigpending(&cur);
    CHECK(sigismember(&cur, SIGUSR2) == 0, "sigaction: SIG_IGN discards the pending signal");
    pthread_sigmask(SIG_SETMASK, &old, NULL);

    /* masks are per thread */
    pthread_create(&t, NULL, block_usr1, NULL);
    pthread_join(t, NULL);
    pthread_sigmask(SIG_BLOCK, NULL, &cur);
    CHECK(blocked_in_worker == 1, "pthread_sigmask: the worker's mask has SIGUSR1");
    CHECK(sigismember(&cur, SIGUSR1) == 0,
          "pthread_sigmask: a worker blocking SIGUSR1 does not block it in main");
    block_only(SIGUSR1, NULL);
    sigprocmask(SIG_BLOCK, NULL, &cur);
    CHECK(sigismember(&cur, SIGUSR1) == 1,
          "sigprocmask: in a threaded process it reads the calling thread's mask");
    CHECK_RC(pthread_sigmask(99, &cur, NULL), EINVAL, "pthread_sigmask: bad how gives EINVAL");
    CHECK_ERR(sigprocmask(99, &cur, NULL), EINVAL, "sigprocmask: bad how gives EINVAL");
    sigemptyset(&s);
    pthread_sigmask(SIG_SETMASK, &s, NULL);

    /* pthread_kill runs the handler in the target thread */
    handle(SIGUSR1);
    hits = 0;
    ran_in = 0;
    pthread_create(&t, NULL, sleeper, NULL);
    sem_wait(&ready);
    usleep(20000);
    CHECK_RC(pthread_kill(t, SIGUSR1), 0, "pthread_kill: sends to a live thread");
    pthread_join(t, NULL);
    CHECK(hits == 1, "pthread_kill: the handler ran once");
    CHECK(pthread_equal(ran_in, t), "pthread_kill: the handler ran in the target thread");
    CHECK(!pthread_equal(ran_in, pthread_self()), "pthread_kill: not in the sending thread");
    CHECK_RC(pthread_kill(pthread_self(), 0), 0, "pthread_kill: signal 0 checks the thread");
    CHECK_RC(pthread_kill(pthread_self(), NSIG), EINVAL, "pthread_kill: bad signal gives EINVAL");
    CHECK_RC(pthread_kill(pthread_self(), -1), EINVAL,
             "pthread_kill: negative signal gives EINVAL");
    hits = 0;
    CHECK(raise(SIGUSR1) == 0 && hits == 1 && pthread_equal(ran_in, pthread_self()),
          "raise: the handler runs in the calling thread before raise returns");

    /* thread-directed, blocked: pending in the target only */
    handle(SIGUSR2);
    hits = 0;
    pthread_create(&t, NULL, blocked_target, NULL);
    sem_wait(&ready);
    CHECK_RC(pthread_kill(t, SIGUSR2), 0, "pthread_kill: to a thread blocking the signal");
    sigpending(&cur);
    CHECK(sigismember(&cur, SIGUSR2) == 0,
          "sigpending: another thread's pending signal is not the caller's");
    CHECK(hits == 0, "pthread_kill: a blocked signal is not delivered");
    sem_post(&go);
    pthread_join(t, NULL);
    CHECK(worker_pending == 1, "sigpending: the target sees its blocked signal pending");
    CHECK(worker_pending_after == 1,
          "pthread_sigmask: unblocking delivers the pending signal before returning");
    CHECK(pthread_equal(ran_in, t), "pthread_sigmask: delivered in the thread that unblocked");

    /* sigwait in a worker while main blocks SIGUSR1 */
    block_only(SIGUSR1, NULL);
    pthread_create(&t, NULL, waiter, NULL);
    sem_wait(&ready);
    /* No pause: the signal is sent while the worker may still be on its way into sigwait (the
     * race of a lost wake-up). The worker's end is awaited with a deadline, so a signal never
     * taken shows as a failed check, not a hung program. */
    CHECK(kill(getpid(), SIGUSR1) == 0, "kill: to the process while every thread blocks it");
    struct timespec limit = conform_after(CLOCK_REALTIME, 5000000000LL);
    sem_timedwait(&go, &limit);
    union sigval v = { .sival_int = 7 };
    CHECK(sigqueue(getpid(), SIGUSR1, v) == 0, "sigqueue: to the process while blocked");
    limit = conform_after(CLOCK_REALTIME, 5000000000LL);
    sem_timedwait(&go, &limit);
    CHECK(kill(getpid(), SIGUSR1) == 0, "kill: a third one for sigtimedwait");
    limit = conform_after(CLOCK_REALTIME, 15000000000LL);
    int ended = sem_timedwait(&done, &limit) == 0;
    CHECK(ended, "sigwait: the worker took its three signals and ended");
    if (ended)
        pthread_join(t, NULL);
    CHECK(waited_sig == SIGUSR1, "sigwait: a worker takes the signal main blocks (no deadlock)");
    CHECK(waited_info_sig == SIGUSR1 && waited_info_code == SI_QUEUE,
          "sigwaitinfo: si_signo and si_code SI_QUEUE in a worker");
    CHECK(timed_sig == SIGUSR1, "sigtimedwait: a worker takes the third one");
    sigpending(&cur);
    CHECK(sigismember(&cur, SIGUSR1) == 0, "sigwait: the signal taken is no longer pending");

    /* process-directed: the thread that does not block it runs the handler */
    hits = 0;
    ran_in = 0;
    pthread_create(&t, NULL, unblocked_sleeper, NULL);
    sem_wait(&ready);
    usleep(20000);
    CHECK(kill(getpid(), SIGUSR1) == 0, "kill: to the process with main blocking it");
    pthread_join(t, NULL);
    CHECK(hits == 1 && pthread_equal(ran_in, t),
          "kill: the handler runs in the one thread that does not block the signal");
    handle(SIGALRM);
    hits = 0;
    ran_in = 0;
    sigemptyset(&s);
    sigaddset(&s, SIGALRM);
    pthread_sigmask(SIG_BLOCK, &s, NULL);
    pthread_create(&t, NULL, unblocked_sleeper, NULL);
    sem_wait(&ready);
    alarm(1);
    pthread_join(t, NULL);
    CHECK(hits == 1 && last_sig == SIGALRM && pthread_equal(ran_in, t),
          "alarm: SIGALRM runs its handler in an application thread that does not block it");
    timer_t tm;
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGALRM;
    hits = 0;
    ran_in = 0;
    timer_create(CLOCK_MONOTONIC, &ev, &tm);
    pthread_create(&t, NULL, unblocked_sleeper, NULL);
    sem_wait(&ready);
    struct itimerspec its = { { 0, 0 }, { 0, 200000000 } };
    timer_settime(tm, 0, &its, NULL);
    pthread_join(t, NULL);
    timer_delete(tm);
    CHECK(hits == 1 && pthread_equal(ran_in, t),
          "timer_settime: the timer's signal runs in the thread that does not block it");
    CONFORM_DONE();
}

/* Asynchronous signal delivery (issue 14): a handler interrupts a thread that runs user code
 * without ever entering a wait (a compute loop) - in main and in another thread, from kill,
 * pthread_kill, a POSIX timer and setitimer -, asynchronous cancellation stops a spinning
 * thread at once, and the interrupted code resumes exactly: every register (integer and
 * floating point) as it was, the handler's mask (sa_mask plus the signal, not with
 * SA_NODEFER), nested handlers, SA_ONSTACK. Every loop has a deadline, so a signal that is
 * never delivered shows as a failed check, not a hang. Run as `conform sig_async`. */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "conform.h"

static volatile sig_atomic_t hits, usr2_hits, nested_ok, mask_ok, nodefer_ok, onstack_ok;
static volatile pthread_t ran_in;
static volatile int spinning;

/* Spin in user code until *flag or `ms` passed; the clock is read only every 2^16 turns, so
 * the thread is almost always running plain instructions when the signal comes. */
static int spin_until(volatile sig_atomic_t *flag, int want, long ms)
{
    long long until = conform_ns(CLOCK_MONOTONIC) + ms * 1000000LL;
    unsigned long n = 0;
    spinning = 1;
    while (*flag < want) {
        if ((++n & 0xffff) == 0 && conform_ns(CLOCK_MONOTONIC) > until)
            break;
    }
    spinning = 0;
    return *flag >= want;
}

static void on_usr1(int sig)
{
    (void)sig;
    ran_in = pthread_self();
    hits++;
}

static void handle(int sig, void (*fn)(int), int flags, int also)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    if (also)
        sigaddset(&sa.sa_mask, also);
    sigaction(sig, &sa, NULL);
}

static void block(int how, int sig)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    pthread_sigmask(how, &s, NULL);
}

static void sleep_ms(long ms)
{
    struct timespec d = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&d, NULL);
}

/* ---- a sender: waits until its target spins, then sends ---- */
struct send {
    pthread_t to; /* 0: kill() to the process */
    int sig;
};

static void *sender(void *arg)
{
    struct send *s = arg;
    block(SIG_BLOCK, s->sig); /* a process-directed signal must go to the spinning thread */
    while (!spinning)
        sleep_ms(1);
    sleep_ms(10);
    if (s->to)
        pthread_kill(s->to, s->sig);
    else
        kill(getpid(), s->sig);
    return NULL;
}

/* ---- a spinning worker ---- */
static volatile sig_atomic_t worker_took;
static void *spinner(void *arg)
{
    if (arg) /* created while main blocks SIGUSR1: this thread alone takes it */
        block(SIG_UNBLOCK, SIGUSR1);
    worker_took = spin_until(&hits, 1, 3000);
    return NULL;
}

/* ---- asynchronous cancellation ---- */
static volatile int cleaned, ran_past;
static void cleanup(void *arg)
{
    (void)arg;
    cleaned = 1;
}

static void *cancel_me(void *arg)
{
    (void)arg;
    static volatile sig_atomic_t never;
    pthread_cleanup_push(cleanup, NULL);
    pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
    spin_until(&never, 1, 3000);
    ran_past = 1;
    pthread_cleanup_pop(0);
    return NULL;
}

/* ---- registers: a loop with many live values, compared with the same loop unsignalled ---- */
static volatile sig_atomic_t ticks;
static void on_tick(int sig)
{
    (void)sig;
    /* Work that uses many registers of its own. */
    volatile uint32_t sink = 0;
    uint32_t a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8;
    for (int i = 0; i < 50; i++) {
        a = a * 31 + h; b ^= a >> 3; c += b * 7; d = (d << 5) | (c >> 27); e -= d; f += e ^ a;
        g = g * 17 + f; h ^= g + b;
    }
    sink = a ^ b ^ c ^ d ^ e ^ f ^ g ^ h;
    (void)sink;
    ticks++;
}

static uint32_t mix(unsigned long turns)
{
    uint32_t r0 = 0x12345678, r1 = 0x9abcdef0, r2 = 3, r3 = 5, r4 = 7, r5 = 11, r6 = 13, r7 = 17,
             r8 = 19, r9 = 23, r10 = 29, r11 = 31;
    for (unsigned long i = 0; i < turns; i++) {
        r0 += r11 ^ (uint32_t)i; r1 ^= r0 << 7; r2 = r2 * 33 + r1; r3 += r2 >> 5; r4 ^= r3 * 9;
        r5 = (r5 << 3) | (r4 >> 29); r6 += r5 ^ r0; r7 -= r6; r8 = r8 * 5 + r7; r9 ^= r8 >> 1;
        r10 += r9 + r2; r11 = (r11 ^ r10) * 3;
    }
    return r0 ^ r1 ^ r2 ^ r3 ^ r4 ^ r5 ^ r6 ^ r7 ^ r8 ^ r9 ^ r10 ^ r11;
}

static volatile double fsink;
static void on_ftick(int sig)
{
    (void)sig;
    double x = 1.0;
    for (int i = 1; i < 40; i++)
        x = x * 1.0001 + 1.0 / i;
    fsink = x;
    ticks++;
}

static double fmix(unsigned long turns)
{
    double a = 1.0, b = 0.5, c = 0.25, d = 2.0;
    for (unsigned long i = 0; i < turns; i++) {
        a = a * 0.999 + b; b = b * 1.0001 - c * 0.001; c = c + d * 1e-6; d = d * 0.99999 + 1e-3;
    }
    return a + b * 3 + c * 5 + d * 7;
}

static void periodic(long us)
{
    struct itimerval v;
    memset(&v, 0, sizeof v);
    v.it_value.tv_usec = us;
    v.it_interval.tv_usec = us;
    setitimer(ITIMER_REAL, &v, NULL);
}

/* ---- the handler's mask, nesting ---- */
static void on_usr2(int sig)
{
    (void)sig;
    usr2_hits++;
}

static volatile int in_nesting;
static pthread_t main_thread;

/* Sends SIGUSR2 to main once main runs on_nesting. */
static void *usr2_sender(void *arg)
{
    (void)arg;
    for (int i = 0; i < 5000 && !in_nesting; i++)
        sleep_ms(1);
    sleep_ms(10);
    pthread_kill(main_thread, SIGUSR2);
    return NULL;
}

static void on_nesting(int sig)
{
    (void)sig;
    in_nesting = 1;
    sigset_t m;
    pthread_sigmask(SIG_BLOCK, NULL, &m);
    mask_ok = sigismember(&m, SIGUSR1) == 1 && sigismember(&m, SIGTERM) == 1 &&
              sigismember(&m, SIGUSR2) == 0;
    /* SIGUSR2 comes from another thread while this handler spins: it nests. */
    nested_ok = spin_until(&usr2_hits, 1, 3000);
    hits++;
}

static void on_nodefer(int sig)
{
    (void)sig;
    sigset_t m;
    pthread_sigmask(SIG_BLOCK, NULL, &m);
    nodefer_ok = sigismember(&m, SIGUSR1) == 0;
    hits++;
}

static char alt[16384] __attribute__((aligned(16)));
static void on_alt(int sig)
{
    (void)sig;
    char here;
    onstack_ok = &here >= alt && &here < alt + sizeof alt;
    hits++;
}

int main(void)
{
    pthread_t t, s;
    struct send msg;

    /* kill() to the process while main computes */
    handle(SIGUSR1, on_usr1, 0, 0);
    hits = 0;
    ran_in = 0;
    msg = (struct send){ 0, SIGUSR1 };
    pthread_create(&s, NULL, sender, &msg);
    CHECK(spin_until(&hits, 1, 3000), "kill: the handler interrupts main's compute loop");
    CHECK(pthread_equal(ran_in, pthread_self()), "kill: the handler ran in the spinning main");
    pthread_join(s, NULL);

    /* pthread_kill to main while it computes */
    hits = 0;
    msg = (struct send){ pthread_self(), SIGUSR1 };
    pthread_create(&s, NULL, sender, &msg);
    CHECK(spin_until(&hits, 1, 3000), "pthread_kill: the handler interrupts a spinning thread");
    pthread_join(s, NULL);

    /* pthread_kill to a spinning worker */
    hits = 0;
    ran_in = 0;
    worker_took = 0;
    pthread_create(&t, NULL, spinner, NULL);
    while (!spinning)
        sleep_ms(1);
    sleep_ms(10);
    CHECK_RC(pthread_kill(t, SIGUSR1), 0, "pthread_kill: to a spinning worker");
    pthread_join(t, NULL);
    CHECK(worker_took, "pthread_kill: the handler interrupts the worker's compute loop");
    CHECK(pthread_equal(ran_in, t), "pthread_kill: the handler ran in the worker");

    /* kill() while main blocks the signal: the spinning worker takes it */
    hits = 0;
    ran_in = 0;
    worker_took = 0;
    block(SIG_BLOCK, SIGUSR1);
    pthread_create(&t, NULL, spinner, &t);
    while (!spinning)
        sleep_ms(1);
    sleep_ms(10);
    kill(getpid(), SIGUSR1);
    pthread_join(t, NULL);
    block(SIG_UNBLOCK, SIGUSR1);
    CHECK(worker_took && pthread_equal(ran_in, t),
          "kill: a worker computing takes the signal main blocks");

    /* a POSIX timer's signal interrupts a loop */
    handle(SIGALRM, on_usr1, 0, 0);
    hits = 0;
    timer_t tm;
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGALRM;
    int made = timer_create(CLOCK_MONOTONIC, &ev, &tm) == 0;
    struct itimerspec its = { { 0, 0 }, { 0, 30000000 } };
    if (made)
        timer_settime(tm, 0, &its, NULL);
    CHECK(made && spin_until(&hits, 1, 3000),
          "timer_settime: SIGEV_SIGNAL interrupts a compute loop");
    if (made)
        timer_delete(tm);
    hits = 0;
    alarm(1);
    CHECK(spin_until(&hits, 1, 4000), "alarm: SIGALRM interrupts a compute loop");

    /* asynchronous cancellation acts at once */
    pthread_create(&t, NULL, cancel_me, NULL);
    while (!spinning)
        sleep_ms(1);
    sleep_ms(10);
    long long t0 = conform_ns(CLOCK_MONOTONIC);
    CHECK_RC(pthread_cancel(t), 0, "pthread_cancel: a spinning thread, asynchronous type");
    void *ret = NULL;
    pthread_join(t, &ret);
    CHECK(ret == PTHREAD_CANCELED && !ran_past,
          "PTHREAD_CANCEL_ASYNCHRONOUS: the spinning thread is cancelled, not run to its end");
    CHECK(conform_ns(CLOCK_MONOTONIC) - t0 < 1000000000LL,
          "PTHREAD_CANCEL_ASYNCHRONOUS: cancelled within a second");
    CHECK(cleaned, "PTHREAD_CANCEL_ASYNCHRONOUS: the cleanup handler ran");

    /* every integer register preserved across handlers: the same loop without signals */
    const unsigned long turns = 3000000;
    block(SIG_BLOCK, SIGALRM);
    uint32_t quiet = mix(turns);
    block(SIG_UNBLOCK, SIGALRM);
    handle(SIGALRM, on_tick, 0, 0);
    ticks = 0;
    periodic(2000);
    uint32_t loud = mix(turns);
    periodic(0);
    CHECK(ticks > 0, "setitimer: handlers ran during the compute loop");
    CHECK(loud == quiet, "registers: twelve live values intact across asynchronous handlers");

    block(SIG_BLOCK, SIGALRM);
    double fquiet = fmix(turns / 4);
    block(SIG_UNBLOCK, SIGALRM);
    handle(SIGALRM, on_ftick, 0, 0);
    ticks = 0;
    periodic(2000);
    double floud = fmix(turns / 4);
    periodic(0);
    CHECK(ticks > 0 && floud == fquiet,
          "floating point: a handler computing in FP leaves the loop's FP values intact");

    /* the handler's mask: sa_mask and the signal itself; nesting */
    handle(SIGUSR1, on_nesting, 0, SIGTERM);
    handle(SIGUSR2, on_usr2, 0, 0);
    hits = 0;
    usr2_hits = 0;
    main_thread = pthread_self();
    pthread_t s2;
    pthread_create(&s2, NULL, usr2_sender, NULL);
    msg = (struct send){ pthread_self(), SIGUSR1 };
    pthread_create(&s, NULL, sender, &msg);
    CHECK(spin_until(&hits, 1, 8000), "nesting: the first handler ran and returned");
    pthread_join(s, NULL);
    pthread_join(s2, NULL);
    CHECK(mask_ok, "handler mask: the signal and sa_mask blocked, others not");
    CHECK(nested_ok, "nesting: a second signal interrupts the running handler");
    CHECK(usr2_hits == 1, "nesting: the nested handler ran once");

    handle(SIGUSR1, on_nodefer, SA_NODEFER, 0);
    hits = 0;
    msg = (struct send){ pthread_self(), SIGUSR1 };
    pthread_create(&s, NULL, sender, &msg);
    CHECK(spin_until(&hits, 1, 3000) && nodefer_ok,
          "SA_NODEFER: the signal is not blocked in its asynchronous handler");
    pthread_join(s, NULL);

    stack_t ss = { .ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0 };
    sigaltstack(&ss, NULL);
    handle(SIGUSR1, on_alt, SA_ONSTACK, 0);
    hits = 0;
    msg = (struct send){ pthread_self(), SIGUSR1 };
    pthread_create(&s, NULL, sender, &msg);
    CHECK(spin_until(&hits, 1, 3000) && onstack_ok,
          "SA_ONSTACK: the asynchronous handler runs on the alternate stack");
    pthread_join(s, NULL);
    CONFORM_DONE();
}

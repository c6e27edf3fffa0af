/* A signal delivered to a thread blocked in a call (issue 14): the handler runs in that thread
 * and the call answers EINTR (nanosleep, sleep, sem_wait, sem_timedwait, sigsuspend, pause,
 * sigwaitinfo, clock_nanosleep, mq_receive, mq_timedsend) after it, or carries on (pthread_cond_wait, which POSIX does
 * not interrupt); a handler calling pthread_exit ends its own thread. Run as
 * `conform sig_eintr`. */
#include <fcntl.h>
#include <mqueue.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conform.h"

static volatile pthread_t ran_in;
static volatile int hits;
static sem_t ready, never;

static void on_sig(int sig)
{
    (void)sig;
    ran_in = pthread_self();
    hits++;
}

struct res {
    int r, err, hits_then;
    long long elapsed_ms;
    struct timespec rem;
    unsigned left;
};

static long long ms(void)
{
    return conform_ns(CLOCK_MONOTONIC) / 1000000;
}

static void *do_nanosleep(void *arg)
{
    struct res *x = arg;
    struct timespec d = { 3, 0 };
    sem_post(&ready);
    long long t0 = ms();
    errno = 0;
    x->r = nanosleep(&d, &x->rem);
    x->err = errno;
    x->hits_then = hits;
    x->elapsed_ms = ms() - t0;
    return NULL;
}

static void *do_sleep(void *arg)
{
    struct res *x = arg;
    sem_post(&ready);
    long long t0 = ms();
    x->left = sleep(3);
    x->hits_then = hits;
    x->elapsed_ms = ms() - t0;
    return NULL;
}

static void *do_clock_nanosleep(void *arg)
{
    struct res *x = arg;
    struct timespec d = { 3, 0 };
    sem_post(&ready);
    long long t0 = ms();
    x->r = clock_nanosleep(CLOCK_MONOTONIC, 0, &d, &x->rem);
    x->hits_then = hits;
    x->elapsed_ms = ms() - t0;
    return NULL;
}

static void *do_sem_wait(void *arg)
{
    struct res *x = arg;
    sem_post(&ready);
    long long t0 = ms();
    errno = 0;
    x->r = sem_wait(&never);
    x->err = errno;
    x->hits_then = hits;
    x->elapsed_ms = ms() - t0;
    return NULL;
}

static void *do_sem_timedwait(void *arg)
{
    struct res *x = arg;
    struct timespec until = conform_after(CLOCK_REALTIME, 3000000000LL);
    sem_post(&ready);
    long long t0 = ms();
    errno = 0;
    x->r = sem_timedwait(&never, &until);
    x->err = errno;
    x->hits_then = hits;
    x->elapsed_ms = ms() - t0;
    return NULL;
}

static void *do_sigsuspend(void *arg)
{
    struct res *x = arg;
    sigset_t none;
    sigemptyset(&none);
    sem_post(&ready);
    long long t0 = ms();
    errno = 0;
    x->r = sigsuspend(&none);
    x->err = errno;
    x->hits_then = hits;
    x->elapsed_ms = ms() - t0;
    return NULL;
}

static void *do_pause(void *arg)
{
    struct res *x = arg;
    sem_post(&ready);
    long long t0 = ms();
    errno = 0;
    x->r = pause();
    x->err = errno;
    x->hits_then = hits;
    x->elapsed_ms = ms() - t0;
    return NULL;
}

static void *do_sigwaitinfo(void *arg)
{
    struct res *x = arg;
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR2);
    sem_post(&ready);
    long long t0 = ms();
    errno = 0;
    struct timespec to = { 3, 0 };
    x->r = sigtimedwait(&s, NULL, &to);
    x->err = errno;
    x->hits_then = hits;
    x->elapsed_ms = ms() - t0;
    return NULL;
}

static mqd_t mq;
static void *do_mq_receive(void *arg)
{
    struct res *x = arg;
    char buf[64];
    sem_post(&ready);
    long long t0 = ms();
    errno = 0;
    x->r = (int)mq_receive(mq, buf, sizeof buf, NULL);
    x->err = errno;
    x->hits_then = hits;
    x->elapsed_ms = ms() - t0;
    return NULL;
}

static void *do_mq_timedsend(void *arg)
{
    struct res *x = arg;
    struct timespec until = conform_after(CLOCK_REALTIME, 3000000000LL);
    sem_post(&ready);
    long long t0 = ms();
    errno = 0;
    x->r = mq_timedsend(mq, "b", 1, 0, &until);
    x->err = errno;
    x->hits_then = hits;
    x->elapsed_ms = ms() - t0;
    return NULL;
}

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static volatile int cond_flag;
static void *do_cond_wait(void *arg)
{
    struct res *x = arg;
    pthread_mutex_lock(&m);
    sem_post(&ready);
    while (!cond_flag)
        x->r = pthread_cond_wait(&c, &m);
    x->hits_then = hits;
    pthread_mutex_unlock(&m);
    return NULL;
}

/* Interrupt fn's wait in a new thread with SIGUSR1; the answer in *x. */
static pthread_t interrupt(void *(*fn)(void *), struct res *x)
{
    pthread_t t;
    memset(x, 0, sizeof *x);
    hits = 0;
    ran_in = 0;
    pthread_create(&t, NULL, fn, x);
    sem_wait(&ready);
    usleep(50000);
    pthread_kill(t, SIGUSR1);
    return t;
}

static volatile int exited_cleanup;
static void cleanup(void *a)
{
    (void)a;
    exited_cleanup = 1;
}
static void exit_handler(int sig)
{
    (void)sig;
    pthread_exit((void *)42);
}
static void *do_exit_in_handler(void *arg)
{
    (void)arg;
    pthread_cleanup_push(cleanup, NULL);
    sem_post(&ready);
    struct timespec d = { 3, 0 };
    nanosleep(&d, NULL);
    pthread_cleanup_pop(0);
    return NULL;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sig;
    sigaction(SIGUSR1, &sa, NULL);
    sem_init(&ready, 0, 0);
    sem_init(&never, 0, 0);
    struct res x;
    pthread_t t;

    t = interrupt(do_nanosleep, &x);
    pthread_join(t, NULL);
    CHECK(x.r == -1 && x.err == EINTR, "nanosleep: a signal interrupts it with EINTR");
    CHECK(x.hits_then == 1 && pthread_equal(ran_in, t),
          "nanosleep: the handler ran in the sleeping thread before EINTR");
    CHECK(x.elapsed_ms < 2000, "nanosleep: returns early");
    CHECK(x.rem.tv_sec >= 1 && x.rem.tv_sec <= 3, "nanosleep: rem holds the unslept time");

    t = interrupt(do_sleep, &x);
    pthread_join(t, NULL);
    CHECK(x.left >= 1 && x.left <= 3, "sleep: interrupted, answers the unslept seconds");
    CHECK(x.hits_then == 1 && pthread_equal(ran_in, t), "sleep: the handler ran in the sleeper");

    t = interrupt(do_clock_nanosleep, &x);
    pthread_join(t, NULL);
    CHECK(x.r == EINTR, "clock_nanosleep: a signal interrupts it (EINTR returned)");
    CHECK(x.hits_then == 1, "clock_nanosleep: the handler ran first");

    t = interrupt(do_sem_wait, &x);
    pthread_join(t, NULL);
    CHECK(x.r == -1 && x.err == EINTR, "sem_wait: a signal interrupts it with EINTR");
    CHECK(x.hits_then == 1 && pthread_equal(ran_in, t), "sem_wait: the handler ran in the waiter");
    int v = -1;
    sem_getvalue(&never, &v);
    CHECK(v == 0, "sem_wait: an interrupted wait takes nothing");

    t = interrupt(do_sem_timedwait, &x);
    pthread_join(t, NULL);
    CHECK(x.r == -1 && x.err == EINTR, "sem_timedwait: a signal interrupts it with EINTR");
    CHECK(x.elapsed_ms < 2000, "sem_timedwait: before its deadline");

    t = interrupt(do_sigsuspend, &x);
    pthread_join(t, NULL);
    CHECK(x.r == -1 && x.err == EINTR, "sigsuspend: returns -1 EINTR after the handler");
    CHECK(x.hits_then == 1 && pthread_equal(ran_in, t), "sigsuspend: the handler ran in it");

    t = interrupt(do_pause, &x);
    pthread_join(t, NULL);
    CHECK(x.r == -1 && x.err == EINTR, "pause: returns -1 EINTR after the handler");
    CHECK(x.hits_then == 1 && pthread_equal(ran_in, t), "pause: the handler ran in the thread");

    t = interrupt(do_sigwaitinfo, &x);
    pthread_join(t, NULL);
    CHECK(x.r == -1 && x.err == EINTR,
          "sigtimedwait: a handled signal outside the set interrupts it with EINTR");
    CHECK(x.elapsed_ms < 2000, "sigtimedwait: interrupted before its timeout");

    struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = 64 };
    mq = mq_open("/sig_eintr", O_CREAT | O_RDWR, 0600, &attr);
    CHECK(mq != (mqd_t)-1, "mq_open: a queue of one message");
    t = interrupt(do_mq_receive, &x);
    pthread_join(t, NULL);
    CHECK(x.r == -1 && x.err == EINTR, "mq_receive: a signal interrupts it with EINTR");
    CHECK(x.hits_then == 1 && x.elapsed_ms < 2000, "mq_receive: after the handler, early");
    CHECK(mq_send(mq, "a", 1, 0) == 0, "mq_send: the queue still works after EINTR");
    t = interrupt(do_mq_timedsend, &x);
    pthread_join(t, NULL);
    CHECK(x.r == -1 && x.err == EINTR, "mq_timedsend: a signal interrupts a full queue's wait");
    CHECK(x.hits_then == 1 && x.elapsed_ms < 2000, "mq_timedsend: after the handler, early");

    /* SA_RESTART: the handler runs, the wait goes on (as Linux restarts mq_send/mq_receive) */
    char drain[64];
    CHECK(mq_receive(mq, drain, sizeof drain, NULL) == 1, "mq_receive: the queue emptied");
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    t = interrupt(do_mq_receive, &x);
    usleep(100000);
    int hits_before_send = hits;
    CHECK(mq_send(mq, "r", 1, 0) == 0, "mq_send: wakes the restarted receiver");
    pthread_join(t, NULL);
    CHECK(hits_before_send == 1 && x.r == 1 && x.hits_then == 1,
          "mq_receive: SA_RESTART: the handler runs and the wait goes on to the message");
    CHECK(mq_send(mq, "f", 1, 0) == 0, "mq_send: the queue full again");
    t = interrupt(do_mq_timedsend, &x);
    usleep(100000);
    hits_before_send = hits;
    CHECK(mq_receive(mq, drain, sizeof drain, NULL) == 1, "mq_receive: makes room");
    pthread_join(t, NULL);
    CHECK(hits_before_send == 1 && x.r == 0 && x.hits_then == 1,
          "mq_timedsend: SA_RESTART: the handler runs and the wait goes on to room");
    sa.sa_flags = 0;
    sigaction(SIGUSR1, &sa, NULL);
    mq_close(mq);
    mq_unlink("/sig_eintr");

    cond_flag = 0;
    t = interrupt(do_cond_wait, &x);
    usleep(50000);
    CHECK(hits == 1 && pthread_equal(ran_in, t),
          "pthread_cond_wait: the handler runs in the waiting thread");
    pthread_mutex_lock(&m);
    cond_flag = 1;
    pthread_cond_signal(&c);
    pthread_mutex_unlock(&m);
    pthread_join(t, NULL);
    CHECK(x.r == 0, "pthread_cond_wait: not interrupted with EINTR (returns 0)");

    /* a handler calling pthread_exit ends its own thread */
    sa.sa_handler = exit_handler;
    sigaction(SIGUSR2, &sa, NULL);
    pthread_create(&t, NULL, do_exit_in_handler, NULL);
    sem_wait(&ready);
    usleep(50000);
    pthread_kill(t, SIGUSR2);
    void *ret = NULL;
    CHECK_RC(pthread_join(t, &ret), 0, "pthread_exit: from a handler, the thread can be joined");
    CHECK(ret == (void *)42, "pthread_exit: in a handler ends the thread the handler ran in");
    CHECK(exited_cleanup == 1, "pthread_exit: in a handler runs the thread's cleanup handlers");
    CHECK(1, "pthread_exit: the main thread still runs after a worker's handler exits");
    CONFORM_DONE();
}

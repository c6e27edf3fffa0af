/* Thread cancellation (issue 14): deferred cancellation acted on at the cancellation points
 * (sleep, nanosleep, sem_wait, sem_timedwait, pthread_join, pthread_cond_wait/timedwait,
 * pause, sigsuspend, sigwait, mq_receive, mq_send, pthread_testcancel), asynchronous cancellation, cleanup handlers
 * in LIFO order, pthread_join answering PTHREAD_CANCELED, pthread_setcancelstate honoured.
 * Run as `conform cancel`. */
#include <fcntl.h>
#include <mqueue.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conform.h"

static sem_t ready, never;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static volatile int after_point;
static int trail[8], ntrail;

static void note(void *a)
{
    if (ntrail < 8)
        trail[ntrail++] = (int)(long)a;
}

static void unlock(void *a)
{
    note((void *)9);
    pthread_mutex_unlock(a);
}

enum { P_SLEEP, P_NANOSLEEP, P_SEM_WAIT, P_SEM_TIMEDWAIT, P_JOIN, P_COND_WAIT,
       P_COND_TIMEDWAIT, P_PAUSE, P_SIGSUSPEND, P_SIGWAIT, P_CLOCK_NANOSLEEP, P_USLEEP, P_MQ_RECEIVE, P_MQ_SEND };
static mqd_t mq;
static const char *names[] = { "sleep", "nanosleep", "sem_wait", "sem_timedwait",
                               "pthread_join", "pthread_cond_wait", "pthread_cond_timedwait",
                               "pause", "sigsuspend", "sigwait", "clock_nanosleep", "usleep",
                               "mq_receive", "mq_send" };

static void *blocker(void *arg)
{
    (void)arg;
    sem_wait(&never);
    return NULL;
}

static void *at_point(void *arg)
{
    int p = (int)(long)arg;
    after_point = 0;
    pthread_cleanup_push(note, (void *)1);
    pthread_cleanup_push(note, (void *)2);
    sem_post(&ready);
    switch (p) {
    case P_SLEEP: sleep(3); break;
    case P_NANOSLEEP: { struct timespec d = { 3, 0 }; nanosleep(&d, NULL); break; }
    case P_SEM_WAIT: sem_wait(&never); break;
    case P_SEM_TIMEDWAIT: {
        struct timespec u = conform_after(CLOCK_REALTIME, 3000000000LL);
        sem_timedwait(&never, &u);
        break;
    }
    case P_JOIN: {
        pthread_t b;
        pthread_create(&b, NULL, blocker, NULL);
        pthread_join(b, NULL);
        break;
    }
    case P_COND_WAIT:
    case P_COND_TIMEDWAIT:
        pthread_mutex_lock(&m);
        pthread_cleanup_push(unlock, &m);
        if (p == P_COND_WAIT) {
            pthread_cond_wait(&c, &m);
        } else {
            struct timespec u = conform_after(CLOCK_REALTIME, 3000000000LL);
            pthread_cond_timedwait(&c, &m, &u);
        }
        pthread_cleanup_pop(1);
        break;
    case P_PAUSE: pause(); break;
    case P_SIGSUSPEND: { sigset_t none; sigemptyset(&none); sigsuspend(&none); break; }
    case P_SIGWAIT: {
        sigset_t s;
        int sig;
        sigemptyset(&s);
        sigaddset(&s, SIGUSR2);
        pthread_sigmask(SIG_BLOCK, &s, NULL);
        sigwait(&s, &sig);
        break;
    }
    case P_CLOCK_NANOSLEEP: {
        struct timespec d = { 3, 0 };
        clock_nanosleep(CLOCK_MONOTONIC, 0, &d, NULL);
        break;
    }
    case P_USLEEP: usleep(900000); usleep(900000); usleep(900000); break;
    case P_MQ_RECEIVE: { char b[64]; mq_receive(mq, b, sizeof b, NULL); break; }
    case P_MQ_SEND: mq_send(mq, "y", 1, 0); break; /* the queue is full */
    }
    after_point = 1;
    pthread_cleanup_pop(0);
    pthread_cleanup_pop(0);
    return (void *)7;
}

static long long ms(void)
{
    return conform_ns(CLOCK_MONOTONIC) / 1000000;
}

static void *spin_deferred(void *arg)
{
    (void)arg;
    int old;
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
    sem_post(&ready);
    struct timespec d = { 0, 300000000 };
    nanosleep(&d, NULL); /* not acted on: disabled */
    after_point = 1;
    pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old);
    pthread_testcancel();
    after_point = 2;
    return NULL;
}

static volatile int async_loops;
static void *async_self(void *arg)
{
    (void)arg;
    pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
    pthread_cancel(pthread_self());
    async_loops = 1; /* never reached */
    return NULL;
}

static void *async_waiter(void *arg)
{
    (void)arg;
    pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
    sem_post(&ready);
    pthread_mutex_lock(&m); /* not a cancellation point, but asynchronous */
    pthread_mutex_unlock(&m);
    async_loops = 1;
    return NULL;
}

int main(void)
{
    sem_init(&ready, 0, 0);
    sem_init(&never, 0, 0);
    char what[160];
    struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = 64 };
    mq = mq_open("/cancel", O_CREAT | O_RDWR, 0600, &attr);
    for (int p = P_SLEEP; p <= P_MQ_SEND; p++) {
        if (p == P_MQ_SEND)
            mq_send(mq, "x", 1, 0);
        pthread_t t;
        ntrail = 0;
        pthread_create(&t, NULL, at_point, (void *)(long)p);
        sem_wait(&ready);
        usleep(50000);
        long long t0 = ms();
        CHECK_RC(pthread_cancel(t), 0, "pthread_cancel: a thread blocked at a point");
        void *ret = NULL;
        pthread_join(t, &ret);
        long long took = ms() - t0;
        snprintf(what, sizeof what, "%s: a cancellation point (cancelled while blocked in it)",
                 names[p]);
        CHECK(ret == PTHREAD_CANCELED && !after_point, what);
        snprintf(what, sizeof what, "%s: cancelled promptly, not after its wait", names[p]);
        CHECK(took < 1500, what);
        int first = (p == P_COND_WAIT || p == P_COND_TIMEDWAIT) ? 1 : 0;
        snprintf(what, sizeof what, "pthread_cleanup_push: LIFO order when cancelled in %s",
                 names[p]);
        CHECK(ntrail == 2 + first && trail[first] == 2 && trail[first + 1] == 1, what);
        if (first) {
            CHECK(trail[0] == 9, "pthread_cond_wait: cancelled with the mutex held again");
            CHECK(pthread_mutex_trylock(&m) == 0, "pthread_cond_wait: its cleanup unlocked");
            pthread_mutex_unlock(&m);
        }
    }

    char b[64];
    CHECK(mq_receive(mq, b, sizeof b, NULL) == 1 && b[0] == 'x',
          "mq_receive: the queue still works after waiters were cancelled");
    mq_close(mq);
    mq_unlink("/cancel");

    /* pthread_setcancelstate */
    pthread_t t;
    after_point = 0;
    pthread_create(&t, NULL, spin_deferred, NULL);
    sem_wait(&ready);
    pthread_cancel(t);
    void *ret = NULL;
    pthread_join(t, &ret);
    CHECK(after_point == 1, "pthread_setcancelstate: DISABLE holds the cancellation off");
    CHECK(ret == PTHREAD_CANCELED,
          "pthread_setcancelstate: acted on at the next point once ENABLEd again");
    int old = -1;
    CHECK_RC(pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old), 0,
             "pthread_setcancelstate: ENABLE accepted");
    CHECK(old == PTHREAD_CANCEL_ENABLE, "pthread_setcancelstate: ENABLE is the default");
    CHECK_RC(pthread_setcancelstate(5, NULL), EINVAL, "pthread_setcancelstate: bad state EINVAL");
    CHECK_RC(pthread_setcanceltype(5, NULL), EINVAL, "pthread_setcanceltype: bad type EINVAL");
    CHECK_RC(pthread_setcanceltype(PTHREAD_CANCEL_DEFERRED, &old), 0,
             "pthread_setcanceltype: DEFERRED accepted");
    CHECK(old == PTHREAD_CANCEL_DEFERRED, "pthread_setcanceltype: DEFERRED is the default");

    /* asynchronous */
    async_loops = 0;
    pthread_create(&t, NULL, async_self, NULL);
    pthread_join(t, &ret);
    CHECK(ret == PTHREAD_CANCELED && !async_loops,
          "pthread_cancel: asynchronous cancellation of the caller acts at once");
    async_loops = 0;
    pthread_mutex_lock(&m);
    pthread_create(&t, NULL, async_waiter, NULL);
    sem_wait(&ready);
    usleep(50000);
    pthread_cancel(t);
    usleep(50000);
    pthread_mutex_unlock(&m);
    pthread_join(t, &ret);
    CHECK(ret == PTHREAD_CANCELED && !async_loops,
          "pthread_setcanceltype: ASYNCHRONOUS acts while blocked outside a point");
    CHECK_RC(pthread_cancel(t), ESRCH, "pthread_cancel: a joined thread gives ESRCH");
    CONFORM_DONE();
}

/* <pthread.h> condition variables: hand-off between threads, broadcast, and timeouts measured
 * against the clock the condition variable was given (REALTIME and MONOTONIC). */
#include <pthread.h>

#include "conform.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int ready, woken, go;

static void *consumer(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&m);
    while (!ready)
        pthread_cond_wait(&c, &m);
    ready--;
    pthread_mutex_unlock(&m);
    return NULL;
}

static void *waiter(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&m);
    while (!go)
        pthread_cond_wait(&c, &m);
    woken++;
    pthread_mutex_unlock(&m);
    return NULL;
}

int main(void)
{
    pthread_t t[4];
    pthread_create(&t[0], NULL, consumer, NULL);
    pthread_mutex_lock(&m);
    ready = 1;
    pthread_cond_signal(&c);
    pthread_mutex_unlock(&m);
    pthread_join(t[0], NULL);
    CHECK(ready == 0, "pthread_cond_signal: signal hands the item to the waiting consumer");

    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, waiter, NULL);
    struct timespec d = { 0, 20000000L };
    nanosleep(&d, NULL); /* let them block */
    pthread_mutex_lock(&m);
    go = 1;
    pthread_cond_broadcast(&c);
    pthread_mutex_unlock(&m);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    CHECK(woken == 4, "pthread_cond_wait: broadcast wakes every waiter");

    pthread_mutex_lock(&m);
    long long s = conform_ns(CLOCK_REALTIME); /* start first: the wait spans the whole offset */
    struct timespec dl = conform_after(CLOCK_REALTIME, 50000000LL);
    CHECK_RC(pthread_cond_timedwait(&c, &m, &dl), ETIMEDOUT,
             "pthread_cond_timedwait: timedwait without a signal: ETIMEDOUT");
    long long waited = conform_ns(CLOCK_REALTIME) - s;
    CHECK(waited >= 49000000LL, "pthread_cond_wait: timedwait (CLOCK_REALTIME) waited until the deadline");
    CHECK(waited < 1000000000LL, "pthread_cond_wait: timedwait returned soon after the deadline");
    CHECK_RC(pthread_mutex_trylock(&m) == EBUSY ? 0 : 1, 0,
             "pthread_cond_timedwait: the mutex is held again after a timeout");

    pthread_condattr_t ca;
    pthread_cond_t mc;
    clockid_t clk = -1;
    pthread_condattr_init(&ca);
    CHECK(pthread_condattr_getclock(&ca, &clk) == 0 && clk == CLOCK_REALTIME,
          "pthread_condattr_getclock: condattr clock defaults to CLOCK_REALTIME");
    CHECK(pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0, "pthread_condattr_setclock: condattr_setclock MONOTONIC");
    CHECK_RC(pthread_condattr_setclock(&ca, (clockid_t)999), EINVAL, "pthread_condattr_setclock: bad clock: EINVAL");
    pthread_cond_init(&mc, &ca);
    s = conform_ns(CLOCK_MONOTONIC); /* start first: the wait spans the whole offset */
    dl = conform_after(CLOCK_MONOTONIC, 40000000LL);
    CHECK_RC(pthread_cond_timedwait(&mc, &m, &dl), ETIMEDOUT, "pthread_cond_timedwait: monotonic timedwait: ETIMEDOUT");
    CHECK(conform_ns(CLOCK_MONOTONIC) - s >= 39000000LL,
          "pthread_cond_wait: timedwait (CLOCK_MONOTONIC) waited until the deadline");
    struct timespec past = { 0, 0 };
    CHECK_RC(pthread_cond_timedwait(&mc, &m, &past), ETIMEDOUT,
             "pthread_cond_timedwait: a deadline in the past: ETIMEDOUT at once");
    s = conform_ns(CLOCK_MONOTONIC); /* start first: the wait spans the whole offset */
    dl = conform_after(CLOCK_MONOTONIC, 40000000LL);
    CHECK_RC(pthread_cond_clockwait(&c, &m, CLOCK_MONOTONIC, &dl), ETIMEDOUT,
             "pthread_cond_clockwait: ETIMEDOUT");
    CHECK(conform_ns(CLOCK_MONOTONIC) - s >= 39000000LL, "pthread_cond_wait: clockwait waited until the deadline");
    dl.tv_nsec = -1;
    CHECK_RC(pthread_cond_timedwait(&mc, &m, &dl), EINVAL, "pthread_cond_timedwait: a bad deadline: EINVAL");
    pthread_mutex_unlock(&m);
    CHECK_RC(pthread_cond_destroy(&mc), 0, "pthread_cond_destroy: destroy an idle condition variable");
    CONFORM_DONE();
}

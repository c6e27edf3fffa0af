/* <pthread.h> mutexes: mutual exclusion under contention with preemption (the critical section
 * is long enough for the timer to switch threads inside it), and the semantics of every type. */
#include <pthread.h>
#include <stdint.h>

#include "conform.h"

#define THREADS 4
#define ROUNDS 1000

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static volatile long counter;
static volatile int inside, overlap, contended;

static void *worker(void *arg)
{
    (void)arg;
    for (int r = 0; r < ROUNDS; r++) {
        /* EBUSY here means another thread was preempted while holding the lock. */
        if (pthread_mutex_trylock(&m) != 0) {
            __atomic_add_fetch(&contended, 1, __ATOMIC_SEQ_CST);
            pthread_mutex_lock(&m);
        }
        if (inside++)
            overlap = 1;
        long v = counter;
        for (volatile int spin = 0; spin < 3000; spin++)
            ; /* widen the window: preemption lands here */
        counter = v + 1;
        inside--;
        pthread_mutex_unlock(&m);
    }
    return NULL;
}

static pthread_mutex_t held;
static void *try_other(void *arg)
{
    (void)arg;
    return (void *)(intptr_t)pthread_mutex_trylock(&held);
}
static void *unlock_other(void *arg)
{
    (void)arg;
    return (void *)(intptr_t)pthread_mutex_unlock(&held);
}

int main(void)
{
    pthread_t t[THREADS];
    long long t0 = conform_ns(CLOCK_MONOTONIC);
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    CHECK(counter == THREADS * ROUNDS, "pthread_mutex_lock: no lost update: counter == threads * rounds");
    CHECK(!overlap, "pthread_mutex_lock: never two threads inside the critical section");
    CHECK(contended > 0, "pthread_mutex_lock: threads were preempted inside the critical section (contention)");
    printf("# contention run took %lld ms, %d contended acquisitions\n",
           (conform_ns(CLOCK_MONOTONIC) - t0) / 1000000, contended);

    pthread_mutexattr_t a;
    int type = -1;
    pthread_mutexattr_init(&a);
    CHECK(pthread_mutexattr_gettype(&a, &type) == 0 && type == PTHREAD_MUTEX_DEFAULT,
          "pthread_mutexattr_gettype: default mutex type");
    CHECK_RC(pthread_mutexattr_settype(&a, 99), EINVAL, "pthread_mutexattr_settype: bad mutex type: EINVAL");

    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&held, &a);
    CHECK_RC(pthread_mutex_unlock(&held), EPERM, "pthread_mutex_unlock: errorcheck: unlock of an unlocked mutex: EPERM");
    CHECK_RC(pthread_mutex_lock(&held), 0, "pthread_mutex_lock: errorcheck: lock");
    CHECK_RC(pthread_mutex_lock(&held), EDEADLK, "pthread_mutex_lock: errorcheck: relock by the owner: EDEADLK");
    void *r;
    pthread_create(&t[0], NULL, unlock_other, NULL);
    pthread_join(t[0], &r);
    CHECK((intptr_t)r == EPERM, "pthread_mutex_lock: errorcheck: unlock by another thread: EPERM");
    pthread_create(&t[0], NULL, try_other, NULL);
    pthread_join(t[0], &r);
    CHECK((intptr_t)r == EBUSY, "pthread_mutex_lock: trylock of a mutex held by another thread: EBUSY");
    CHECK_RC(pthread_mutex_destroy(&held), EBUSY, "pthread_mutex_destroy: destroy of a locked mutex: EBUSY");
    CHECK_RC(pthread_mutex_unlock(&held), 0, "pthread_mutex_unlock: errorcheck: unlock by the owner");
    CHECK_RC(pthread_mutex_destroy(&held), 0, "pthread_mutex_destroy: destroy");

    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&held, &a);
    CHECK(pthread_mutex_lock(&held) == 0 && pthread_mutex_lock(&held) == 0 &&
          pthread_mutex_trylock(&held) == 0, "pthread_mutex_lock: recursive: the owner locks three times");
    CHECK(pthread_mutex_unlock(&held) == 0 && pthread_mutex_unlock(&held) == 0,
          "pthread_mutex_unlock: recursive: two unlocks");
    pthread_create(&t[0], NULL, try_other, NULL);
    pthread_join(t[0], &r);
    CHECK((intptr_t)r == EBUSY, "pthread_mutex_lock: recursive: still held after two of three unlocks");
    CHECK(pthread_mutex_unlock(&held) == 0, "pthread_mutex_unlock: recursive: third unlock");
    pthread_create(&t[0], NULL, try_other, NULL);
    pthread_join(t[0], &r);
    CHECK((intptr_t)r == 0, "pthread_mutex_lock: recursive: free after the last unlock (another thread takes it)");

    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_NORMAL);
    pthread_mutex_init(&held, &a);
    pthread_mutex_lock(&held);
    long long s = conform_ns(CLOCK_REALTIME); /* start first: the wait spans the whole offset */
    struct timespec dl = conform_after(CLOCK_REALTIME, 50000000LL);
    CHECK_RC(pthread_mutex_timedlock(&held, &dl), ETIMEDOUT, "pthread_mutex_timedlock: timedlock of a held mutex: ETIMEDOUT");
    CHECK(conform_ns(CLOCK_REALTIME) - s >= 50000000LL - 1000000LL,
          "pthread_mutex_lock: timedlock waited until the deadline");
    dl.tv_nsec = 2000000000L;
    CHECK_RC(pthread_mutex_timedlock(&held, &dl), EINVAL, "pthread_mutex_timedlock: timedlock with a bad deadline: EINVAL");
    pthread_mutex_unlock(&held);
    dl = conform_after(CLOCK_REALTIME, 50000000LL);
    CHECK_RC(pthread_mutex_timedlock(&held, &dl), 0, "pthread_mutex_timedlock: timedlock of a free mutex succeeds");
    pthread_mutex_unlock(&held);
    CONFORM_DONE();
}

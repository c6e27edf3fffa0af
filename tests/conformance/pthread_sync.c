/* <pthread.h> read-write locks, barriers and spin locks. */
#include <pthread.h>
#include <stdint.h>

#include "conform.h"

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static void *try_rd(void *a) { (void)a; return (void *)(intptr_t)pthread_rwlock_tryrdlock(&rw); }
static void *try_wr(void *a) { (void)a; return (void *)(intptr_t)pthread_rwlock_trywrlock(&rw); }
static void *unlock_rd(void *a) { (void)a; return (void *)(intptr_t)pthread_rwlock_unlock(&rw); }

#define N 4
static pthread_barrier_t bar;
static volatile int serial, phase_ok = 1, arrived[3];
static void *barrier_worker(void *a)
{
    (void)a;
    for (int round = 0; round < 3; round++) {
        __atomic_add_fetch(&arrived[round], 1, __ATOMIC_SEQ_CST);
        int r = pthread_barrier_wait(&bar);
        if (r == PTHREAD_BARRIER_SERIAL_THREAD)
            __atomic_add_fetch(&serial, 1, __ATOMIC_SEQ_CST);
        else if (r != 0)
            phase_ok = 0;
        if (arrived[round] != N)
            phase_ok = 0; /* someone left before everyone arrived */
    }
    return NULL;
}

static pthread_spinlock_t sl;
static volatile long spin_counter;
static void *spinner(void *a)
{
    (void)a;
    for (int i = 0; i < 300; i++) {
        pthread_spin_lock(&sl);
        long v = spin_counter;
        for (volatile int k = 0; k < 500; k++)
            ;
        spin_counter = v + 1;
        pthread_spin_unlock(&sl);
    }
    return NULL;
}

int main(void)
{
    pthread_t t[N];
    void *r;
    CHECK(pthread_rwlock_rdlock(&rw) == 0 && pthread_rwlock_rdlock(&rw) == 0,
          "pthread_rwlock_rdlock: a thread takes two read locks");
    pthread_create(&t[0], NULL, try_rd, NULL);
    pthread_join(t[0], &r);
    CHECK((intptr_t)r == 0, "pthread_rwlock_rdlock: another reader gets in while read-locked");
    pthread_create(&t[0], NULL, unlock_rd, NULL);
    pthread_join(t[0], NULL);
    pthread_create(&t[0], NULL, try_wr, NULL);
    pthread_join(t[0], &r);
    CHECK((intptr_t)r == EBUSY, "pthread_rwlock_trywrlock: a writer is kept out while read-locked: EBUSY");
    pthread_rwlock_unlock(&rw);
    pthread_rwlock_unlock(&rw);
    CHECK(pthread_rwlock_wrlock(&rw) == 0, "pthread_rwlock_wrlock: write lock once readers left");
    pthread_create(&t[0], NULL, try_rd, NULL);
    pthread_join(t[0], &r);
    CHECK((intptr_t)r == EBUSY, "pthread_rwlock_tryrdlock: a reader is kept out while write-locked: EBUSY");
    CHECK_RC(pthread_rwlock_wrlock(&rw), EDEADLK, "pthread_rwlock_wrlock: relocking for writing: EDEADLK");
    long long s = conform_ns(CLOCK_REALTIME); /* start first: the wait spans the whole offset */
    struct timespec dl = conform_after(CLOCK_REALTIME, 30000000LL);
    pthread_create(&t[0], NULL, try_wr, NULL);
    pthread_join(t[0], &r);
    CHECK((intptr_t)r == EBUSY, "pthread_once: a second writer is kept out: EBUSY");
    CHECK_RC(pthread_rwlock_unlock(&rw), 0, "pthread_rwlock_unlock: write unlock");
    CHECK_RC(pthread_rwlock_unlock(&rw), EPERM, "pthread_rwlock_unlock: unlock of a free rwlock: EPERM");
    pthread_rwlock_wrlock(&rw);
    CHECK_RC(pthread_rwlock_timedrdlock(&rw, &dl), ETIMEDOUT,
             "pthread_rwlock_timedrdlock: timedrdlock against a writer: ETIMEDOUT");
    CHECK(conform_ns(CLOCK_REALTIME) - s >= 29000000LL, "pthread_once: timedrdlock waited until the deadline");
    pthread_rwlock_unlock(&rw);

    CHECK_RC(pthread_barrier_init(&bar, NULL, 0), EINVAL, "pthread_barrier_init: barrier of 0 threads: EINVAL");
    CHECK_RC(pthread_barrier_init(&bar, NULL, N), 0, "pthread_barrier_init: barrier_init");
    for (int i = 0; i < N; i++)
        pthread_create(&t[i], NULL, barrier_worker, NULL);
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    CHECK(serial == 3, "pthread_barrier_wait: one PTHREAD_BARRIER_SERIAL_THREAD per round");
    CHECK(phase_ok, "pthread_once: nobody passes the barrier before all have arrived");
    CHECK_RC(pthread_barrier_destroy(&bar), 0, "pthread_barrier_destroy: barrier_destroy");

    CHECK_RC(pthread_spin_init(&sl, PTHREAD_PROCESS_PRIVATE), 0, "pthread_spin_init: spin_init");
    for (int i = 0; i < N; i++)
        pthread_create(&t[i], NULL, spinner, NULL);
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    CHECK(spin_counter == N * 300, "pthread_once: spin lock: no lost update under preemption");
    CHECK_RC(pthread_spin_trylock(&sl), 0, "pthread_spin_trylock: spin_trylock of a free lock");
    CHECK_RC(pthread_spin_trylock(&sl), EBUSY, "pthread_spin_trylock: spin_trylock of a held lock: EBUSY");
    pthread_spin_unlock(&sl);
    CONFORM_DONE();
}

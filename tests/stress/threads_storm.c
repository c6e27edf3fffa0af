/*
 * The stress tier's threaded program (docs/kernel.md, "Stress tier"): every path of the
 * scheduler a threaded port leans on, many times in one run, so that a preemption tick landing
 * anywhere (the host varies its period with BKPORT_TICK_US and loads the machine) meets a
 * switch, a futex wait, a timeout or a thread's birth or death.
 *
 *   1. mutex:    WORKERS threads each make INCS increments of one counter under a mutex, with
 *                the read-modify-write spread out so that a tick inside it would lose updates;
 *   2. pingpong: two threads hand a turn back and forth ROUNDS times through one condition
 *                variable, and a producer/consumer pair moves ITEMS values through a 4-slot ring;
 *   3. timeouts: pthread_cond_timedwait, sem_timedwait and the raw futex (AtomicWait) time out
 *                on time with ETIMEDOUT, in several threads at once, and a futex wait that is
 *                woken or whose word changed returns without ETIMEDOUT;
 *   4. storm:    STORM short threads created and joined in waves of WAVE (with the main thread
 *                and a few detached ones still leaving, within a kernel allowing 16 threads),
 *                each returning its own number, then DETACHED detached threads that exit
 *                through pthread_exit (EAGAIN from a full thread table is retried, and counted).
 *
 * Prints one summary line (tests/kernel/test_stress.py and bench/kernel_stress.py read it):
 *   threads_storm: threads=T mutex=G/W pingpong=P ring=R timeouts=O storm=S detached=D
 *   eagain=E failed=F
 * and exits 0 only when every check held (F = 0); each failed check prints a line first.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <bk/syscall.h>       /* the raw futex: AtomicWait/AtomicWake */
#include <bkport/linux_abi.h> /* the kernel's errno values (BK_ETIMEDOUT, BK_EAGAIN) */

#define WORKERS 8
#define INCS 2000
#define SPIN 60 /* loop turns inside the critical section */
#define ROUNDS 400
#define ITEMS 600
#define TIMED_THREADS 4
#define TIMED_WAITS 3
#define TIMEOUT_NS 3000000LL /* 3 ms: below every tick period the host may choose */
#define STORM 240
#define WAVE 12
#define DETACHED 60

static int failed;
static unsigned long threads_made, eagain;

#define EXPECT(cond, ...)                                                                    \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            __atomic_add_fetch(&failed, 1, __ATOMIC_SEQ_CST);                                \
            printf("threads_storm: FAILED %s:%d: %s: ", __FILE__, __LINE__, #cond);           \
            printf(__VA_ARGS__);                                                             \
            printf("\n");                                                                    \
        }                                                                                    \
    } while (0)

static long long now_ns(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static struct timespec after(clockid_t clk, long long ns)
{
    long long t = now_ns(clk) + ns;
    struct timespec ts = { (time_t)(t / 1000000000LL), (long)(t % 1000000000LL) };
    return ts;
}

/* pthread_create, retrying while the kernel's thread table is full: detached threads that have
 * called pthread_exit may still hold their slot for a moment. */
static int spawn(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
    for (int tries = 0; tries < 10000; tries++) {
        int r = pthread_create(t, attr, fn, arg);
        if (r == 0) {
            __atomic_add_fetch(&threads_made, 1, __ATOMIC_SEQ_CST);
            return 0;
        }
        if (r != EAGAIN)
            return r;
        __atomic_add_fetch(&eagain, 1, __ATOMIC_SEQ_CST);
        sched_yield();
    }
    return EAGAIN;
}

/* ---- 1. mutex ---- */

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile long counter;

static void *incrementer(void *arg)
{
    (void)arg;
    for (int i = 0; i < INCS; i++) {
        pthread_mutex_lock(&counter_lock);
        long v = counter;
        for (volatile int k = 0; k < SPIN; k++)
            ; /* widen the window a lost update would need */
        counter = v + 1;
        pthread_mutex_unlock(&counter_lock);
    }
    return NULL;
}

static void stress_mutex(void)
{
    pthread_t t[WORKERS];
    int made = 0;
    for (int i = 0; i < WORKERS; i++)
        if (spawn(&t[made], NULL, incrementer, NULL) == 0)
            made++;
    EXPECT(made == WORKERS, "made %d of %d incrementers", made, WORKERS);
    for (int i = 0; i < made; i++)
        EXPECT(pthread_join(t[i], NULL) == 0, "join incrementer %d", i);
    EXPECT(counter == (long)made * INCS, "counter %ld, want %ld", counter, (long)made * INCS);
}

/* ---- 2. condition variables ---- */

static pthread_mutex_t pp_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pp_cond = PTHREAD_COND_INITIALIZER;
static int turn, pp_done[2], pp_order_bad;

static void *pinger(void *arg)
{
    int me = (int)(intptr_t)arg;
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&pp_lock);
        while (turn != me)
            pthread_cond_wait(&pp_cond, &pp_lock);
        /* Player 0 moves when both have moved equally often, player 1 when it is one behind. */
        if (pp_done[0] != pp_done[1] + me)
            pp_order_bad++;
        pp_done[me]++;
        turn = 1 - me;
        pthread_cond_broadcast(&pp_cond);
        pthread_mutex_unlock(&pp_lock);
    }
    return NULL;
}

#define RING 4
static pthread_mutex_t ring_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ring_not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t ring_not_full = PTHREAD_COND_INITIALIZER;
static int ring[RING], ring_head, ring_count, ring_got;
static long ring_sum;
static int ring_in_order = 1;

static void *producer(void *arg)
{
    (void)arg;
    for (int i = 1; i <= ITEMS; i++) {
        pthread_mutex_lock(&ring_lock);
        while (ring_count == RING)
            pthread_cond_wait(&ring_not_full, &ring_lock);
        ring[(ring_head + ring_count) % RING] = i;
        ring_count++;
        pthread_cond_signal(&ring_not_empty);
        pthread_mutex_unlock(&ring_lock);
    }
    return NULL;
}

static void *consumer(void *arg)
{
    (void)arg;
    for (int i = 1; i <= ITEMS; i++) {
        pthread_mutex_lock(&ring_lock);
        while (ring_count == 0)
            pthread_cond_wait(&ring_not_empty, &ring_lock);
        int v = ring[ring_head];
        ring_head = (ring_head + 1) % RING;
        ring_count--;
        pthread_cond_signal(&ring_not_full);
        pthread_mutex_unlock(&ring_lock);
        if (v != i)
            ring_in_order = 0;
        ring_sum += v;
        ring_got++;
    }
    return NULL;
}

static void stress_cond(void)
{
    pthread_t t[4];
    int ok = spawn(&t[0], NULL, pinger, (void *)0) == 0;
    ok &= spawn(&t[1], NULL, pinger, (void *)1) == 0;
    ok &= spawn(&t[2], NULL, producer, NULL) == 0;
    ok &= spawn(&t[3], NULL, consumer, NULL) == 0;
    EXPECT(ok, "made the ping-pong and ring threads");
    if (!ok)
        return;
    for (int i = 0; i < 4; i++)
        EXPECT(pthread_join(t[i], NULL) == 0, "join cond thread %d", i);
    EXPECT(pp_done[0] == ROUNDS && pp_done[1] == ROUNDS, "ping-pong %d/%d of %d", pp_done[0],
           pp_done[1], ROUNDS);
    EXPECT(pp_order_bad == 0, "ping-pong out of turn %d times", pp_order_bad);
    EXPECT(ring_got == ITEMS && ring_in_order, "ring delivered %d of %d, in order: %d",
           ring_got, ITEMS, ring_in_order);
    EXPECT(ring_sum == (long)ITEMS * (ITEMS + 1) / 2, "ring sum %ld", ring_sum);
}

/* ---- 3. timeouts ---- */

static pthread_mutex_t to_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t to_cond = PTHREAD_COND_INITIALIZER;
static sem_t to_sem;
static unsigned long timeouts;

/* The kernel's AtomicWait takes {long tv_sec; long tv_nsec} (picolibc's time_t is wider on
 * Cortex-M; posix/layer/src/internal.h, struct bk_kts). */
struct kts {
    long tv_sec;
    long tv_nsec;
};

static long futex_wait(volatile unsigned long *w, unsigned long val, long long ns)
{
    struct kts k = { (long)(ns / 1000000000LL), (long)(ns % 1000000000LL) };
    return bk_syscall6(BK_NR_atomic_wait, (long)w, (long)val, (long)&k, 0, 0, 0);
}

static void futex_wake(volatile unsigned long *w)
{
    unsigned long n = 1;
    (void)bk_syscall6(BK_NR_atomic_wake, (long)w, (long)&n, 0, 0, 0, 0);
}

static void *timed_waiter(void *arg)
{
    int id = (int)(intptr_t)arg;
    static volatile unsigned long never; /* nobody wakes this word */
    for (int i = 0; i < TIMED_WAITS; i++) {
        long long s = now_ns(CLOCK_MONOTONIC);
        pthread_mutex_lock(&to_lock);
        struct timespec dl = after(CLOCK_REALTIME, TIMEOUT_NS);
        int r = pthread_cond_timedwait(&to_cond, &to_lock, &dl);
        pthread_mutex_unlock(&to_lock);
        long long waited = now_ns(CLOCK_MONOTONIC) - s;
        EXPECT(r == ETIMEDOUT, "thread %d cond_timedwait returned %d", id, r);
        if (r == ETIMEDOUT)
            __atomic_add_fetch(&timeouts, 1, __ATOMIC_SEQ_CST);
        EXPECT(waited >= TIMEOUT_NS - 1000000LL, "cond_timedwait woke after %lld ns", waited);

        s = now_ns(CLOCK_MONOTONIC);
        dl = after(CLOCK_REALTIME, TIMEOUT_NS);
        errno = 0;
        r = sem_timedwait(&to_sem, &dl);
        int e = errno;
        waited = now_ns(CLOCK_MONOTONIC) - s;
        EXPECT(r == -1 && e == ETIMEDOUT, "thread %d sem_timedwait returned %d errno %d", id, r,
               e);
        if (r == -1 && e == ETIMEDOUT)
            __atomic_add_fetch(&timeouts, 1, __ATOMIC_SEQ_CST);
        EXPECT(waited >= TIMEOUT_NS - 1000000LL, "sem_timedwait woke after %lld ns", waited);

        s = now_ns(CLOCK_MONOTONIC);
        long k = futex_wait(&never, 0, TIMEOUT_NS);
        waited = now_ns(CLOCK_MONOTONIC) - s;
        EXPECT(k == -BK_ETIMEDOUT, "thread %d futex wait returned %ld", id, k);
        if (k == -BK_ETIMEDOUT)
            __atomic_add_fetch(&timeouts, 1, __ATOMIC_SEQ_CST);
        EXPECT(waited >= TIMEOUT_NS - 1000000LL, "futex wait woke after %lld ns", waited);
    }
    return NULL;
}

static volatile unsigned long flag;

static void *flag_setter(void *arg)
{
    (void)arg;
    struct timespec d = { 0, 1000000L };
    nanosleep(&d, NULL);
    __atomic_store_n(&flag, 1, __ATOMIC_SEQ_CST);
    futex_wake(&flag);
    return NULL;
}

static void stress_timeouts(void)
{
    EXPECT(sem_init(&to_sem, 0, 0) == 0, "sem_init");
    pthread_t t[TIMED_THREADS];
    int made = 0;
    for (int i = 0; i < TIMED_THREADS; i++)
        if (spawn(&t[made], NULL, timed_waiter, (void *)(intptr_t)i) == 0)
            made++;
    EXPECT(made == TIMED_THREADS, "made %d of %d timed waiters", made, TIMED_THREADS);
    for (int i = 0; i < made; i++)
        EXPECT(pthread_join(t[i], NULL) == 0, "join timed waiter %d", i);
    EXPECT(timeouts == (unsigned long)made * TIMED_WAITS * 3, "%lu timeouts", timeouts);

    /* A futex whose word is not the expected value answers at once (EAGAIN). */
    volatile unsigned long w = 5;
    long k = futex_wait(&w, 4, 50000000LL);
    EXPECT(k == -BK_EAGAIN, "futex wait on a changed word returned %ld", k);
    /* A wait with a long timeout that another thread wakes: never ETIMEDOUT. */
    for (int round = 0; round < 10; round++) {
        flag = 0;
        pthread_t s;
        if (spawn(&s, NULL, flag_setter, NULL) != 0) {
            EXPECT(0, "made the flag setter");
            break;
        }
        while (__atomic_load_n(&flag, __ATOMIC_SEQ_CST) == 0) {
            k = futex_wait(&flag, 0, 5000000000LL);
            EXPECT(k == 0 || k == -BK_EAGAIN, "woken futex wait returned %ld", k);
            if (k != 0 && k != -BK_EAGAIN)
                break;
        }
        EXPECT(pthread_join(s, NULL) == 0, "join flag setter");
    }
    sem_destroy(&to_sem);
}

/* ---- 4. create/exit storms ---- */

static unsigned long storm_ran;

static void *short_lived(void *arg)
{
    __atomic_add_fetch(&storm_ran, 1, __ATOMIC_SEQ_CST);
    if ((intptr_t)arg % 3 == 0)
        sched_yield(); /* some leave after a switch, some at once */
    return arg;
}

static unsigned long detached_ran;

static void *detached_exit(void *arg)
{
    (void)arg;
    __atomic_add_fetch(&detached_ran, 1, __ATOMIC_SEQ_CST);
    pthread_exit(NULL);
}

static void stress_storm(void)
{
    pthread_t t[WAVE];
    int made_total = 0;
    for (int base = 0; base < STORM; base += WAVE) {
        int made = 0;
        for (int i = 0; i < WAVE && base + i < STORM; i++) {
            int r = spawn(&t[made], NULL, short_lived, (void *)(intptr_t)(base + i));
            EXPECT(r == 0, "create storm thread %d: %d", base + i, r);
            if (r == 0)
                made++;
        }
        for (int i = 0; i < made; i++) {
            void *ret = NULL;
            EXPECT(pthread_join(t[i], &ret) == 0, "join storm thread %d", base + i);
            EXPECT((intptr_t)ret == base + i, "storm thread %d returned %ld", base + i,
                   (long)(intptr_t)ret);
        }
        made_total += made;
    }
    EXPECT(storm_ran == STORM && made_total == STORM, "storm ran %lu of %d", storm_ran, STORM);

    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    for (int i = 0; i < DETACHED; i++) {
        pthread_t d;
        int r = spawn(&d, &a, detached_exit, NULL);
        EXPECT(r == 0, "create detached thread %d: %d", i, r);
    }
    pthread_attr_destroy(&a);
    long long deadline = now_ns(CLOCK_MONOTONIC) + 20000000000LL;
    while (__atomic_load_n(&detached_ran, __ATOMIC_SEQ_CST) < DETACHED &&
           now_ns(CLOCK_MONOTONIC) < deadline) {
        struct timespec d = { 0, 1000000L };
        nanosleep(&d, NULL);
    }
    EXPECT(detached_ran == DETACHED, "detached ran %lu of %d", detached_ran, DETACHED);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    stress_mutex();
    stress_cond();
    stress_timeouts();
    stress_storm();
    printf("threads_storm: threads=%lu mutex=%ld/%ld pingpong=%d ring=%d timeouts=%lu "
           "storm=%lu detached=%lu eagain=%lu failed=%d\n",
           threads_made, counter, (long)WORKERS * INCS, pp_done[0] + pp_done[1], ring_got,
           timeouts, storm_ran, detached_ran, eagain, failed);
    return failed ? 1 : 0;
}

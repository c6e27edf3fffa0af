/* errno is per thread (POSIX): a failure in one thread does not change another thread's errno,
 * even across preemption. Needs the kernel to keep each thread's TLS pointer (NOTES-layer.md). */
#include <errno.h>
#include <pthread.h>
#include <unistd.h>

#include "conform.h"

static volatile int stop, bad;

static void *failer(void *arg)
{
    (void)arg;
    while (!stop) {
        if (close(-1) == 0 || errno != EBADF)
            bad = 1;
    }
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, failer, NULL);
    int seen_other = 0;
    long long end = conform_ns(CLOCK_MONOTONIC) + 100000000LL; /* ~10 preemptions */
    errno = ENOENT; /* set once: only another thread's failure could change it */
    while (conform_ns(CLOCK_MONOTONIC) < end)
        if (errno != ENOENT)
            seen_other = 1;
    stop = 1;
    pthread_join(t, NULL);
    CHECK(!seen_other, "errno: another thread's failures never change this thread's errno");
    CHECK(!bad, "errno: each thread reads back its own errno");
    CONFORM_DONE();
}

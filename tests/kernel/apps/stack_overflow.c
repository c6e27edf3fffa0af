/* Runs past a stack on purpose: `stack_overflow main` recurses on the main thread,
 * `stack_overflow thread` on a thread with a 16 KiB stack, `stack_overflow ok N` recurses N
 * levels and returns (well inside either stack). Each level makes a system call, so the kernel
 * sees the thread at every level: the floor of detection is a check at every trap. */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Out of line, so the compiler keeps the whole frame a caller hands it. */
__attribute__((noinline)) static void fill(char *p, size_t n, long v)
{
    memset(p, (int)v, n);
}

static long deep(long n)
{
    char frame[192];
    fill(frame, sizeof frame, n);
    sched_yield(); /* a trap per level */
    if (n == 0)
        return frame[0];
    long below = deep(n - 1);
    return below + frame[16]; /* read after the call: the frame lives across it (no loop) */
}

static void *in_thread(void *arg)
{
    return (void *)deep((long)(size_t)arg);
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "main";
    if (strcmp(what, "ok") == 0) {
        long n = argc > 2 ? atol(argv[2]) : 50;
        printf("recursed %ld levels: %ld\n", n, deep(n));
        return 0;
    }
    if (strcmp(what, "thread") == 0) {
        pthread_attr_t a;
        pthread_t t;
        void *r;
        pthread_attr_init(&a);
        pthread_attr_setstacksize(&a, 16 * 1024);
        if (pthread_create(&t, &a, in_thread, (void *)(size_t)100000) != 0)
            return 2;
        pthread_join(t, &r);
        printf("the thread came back: %ld\n", (long)(size_t)r);
        return 1;
    }
    printf("came back: %ld\n", deep(100000));
    return 1;
}

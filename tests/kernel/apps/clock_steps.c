/* Reads CLOCK_MONOTONIC back to back, N times (argv[1], default 100000), and prints the largest
 * step between two reads and how many went backwards. Run under -icount (time follows
 * instructions, not the host), no step may be anywhere near a tick period: a clock that jumps a
 * whole period when the timer wraps between two register reads shows here. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100000;
    struct timespec a, b;
    long long biggest = 0, backwards = 0;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (long i = 0; i < n; i++) {
        clock_gettime(CLOCK_MONOTONIC, &b);
        long long d = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
        if (d < 0)
            backwards++;
        if (d > biggest)
            biggest = d;
        a = b;
    }
    printf("reads %ld biggest_step_ns %lld backwards %lld\n", n, biggest, backwards);
    return 0;
}

/*
 * getentropy() (POSIX.1-2024). None of the boards gives the kernel a hardware random source:
 * the MPS2/MPS3 boards have no TRNG QEMU models, the two virt machines are run without a
 * virtio-rng device, the Cortex-A53 lacks FEAT_RNG (RNDR) and RV64GC lacks Zkr (seed). So the
 * layer gathers timing jitter: each output word mixes the monotonic and real-time clocks read
 * across a sched_yield() (how long the yield takes varies with the host QEMU runs on), a stack
 * address, a call counter and the pool left by earlier calls, through the SplitMix64
 * finalizer. Good enough for hash seeds, temporary names and arc4random's seed; not a
 * cryptographic source, and the numbers repeat if QEMU itself is run deterministic (-icount).
 */
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#define GETENTROPY_MAX_BYTES 256 /* POSIX's GETENTROPY_MAX */

static uint64_t pool;
static uint64_t calls;

static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t clock_word(clockid_t clk)
{
    struct timespec ts;
    if (clock_gettime(clk, &ts) < 0)
        return 0;
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint64_t sample(void)
{
    uint64_t before = clock_word(CLOCK_MONOTONIC);
    (void)sched_yield();
    uint64_t after = clock_word(CLOCK_MONOTONIC);
    int here;
    pool = mix(pool ^ before ^ (after << 17) ^ (after >> 13) ^ clock_word(CLOCK_REALTIME) ^
               (uint64_t)(uintptr_t)&here ^ ++calls * 0x9e3779b97f4a7c15ULL);
    return pool;
}

/* bkport: partial: timing jitter, not a hardware entropy source (no board has one) */
int getentropy(void *buf, size_t len)
{
    if (len > GETENTROPY_MAX_BYTES)
        return bk_fail(EINVAL);
    if (!buf && len)
        return bk_fail(EFAULT);
    unsigned char *p = buf;
    while (len) {
        uint64_t w = sample();
        size_t n = len < sizeof w ? len : sizeof w;
        memcpy(p, &w, n);
        p += n;
        len -= n;
    }
    return 0;
}

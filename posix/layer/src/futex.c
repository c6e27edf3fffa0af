/*
 * The futex pair (AtomicWait/AtomicWake) and the clock arithmetic every timed wait shares.
 * POSIX timed waits take an absolute time on a clock; AtomicWait takes a relative timeout, so
 * each wait converts "until abstime" into "for rel" just before sleeping (and again after a
 * spurious wake-up, so the deadline never drifts).
 */
#include <bkport/abi_translate.h>

#include "internal.h"
#include "sig.h"

/* The generated translation (<bkport/abi_translate.h>): -1 for a clock the kernel lacks. */
int __bk_clock_to_kernel(clockid_t clk)
{
    return (int)bk_clockid_to_linux(clk);
}

int __bk_now(clockid_t clk, struct timespec *ts)
{
    int k = __bk_clock_to_kernel(clk);
    if (k < 0)
        return EINVAL;
    struct bk_kts kts;
    long r = bk_syscall6(BK_NR_clock_gettime, k, (long)&kts, 0, 0, 0, 0);
    if (bk_is_error(r))
        return __bk_errno_from_linux((int)-r);
    ts->tv_sec = kts.tv_sec;
    ts->tv_nsec = kts.tv_nsec;
    return 0;
}

int __bk_until(clockid_t clk, const struct timespec *abstime, struct bk_kts *rel)
{
    if (abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000L)
        return EINVAL;
    struct timespec now;
    int e = __bk_now(clk, &now);
    if (e)
        return e;
    long long sec = (long long)abstime->tv_sec - (long long)now.tv_sec;
    long nsec = abstime->tv_nsec - now.tv_nsec;
    if (nsec < 0) {
        nsec += 1000000000L;
        sec -= 1;
    }
    if (sec < 0 || (sec == 0 && nsec == 0))
        return ETIMEDOUT;
    /* The kernel's tv_sec is a machine word: clamp far deadlines on 32-bit targets. */
    if (sizeof(long) < sizeof(long long) && sec > 0x7fffffffLL)
        sec = 0x7fffffffLL;
    rel->tv_sec = (long)sec;
    rel->tv_nsec = nsec;
    return 0;
}

int __bk_futex_wait(volatile unsigned long *addr, unsigned long val, const struct bk_kts *rel)
{
    long r = bk_syscall6(BK_NR_atomic_wait, (long)addr, (long)val, (long)rel, 0, 0, 0);
    if (bk_is_error(r) && -r == BK_ETIMEDOUT)
        return ETIMEDOUT;
    /* Interrupted for a signal or a cancellation (ThreadInterrupt): act on it on this thread. */
    if (bk_is_error(r) && -r == BK_EINTR)
        return __bk_sig_interrupted() ? EINTR : 0;
    /* EAGAIN (the word changed) and a wake-up look the same to every caller: re-check. */
    return 0;
}

void __bk_futex_wake(volatile unsigned long *addr, unsigned long n)
{
    unsigned long count = n;
    (void)bk_syscall6(BK_NR_atomic_wake, (long)addr, (long)&count, 0, 0, 0, 0);
}

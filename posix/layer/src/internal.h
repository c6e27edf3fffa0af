/*
 * Internal interface of bkport's POSIX layer: the kernel's ABI (Linux values, kernel layouts)
 * on one side, picolibc's ABI (newlib values and layouts, which the app and libc.a were built
 * with) on the other. Every translation between the two lives in the layer, never in apps.
 */
#ifndef BKPORT_LAYER_INTERNAL_H
#define BKPORT_LAYER_INTERNAL_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <bk/syscall.h>
#include <bkport/linux_abi.h>

/* errno: the kernel answers Linux values; picolibc's <errno.h> numbers differ (ENOSYS is 38 on
 * Linux, 88 in picolibc). The wrappers store the Linux value; bk_fix() translates it. */
int __bk_errno_from_linux(int linux_errno);

/* Call a bk_* wrapper and translate errno when it failed (wrappers return -1 then). */
static inline long bk_fix(long r)
{
    if (r == -1)
        errno = __bk_errno_from_linux(errno);
    return r;
}

/* Fail with a POSIX errno (picolibc's value). */
static inline int bk_fail(int e)
{
    errno = e;
    return -1;
}

/* The kernel's struct timespec: two machine words (table: `extern struct timespec { tv_sec:
 * long; tv_nsec: long; }`). picolibc's time_t is 64-bit everywhere, so on Cortex-M the two
 * differ and every timespec crossing the trap is converted. */
struct bk_kts {
    long tv_sec;
    long tv_nsec;
};

static inline struct bk_kts bk_kts_from(const struct timespec *ts)
{
    struct bk_kts k = { (long)ts->tv_sec, ts->tv_nsec };
    return k;
}

#define BK_KTS(p) ((const struct timespec *)(const void *)(p))

/* Kernel clock ids and flags are Linux's; picolibc's CLOCK_* values differ. */
int __bk_clock_to_kernel(clockid_t clk);

/* Timing helpers shared by sleeping and the timed waits. */
int __bk_now(clockid_t clk, struct timespec *ts);
/* Relative time from now on `clk` to `abstime`; 0 when it has passed (ETIMEDOUT),
 * EINVAL for a bad abstime. */
int __bk_until(clockid_t clk, const struct timespec *abstime, struct bk_kts *rel);

/* Scheduling (sched.c): check policy/priority (0 or EINVAL); give kernel thread tid a policy
 * and priority (0 or an errno value); whether clk is a CPU-time clock, and whose (*tid, 0: the
 * process's). */
int __bk_sched_check(int policy, int prio);
int __bk_sched_apply(unsigned long tid, int policy, int prio);
int __bk_cpu_clock_tid(clockid_t clk, unsigned long *tid);

/* Futex pair over AtomicWait/AtomicWake. Words are unsigned long (the table's usize).
 * Returns 0 when woken or the value differed, ETIMEDOUT when `rel` elapsed. */
int __bk_futex_wait(volatile unsigned long *addr, unsigned long val, const struct bk_kts *rel);
/* Wake up to n waiters (n = -1UL: all). */
void __bk_futex_wake(volatile unsigned long *addr, unsigned long n);

/* The file mode creation mask (fs.c): what umask() set, cleared from every new file's mode. */
mode_t __bk_umask(void);

/* The process's one CLOCK_REALTIME timer raising SIGALRM, shared by alarm() and
 * setitimer(ITIMER_REAL) as on Linux (timer.c); 0 when it could not be made. */
timer_t __bk_alarm_timer(void);

/* socketpair() ends (sockpair.c): whether fd is one, the hidden write descriptor behind it
 * (-1: none), whether reading was shut down; send on it; shutdown(); forget it on close. */
int __bk_is_sock(int fd);
int __bk_sock_peer(int fd);
int __bk_sock_read_shut(int fd);
ssize_t __bk_sock_send(int fd, const void *buf, size_t n, int flags);
int __bk_sock_shutdown(int fd, int how);
void __bk_sock_closed(int fd);

/* Kernel O_* flags (Linux values) <-> picolibc's. */
int __bk_oflags_to_kernel(int flags);
int __bk_oflags_from_kernel(int kflags);

/* The thread layer's per-thread record (pthread.c); also the TLS anchor. */
struct bk_thread;
struct bk_thread *__bk_self(void);
void __bk_threads_init(void *main_tls);
/* Run the pthread_key destructors of the calling thread (thread exit). */
void __bk_keys_run_destructors(void);

/* Stdio (stdio.c) and atexit flushing: called by exit paths. */
void __bk_stdio_flush(void);

/* Memory straight from the kernel allocator (memory.c). */
void *__bk_kalloc(size_t size, size_t align);
void __bk_kfree(void *p);

/* Start-up state (start.c). */
extern char **environ;

#endif

/*
 * Resource limits and usage (<sys/resource.h>, XSI). One process owns the machine: a limit is
 * kept as set and reported back, the kernel enforces none of them (its own bounds are fixed:
 * 64 descriptors, the board's memory). RLIMIT_NOFILE starts at the kernel's descriptor count
 * so programs that size tables by it get the true bound; the others start unlimited. The
 * caller is uid 0, so raising a hard limit is allowed, as it is for Linux's root.
 */
#include <sys/resource.h>
#include <string.h>
#include <time.h>

#include "internal.h"

#define KERNEL_MAX_FDS 64 /* kernel/src/fs/mod.rs MAX_FDS */

static struct rlimit limits[RLIM_NLIMITS];
static int limits_ready;

static void init_limits(void)
{
    for (int i = 0; i < RLIM_NLIMITS; i++)
        limits[i].rlim_cur = limits[i].rlim_max = RLIM_INFINITY;
    limits[RLIMIT_NOFILE].rlim_cur = limits[RLIMIT_NOFILE].rlim_max = KERNEL_MAX_FDS;
    limits[RLIMIT_CORE].rlim_cur = 0; /* no core files are ever written */
    limits_ready = 1;
}

/* bkport: partial: limits are recorded and reported, not enforced by the kernel */
int getrlimit(int resource, struct rlimit *rl)
{
    if (resource < 0 || resource >= RLIM_NLIMITS)
        return bk_fail(EINVAL);
    if (!rl)
        return bk_fail(EFAULT);
    if (!limits_ready)
        init_limits();
    *rl = limits[resource];
    return 0;
}

/* bkport: partial: limits are recorded and reported, not enforced by the kernel */
int setrlimit(int resource, const struct rlimit *rl)
{
    if (resource < 0 || resource >= RLIM_NLIMITS)
        return bk_fail(EINVAL);
    if (!rl)
        return bk_fail(EFAULT);
    if (rl->rlim_cur > rl->rlim_max)
        return bk_fail(EINVAL);
    /* the kernel cannot give more descriptors than it has */
    if (resource == RLIMIT_NOFILE && rl->rlim_max > KERNEL_MAX_FDS)
        return bk_fail(EPERM);
    if (!limits_ready)
        init_limits();
    limits[resource] = *rl;
    return 0;
}

static struct timeval tv_of(const struct timespec *ts)
{
    struct timeval tv = { ts->tv_sec, (suseconds_t)(ts->tv_nsec / 1000) };
    return tv;
}

/* As times(): one process, no children, the kernel does not split user from system time, so
 * the time since start counts as user time. */
/* bkport: partial: elapsed time is reported as user time; no system or children times */
int getrusage(int who, struct rusage *ru)
{
    if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
        return bk_fail(EINVAL);
    if (!ru)
        return bk_fail(EFAULT);
    memset(ru, 0, sizeof *ru);
    if (who == RUSAGE_CHILDREN)
        return 0;
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
        return -1;
    ru->ru_utime = tv_of(&ts);
    return 0;
}

/*
 * <sched.h> over SchedYield and Get/SetSchedParam. BlueKernel schedules threads by priority
 * (0..255, round-robin among equals); every policy name maps onto that one scheduler. The
 * "process" of the sched_* calls is the application: its parameters are the calling thread's.
 */
#include <sched.h>
#include <unistd.h>

#include "internal.h"

int sched_yield(void)
{
    (void)bk_sched_yield();
    return 0;
}

static int valid_policy(int policy)
{
    return policy == SCHED_FIFO || policy == SCHED_RR || policy == SCHED_OTHER;
}

int sched_get_priority_max(int policy)
{
    return valid_policy(policy) ? 255 : bk_fail(EINVAL);
}

int sched_get_priority_min(int policy)
{
    return valid_policy(policy) ? 0 : bk_fail(EINVAL);
}

int sched_rr_get_interval(pid_t pid, struct timespec *t)
{
    if (pid != 0 && pid != getpid())
        return bk_fail(ESRCH);
    t->tv_sec = 0;
    t->tv_nsec = 10000000; /* the kernel's preemption tick (kernel/src/main.rs TICK_NS) */
    return 0;
}

static long my_tid(void)
{
    return bk_get_tid();
}

int sched_getparam(pid_t pid, struct sched_param *p)
{
    if (pid != 0 && pid != getpid())
        return bk_fail(ESRCH);
    long r = bk_fix(bk_get_sched_param((unsigned long)my_tid()));
    if (r < 0)
        return -1;
    p->sched_priority = (int)r;
    return 0;
}

int sched_setparam(pid_t pid, const struct sched_param *p)
{
    if (pid != 0 && pid != getpid())
        return bk_fail(ESRCH);
    return (int)bk_fix(bk_set_sched_param((unsigned long)my_tid(), p->sched_priority));
}

int sched_getscheduler(pid_t pid)
{
    if (pid != 0 && pid != getpid())
        return bk_fail(ESRCH);
    return SCHED_RR;
}

/* bkport: partial: every policy runs as the kernel's priority round-robin (SCHED_RR) */
int sched_setscheduler(pid_t pid, int policy, const struct sched_param *p)
{
    if (!valid_policy(policy))
        return bk_fail(EINVAL);
    if (sched_setparam(pid, p) < 0)
        return -1;
    return SCHED_RR;
}

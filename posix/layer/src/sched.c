/*
 * <sched.h> and the per-thread scheduling calls of <pthread.h> over SetSchedPolicy /
 * GetSchedPolicy (proposed calls) and Get/SetSchedParam. The kernel records a policy and a
 * priority per thread and runs the highest-priority ready thread: SCHED_FIFO until it blocks or
 * yields, SCHED_RR and SCHED_OTHER sharing the CPU with their equals on the tick. The "process"
 * of the sched_* calls is the application; its parameters are the calling thread's.
 */
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "thread.h"

/* picolibc's SCHED_* are Linux's values (0, 1, 2), which the kernel takes as they are. */
static int valid_policy(int policy)
{
    return policy == SCHED_FIFO || policy == SCHED_RR || policy == SCHED_OTHER;
}

/* SCHED_OTHER has the one priority 0 (as on Linux), below every realtime priority, so the
 * threads that never chose a policy give way to any that did. */
#define RT_PRIO_MIN 1
#define RT_PRIO_MAX 99

int sched_get_priority_max(int policy)
{
    if (!valid_policy(policy))
        return bk_fail(EINVAL);
    return policy == SCHED_OTHER ? 0 : RT_PRIO_MAX;
}

int sched_get_priority_min(int policy)
{
    if (!valid_policy(policy))
        return bk_fail(EINVAL);
    return policy == SCHED_OTHER ? 0 : RT_PRIO_MIN;
}

int __bk_sched_check(int policy, int prio)
{
    if (!valid_policy(policy))
        return EINVAL;
    if (policy == SCHED_OTHER ? prio != 0 : (prio < RT_PRIO_MIN || prio > RT_PRIO_MAX))
        return EINVAL;
    return 0;
}

/* Give kernel thread tid `policy` at `prio`: 0 or an errno value. */
int __bk_sched_apply(unsigned long tid, int policy, int prio)
{
    int e = __bk_sched_check(policy, prio);
    if (e)
        return e;
    long r = bk_syscall6(BK_NR_set_sched_policy, (long)tid, policy, prio, 0, 0, 0);
    if (bk_is_error(r))
        return -r == BK_ESRCH ? ESRCH : EINVAL;
    return 0;
}

static int get_policy(unsigned long tid, int *policy, int *prio)
{
    long pol = bk_syscall6(BK_NR_get_sched_policy, (long)tid, 0, 0, 0, 0, 0);
    long pr = bk_syscall6(BK_NR_get_sched_param, (long)tid, 0, 0, 0, 0, 0);
    if (bk_is_error(pol) || bk_is_error(pr))
        return ESRCH;
    *policy = (int)pol;
    *prio = (int)pr;
    return 0;
}

int sched_yield(void)
{
    (void)bk_sched_yield();
    return 0;
}

static int own_pid(pid_t pid)
{
    return pid == 0 || pid == getpid();
}

/* The tick that shares the CPU among SCHED_RR threads of one priority (kernel/src/main.rs
 * TICK_NS; BKPORT_TICK_US may choose another at boot, which the layer cannot read). */
int sched_rr_get_interval(pid_t pid, struct timespec *t)
{
    if (pid < 0)
        return bk_fail(EINVAL);
    if (!own_pid(pid))
        return bk_fail(ESRCH);
    if (!t)
        return bk_fail(EFAULT);
    t->tv_sec = 0;
    t->tv_nsec = 10000000;
    return 0;
}

int sched_getparam(pid_t pid, struct sched_param *p)
{
    if (pid < 0 || !p)
        return bk_fail(EINVAL);
    if (!own_pid(pid))
        return bk_fail(ESRCH);
    int policy, prio, e = get_policy((unsigned long)bk_get_tid(), &policy, &prio);
    if (e)
        return bk_fail(e);
    p->sched_priority = prio;
    return 0;
}

int sched_getscheduler(pid_t pid)
{
    if (pid < 0)
        return bk_fail(EINVAL);
    if (!own_pid(pid))
        return bk_fail(ESRCH);
    int policy, prio, e = get_policy((unsigned long)bk_get_tid(), &policy, &prio);
    return e ? bk_fail(e) : policy;
}

int sched_setparam(pid_t pid, const struct sched_param *p)
{
    if (pid < 0 || !p)
        return bk_fail(EINVAL);
    if (!own_pid(pid))
        return bk_fail(ESRCH);
    unsigned long tid = (unsigned long)bk_get_tid();
    int policy, prio, e = get_policy(tid, &policy, &prio);
    if (!e)
        e = __bk_sched_apply(tid, policy, p->sched_priority);
    return e ? bk_fail(e) : 0;
}

/* Returns the former policy, as POSIX says. */
int sched_setscheduler(pid_t pid, int policy, const struct sched_param *p)
{
    if (pid < 0 || !p || !valid_policy(policy))
        return bk_fail(EINVAL);
    if (!own_pid(pid))
        return bk_fail(ESRCH);
    unsigned long tid = (unsigned long)bk_get_tid();
    int old, prio, e = get_policy(tid, &old, &prio);
    if (!e)
        e = __bk_sched_apply(tid, policy, p->sched_priority);
    return e ? bk_fail(e) : old;
}

/* ---- scheduling of one thread ---- */

int pthread_getschedparam(pthread_t th, int *restrict policy, struct sched_param *restrict p)
{
    struct bk_thread *t = __bk_thread_of(th);
    if (!t)
        return ESRCH;
    int pol, prio, e = get_policy(t->tid, &pol, &prio);
    if (e)
        return e;
    *policy = pol;
    p->sched_priority = prio;
    return 0;
}

int pthread_setschedparam(pthread_t th, int policy, const struct sched_param *p)
{
    struct bk_thread *t = __bk_thread_of(th);
    if (!t)
        return ESRCH;
    if (!p)
        return EINVAL;
    return __bk_sched_apply(t->tid, policy, p->sched_priority);
}

int pthread_setschedprio(pthread_t th, int prio)
{
    struct bk_thread *t = __bk_thread_of(th);
    if (!t)
        return ESRCH;
    int policy, old, e = get_policy(t->tid, &policy, &old);
    return e ? e : __bk_sched_apply(t->tid, policy, prio);
}

/* ---- CPU-time clocks (ThreadCpuTime): a thread's clock id is Linux's encoding of it,
 * (~tid << 3) | 6, which the kernel's ClockGetTime reads too ---- */

int pthread_getcpuclockid(pthread_t th, clockid_t *clk)
{
    struct bk_thread *t = __bk_thread_of(th);
    if (!t)
        return ESRCH;
    *clk = (clockid_t)(int)((~(unsigned)t->tid << 3) | 6);
    return 0;
}

int clock_getcpuclockid(pid_t pid, clockid_t *clk)
{
    if (!own_pid(pid))
        return ESRCH;
    *clk = CLOCK_PROCESS_CPUTIME_ID;
    return 0;
}

int __bk_cpu_clock_tid(clockid_t clk, unsigned long *tid)
{
    int c = (int)clk;
    if (clk == CLOCK_PROCESS_CPUTIME_ID) {
        *tid = 0;
        return 1;
    }
    if (clk == CLOCK_THREAD_CPUTIME_ID) {
        *tid = (unsigned long)bk_get_tid();
        return 1;
    }
    if (c < 0 && (c & 7) == 6) {
        *tid = (unsigned long)~(c >> 3);
        return 1;
    }
    return 0;
}

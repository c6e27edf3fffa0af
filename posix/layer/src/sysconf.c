/*
 * sysconf, pathconf and fpathconf: what the layer and the kernel really do, in the numbers POSIX
 * asks for. Options answer as <unistd.h> advertises them (include/sys/features.h): 200809L for
 * an option whose interfaces all work, -1 for one that is not there (errno unchanged, as POSIX
 * says for an option). tests/posixspec/test_options.py holds the two to posix/options.tsv and
 * the support database; tests/conformance/sysconf.c checks the answers on every board against
 * the macros and POSIX's minimums.
 *
 * Values are written out rather than taken from the layer's headers because the host tests
 * (tests/posixspec/test_layer_args_host.py) build this file against the host's headers; each
 * names where the limit lives.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

long sysconf(int name)
{
    switch (name) {
    case _SC_ARG_MAX: return 4096;
    case _SC_CHILD_MAX: return 1; /* the application itself: no fork */
    case _SC_CLK_TCK: return CLK_TCK;
    case _SC_NGROUPS_MAX: return 0; /* one user, no supplementary groups */
    case _SC_OPEN_MAX: {
        /* Linux's answer: the descriptor limit getrlimit reports (resource.c) */
        struct rlimit rl;
        if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur > 0x7fffffff)
            return -1;
        return (long)rl.rlim_cur;
    }
    case _SC_STREAM_MAX: return FOPEN_MAX; /* POSIX: STREAM_MAX is FOPEN_MAX */
    case _SC_PAGESIZE: return 4096;
    case _SC_NPROCESSORS_CONF:
    case _SC_NPROCESSORS_ONLN: return 1;
    case _SC_LINE_MAX: return 2048;
    case _SC_HOST_NAME_MAX: return 255; /* _POSIX_HOST_NAME_MAX: no name may be longer */
    case _SC_SEM_NSEMS_MAX: return -1; /* no limit besides memory (errno unchanged) */
    case _SC_SEM_VALUE_MAX: return 0x7fffffff;
    case _SC_THREAD_KEYS_MAX: return 128;      /* <pthread.h>'s PTHREAD_KEYS_MAX */
    case _SC_THREAD_STACK_MIN: return 4096;    /* PTHREAD_STACK_MIN */
    case _SC_THREAD_THREADS_MAX: return 64;    /* created beside main: the kernel runs 65 */
    case _SC_THREAD_DESTRUCTOR_ITERATIONS: return 4;
    case _SC_AIO_LISTIO_MAX: return 16;        /* aio.c's AIO_LISTIO_MAX */
    case _SC_AIO_MAX: return 64;               /* aio.c's REQ_MAX requests at once */
    case _SC_AIO_PRIO_DELTA_MAX: return 0;     /* aio_reqprio is not used */
    case _SC_DELAYTIMER_MAX: return 0x7fffffff; /* timer.c: overruns saturate at INT_MAX */
    case _SC_MQ_OPEN_MAX: return 32;           /* mqueue.c's MAX_DESC */
    case _SC_MQ_PRIO_MAX: return 32;           /* <mqueue.h>'s MQ_PRIO_MAX */
    case _SC_RTSIG_MAX: return 33;             /* SIGRTMIN 32 to SIGRTMAX 64 */
    case _SC_SIGQUEUE_MAX: return 64;          /* signal.c's QMAX */
    case _SC_TIMER_MAX: return 32;             /* timer.c's TIMER_MAX */
    case _SC_SYMLOOP_MAX: return 8;            /* kernel/src/fs: MAX_LINKS */
    case _SC_TRACE_EVENT_NAME_MAX: return 32;  /* <trace.h> (posix/spec/trace.h.spec) */
    case _SC_TRACE_NAME_MAX: return 32;
    case _SC_TRACE_SYS_MAX: return 8;
    case _SC_TRACE_USER_EVENT_MAX: return 64;
    /* the options include/sys/features.h advertises */
    case _SC_VERSION:
    case _SC_ADVISORY_INFO:
    case _SC_ASYNCHRONOUS_IO:
    case _SC_BARRIERS:
    case _SC_CLOCK_SELECTION:
    case _SC_CPUTIME:
    case _SC_FSYNC:
    case _SC_MAPPED_FILES:
    case _SC_MEMLOCK:
    case _SC_MEMLOCK_RANGE:
    case _SC_MEMORY_PROTECTION:
    case _SC_MESSAGE_PASSING:
    case _SC_MONOTONIC_CLOCK:
    case _SC_PRIORITY_SCHEDULING:
    case _SC_READER_WRITER_LOCKS:
    case _SC_REALTIME_SIGNALS:
    case _SC_REGEXP:
    case _SC_SEMAPHORES:
    case _SC_SHARED_MEMORY_OBJECTS:
    case _SC_SPIN_LOCKS:
    case _SC_SYNCHRONIZED_IO:
    case _SC_THREADS:
    case _SC_THREAD_ATTR_STACKADDR:
    case _SC_THREAD_ATTR_STACKSIZE:
    case _SC_THREAD_CPUTIME:
    case _SC_THREAD_PRIO_INHERIT:
    case _SC_THREAD_PRIO_PROTECT:
    case _SC_THREAD_PRIORITY_SCHEDULING:
    case _SC_THREAD_PROCESS_SHARED:
    case _SC_THREAD_SAFE_FUNCTIONS:
    case _SC_TIMEOUTS:
    case _SC_TIMERS:
    case _SC_TRACE:
    case _SC_TRACE_EVENT_FILTER:
    case _SC_TRACE_INHERIT:
    case _SC_TRACE_LOG: return 200809L;
    case _SC_IPV6:
    case _SC_JOB_CONTROL:
    case _SC_PRIORITIZED_IO:
    case _SC_RAW_SOCKETS:
    case _SC_SHELL:
    case _SC_SPAWN:
    case _SC_SPORADIC_SERVER:
    case _SC_THREAD_ROBUST_PRIO_INHERIT:
    case _SC_THREAD_ROBUST_PRIO_PROTECT:
    case _SC_THREAD_SPORADIC_SERVER:
    case _SC_TYPED_MEMORY_OBJECTS: return -1; /* unsupported option: -1, errno unchanged */
    default:
        errno = EINVAL;
        return -1;
    }
}

static long pathconf_of(int name)
{
    switch (name) {
    case _PC_LINK_MAX: return 1000; /* kernel/src/fs: link() answers EMLINK from there */
    case _PC_NAME_MAX: return 255;  /* kernel/src/fs: NAME_MAX */
    case _PC_PATH_MAX: return 1024; /* fsnames.c's PATH_MAX, the kernel's limit on a path */
    case _PC_PIPE_BUF: return 512;  /* kernel/src/fs/pipe.rs: writes up to it are atomic */
    case _PC_MAX_CANON:
    case _PC_MAX_INPUT: return 255;
    case _PC_NO_TRUNC: return 1;
    case _PC_CHOWN_RESTRICTED: return 1;
    case _PC_VDISABLE: return 0;
    default:
        errno = EINVAL;
        return -1;
    }
}

long pathconf(const char *path, int name)
{
    if (access(path, 0) < 0)
        return -1;
    return pathconf_of(name);
}

long fpathconf(int fd, int name)
{
    if (fcntl(fd, F_GETFD) < 0)
        return -1;
    return pathconf_of(name);
}

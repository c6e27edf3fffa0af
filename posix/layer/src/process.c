/*
 * The process model of a single-process kernel. BlueOS runs one application: it has a constant
 * process id, no parent to speak of, one user (root) and no child processes. Calls that create
 * or replace processes fail with ENOSYS ("not supported"); waiting fails with ECHILD, which is
 * exactly what POSIX prescribes when there are no children. docs/layer.md lists every choice.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <sys/resource.h>

#include "internal.h"

#define BK_PID 1

pid_t getpid(void) { return BK_PID; }
/* The kernel started the application: no parent process exists. */
pid_t getppid(void) { return 0; }
pid_t getpgrp(void) { return BK_PID; }
pid_t getpgid(pid_t pid) { return (pid == 0 || pid == BK_PID) ? BK_PID : bk_fail(ESRCH); }
pid_t getsid(pid_t pid) { return (pid == 0 || pid == BK_PID) ? BK_PID : bk_fail(ESRCH); }
/* The application already leads its own session and group. */
pid_t setsid(void) { return bk_fail(EPERM); }
int setpgid(pid_t pid, pid_t pgid)
{
    if ((pid != 0 && pid != BK_PID) || (pgid != 0 && pgid != BK_PID))
        return bk_fail(pid != 0 && pid != BK_PID ? ESRCH : EPERM);
    return 0;
}

uid_t getuid(void) { return 0; }
uid_t geteuid(void) { return 0; }
gid_t getgid(void) { return 0; }
gid_t getegid(void) { return 0; }
/* Only the one user exists: becoming root is a no-op, any other id does not exist. */
int setuid(uid_t uid) { return uid == 0 ? 0 : bk_fail(EINVAL); }
int seteuid(uid_t uid) { return uid == 0 ? 0 : bk_fail(EINVAL); }
int setgid(gid_t gid) { return gid == 0 ? 0 : bk_fail(EINVAL); }
int setegid(gid_t gid) { return gid == 0 ? 0 : bk_fail(EINVAL); }
int getgroups(int n, gid_t list[])
{
    (void)list;
    return n < 0 ? bk_fail(EINVAL) : 0;
}

/* bkport: stub: single-process kernel, no fork (ENOSYS) */
pid_t fork(void) { return bk_fail(ENOSYS); }
/* bkport: stub: single-process kernel, no fork (ENOSYS) */
pid_t vfork(void) { return bk_fail(ENOSYS); }
/* bkport: stub: single-process kernel, no exec (ENOSYS) */
int execve(const char *p, char *const a[], char *const e[])
{
    (void)p, (void)a, (void)e;
    return bk_fail(ENOSYS);
}
/* bkport: stub: single-process kernel, no exec (ENOSYS) */
int execv(const char *p, char *const a[])
{
    (void)p, (void)a;
    return bk_fail(ENOSYS);
}
/* bkport: stub: single-process kernel, no exec (ENOSYS) */
int execvp(const char *p, char *const a[])
{
    (void)p, (void)a;
    return bk_fail(ENOSYS);
}
/* bkport: stub: no child processes can exist (ECHILD) */
pid_t wait(int *status)
{
    (void)status;
    return bk_fail(ECHILD);
}
/* bkport: stub: no child processes can exist (ECHILD) */
pid_t waitpid(pid_t pid, int *status, int options)
{
    (void)pid, (void)status, (void)options;
    return bk_fail(ECHILD);
}

long sysconf(int name)
{
    switch (name) {
    case _SC_ARG_MAX: return 4096;
    case _SC_CHILD_MAX: return 1; /* the application itself */
    case _SC_CLK_TCK: return CLK_TCK;
    case _SC_NGROUPS_MAX: return 0;
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
    case _SC_HOST_NAME_MAX: return 64;
    case _SC_SEM_NSEMS_MAX: return -1; /* no limit besides memory (errno unchanged) */
    case _SC_SEM_VALUE_MAX: return 0x7fffffff;
    case _SC_THREAD_KEYS_MAX: return 64;
    /* <pthread.h>'s PTHREAD_STACK_MIN and PTHREAD_THREADS_MAX (written out: the host tests
     * build this file against the host's <pthread.h>) */
    case _SC_THREAD_STACK_MIN: return 4096;
    case _SC_THREAD_THREADS_MAX: return 64; /* created beside main: the kernel runs 65 */
    case _SC_THREAD_DESTRUCTOR_ITERATIONS: return 4;
    case _SC_VERSION:
    case _SC_THREADS:
    case _SC_THREAD_SAFE_FUNCTIONS:
    case _SC_TIMERS:
    case _SC_MONOTONIC_CLOCK:
    case _SC_CLOCK_SELECTION:
    case _SC_SEMAPHORES:
    case _SC_BARRIERS:
    case _SC_SPIN_LOCKS:
    case _SC_READER_WRITER_LOCKS:
    case _SC_TIMEOUTS:
    case _SC_THREAD_ATTR_STACKSIZE:
    case _SC_THREAD_ATTR_STACKADDR: return 200809L;
    case _SC_REALTIME_SIGNALS:
    case _SC_ASYNCHRONOUS_IO:
    case _SC_MAPPED_FILES:
    case _SC_SHARED_MEMORY_OBJECTS:
    case _SC_THREAD_PROCESS_SHARED: return -1; /* unsupported option: -1, errno unchanged */
    default:
        errno = EINVAL;
        return -1;
    }
}

static long pathconf_of(int name)
{
    switch (name) {
    case _PC_LINK_MAX: return 1;
    case _PC_NAME_MAX: return 255;
    case _PC_PATH_MAX: return 256;
    case _PC_PIPE_BUF: return 512;
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

#if defined(__aarch64__)
#define BK_MACHINE "aarch64"
#elif defined(__riscv)
#define BK_MACHINE "riscv64"
#else
#define BK_MACHINE "armv7m"
#endif

int uname(struct utsname *u)
{
    if (!u)
        return bk_fail(EFAULT);
    memset(u, 0, sizeof *u);
    strcpy(u->sysname, "BlueOS");
    strcpy(u->nodename, "bluekernel");
    strcpy(u->release, "bkport-0.1");
    strcpy(u->version, "BlueKernel ABI 1");
    strcpy(u->machine, BK_MACHINE);
    return 0;
}

int gethostname(char *name, size_t len)
{
    struct utsname u;
    (void)uname(&u);
    size_t n = strlen(u.nodename);
    if (len <= n)
        return bk_fail(ENAMETOOLONG);
    memcpy(name, u.nodename, n + 1);
    return 0;
}

size_t confstr(int name, char *buf, size_t len)
{
    const char *v;
    switch (name) {
    case _CS_PATH: v = "/bin:/usr/bin"; break;
    default:
        errno = EINVAL;
        return 0;
    }
    size_t n = strlen(v) + 1;
    if (buf && len) {
        size_t c = n < len ? n : len;
        memcpy(buf, v, c - 1);
        buf[c - 1] = '\0';
    }
    return n;
}

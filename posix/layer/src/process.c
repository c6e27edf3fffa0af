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
/* bkport: stub: single-process kernel, no exec (ENOSYS) */
int execl(const char *p, const char *arg0, ...)
{
    (void)p, (void)arg0;
    return bk_fail(ENOSYS);
}
/* bkport: stub: single-process kernel, no exec (ENOSYS) */
int execle(const char *p, const char *arg0, ...)
{
    (void)p, (void)arg0;
    return bk_fail(ENOSYS);
}
/* bkport: stub: single-process kernel, no exec (ENOSYS) */
int execlp(const char *f, const char *arg0, ...)
{
    (void)f, (void)arg0;
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

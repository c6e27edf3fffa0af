/* The single-process model: constant ids, one user, no children, and the errno POSIX prescribes
 * for what cannot exist (docs/layer.md). Also sysconf/pathconf, uname, isatty, environment. */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conform.h"

int main(int argc, char **argv)
{
    (void)argc;
    CHECK(getpid() > 0 && getpid() == getpid(), "getpid: getpid is positive and constant");
    CHECK(getuid() == 0 && geteuid() == 0 && getgid() == 0 && getegid() == 0, "getuid: one user: root");
    CHECK_ERR(fork(), ENOSYS, "fork: ENOSYS");
    char *args[] = { argv[0], NULL };
    CHECK_ERR(execv("/bin/sh", args), ENOSYS, "execv: ENOSYS");
    int st;
    CHECK_ERR(waitpid(-1, &st, 0), ECHILD, "waitpid: waitpid with no children: ECHILD");
    CHECK_ERR(wait(&st), ECHILD, "wait: wait with no children: ECHILD");
    CHECK(kill(getpid(), 0) == 0, "kill: kill(getpid(), 0): the process exists");
    CHECK_ERR(kill(4242, 0), ESRCH, "kill: kill of another pid: ESRCH");
    CHECK(setuid(0) == 0, "setuid: setuid(0) as root");
    CHECK(sysconf(_SC_PAGESIZE) > 0 && sysconf(_SC_CLK_TCK) > 0, "sysconf: sysconf page size and tick");
    CHECK(sysconf(_SC_OPEN_MAX) >= 8, "sysconf: sysconf _SC_OPEN_MAX");
    CHECK(sysconf(_SC_NPROCESSORS_ONLN) == 1, "sysconf: one processor");
    CHECK(sysconf(_SC_THREADS) > 0 && sysconf(_SC_SEMAPHORES) > 0, "sysconf: threads and semaphores");
    CHECK_ERR(sysconf(-12345), EINVAL, "sysconf: sysconf of an unknown name: EINVAL");
    CHECK(pathconf("/", _PC_NAME_MAX) >= 14, "pathconf: pathconf _PC_NAME_MAX");
    CHECK_ERR(pathconf("/nowhere", _PC_NAME_MAX), ENOENT, "pathconf: pathconf of a missing path: ENOENT");
    struct utsname u;
    CHECK(uname(&u) == 0 && strcmp(u.sysname, "BlueOS") == 0 && u.machine[0],
          "uname: sysname BlueOS and a machine");
    char host[80];
    CHECK(gethostname(host, sizeof host) == 0 && strcmp(host, u.nodename) == 0,
          "gethostname: gethostname is uname's nodename");
    int fd = open("/tty-test", O_WRONLY | O_CREAT, 0644);
    errno = 0;
    CHECK(isatty(fd) == 0 && errno == ENOTTY, "isatty: isatty of a file: 0, ENOTTY");
    close(fd);
    errno = 0;
    CHECK(isatty(99) == 0 && errno == EBADF, "isatty: isatty of a bad descriptor: 0, EBADF");
    const char *v = getenv("BKPORT_CONFORM");
    CHECK(v && strcmp(v, "yes") == 0, "getenv: the environment reaches getenv");
    CHECK(setenv("X_NEW", "1", 1) == 0 && getenv("X_NEW") && !strcmp(getenv("X_NEW"), "1"),
          "setenv: setenv/getenv");
    CONFORM_DONE();
}

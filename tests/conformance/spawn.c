/* <spawn.h> in one address space: attribute and file-action objects are built, read back and
 * destroyed as POSIX says (defaults, every setter's value, EINVAL for an unknown flag or policy,
 * EBADF for a descriptor out of range), and the spawn itself answers ENOSYS without touching
 * *pid (as exec: the stubs of the exclusion list). The conformance driver runs this as
 * `conform spawn`. */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

#include "conform.h"

extern char **environ;

int main(void)
{
    posix_spawnattr_t at;
    CHECK_RC(posix_spawnattr_init(&at), 0, "posix_spawnattr_init: a new attribute object");
    short flags = -1;
    pid_t pg = -1;
    int policy = -1;
    sigset_t set;
    sigfillset(&set);
    CHECK(posix_spawnattr_getflags(&at, &flags) == 0 && flags == 0,
          "posix_spawnattr_getflags: 0 by default");
    CHECK(posix_spawnattr_getpgroup(&at, &pg) == 0 && pg == 0,
          "posix_spawnattr_getpgroup: 0 by default");
    CHECK(posix_spawnattr_getsigmask(&at, &set) == 0 && !sigismember(&set, SIGUSR1),
          "posix_spawnattr_getsigmask: empty by default");
    CHECK(posix_spawnattr_getschedpolicy(&at, &policy) == 0 && policy == SCHED_OTHER,
          "posix_spawnattr_getschedpolicy: SCHED_OTHER by default");

    CHECK_RC(posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP), 0,
             "posix_spawnattr_setflags: SETSIGMASK|SETPGROUP");
    CHECK(posix_spawnattr_getflags(&at, &flags) == 0 &&
              flags == (POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP),
          "posix_spawnattr_getflags: reads them back");
    CHECK_RC(posix_spawnattr_setflags(&at, 0x4000), EINVAL,
             "posix_spawnattr_setflags: an unknown flag: EINVAL");
    CHECK_RC(posix_spawnattr_setpgroup(&at, 7), 0, "posix_spawnattr_setpgroup: 7");
    CHECK(posix_spawnattr_getpgroup(&at, &pg) == 0 && pg == 7,
          "posix_spawnattr_getpgroup: reads 7 back");
    CHECK_RC(posix_spawnattr_setschedpolicy(&at, SCHED_FIFO), 0,
             "posix_spawnattr_setschedpolicy: SCHED_FIFO");
    CHECK(posix_spawnattr_getschedpolicy(&at, &policy) == 0 && policy == SCHED_FIFO,
          "posix_spawnattr_getschedpolicy: reads SCHED_FIFO back");
    CHECK_RC(posix_spawnattr_setschedpolicy(&at, 12345), EINVAL,
             "posix_spawnattr_setschedpolicy: an unknown policy: EINVAL");
    struct sched_param sp = { .sched_priority = 5 }, got = { 0 };
    CHECK_RC(posix_spawnattr_setschedparam(&at, &sp), 0, "posix_spawnattr_setschedparam: 5");
    CHECK(posix_spawnattr_getschedparam(&at, &got) == 0 && got.sched_priority == 5,
          "posix_spawnattr_getschedparam: reads 5 back");
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, SIGRTMIN + 3);
    CHECK_RC(posix_spawnattr_setsigmask(&at, &set), 0, "posix_spawnattr_setsigmask: USR2, RTMIN+3");
    sigemptyset(&set);
    CHECK(posix_spawnattr_getsigmask(&at, &set) == 0 && sigismember(&set, SIGUSR2) &&
              sigismember(&set, SIGRTMIN + 3) && !sigismember(&set, SIGUSR1),
          "posix_spawnattr_getsigmask: reads both back, a realtime one too");
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    CHECK_RC(posix_spawnattr_setsigdefault(&at, &set), 0, "posix_spawnattr_setsigdefault: PIPE");
    sigemptyset(&set);
    CHECK(posix_spawnattr_getsigdefault(&at, &set) == 0 && sigismember(&set, SIGPIPE),
          "posix_spawnattr_getsigdefault: reads SIGPIPE back");

    posix_spawn_file_actions_t fa;
    CHECK_RC(posix_spawn_file_actions_init(&fa), 0, "posix_spawn_file_actions_init: new actions");
    char path[] = "/tmp/out";
    CHECK_RC(posix_spawn_file_actions_addopen(&fa, 1, path, O_WRONLY | O_CREAT, 0644), 0,
             "posix_spawn_file_actions_addopen: fd 1 to /tmp/out");
    path[0] = 'X'; /* the action holds its own copy */
    CHECK_RC(posix_spawn_file_actions_adddup2(&fa, 1, 2), 0, "posix_spawn_file_actions_adddup2: 1 to 2");
    CHECK_RC(posix_spawn_file_actions_addclose(&fa, 0), 0, "posix_spawn_file_actions_addclose: 0");
    for (int i = 3; i < 20; i++)
        posix_spawn_file_actions_addclose(&fa, i); /* the list grows */
    CHECK_RC(posix_spawn_file_actions_addclose(&fa, -1), EBADF,
             "posix_spawn_file_actions_addclose: -1: EBADF");
    CHECK_RC(posix_spawn_file_actions_adddup2(&fa, 1, 100000), EBADF,
             "posix_spawn_file_actions_adddup2: past OPEN_MAX: EBADF");
    CHECK_RC(posix_spawn_file_actions_addopen(&fa, -2, "/x", O_RDONLY, 0), EBADF,
             "posix_spawn_file_actions_addopen: -2: EBADF");
    CHECK_RC(posix_spawn_file_actions_addchdir(&fa, "/tmp"), 0,
             "posix_spawn_file_actions_addchdir: /tmp");
    CHECK_RC(posix_spawn_file_actions_addfchdir(&fa, 3), 0, "posix_spawn_file_actions_addfchdir: 3");

    pid_t pid = 4242;
    char *argv[] = { "true", NULL };
    CHECK_RC(posix_spawn(&pid, "/bin/true", &fa, &at, argv, environ), ENOSYS,
             "posix_spawn: ENOSYS: one address space");
    CHECK(pid == 4242, "posix_spawn: *pid untouched");
    CHECK_RC(posix_spawnp(&pid, "true", NULL, NULL, argv, environ), ENOSYS,
             "posix_spawnp: ENOSYS");
    CHECK_ERR(execl("/bin/true", "true", (char *)NULL), ENOSYS, "execl: ENOSYS");
    CHECK_ERR(execlp("true", "true", (char *)NULL), ENOSYS, "execlp: ENOSYS");
    CHECK_ERR(execle("/bin/true", "true", (char *)NULL, environ), ENOSYS, "execle: ENOSYS");

    CHECK_RC(posix_spawn_file_actions_destroy(&fa), 0, "posix_spawn_file_actions_destroy: frees");
    CHECK_RC(posix_spawnattr_destroy(&at), 0, "posix_spawnattr_destroy: frees");
    CHECK_RC(posix_spawnattr_setflags(&at, 0), EINVAL,
             "posix_spawnattr_setflags: a destroyed object: EINVAL");
    CONFORM_DONE();
}

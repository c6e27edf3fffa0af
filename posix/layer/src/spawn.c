/*
 * <spawn.h>. The attribute and file-action objects are real: a program builds them, reads them
 * back and frees them exactly as on a multi-process system, so code that prepares a spawn
 * compiles and runs up to the spawn itself. posix_spawn and posix_spawnp cannot start a second
 * program in BlueOS's one address space and answer ENOSYS (an error number, as POSIX's spawn
 * functions return; *pid is left alone), as fork and exec do (process.c).
 */
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define BK_SPAWN_FLAGS (POSIX_SPAWN_RESETIDS | POSIX_SPAWN_SETPGROUP |                     \
                        POSIX_SPAWN_SETSCHEDPARAM | POSIX_SPAWN_SETSCHEDULER |             \
                        POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
#define BK_FD_LIMIT 64 /* the kernel's descriptors (sysconf(_SC_OPEN_MAX)) */

struct __posix_spawnattr {
    short flags;
    pid_t pgroup;
    int policy;
    struct sched_param param;
    sigset_t sigdefault, sigmask;
};

enum { ACT_OPEN, ACT_CLOSE, ACT_DUP2, ACT_CHDIR, ACT_FCHDIR };

struct action {
    int kind, fd, newfd, oflag;
    mode_t mode;
    char *path;
};

struct __posix_spawn_file_actions {
    struct action *acts;
    size_t n, cap;
};

/* bkport: stub: one address space: no second program can be started (ENOSYS) */
int posix_spawn(pid_t *restrict pid, const char *restrict path,
                const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *restrict attr,
                char *const argv[], char *const envp[])
{
    (void)pid, (void)path, (void)fa, (void)attr, (void)argv, (void)envp;
    return ENOSYS;
}

/* bkport: stub: one address space: no second program can be started (ENOSYS) */
int posix_spawnp(pid_t *restrict pid, const char *restrict file,
                 const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *restrict attr,
                 char *const argv[], char *const envp[])
{
    (void)pid, (void)file, (void)fa, (void)attr, (void)argv, (void)envp;
    return ENOSYS;
}

int posix_spawnattr_init(posix_spawnattr_t *attr)
{
    struct __posix_spawnattr *a = calloc(1, sizeof *a);
    if (!a)
        return ENOMEM;
    a->policy = SCHED_OTHER;
    *attr = a;
    return 0;
}

int posix_spawnattr_destroy(posix_spawnattr_t *attr)
{
    if (!attr || !*attr)
        return EINVAL;
    free(*attr);
    *attr = NULL;
    return 0;
}

/* The attribute behind `attr`, NULL for one never initialised or already destroyed. */
static struct __posix_spawnattr *attr_of(const posix_spawnattr_t *attr)
{
    return attr ? *attr : NULL;
}

int posix_spawnattr_getflags(const posix_spawnattr_t *restrict attr, short *restrict flags)
{
    struct __posix_spawnattr *a = attr_of(attr);
    if (!a)
        return EINVAL;
    *flags = a->flags;
    return 0;
}

int posix_spawnattr_setflags(posix_spawnattr_t *attr, short flags)
{
    struct __posix_spawnattr *a = attr_of(attr);
    if (!a || (flags & ~BK_SPAWN_FLAGS))
        return EINVAL;
    a->flags = flags;
    return 0;
}

int posix_spawnattr_getpgroup(const posix_spawnattr_t *restrict attr, pid_t *restrict pgroup)
{
    struct __posix_spawnattr *a = attr_of(attr);
    if (!a)
        return EINVAL;
    *pgroup = a->pgroup;
    return 0;
}

int posix_spawnattr_setpgroup(posix_spawnattr_t *attr, pid_t pgroup)
{
    struct __posix_spawnattr *a = attr_of(attr);
    if (!a || pgroup < 0)
        return EINVAL;
    a->pgroup = pgroup;
    return 0;
}

int posix_spawnattr_getschedpolicy(const posix_spawnattr_t *restrict attr, int *restrict policy)
{
    struct __posix_spawnattr *a = attr_of(attr);
    if (!a)
        return EINVAL;
    *policy = a->policy;
    return 0;
}

int posix_spawnattr_setschedpolicy(posix_spawnattr_t *attr, int policy)
{
    struct __posix_spawnattr *a = attr_of(attr);
    if (!a)
        return EINVAL;
    switch (policy) {
    case SCHED_OTHER:
    case SCHED_FIFO:
    case SCHED_RR: a->policy = policy; return 0;
    default: return EINVAL;
    }
}

int posix_spawnattr_getschedparam(const posix_spawnattr_t *restrict attr,
                                  struct sched_param *restrict param)
{
    struct __posix_spawnattr *a = attr_of(attr);
    if (!a)
        return EINVAL;
    *param = a->param;
    return 0;
}

int posix_spawnattr_setschedparam(posix_spawnattr_t *restrict attr,
                                  const struct sched_param *restrict param)
{
    struct __posix_spawnattr *a = attr_of(attr);
    if (!a || !param)
        return EINVAL;
    a->param = *param;
    return 0;
}

int posix_spawnattr_getsigdefault(const posix_spawnattr_t *restrict attr,
                                  sigset_t *restrict set)
{
    struct __posix_spawnattr *a = attr_of(attr);
    if (!a)
        return EINVAL;
    *set = a->sigdefault;
    return 0;
}

int posix_spawnattr_setsigdefault(posix_spawnattr_t *restrict attr,
                                  const sigset_t *restrict set)
{
    struct __posix_spawnattr *a = attr_of(attr);
    if (!a || !set)
        return EINVAL;
    a->sigdefault = *set;
    return 0;
}

int posix_spawnattr_getsigmask(const posix_spawnattr_t *restrict attr, sigset_t *restrict set)
{
    struct __posix_spawnattr *a = attr_of(attr);
    if (!a)
        return EINVAL;
    *set = a->sigmask;
    return 0;
}

int posix_spawnattr_setsigmask(posix_spawnattr_t *restrict attr, const sigset_t *restrict set)
{
    struct __posix_spawnattr *a = attr_of(attr);
    if (!a || !set)
        return EINVAL;
    a->sigmask = *set;
    return 0;
}

int posix_spawn_file_actions_init(posix_spawn_file_actions_t *fa)
{
    struct __posix_spawn_file_actions *f = calloc(1, sizeof *f);
    if (!f)
        return ENOMEM;
    *fa = f;
    return 0;
}

int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *fa)
{
    if (!fa || !*fa)
        return EINVAL;
    struct __posix_spawn_file_actions *f = *fa;
    for (size_t i = 0; i < f->n; i++)
        free(f->acts[i].path);
    free(f->acts);
    free(f);
    *fa = NULL;
    return 0;
}

/* Append an action, the path copied (POSIX: the caller's string may change afterwards). */
static int add(posix_spawn_file_actions_t *fa, struct action act, const char *path)
{
    struct __posix_spawn_file_actions *f = fa ? *fa : NULL;
    if (!f)
        return EINVAL;
    if (f->n == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 4;
        struct action *grown = realloc(f->acts, cap * sizeof *grown);
        if (!grown)
            return ENOMEM;
        f->acts = grown;
        f->cap = cap;
    }
    if (path && !(act.path = strdup(path)))
        return ENOMEM;
    f->acts[f->n++] = act;
    return 0;
}

static int bad_fd(int fd)
{
    return fd < 0 || fd >= BK_FD_LIMIT;
}

int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *restrict fa, int fd,
                                     const char *restrict path, int oflag, mode_t mode)
{
    if (bad_fd(fd))
        return EBADF;
    return add(fa, (struct action){ ACT_OPEN, fd, -1, oflag, mode, NULL }, path);
}

int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *fa, int fd)
{
    if (bad_fd(fd))
        return EBADF;
    return add(fa, (struct action){ ACT_CLOSE, fd, -1, 0, 0, NULL }, NULL);
}

int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *fa, int fd, int newfd)
{
    if (bad_fd(fd) || bad_fd(newfd))
        return EBADF;
    return add(fa, (struct action){ ACT_DUP2, fd, newfd, 0, 0, NULL }, NULL);
}

int posix_spawn_file_actions_addchdir(posix_spawn_file_actions_t *restrict fa,
                                      const char *restrict path)
{
    return add(fa, (struct action){ ACT_CHDIR, -1, -1, 0, 0, NULL }, path);
}

int posix_spawn_file_actions_addfchdir(posix_spawn_file_actions_t *fa, int fd)
{
    if (bad_fd(fd))
        return EBADF;
    return add(fa, (struct action){ ACT_FCHDIR, fd, -1, 0, 0, NULL }, NULL);
}

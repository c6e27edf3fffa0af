/*
 * Program start and end. The validation kernel calls `app_main(argc, argv, envp)` on the app's
 * main thread with argv and the environment copied into app memory (kernel/src/user.rs); the
 * layer sets up the main thread's TLS (errno lives there), the thread registry, HOME when the
 * environment lacks it, and stdio, then runs the C program's main().
 */
#include <picolibc.h>
#include <picotls.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "tls.h"

char **environ;

/* The app's main: any of the standard forms (extra arguments are ignored by the callee). */
extern int main(int argc, char **argv, char **envp);

int app_main(int argc, char **argv, char **envp);
int app_main(int argc, char **argv, char **envp)
{
    static char *no_env[] = { NULL };
    environ = envp ? envp : no_env;
    void *tls = __bk_tls_alloc();
    if (!tls)
        _exit(127);
    _set_tls(tls);
    __bk_threads_init(tls);
    /* A shell or login sets HOME; the kernel starts the app directly, so a run whose caller
     * gave none gets what Linux gives the first process it starts: "/", which always exists
     * (no user has a home directory of their own on a one-user system). Programs that keep
     * dot-files or history there (sqlite3, lua -i) then find a directory instead of NULL.
     * picolibc's setenv copies the kernel's array before changing it. */
    if (!getenv("HOME"))
        (void)setenv("HOME", "/", 0);
    /* A process inherits its parent's umask; the kernel starts the app with no parent, so a
     * host that has one to pass (bkport validate: the test script's shell) passes it as
     * BKPORT_UMASK (octal), which is the host's business, not the app's environment. */
    const char *mask = getenv("BKPORT_UMASK");
    if (mask) {
        char *end;
        unsigned long m = strtoul(mask, &end, 8);
        if (*mask && !*end && m <= 0777)
            (void)umask((mode_t)m);
        (void)unsetenv("BKPORT_UMASK");
    }
    /* Registered first, so it runs last: output written by other atexit handlers is kept. */
    atexit(__bk_stdio_flush);
    exit(main(argc, argv, environ));
}

/* picolibc's exit() runs _fini() and its start-up would run _init(): the kernel's image has no
 * crti/crtn, so both are empty here (constructors in .init_array are not run). */
void _init(void);
void _init(void) {}
void _fini(void);
void _fini(void) {}

/* exit() is picolibc's (atexit handlers, then _exit). */
void _exit(int status)
{
    for (;;)
        (void)bk_syscall6(BK_NR_exit_process, status, 0, 0, 0, 0, 0);
}

void _Exit(int status)
{
    _exit(status);
}

/* The environment of a run: HOME is set when the caller gave none, to "/", a directory that
 * exists (Linux gives its first process the same), the caller's variables are kept, and /tmp is
 * a world-writable sticky directory a program can use. The conformance driver passes only
 * BKPORT_CONFORM=yes. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conform.h"

extern char **environ;

int main(void)
{
    const char *home = getenv("HOME");
    struct stat st;
    CHECK(home != NULL, "getenv: getenv(\"HOME\") is set");
    CHECK(home && !strcmp(home, "/"), "getenv: HOME is \"/\" when the caller gave none");
    CHECK(home && stat(home, &st) == 0 && S_ISDIR(st.st_mode), "stat: HOME names a directory");
    int in_environ = 0, conform = 0, homes = 0;
    for (char **e = environ; *e; e++) {
        in_environ |= !strcmp(*e, "HOME=/");
        conform |= !strcmp(*e, "BKPORT_CONFORM=yes");
        homes += !strncmp(*e, "HOME=", 5);
    }
    CHECK(in_environ && homes == 1, "environ: environ holds HOME=/ once");
    CHECK(conform, "getenv: the caller's variables are kept");

    char cwd[64];
    CHECK(home && chdir(home) == 0 && getcwd(cwd, sizeof cwd) && !strcmp(cwd, "/"),
          "chdir: chdir(HOME)");
    CHECK(setenv("HOME", "/tmp", 1) == 0 && !strcmp(getenv("HOME"), "/tmp"),
          "setenv: a program may change HOME");

    CHECK(stat("/tmp", &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 01777) == 01777,
          "stat: /tmp is a directory, mode 1777");
    int fd = open("/tmp/home-check", O_RDWR | O_CREAT | O_EXCL, 0600);
    CHECK(fd >= 0 && write(fd, "x", 1) == 1 && close(fd) == 0 && unlink("/tmp/home-check") == 0,
          "open: a file can be made in /tmp");
    CONFORM_DONE();
}

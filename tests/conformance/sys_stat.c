/* <sys/stat.h> and the path calls of <unistd.h>: stat/fstat contents, mkdir/rmdir/unlink/
 * rename/link, the working directory, access, and their errno values. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conform.h"

int main(void)
{
    struct stat st;
    char cwd[64];
    CHECK(mkdir("/d", 0755) == 0, "mkdir: mkdir");
    CHECK_ERR(mkdir("/d", 0755), EEXIST, "mkdir: mkdir of an existing directory: EEXIST");
    CHECK_ERR(mkdir("/nope/d", 0755), ENOENT, "mkdir: mkdir under a missing directory: ENOENT");
    CHECK(stat("/d", &st) == 0 && S_ISDIR(st.st_mode), "stat: S_ISDIR");
    int fd = open("/d/f", O_WRONLY | O_CREAT, 0644);
    CHECK(fd >= 0 && write(fd, "12345", 5) == 5, "write: create a 5-byte file");
    CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 5,
          "fstat: regular file of 5 bytes");
    close(fd);
    CHECK(stat("/d/f", &st) == 0 && st.st_size == 5 && st.st_nlink == 1,
          "stat: size and one link");
    CHECK(lstat("/d/f", &st) == 0 && S_ISREG(st.st_mode), "lstat: lstat of a regular file");
    CHECK_ERR(stat("/d/missing", &st), ENOENT, "stat: stat of a missing file: ENOENT");
    CHECK_ERR(stat("/d/f/x", &st), ENOTDIR, "stat: stat through a file: ENOTDIR");
    CHECK_ERR(rmdir("/d"), ENOTEMPTY, "rmdir: rmdir of a non-empty directory: ENOTEMPTY");
    CHECK(rename("/d/f", "/d/g") == 0, "rename: rename");
    CHECK_ERR(stat("/d/f", &st), ENOENT, "stat: old name gone after rename");
    CHECK(stat("/d/g", &st) == 0 && st.st_size == 5, "stat: new name has the data");
    CHECK_ERR(rename("/d/missing", "/d/h"), ENOENT, "rename: rename of a missing file: ENOENT");
    CHECK(link("/d/g", "/d/h") == 0, "link: link");
    CHECK(stat("/d/g", &st) == 0 && st.st_nlink == 2, "stat: two links after link");
    CHECK_ERR(link("/d/g", "/d/h"), EEXIST, "link: link onto an existing name: EEXIST");
    CHECK(unlink("/d/h") == 0 && stat("/d/g", &st) == 0 && st.st_nlink == 1,
          "unlink: unlink drops one link");
    CHECK_ERR(unlink("/d/h"), ENOENT, "unlink: unlink of a missing name: ENOENT");
    CHECK(access("/d/g", F_OK) == 0 && access("/d/g", R_OK | W_OK) == 0, "access: access F_OK/R_OK/W_OK");
    CHECK_ERR(access("/d/none", F_OK), ENOENT, "access: access of a missing file: ENOENT");
    CHECK(chdir("/d") == 0, "chdir: chdir");
    CHECK(getcwd(cwd, sizeof cwd) == cwd && strcmp(cwd, "/d") == 0, "getcwd: getcwd after chdir");
    CHECK(stat("g", &st) == 0 && st.st_size == 5, "stat: relative path resolves from the cwd");
    errno = 0;
    CHECK(getcwd(cwd, 2) == NULL && errno == ERANGE, "getcwd: getcwd into a too small buffer: ERANGE");
    CHECK_ERR(chdir("/d/g"), ENOTDIR, "chdir: chdir to a file: ENOTDIR");
    CHECK(chdir("/") == 0, "chdir: chdir back to /");
    CHECK(unlink("/d/g") == 0 && rmdir("/d") == 0, "unlink: rmdir of an emptied directory");
    CHECK_ERR(rmdir("/d"), ENOENT, "rmdir: rmdir of a missing directory: ENOENT");
    CHECK(umask(077) == 022 && umask(022) == 077, "umask: umask returns the previous mask");
    CONFORM_DONE();
}

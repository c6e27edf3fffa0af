/* symlink(), readlink(), lstat(): symbolic links as POSIX describes them (XBD 4.13 pathname
 * resolution: links are followed except where an interface says otherwise). */
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conform.h"

static int write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, text, strlen(text));
    close(fd);
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

static unsigned char dtype_of(const char *dir, const char *name)
{
    DIR *d = opendir(dir);
    unsigned char t = 255;
    struct dirent *e;
    if (!d)
        return t;
    while ((e = readdir(d)) != NULL)
        if (!strcmp(e->d_name, name))
            t = e->d_type;
    closedir(d);
    return t;
}

int main(void)
{
    char buf[64];
    struct stat st, lst;
    CHECK(mkdir("/sl", 0755) == 0, "mkdir: mkdir /sl");
    CHECK(write_file("/sl/target", "hello") == 0, "symlink: create the target");

    /* symlink + readlink: the target is stored as given; readlink returns its length, no NUL */
    CHECK(symlink("target", "/sl/link") == 0, "symlink: symlink(target, link)");
    memset(buf, 'X', sizeof buf);
    CHECK(readlink("/sl/link", buf, sizeof buf) == 6, "readlink: readlink returns the target's length");
    CHECK(memcmp(buf, "target", 6) == 0 && buf[6] == 'X', "readlink: readlink copies the target, no NUL");
    CHECK(readlink("/sl/link", buf, 3) == 3 && memcmp(buf, "tar", 3) == 0,
          "readlink: readlink truncates to the buffer size");
    CHECK_ERR(readlink("/sl/target", buf, sizeof buf), EINVAL, "readlink: readlink of a regular file");
    CHECK_ERR(readlink("/sl/none", buf, sizeof buf), ENOENT, "readlink: readlink of a missing name");

    CHECK(symlinkat("target", AT_FDCWD, "/sl/at") == 0, "symlinkat: symlinkat with AT_FDCWD");
    CHECK(readlinkat(AT_FDCWD, "/sl/at", buf, sizeof buf) == 6, "readlinkat: readlinkat with AT_FDCWD");
    CHECK(unlink("/sl/at") == 0, "unlink: unlink the symlinkat link");

    /* lstat describes the link, stat what it names */
    CHECK(lstat("/sl/link", &lst) == 0 && S_ISLNK(lst.st_mode), "lstat: S_ISLNK");
    CHECK(lst.st_size == 6, "lstat: st_size is the target's length");
    CHECK(stat("/sl/link", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 5,
          "stat: stat follows the link to the regular file");
    CHECK(lstat("/sl/target", &st) == 0 && S_ISREG(st.st_mode), "lstat: lstat of a non-link is stat");

    /* open through the link reads the target */
    int fd = open("/sl/link", O_RDONLY);
    CHECK(fd >= 0, "open: open through the link");
    memset(buf, 0, sizeof buf);
    CHECK(read(fd, buf, sizeof buf) == 5 && !strcmp(buf, "hello"), "read: reads the target's data");
    close(fd);

    /* links in a non-final component, absolute targets */
    CHECK(symlink("/sl", "/sldir") == 0, "symlink: symlink to a directory (absolute target)");
    CHECK(stat("/sldir/target", &st) == 0 && st.st_size == 5, "stat: a directory link is followed mid-path");
    CHECK_ERR(rmdir("/sldir"), ENOTDIR, "rmdir: rmdir of a link to a directory");

    /* a dangling link */
    CHECK(symlink("missing", "/sl/dangling") == 0, "symlink: symlink to a missing name");
    CHECK_ERR(stat("/sl/dangling", &st), ENOENT, "stat: stat of a dangling link");
    CHECK(lstat("/sl/dangling", &st) == 0 && S_ISLNK(st.st_mode), "lstat: lstat of a dangling link");

    /* a cycle */
    CHECK(symlink("/sl/b", "/sl/a") == 0 && symlink("/sl/a", "/sl/b") == 0, "symlink: a 2-link cycle");
    CHECK_ERR(stat("/sl/a", &st), ELOOP, "stat: stat through a cycle: ELOOP");
    CHECK_ERR(open("/sl/a", O_RDONLY), ELOOP, "open: open through a cycle: ELOOP");

    /* creating over an existing name */
    CHECK_ERR(symlink("x", "/sl/target"), EEXIST, "symlink: symlink over a file");
    CHECK_ERR(symlink("x", "/sl/link"), EEXIST, "symlink: symlink over a link");
    CHECK_ERR(symlink("x", "/sl/dangling"), EEXIST, "symlink: symlink over a dangling link");

    /* d_type */
    CHECK(dtype_of("/sl", "link") == DT_LNK, "readdir: d_type DT_LNK for a link");
    CHECK(dtype_of("/sl", "target") == DT_REG, "readdir: d_type DT_REG for the target");

    /* rename moves the link, not the target */
    CHECK(rename("/sl/link", "/sl/moved") == 0, "rename: rename a link");
    CHECK(readlink("/sl/moved", buf, sizeof buf) == 6, "readlink: the renamed link keeps its target");
    CHECK(lstat("/sl/link", &st) == -1 && errno == ENOENT, "lstat: the old name is gone");
    CHECK(stat("/sl/target", &st) == 0 && st.st_size == 5, "stat: the target is untouched by rename");

    /* unlink removes the link, not the target */
    CHECK(unlink("/sl/moved") == 0, "unlink: unlink the link");
    CHECK(lstat("/sl/moved", &st) == -1 && errno == ENOENT, "lstat: the link is gone");
    CHECK(stat("/sl/target", &st) == 0 && st.st_size == 5, "stat: the target is still there");
    CHECK(unlink("/sl/dangling") == 0 && unlink("/sl/a") == 0 && unlink("/sl/b") == 0 &&
              unlink("/sldir") == 0 && unlink("/sl/target") == 0 && rmdir("/sl") == 0,
          "unlink: clean up");
    return conform_failed;
}

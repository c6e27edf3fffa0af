/* Hard links: link() makes a second name of one file, and stat, fstat, lstat and readdir agree on
 * it (one st_ino, st_nlink counting the names), a write through one name shows through the other,
 * unlink drops one name and the data lives while a name or a descriptor remains; link() of a
 * symbolic link links the link itself (as Linux), and directories cannot be linked. */
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conform.h"

static ino_t dirent_ino(const char *dir, const char *name)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    ino_t ino = 0;
    while (d && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, name) == 0)
            ino = e->d_ino;
    if (d)
        closedir(d);
    return ino;
}

int main(void)
{
    struct stat a, b, c;
    char buf[16] = {0};
    CHECK(mkdir("/hl", 0755) == 0 && mkdir("/hl/sub", 0755) == 0, "mkdir: mkdir");
    int fd = open("/hl/a", O_WRONLY | O_CREAT | O_EXCL, 0640);
    CHECK(fd >= 0 && write(fd, "one", 3) == 3, "write: write a new file");
    CHECK(link("/hl/a", "/hl/sub/b") == 0, "link: a second name in another directory");
    CHECK(stat("/hl/a", &a) == 0 && stat("/hl/sub/b", &b) == 0, "stat: stat both names");
    CHECK(a.st_ino == b.st_ino && a.st_dev == b.st_dev, "stat: both names have one st_ino");
    CHECK(a.st_nlink == 2 && b.st_nlink == 2, "stat: st_nlink counts both names");
    CHECK((b.st_mode & 07777) == 0640 && b.st_size == 3, "stat: one mode and size");
    CHECK(fstat(fd, &c) == 0 && c.st_ino == a.st_ino && c.st_nlink == 2,
          "fstat: the open file is the linked inode");
    CHECK(lstat("/hl/sub/b", &c) == 0 && c.st_ino == a.st_ino, "lstat: same inode");
    CHECK(dirent_ino("/hl", "a") == a.st_ino && dirent_ino("/hl/sub", "b") == a.st_ino,
          "readdir: d_ino is st_ino for both names");
    CHECK(write(fd, "+two", 4) == 4 && close(fd) == 0, "write: append through the first name");
    fd = open("/hl/sub/b", O_RDONLY);
    CHECK(fd >= 0 && read(fd, buf, sizeof buf - 1) == 7 && strcmp(buf, "one+two") == 0,
          "read: the second name shows the write");
    CHECK(unlink("/hl/a") == 0, "unlink: unlink the first name");
    CHECK(stat("/hl/sub/b", &b) == 0 && b.st_nlink == 1 && b.st_ino == a.st_ino,
          "stat: one name left, same inode");
    CHECK(unlink("/hl/sub/b") == 0, "unlink: unlink the last name");
    CHECK(fstat(fd, &c) == 0 && c.st_nlink == 0 && lseek(fd, 0, SEEK_SET) == 0
          && read(fd, buf, 3) == 3 && memcmp(buf, "one", 3) == 0,
          "fstat: an open file without names keeps its data, st_nlink 0");
    close(fd);
    CHECK_ERR(link("/hl/missing", "/hl/x"), ENOENT, "link: link of a missing file: ENOENT");
    CHECK_ERR(link("/hl/sub", "/hl/dirlink"), EPERM, "link: link of a directory: EPERM");
    fd = open("/hl/f", O_WRONLY | O_CREAT, 0644);
    close(fd);
    CHECK_ERR(link("/hl/f", "/hl/sub"), EEXIST, "link: onto an existing name: EEXIST");
    CHECK(symlink("f", "/hl/soft") == 0 && link("/hl/soft", "/hl/soft2") == 0,
          "link: link of a symbolic link");
    CHECK(lstat("/hl/soft2", &c) == 0 && S_ISLNK(c.st_mode) && c.st_nlink == 2,
          "lstat: the new name is the link itself, not its target");
    CHECK(stat("/hl/f", &c) == 0 && c.st_nlink == 1, "stat: the link's target keeps one name");
    return conform_failed;
}

/* <dirent.h>: directory listings follow creation and removal of entries. */
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conform.h"

static int count(const char *dir, const char *want, int *seen_dots)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0, found = 0;
    struct dirent *e;
    *seen_dots = 0;
    errno = 0;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) {
            (*seen_dots)++;
            continue;
        }
        n++;
        if (want && !strcmp(e->d_name, want))
            found = 1;
    }
    int err = errno;
    closedir(d);
    if (err)
        return -2;
    return want && !found ? -3 : n;
}

int main(void)
{
    int dots;
    CHECK(mkdir("/list", 0755) == 0, "mkdir: mkdir /list");
    CHECK(count("/list", NULL, &dots) == 0, "readdir: a new directory lists no entries");
    char name[32];
    for (int i = 0; i < 20; i++) {
        snprintf(name, sizeof name, "/list/file%02d", i);
        int fd = open(name, O_WRONLY | O_CREAT, 0644);
        close(fd);
    }
    CHECK(count("/list", "file07", &dots) == 20, "readdir: 20 entries after creating 20 files");
    CHECK(unlink("/list/file07") == 0, "unlink: unlink one");
    CHECK(count("/list", "file07", &dots) == -3, "readdir: the unlinked name is not listed");
    CHECK(count("/list", NULL, &dots) == 19, "unlink: 19 entries after the unlink");
    CHECK(mkdir("/list/sub", 0755) == 0, "mkdir: mkdir a subdirectory");
    DIR *d = opendir("/list");
    struct dirent *e;
    int subtype = -1, first = 0;
    while ((e = readdir(d)) != NULL)
        if (!strcmp(e->d_name, "sub"))
            subtype = e->d_type;
    CHECK(subtype == DT_DIR, "readdir: d_type of a subdirectory is DT_DIR");
    rewinddir(d);
    while ((e = readdir(d)) != NULL)
        first++;
    CHECK(first == 20 + dots, "rewinddir: rewinddir lists everything again");
    CHECK(dirfd(d) >= 0, "dirfd: dirfd");
    CHECK(closedir(d) == 0, "closedir: closedir");
    errno = 0;
    CHECK(opendir("/nowhere") == NULL && errno == ENOENT, "opendir: opendir of a missing path: ENOENT");
    errno = 0;
    CHECK(opendir("/list/file01") == NULL && errno == ENOTDIR, "opendir: opendir of a file: ENOTDIR");
    CONFORM_DONE();
}

/* Files in and out of a run (tests/kernel/test_files_in_out.py): the host passes `a` and `b`,
 * two names of one file, and `c` alone, with known modification times, in the working
 * directory. The app checks that the RAM file system made one inode of a and b (st_ino, st_nlink,
 * a write through one name seen through the other) and kept the times, then links c to `d`,
 * gives c a time of its own and makes `new` + `new2`; the host checks what comes back.
 * Prints one line per failed check and exits with their count. */
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failed;

#define CHECK(cond, what)                      \
    do {                                       \
        if (!(cond)) {                         \
            printf("FAIL: %s\n", what);        \
            failed++;                          \
        }                                      \
    } while (0)

int main(int argc, char **argv)
{
    struct stat sa, sb, sc;
    long a_time = argc > 1 ? atol(argv[1]) : 0;
    long c_time = argc > 2 ? atol(argv[2]) : 0;
    CHECK(stat("a", &sa) == 0 && stat("b", &sb) == 0 && stat("c", &sc) == 0, "stat a, b, c");
    CHECK(sa.st_ino == sb.st_ino && sa.st_ino != sc.st_ino, "a and b are one inode, c another");
    CHECK(sa.st_nlink == 2 && sb.st_nlink == 2 && sc.st_nlink == 1, "st_nlink 2, 2, 1");
    CHECK(sa.st_mtime == a_time && sa.st_atime == a_time, "a's mtime and atime as sent");
    CHECK(sc.st_mtime == c_time, "c's mtime as sent");
    CHECK((sa.st_mode & 07777) == 0741, "a's mode as sent");

    int fd = open("a", O_WRONLY | O_APPEND);
    CHECK(fd >= 0 && write(fd, "+more", 5) == 5 && close(fd) == 0, "append through a");
    char buf[32] = {0};
    fd = open("b", O_RDONLY);
    CHECK(fd >= 0 && read(fd, buf, sizeof buf - 1) == 11 && close(fd) == 0, "read b");
    CHECK(strcmp(buf, "linked+more") == 0, "b shows what was written through a");

    CHECK(link("c", "d") == 0, "link c d");
    struct timespec t[2] = {{1234567890, 0}, {1234567890, 0}};
    CHECK(utimensat(AT_FDCWD, "c", t, 0) == 0, "utimensat c");
    CHECK(stat("d", &sc) == 0 && sc.st_mtime == 1234567890 && sc.st_nlink == 2,
          "d is c: its time and two links");

    fd = open("new", O_WRONLY | O_CREAT | O_EXCL, 0640);
    CHECK(fd >= 0 && write(fd, "fresh", 5) == 5 && close(fd) == 0, "create new");
    CHECK(link("new", "new2") == 0, "link new new2");
    printf("%d failed\n", failed);
    return failed;
}

/* fflush(NULL) and exit() reach the streams fopen() and fdopen() made, not only the standard
 * ones: tinystdio keeps no list of them, and sed's `w FILE` (written, never fclose'd) was empty
 * after sed exited. fflush(NULL) is checked here; exit() flushes through the same list (busybox's
 * sed 's///w FILE' case checks that end). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "conform.h"

/* What the file holds now, through a descriptor of its own (not the stream). */
static long on_disk(const char *path, char *buf, long n)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    long got = (long)read(fd, buf, (size_t)n);
    close(fd);
    return got;
}

int main(void)
{
    char buf[64];
    FILE *a = fopen("/tmp/flush_a", "w");
    int fd = open("/tmp/flush_b", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    FILE *b = fd >= 0 ? fdopen(fd, "w") : NULL;
    CHECK(a && b, "fflush(NULL): fopen and fdopen streams open");
    if (!a || !b)
        return conform_failed;
    fputs("alpha\n", a);
    fputs("beta\n", b);
    CHECK(on_disk("/tmp/flush_a", buf, sizeof buf) == 0,
          "fflush(NULL): a short write stays in the stream's buffer until a flush");
    CHECK(fflush(NULL) == 0, "fflush(NULL): returns 0");
    CHECK(on_disk("/tmp/flush_a", buf, sizeof buf) == 6 && memcmp(buf, "alpha\n", 6) == 0,
          "fflush(NULL): flushes a stream fopen() made");
    CHECK(on_disk("/tmp/flush_b", buf, sizeof buf) == 5 && memcmp(buf, "beta\n", 5) == 0,
          "fflush(NULL): flushes a stream fdopen() made");
    CHECK(fclose(a) == 0 && fclose(b) == 0, "fflush(NULL): both streams close");
    /* a closed stream has left the list: fflush(NULL) must not touch its freed memory */
    FILE *c = fopen("/tmp/flush_c", "w");
    CHECK(c != NULL, "fflush(NULL): a third stream opens after two closed");
    fputs("gamma", c);
    CHECK(fflush(NULL) == 0 && on_disk("/tmp/flush_c", buf, sizeof buf) == 5,
          "fflush(NULL): after fclose of others, flushes the stream still open");
    fclose(c);
    return conform_failed;
}

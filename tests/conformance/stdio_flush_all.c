/* fflush(NULL) and exit() reach the streams fopen() and fdopen() made, not only the standard
 * ones: tinystdio keeps no list of them, and sed's `w FILE` (written, never fclose'd) was empty
 * after sed exited. fflush(NULL) is checked here; exit() flushes through the same list (busybox's
 * sed 's///w FILE' case checks that end). A stream closed in any way leaves the list. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
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
    /* sqlite's .import closes its file through a pointer to fclose: the stream must leave the
     * list all the same, or exit flushes it through memory malloc has handed out again */
    int (*closer)(FILE *) = fclose;
    FILE *d = fopen("/tmp/flush_d", "w");
    CHECK(d != NULL, "fflush(NULL): a stream to close through a pointer to fclose opens");
    if (!d)
        return conform_failed;
    fputs("delta", d);
    CHECK(closer(d) == 0 && on_disk("/tmp/flush_d", buf, sizeof buf) == 5,
          "fflush(NULL): fclose through a pointer flushes and closes the stream");
    void *reuse[32];
    for (size_t i = 0; i < 32; i++) {
        reuse[i] = malloc(16 + 32 * i);
        if (reuse[i])
            memset(reuse[i], 0xa5, 16 + 32 * i);
    }
    CHECK(fflush(NULL) == 0,
          "fflush(NULL): a stream closed through a pointer to fclose is no longer flushed");
    for (size_t i = 0; i < 32; i++)
        free(reuse[i]);
    return conform_failed;
}

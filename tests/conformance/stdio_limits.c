/* ISO C's <stdio.h> limits: FILENAME_MAX is the size of a buffer for the longest name fopen()
 * can open (one that long is created and read back), FOPEN_MAX streams can be open at once
 * (the three standard streams among them) and sysconf(_SC_STREAM_MAX) agrees. */
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conform.h"

static char name[FILENAME_MAX];

int main(void)
{
    CHECK(FILENAME_MAX >= 256, "fopen: FILENAME_MAX is at least POSIX's _POSIX_PATH_MAX (256)");
    CHECK(FOPEN_MAX >= 8, "fopen: FOPEN_MAX is at least 8 (ISO C)");
    CHECK(sysconf(_SC_STREAM_MAX) == FOPEN_MAX, "sysconf: sysconf(_SC_STREAM_MAX) is FOPEN_MAX");

    /* The longest name: directories of 200-byte names under /tmp, then a file whose name makes
     * the whole path FILENAME_MAX - 1 bytes (the last byte of the buffer is the NUL). */
    size_t len = (size_t)snprintf(name, sizeof name, "/tmp/fnmax");
    int made = mkdir(name, 0755) == 0;
    while (made && len + 1 + 200 + 1 + 1 < FILENAME_MAX - 1) {
        name[len++] = '/';
        memset(name + len, 'd', 200);
        len += 200;
        name[len] = '\0';
        made = mkdir(name, 0755) == 0;
    }
    CHECK(made, "fopen: directories for the longest path");
    size_t last = FILENAME_MAX - 1 - len - 1;
    name[len] = '/';
    memset(name + len + 1, 'f', last);
    name[FILENAME_MAX - 1] = '\0';
    CHECK(strlen(name) == FILENAME_MAX - 1 && last <= NAME_MAX, "fopen: a path of FILENAME_MAX - 1 bytes");
    FILE *f = fopen(name, "w");
    CHECK(f && fputs("longest\n", f) >= 0 && fclose(f) == 0, "fputs: fopen(\"w\") of that path");
    char line[16] = "";
    f = fopen(name, "r");
    CHECK(f && fgets(line, sizeof line, f) && !strcmp(line, "longest\n") && fclose(f) == 0,
          "fgets: read it back");
    CHECK(unlink(name) == 0, "unlink: unlink it");

    FILE *open_[FOPEN_MAX];
    int opened = 0;
    for (int i = 0; i < FOPEN_MAX - 3; i++) {
        char p[32];
        snprintf(p, sizeof p, "/tmp/stream%d", i);
        open_[i] = fopen(p, "w+");
        if (open_[i])
            opened++;
    }
    CHECK(opened == FOPEN_MAX - 3, "open: FOPEN_MAX streams open at once with stdin/stdout/stderr");
    int ok = 1;
    for (int i = 0; i < opened; i++) {
        char p[32];
        ok &= fprintf(open_[i], "%d", i) > 0 && fclose(open_[i]) == 0;
        snprintf(p, sizeof p, "/tmp/stream%d", i);
        unlink(p);
    }
    CHECK(ok, "fopen: each of them writes and closes");
    CONFORM_DONE();
}

/* fgets() returns a last line that has no newline before the end of the file (C: NULL only when
 * no character was read). tinystdio's answered NULL there and the line was lost (busybox rev). */
#include <stdio.h>
#include <string.h>

#include "conform.h"

int main(void)
{
    char buf[16];
    FILE *f = fopen("/tmp/fgets_eof", "w");
    CHECK(f != NULL, "fgets: create the file");
    if (!f)
        return conform_failed;
    fputs("one\n\nthree", f);
    fclose(f);
    f = fopen("/tmp/fgets_eof", "r");
    CHECK(f != NULL, "fgets: open it for reading");
    if (!f)
        return conform_failed;
    CHECK(fgets(buf, sizeof buf, f) == buf && strcmp(buf, "one\n") == 0, "fgets: a full line");
    CHECK(fgets(buf, sizeof buf, f) == buf && strcmp(buf, "\n") == 0, "fgets: an empty line");
    CHECK(fgets(buf, sizeof buf, f) == buf && strcmp(buf, "three") == 0,
          "fgets: the last line without a newline");
    CHECK(feof(f), "fgets: the end-of-file indicator is set after it");
    CHECK(fgets(buf, sizeof buf, f) == NULL, "fgets: NULL at the end of the file");
    fclose(f);
    f = fopen("/tmp/fgets_eof", "r");
    CHECK(f && fgets(buf, 3, f) == buf && strcmp(buf, "on") == 0,
          "fgets: stops at size - 1 bytes and terminates them");
    if (f)
        fclose(f);
    return conform_failed;
}

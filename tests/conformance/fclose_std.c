/* fclose() of the standard streams: it flushes and closes the stream's descriptor and leaves the
 * heap alone (the streams are static: freeing one corrupted the heap on most boards and faulted
 * on the AN547). zlib's minigzip closes stdin this way. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "conform.h"

static int heap_round_trip(void)
{
    /* many blocks of several sizes: a heap a bad free() corrupted fails here */
    void *p[64];
    for (int i = 0; i < 64; i++) {
        p[i] = malloc((size_t)(16 + i * 40));
        if (!p[i])
            return 0;
        memset(p[i], i, (size_t)(16 + i * 40));
    }
    for (int i = 0; i < 64; i += 2)
        free(p[i]);
    for (int i = 1; i < 64; i += 2) {
        unsigned char *b = p[i];
        if (b[0] != (unsigned char)i || b[15 + i * 40] != (unsigned char)i)
            return 0;
        free(p[i]);
    }
    return 1;
}

int main(void)
{
    char c;
    CHECK(fclose(stdin) == 0, "fclose: fclose(stdin) succeeds");
    CHECK_ERR(read(0, &c, 1), EBADF, "fclose: descriptor 0 is closed after fclose(stdin)");
    CHECK(heap_round_trip(), "fclose: the heap is intact after fclose(stdin)");
    int fd = dup(1);
    CHECK(fd == 0, "fclose: the lowest descriptor, 0, is free again for dup()");
    return conform_failed;
}

/* picolibc's stdio over the layer's descriptors, and <stdlib.h> memory over the kernel heap. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conform.h"

int main(void)
{
    FILE *f = fopen("/stdio.txt", "w");
    CHECK(f != NULL, "fopen: fopen for writing");
    CHECK(fprintf(f, "line %d\nsecond\n", 1) == 14, "fprintf: fprintf");
    CHECK(fclose(f) == 0, "fclose: fclose flushes");
    f = fopen("/stdio.txt", "r");
    char line[32];
    CHECK(f && fgets(line, sizeof line, f) && !strcmp(line, "line 1\n"), "fgets: fgets reads a line");
    CHECK(fgets(line, sizeof line, f) && !strcmp(line, "second\n"), "fgets: fgets the second line");
    CHECK(fgets(line, sizeof line, f) == NULL && feof(f), "fgets: end of file sets feof");
    CHECK(fseek(f, 5, SEEK_SET) == 0 && fgetc(f) == '1', "fseek: fseek then fgetc");
    fclose(f);
    errno = 0;
    CHECK(fopen("/no/such", "r") == NULL && errno == ENOENT, "fopen: fopen of a missing file: ENOENT");
    CHECK(remove("/stdio.txt") == 0 && fopen("/stdio.txt", "r") == NULL, "remove: remove");

    char *p = malloc(100);
    CHECK(p != NULL, "malloc: malloc");
    memset(p, 'x', 100);
    p = realloc(p, 4000);
    CHECK(p && p[0] == 'x' && p[99] == 'x', "realloc: realloc keeps the contents");
    free(p);
    int *z = calloc(256, sizeof(int));
    int zero = 1;
    for (int i = 0; z && i < 256; i++)
        zero &= z[i] == 0;
    CHECK(z && zero, "calloc: calloc zeroes");
    free(z);
    void *a = NULL;
    CHECK(posix_memalign(&a, 256, 100) == 0 && ((uintptr_t)a & 255) == 0,
          "posix_memalign: posix_memalign to 256 bytes");
    free(a);
    CHECK(posix_memalign(&a, 3, 100) == EINVAL, "posix_memalign: posix_memalign with a bad alignment: EINVAL");
    errno = 0;
    CHECK(malloc((size_t)-64) == NULL && errno == ENOMEM, "malloc: an impossible malloc: NULL, ENOMEM");
    void *blocks[64];
    int okc = 1;
    for (int i = 0; i < 64; i++)
        okc &= (blocks[i] = malloc(1024)) != NULL;
    for (int i = 0; i < 64; i++)
        free(blocks[i]);
    CHECK(okc, "malloc: 64 KiB in 1 KiB blocks, freed");
    fprintf(stderr, "# stderr works\n");
    CONFORM_DONE();
}

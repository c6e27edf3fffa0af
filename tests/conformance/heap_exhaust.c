/* Memory running out under many small blocks: malloc of 16-byte blocks until it answers NULL
 * must end in ENOMEM (not a kernel fault: the kernel's own record of the app's blocks must not
 * run out first), the blocks stay intact, and once freed the same number fit again. */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "conform.h"

struct blk {
    struct blk *next;
    uintptr_t tag;
};

/* Out of line, through a volatile pointer: clang may not fold the malloc/free pairs away. */
__attribute__((noinline)) static long fill(struct blk **head, int *err, int *intact)
{
    long n = 0;
    struct blk *h = NULL;
    for (;;) {
        errno = 0;
        struct blk *volatile b = malloc(16);
        if (!b) {
            *err = errno;
            break;
        }
        b->next = h;
        b->tag = (uintptr_t)b ^ 0x5a5a5a5aUL;
        h = b;
        n++;
    }
    *intact = 1;
    for (struct blk *b = h; b; b = b->next)
        if (b->tag != ((uintptr_t)b ^ 0x5a5a5a5aUL))
            *intact = 0;
    *head = h;
    return n;
}

static void drain(struct blk *h)
{
    while (h) {
        struct blk *next = h->next;
        free(h);
        h = next;
    }
}

int main(void)
{
    struct blk *h;
    int err = 0, intact = 0;
    long n1 = fill(&h, &err, &intact);
    CHECK(n1 > 1000, "malloc: many 16-byte blocks before memory runs out");
    CHECK(err == ENOMEM, "malloc: NULL with errno ENOMEM when memory runs out");
    CHECK(intact, "malloc: every block kept its contents");
    drain(h);

    err = 0;
    long n2 = fill(&h, &err, &intact);
    CHECK(err == ENOMEM, "malloc: ENOMEM again on the second fill");
    CHECK(n2 >= n1 - n1 / 100 && n2 <= n1 + n1 / 100, "free: the memory came back (same count)");
    CHECK(intact, "malloc: second fill intact");
    drain(h);
    printf("# %ld blocks, then %ld\n", n1, n2);

    void *big = malloc(256 * 1024);
    CHECK(big != NULL, "malloc: a 256 KiB block after freeing them all");
    free(big);
    int fd = open("/tmp/after", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0 && write(fd, "ok", 2) == 2 && close(fd) == 0, "the kernel still works: a file");
    return conform_failed;
}

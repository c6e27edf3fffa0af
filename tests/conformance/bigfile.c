/* A file as large as the board's memory allows, not a fixed budget: 2.3 MiB written, read back
 * (read, pread, stdio), overwritten, truncated and extended (zeros), unlinked with its memory
 * given back; statvfs reports the space; on a board with little memory, writing until the
 * memory is used up ends in ENOSPC without losing what was written, and the memory returns. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "conform.h"

#define SIZE 2411724L /* 2.3 MiB */
#define MIB (1024L * 1024L)

static unsigned char pat(long o)
{
    return (unsigned char)((o * 131) ^ (o >> 9));
}

static unsigned char buf[8192];

static long avail(void)
{
    struct statvfs v;
    return statvfs("/tmp", &v) == 0 ? (long)(v.f_bavail * v.f_frsize) : -1;
}

/* Out of line: its return value must be a fresh call each time (clang folds malloc/free
 * pairs otherwise). */
__attribute__((noinline)) static int can_malloc(size_t n)
{
    void *volatile p = malloc(n);
    int ok = p != NULL;
    free(p);
    return ok;
}

int main(void)
{
    const char *path = "/tmp/big.bin";
    long free0 = avail();
    CHECK(free0 >= SIZE, "statvfs: room for 2.3 MiB");

    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0, "lseek: create the file");
    long off = 0;
    int wrote = 1;
    while (wrote && off < SIZE) {
        long n = SIZE - off < 4000 ? SIZE - off : 4000; /* not a power of two: blocks straddle */
        for (long k = 0; k < n; k++)
            buf[k] = pat(off + k);
        wrote = write(fd, buf, (size_t)n) == n;
        off += wrote ? n : 0;
    }
    CHECK(wrote && off == SIZE, "write: write 2.3 MiB in 4000-byte writes");
    struct stat st;
    CHECK(fstat(fd, &st) == 0 && st.st_size == SIZE, "fstat: its size");
    CHECK(avail() <= free0 - SIZE, "statvfs: the free space went down by its size");

    long bad = 0, total = 0;
    ssize_t r;
    CHECK(lseek(fd, 0, SEEK_SET) == 0, "lseek: seek to the start");
    while ((r = read(fd, buf, 8191)) > 0) {
        for (long k = 0; k < r; k++)
            bad += buf[k] != pat(total + k);
        total += r;
    }
    CHECK(r == 0 && total == SIZE && bad == 0, "read: read it all back, byte for byte");

    static const long at[] = { 0, 16380, 65530, 1000000, 2097150, SIZE - 5 };
    int ok = 1;
    for (unsigned i = 0; i < sizeof at / sizeof at[0]; i++) {
        ok &= pread(fd, buf, 10, at[i]) == (SIZE - at[i] < 10 ? SIZE - at[i] : 10);
        for (long k = 0; k < 10 && at[i] + k < SIZE; k++)
            ok &= buf[k] == pat(at[i] + k);
    }
    CHECK(ok, "pread: pread across the file, the last bytes included");

    memset(buf, 'Z', sizeof buf);
    CHECK(pwrite(fd, buf, 8192, 1234567) == 8192, "pwrite: overwrite 8 KiB in the middle");
    CHECK(pread(fd, buf, 3, 1234566) == 3 && buf[0] == pat(1234566) && buf[1] == 'Z' &&
          buf[2] == 'Z', "pread: the overwrite landed where it was written");
    CHECK(pread(fd, buf, 2, 1234567 + 8191) == 2 && buf[0] == 'Z' &&
          buf[1] == pat(1234567 + 8192), "pread: and nowhere else");

    FILE *f = fopen(path, "r");
    long sbad = 0, stotal = 0;
    size_t got;
    while (f && (got = fread(buf, 1, sizeof buf, f)) > 0) {
        for (size_t k = 0; k < got; k++) {
            long o = stotal + (long)k;
            sbad += buf[k] != (o >= 1234567 && o < 1234567 + 8192 ? 'Z' : pat(o));
        }
        stotal += (long)got;
    }
    CHECK(f && stotal == SIZE && sbad == 0 && fclose(f) == 0, "fclose: fread reads the same bytes");

    CHECK(ftruncate(fd, 1000001) == 0 && fstat(fd, &st) == 0 && st.st_size == 1000001,
          "ftruncate: ftruncate down to 1000001 bytes");
    CHECK(pread(fd, buf, 4, 1000000) == 1 && buf[0] == pat(1000000), "pread: its last byte is kept");
    CHECK(ftruncate(fd, SIZE) == 0 && pread(fd, buf, 4, 1000001) == 4 && buf[0] == 0 &&
          buf[3] == 0 && pread(fd, buf, 4, SIZE - 4) == 4 && buf[3] == 0,
          "ftruncate: ftruncate back up: the new bytes read as zeros");
    CHECK(close(fd) == 0 && unlink(path) == 0, "unlink: close and unlink");
    CHECK(avail() >= free0 - 64 * 1024, "statvfs: the space is back");
    CHECK(can_malloc((size_t)MIB), "lseek: the memory is back: malloc(1 MiB)");

    /* Where memory is small enough to use up quickly, do: the error must be ENOSPC, a failed
     * write must not change the file, and everything must come back. Nothing is printed while
     * memory is short. */
    long room = avail();
    if (room > 16 * MIB) {
        CHECK(1, "lseek: (memory not used up on a board this large)");
        CONFORM_DONE();
    }
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    memset(buf, 'F', sizeof buf);
    long filled = 0;
    int err = 0;
    for (;;) {
        errno = 0;
        if (write(fd, buf, sizeof buf) != (ssize_t)sizeof buf) {
            err = errno;
            break;
        }
        filled += (long)sizeof buf;
    }
    int size_kept = fstat(fd, &st) == 0 && st.st_size == filled;
    int gone = close(fd) == 0 && unlink(path) == 0;
    printf("# %ld bytes of file data fitted, %ld free before\n", filled, room);
    CHECK(err == ENOSPC, "lseek: writing until memory is used up ends in ENOSPC");
    CHECK(size_kept, "write: the failed write left the file as it was");
    CHECK(filled > SIZE, "lseek: more than 2.3 MiB fitted first");
    CHECK(gone, "unlink: close and unlink the full file");
    CHECK(can_malloc((size_t)MIB), "lseek: malloc(1 MiB) succeeds again");
    CHECK(avail() >= room - 64 * 1024, "statvfs: all of it is free again");
    CONFORM_DONE();
}

/* mmap(MAP_SHARED) of regular files: the mapping and read()/write() are the same bytes, mappings
 * of one file see each other, the data outlives munmap, close and unlink, and the errors POSIX
 * names. The run leaves /mmap_shared.dat, written only through a mapping: the pytest driver
 * checks the exported file holds it. */
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conform.h"

#define PG 4096
#define REGION 32768

static int file(const char *path, off_t size)
{
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0 && size)
        (void)ftruncate(fd, size);
    return fd;
}

static void coherence(void)
{
    int fd = file("/ms1", 2 * PG);
    char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(p != MAP_FAILED, "mmap MAP_SHARED of a regular file");
    if (p == MAP_FAILED)
        return;
    CHECK(((uintptr_t)p & (PG - 1)) == 0, "the mapping is page-aligned");
    char buf[32] = {0};
    memcpy(p + 100, "through the map", 15);
    CHECK(pread(fd, buf, 15, 100) == 15 && !memcmp(buf, "through the map", 15),
          "a store through the mapping is seen by read()");
    CHECK(pwrite(fd, "by write()", 10, PG + 7) == 10 && !memcmp(p + PG + 7, "by write()", 10),
          "a write() is seen through the mapping");
    char *q = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PG);
    CHECK(q != MAP_FAILED && !memcmp(q + 7, "by write()", 10),
          "a second mapping at an offset has the file's bytes");
    if (q != MAP_FAILED) {
        q[0] = 'Q';
        p[PG + 1] = 'P';
        CHECK(p[PG] == 'Q' && q[1] == 'P', "two mappings of one file see each other's stores");
        CHECK(munmap(q, PG) == 0, "munmap of the second mapping");
    }
    CHECK(msync(p, 2 * PG, MS_SYNC) == 0, "msync(MS_SYNC) of a shared mapping");
    CHECK_ERR(msync(p, PG, MS_SYNC | MS_ASYNC), EINVAL, "msync(MS_SYNC|MS_ASYNC): EINVAL");
    CHECK_ERR(msync(p + 1, PG, MS_SYNC), EINVAL, "msync of an unaligned address: EINVAL");
    /* the file grows while mapped: the mapping stays where it is, and coherent */
    CHECK(pwrite(fd, "tail", 4, 5 * PG) == 4, "write() extends the file while it is mapped");
    CHECK(ftruncate(fd, 8 * PG) == 0, "ftruncate() grows the file while it is mapped");
    p[200] = 'G';
    CHECK(pread(fd, buf, 1, 200) == 1 && buf[0] == 'G' && !memcmp(p + 100, "through the map", 15),
          "after growth the mapping and the file are still the same bytes");
    CHECK(munmap(p, 2 * PG) == 0, "munmap");
    memset(buf, 0, sizeof buf);
    CHECK(pread(fd, buf, 15, 100) == 15 && !memcmp(buf, "through the map", 15),
          "the data stays in the file after munmap");
    p = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
    CHECK(p != MAP_FAILED && !memcmp(p + 100, "through the map", 15) && p[200] == 'G',
          "mapping again after munmap shows the data");
    if (p != MAP_FAILED)
        munmap(p, PG);
    close(fd);
    unlink("/ms1");
}

/* SQLite's wal-index: the -shm file grows region by region, each region mapped while the earlier
 * ones stay mapped. */
static void regions(void)
{
    int fd = file("/ms2-shm", 0);
    char *r[3];
    int ok = 1;
    for (int i = 0; i < 3; i++) {
        ok &= ftruncate(fd, (off_t)(i + 1) * REGION) == 0;
        r[i] = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)i * REGION);
        ok &= r[i] != MAP_FAILED;
        if (r[i] == MAP_FAILED)
            break;
        memset(r[i], 'a' + i, REGION);
    }
    CHECK(ok, "three 32 KiB regions of a growing file mapped one after another");
    if (!ok)
        return;
    char buf[REGION];
    int same = 1;
    for (int i = 0; i < 3; i++) {
        same &= pread(fd, buf, REGION, (off_t)i * REGION) == REGION;
        for (int k = 0; k < REGION; k++)
            same &= buf[k] == 'a' + i && r[i][k] == 'a' + i;
    }
    CHECK(same, "every region holds what was stored through it, read() agrees");
    char *again = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_SHARED, fd, REGION);
    CHECK(again == r[1], "a second mapping of a mapped region is the same bytes");
    if (again != MAP_FAILED)
        munmap(again, REGION);
    for (int i = 0; i < 3; i++)
        munmap(r[i], REGION);
    close(fd);
    unlink("/ms2-shm");
}

/* Past the end of the file: a mapping may cover it (zeros), truncation while mapped. */
static void edges(void)
{
    int fd = file("/ms5", 0);
    (void)pwrite(fd, "eleven byte", 11, 0);
    char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(p != MAP_FAILED && !memcmp(p, "eleven byte", 11) && p[11] == 0 && p[PG - 1] == 0,
          "a mapping longer than the file: the file's bytes, then zeros");
    if (p == MAP_FAILED)
        return;
    struct stat st;
    CHECK(fstat(fd, &st) == 0 && st.st_size == 11, "mapping past the end leaves the size alone");
    CHECK(ftruncate(fd, 4) == 0 && ftruncate(fd, 16) == 0 && !memcmp(p, "elev", 4) && p[4] == 0 &&
          p[15] == 0, "ftruncate down and up while mapped: the mapping shows the zeros");
    p[5] = 'x';
    char c = 0;
    CHECK(pread(fd, &c, 1, 5) == 1 && c == 'x', "after truncation the mapping is still the file");
    munmap(p, PG);
    close(fd);
    unlink("/ms5");
    /* a range that straddles a block another mapping pins cannot be made contiguous */
    fd = file("/ms6", 3 * 4 * PG);
    char *a = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(a != MAP_FAILED, "map the first two thirds");
    CHECK_ERR(mmap(NULL, 8 * PG, PROT_READ, MAP_SHARED, fd, 4 * PG), ENOTSUP,
              "a range straddling a pinned block: ENOTSUP (documented)");
    if (a != MAP_FAILED)
        munmap(a, 8 * PG);
    a = mmap(NULL, 8 * PG, PROT_READ, MAP_SHARED, fd, 4 * PG);
    CHECK(a != MAP_FAILED, "after munmap the same range maps");
    if (a != MAP_FAILED)
        munmap(a, 8 * PG);
    close(fd);
    unlink("/ms6");
}

/* A mapping keeps the file: after close() and unlink() its bytes stay addressable. */
static void outlives(void)
{
    int fd = file("/ms3", PG);
    (void)pwrite(fd, "kept", 4, 0);
    char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    unlink("/ms3");
    CHECK(p != MAP_FAILED && !memcmp(p, "kept", 4), "the mapping outlives close() and unlink()");
    if (p != MAP_FAILED) {
        p[PG - 1] = 1;
        CHECK(munmap(p, PG) == 0, "munmap of an unlinked file's mapping");
    }
}

static void errors(void)
{
    int fd = file("/ms4", PG);
    close(fd);
    int ro = open("/ms4", O_RDONLY);
    CHECK_ERR(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0), EACCES,
              "MAP_SHARED PROT_WRITE of a read-only descriptor: EACCES");
    char *p = mmap(NULL, PG, PROT_READ, MAP_SHARED, ro, 0);
    CHECK(p != MAP_FAILED, "MAP_SHARED PROT_READ of a read-only descriptor");
    if (p != MAP_FAILED)
        munmap(p, PG);
    close(ro);
    int wo = open("/ms4", O_WRONLY);
    CHECK_ERR(mmap(NULL, PG, PROT_WRITE, MAP_SHARED, wo, 0), EACCES,
              "MAP_SHARED of a write-only descriptor: EACCES");
    close(wo);
    CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_SHARED, -1, 0), EBADF, "MAP_SHARED of fd -1: EBADF");
    CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_SHARED, 57, 0), EBADF,
              "MAP_SHARED of a closed descriptor: EBADF");
    CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 57, 0), EBADF,
              "MAP_PRIVATE of a closed descriptor: EBADF");
    fd = open("/ms4", O_RDWR);
    CHECK_ERR(mmap(NULL, 0, PROT_READ, MAP_SHARED, fd, 0), EINVAL, "length 0: EINVAL");
    CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 100), EINVAL,
              "an offset that is not a page multiple: EINVAL");
    CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_SHARED | MAP_PRIVATE, fd, 0), EINVAL,
              "both MAP_SHARED and MAP_PRIVATE: EINVAL");
    close(fd);
    int dir = open("/", O_RDONLY);
    CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_SHARED, dir, 0), ENODEV,
              "MAP_SHARED of a directory: ENODEV");
    close(dir);
    static char unmapped[2 * PG];
    char *pg = (char *)(((uintptr_t)unmapped + PG - 1) & ~(uintptr_t)(PG - 1));
    CHECK_ERR(msync(pg, PG, MS_SYNC), ENOMEM, "msync of memory that is not mapped: ENOMEM");
    unlink("/ms4");
}

/* Written only through the mapping: the exported file must hold it. */
static void exported(void)
{
    int fd = file("/mmap_shared.dat", 0);
    (void)ftruncate(fd, 64);
    char *p = mmap(NULL, 64, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    CHECK(p != MAP_FAILED, "map /mmap_shared.dat");
    if (p != MAP_FAILED) {
        memcpy(p, "written through a shared mapping\n", 33);
        CHECK(munmap(p, 64) == 0, "munmap /mmap_shared.dat");
    }
}

int main(void)
{
    coherence();
    regions();
    edges();
    outlives();
    errors();
    exported();
    CONFORM_DONE();
}

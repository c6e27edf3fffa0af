/* A file larger than the smallest board's app RAM: 8 MiB written and read back byte for byte,
 * next to a second file that shares the pool with it. The AN385 has 3 MiB of app RAM; its file
 * data also lives in the 16 MiB PSRAM the boot blob leaves free (boards.toml `file_pool`), and
 * before that pool this run ended in ENOSPC there (bigfile.c covers the 2.3 MiB that fit). */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "conform.h"

#define MIB (1024L * 1024L)
#define SIZE (8 * MIB + 1000)

static unsigned char pat(long o, int seed)
{
    return (unsigned char)((o * 167) ^ (o >> 11) ^ seed);
}

static unsigned char buf[8192];

static long avail(void)
{
    struct statvfs v;
    return statvfs("/tmp", &v) == 0 ? (long)(v.f_bavail * v.f_frsize) : -1;
}

static int write_file(const char *path, long size, int seed)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return 0;
    long off = 0;
    while (off < size) {
        long n = size - off < 5000 ? size - off : 5000;
        for (long k = 0; k < n; k++)
            buf[k] = pat(off + k, seed);
        if (write(fd, buf, (size_t)n) != n)
            break;
        off += n;
    }
    return close(fd) == 0 && off == size;
}

static int read_back(const char *path, long size, int seed)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return 0;
    long total = 0, bad = 0;
    ssize_t r;
    while ((r = read(fd, buf, sizeof buf)) > 0) {
        for (long k = 0; k < r; k++)
            bad += buf[k] != pat(total + k, seed);
        total += r;
    }
    close(fd);
    return r == 0 && total == size && bad == 0;
}

int main(void)
{
    long free0 = avail();
    CHECK(free0 >= SIZE + MIB, "statvfs: room for an 8 MiB file and a 1 MiB one");
    CHECK(write_file("/tmp/big8.bin", SIZE, 1), "write: an 8 MiB file in 5000-byte writes");
    CHECK(write_file("/tmp/big1.bin", MIB, 2), "write: a 1 MiB file after it");
    struct stat st;
    CHECK(stat("/tmp/big8.bin", &st) == 0 && st.st_size == SIZE, "stat: the 8 MiB file's size");
    CHECK(read_back("/tmp/big8.bin", SIZE, 1), "read: the 8 MiB file back, byte for byte");
    CHECK(read_back("/tmp/big1.bin", MIB, 2), "read: the 1 MiB file back, byte for byte");
    CHECK(unlink("/tmp/big8.bin") == 0 && unlink("/tmp/big1.bin") == 0, "unlink: both files");
    /* within 64 KiB: the kernel's own bookkeeping moves a little (as in bigfile.c) */
    CHECK(avail() >= free0 - 64 * 1024, "statvfs: the space comes back after unlink");
    return conform_failed;
}

/* The system's files every port expects, as upstream BlueKernel has them: /dev/null, /dev/zero,
 * /dev/console, /dev/tty, a writable /tmp, and the procfs files ports read most (/proc/self,
 * /proc/meminfo, /proc/uptime). The conformance driver runs this as `conform devices`. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conform.h"

/* The whole of a small file, NUL-terminated; its length, or -1. */
static long slurp(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    size_t used = 0;
    for (;;) {
        ssize_t n = read(fd, buf + used, size - 1 - used);
        if (n <= 0)
            break;
        used += (size_t)n;
    }
    close(fd);
    buf[used] = 0;
    return (long)used;
}

int main(void)
{
    struct stat st;
    char buf[512];

    int fd = open("/dev/null", O_RDWR);
    CHECK(fd >= 0, "open: open /dev/null read-write");
    CHECK(write(fd, "gone", 4) == 4, "write: a write to /dev/null takes every byte");
    CHECK(read(fd, buf, sizeof buf) == 0, "read: a read of /dev/null is at end of file");
    CHECK(fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == ((1 << 8) | 3),
          "fstat: fstat /dev/null: character device 1,3");
    CHECK(lseek(fd, 100, SEEK_SET) == 0, "lseek: lseek on /dev/null goes nowhere (0)");
    close(fd);
    fd = open("/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0, "open: open /dev/null with O_CREAT|O_TRUNC (a shell's > /dev/null)");
    close(fd);
    CHECK(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode) && st.st_size == 0,
          "stat: stat /dev/null: still a character device, size 0");

    fd = open("/dev/zero", O_RDONLY);
    memset(buf, 'x', sizeof buf);
    CHECK(fd >= 0 && read(fd, buf, 300) == 300, "read: read 300 bytes of /dev/zero");
    int zeros = 1;
    for (int i = 0; i < 300; i++)
        zeros &= buf[i] == 0;
    CHECK(zeros && buf[300] == 'x', "open: they are zeros, and no more were written");
    close(fd);

    CHECK(stat("/dev/console", &st) == 0 && S_ISCHR(st.st_mode), "stat: /dev/console exists");
    fd = open("/dev/tty", O_WRONLY);
    CHECK(fd >= 0 && write(fd, "# written to /dev/tty\n", 22) == 22,
          "write: /dev/tty opens and writes to the console");
    close(fd);

    DIR *d = opendir("/dev");
    int seen = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, "null") == 0 && e->d_type == DT_CHR)
            seen = 1;
    if (d)
        closedir(d);
    CHECK(seen, "readdir: readdir /dev lists null as DT_CHR");

    CHECK(stat("/tmp", &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 01777) == 01777,
          "stat: /tmp is a sticky directory open to all");
    fd = open("/tmp/conform-devices", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0 && write(fd, "t", 1) == 1, "write: a file can be made in /tmp");
    close(fd);
    CHECK(unlink("/tmp/conform-devices") == 0, "unlink: and removed again");

    long n = slurp("/proc/meminfo", buf, sizeof buf);
    long total = -1, avail = -1;
    char *p = n > 0 ? strstr(buf, "MemTotal:") : NULL;
    if (p)
        total = strtol(p + 9, NULL, 10);
    p = n > 0 ? strstr(buf, "MemAvailable:") : NULL;
    if (p)
        avail = strtol(p + 13, NULL, 10);
    CHECK(total > 0 && avail > 0 && avail <= total, "open: /proc/meminfo: MemTotal >= MemAvailable > 0");

    /* Centiseconds, read without floating point (AArch64 apps build without an FPU). */
    long up1 = -1, up2 = -1;
    char *end;
    if (slurp("/proc/uptime", buf, sizeof buf) > 0) {
        up1 = strtol(buf, &end, 10) * 100;
        up1 += *end == '.' ? strtol(end + 1, NULL, 10) : 0;
    }
    struct timespec ts = {0, 30 * 1000 * 1000};
    nanosleep(&ts, NULL);
    if (slurp("/proc/uptime", buf, sizeof buf) > 0) {
        up2 = strtol(buf, &end, 10) * 100;
        up2 += *end == '.' ? strtol(end + 1, NULL, 10) : 0;
    }
    CHECK(up1 >= 0 && up2 >= up1 + 2, "open: /proc/uptime counts seconds since boot");

    n = slurp("/proc/self/cmdline", buf, sizeof buf);
    CHECK(n > 0 && strcmp(buf, "conform") == 0 && strcmp(buf + strlen(buf) + 1, "devices") == 0,
          "open: /proc/self/cmdline: argv, NUL-separated");
    CHECK(readlink("/proc/self", buf, sizeof buf) == 1 && buf[0] == '1',
          "readlink: /proc/self is a link to the one process, 1");
    n = slurp("/proc/self/status", buf, sizeof buf);
    CHECK(n > 0 && strstr(buf, "Name:\tconform\n") && strstr(buf, "Pid:\t1\n") &&
              strstr(buf, "Threads:\t1\n"),
          "open: /proc/self/status: Name, Pid, Threads");
    CHECK_ERR(open("/proc/meminfo", O_WRONLY), EACCES, "open: /proc files are read-only: EACCES");
    CHECK(stat("/proc/uptime", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0,
          "stat: stat of a /proc file: regular, size 0 (as Linux)");

    CONFORM_DONE();
}

/* POSIX's advisory information on the RAM file system: posix_fadvise takes every valid advice
 * (nothing to tune), posix_fallocate grows a file to offset + len with zeros and leaves a longer
 * one alone; both answer with an error number, not errno. The conformance driver runs this as
 * `conform advisory`. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conform.h"

int main(void)
{
    int fd = open("/tmp/adv", O_CREAT | O_RDWR | O_TRUNC, 0600);
    CHECK(fd >= 0, "open: /tmp/adv");
    CHECK(write(fd, "abc", 3) == 3, "write: 3 bytes");
    CHECK_RC(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL), 0, "posix_fadvise: SEQUENTIAL");
    CHECK_RC(posix_fadvise(fd, 0, 3, POSIX_FADV_DONTNEED), 0, "posix_fadvise: DONTNEED");
    CHECK_RC(posix_fadvise(fd, 0, 0, 99), EINVAL, "posix_fadvise: unknown advice: EINVAL");
    CHECK_RC(posix_fadvise(fd, 0, -1, POSIX_FADV_NORMAL), EINVAL, "posix_fadvise: len < 0: EINVAL");
    CHECK_RC(posix_fadvise(-1, 0, 0, POSIX_FADV_NORMAL), EBADF, "posix_fadvise: bad fd: EBADF");
    int p[2];
    CHECK(pipe(p) == 0, "pipe: for the ESPIPE cases");
    CHECK_RC(posix_fadvise(p[0], 0, 0, POSIX_FADV_NORMAL), ESPIPE, "posix_fadvise: a pipe: ESPIPE");

    errno = 0;
    CHECK_RC(posix_fallocate(fd, 10, 4086), 0, "posix_fallocate: to 4096 bytes");
    CHECK(errno == 0, "posix_fallocate: errno untouched on success");
    struct stat st;
    CHECK(fstat(fd, &st) == 0 && st.st_size == 4096, "posix_fallocate: the file is 4096 bytes");
    char buf[8] = "xxxxxxx";
    CHECK(pread(fd, buf, 8, 0) == 8 && !memcmp(buf, "abc\0\0\0\0\0", 8),
          "posix_fallocate: old bytes kept, new ones zero");
    CHECK_RC(posix_fallocate(fd, 0, 100), 0, "posix_fallocate: inside the file");
    CHECK(fstat(fd, &st) == 0 && st.st_size == 4096, "posix_fallocate: a longer file keeps its size");
    CHECK_RC(posix_fallocate(fd, 0, 0), EINVAL, "posix_fallocate: len 0: EINVAL");
    CHECK_RC(posix_fallocate(fd, -1, 1), EINVAL, "posix_fallocate: offset < 0: EINVAL");
    CHECK_RC(posix_fallocate(p[1], 0, 1), ESPIPE, "posix_fallocate: a pipe: ESPIPE");
    close(fd);
    fd = open("/tmp/adv", O_RDONLY);
    CHECK_RC(posix_fallocate(fd, 0, 8192), EBADF, "posix_fallocate: read-only descriptor: EBADF");
    close(fd);
    fd = open("/tmp", O_RDONLY);
    CHECK_RC(posix_fallocate(fd, 0, 1), EBADF, "posix_fallocate: a directory (read-only): EBADF");
    close(fd);
    unlink("/tmp/adv");
    CONFORM_DONE();
}

/* <unistd.h>/<fcntl.h> descriptor I/O: data round trips, end-of-file, partial reads, offsets,
 * append mode, duplication, and the errno of each documented error. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "conform.h"

int main(void)
{
    char buf[64];
    int fd = open("/io.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0, "open: open O_CREAT returns a descriptor");
    CHECK(fd > 2, "open: new descriptor is above stdin/stdout/stderr");
    CHECK(write(fd, "hello, world", 12) == 12, "write: write returns the bytes written");
    CHECK(lseek(fd, 0, SEEK_CUR) == 12, "lseek: offset advanced by write");
    CHECK(lseek(fd, 0, SEEK_SET) == 0, "lseek: lseek SEEK_SET 0");
    CHECK(read(fd, buf, 5) == 5 && memcmp(buf, "hello", 5) == 0, "read: read returns the data");
    CHECK(read(fd, buf, sizeof buf) == 7 && memcmp(buf, ", world", 7) == 0,
          "read: partial read: fewer bytes than asked at the end");
    CHECK(read(fd, buf, sizeof buf) == 0, "read: read at end of file returns 0");
    CHECK(lseek(fd, -5, SEEK_END) == 7, "lseek: lseek SEEK_END with a negative offset");
    CHECK(read(fd, buf, 5) == 5 && memcmp(buf, "world", 5) == 0, "read: read after SEEK_END");
    CHECK_ERR(lseek(fd, 0, 42), EINVAL, "lseek: lseek with a bad whence: EINVAL");
    CHECK(ftruncate(fd, 5) == 0, "ftruncate: ftruncate shrinks");
    CHECK(lseek(fd, 0, SEEK_END) == 5, "lseek: size after ftruncate");
    int d = dup(fd);
    CHECK(d >= 0 && d != fd, "read: dup returns a new descriptor");
    CHECK(lseek(d, 0, SEEK_CUR) == lseek(fd, 0, SEEK_CUR), "lseek: dup shares the file offset");
    CHECK(close(d) == 0, "read: close the duplicate");
    int flags = fcntl(fd, F_GETFL);
    CHECK(flags >= 0 && (flags & O_ACCMODE) == O_RDWR, "read: F_GETFL reports O_RDWR");
    CHECK(close(fd) == 0, "read: close");
    CHECK_ERR(close(fd), EBADF, "read: close of a closed descriptor: EBADF");
    CHECK_ERR(read(fd, buf, 1), EBADF, "read: read of a closed descriptor: EBADF");
    CHECK_ERR(write(fd, "x", 1), EBADF, "write: write of a closed descriptor: EBADF");

    fd = open("/io.txt", O_WRONLY | O_APPEND);
    CHECK(fd >= 0, "open: open O_APPEND");
    CHECK(write(fd, "!!", 2) == 2, "write: append write");
    CHECK((fcntl(fd, F_GETFL) & O_APPEND) != 0, "fcntl: F_GETFL reports O_APPEND");
    CHECK_ERR(read(fd, buf, 1), EBADF, "read: read on a write-only descriptor: EBADF");
    close(fd);
    fd = open("/io.txt", O_RDONLY);
    CHECK(read(fd, buf, sizeof buf) == 7 && memcmp(buf, "hello!!", 7) == 0,
          "read: O_APPEND wrote at the end");
    CHECK_ERR(write(fd, "x", 1), EBADF, "write: write on a read-only descriptor: EBADF");
    close(fd);

    CHECK_ERR(open("/missing/file", O_RDONLY), ENOENT, "open: open of a missing path: ENOENT");
    CHECK_ERR(open("/io.txt", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST,
              "open: O_CREAT|O_EXCL on an existing file: EEXIST");
    CHECK_ERR(open("/io.txt/x", O_RDONLY), ENOTDIR, "open: a file used as a directory: ENOTDIR");
    CHECK(unlink("/io.txt") == 0, "unlink: unlink");
    CHECK_ERR(open("/io.txt", O_RDONLY), ENOENT, "open: unlinked file is gone: ENOENT");
    CONFORM_DONE();
}

/* File permission bits: umask() cleared from open(O_CREAT) and mkdir() modes, chmod()/fchmod()
 * storing a mode that stat()/fstat() report (the file type kept), utime() (<utime.h>) and
 * O_DSYNC/O_RSYNC (<fcntl.h>). The conformance driver runs this as `conform file_modes`. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

#include "conform.h"

static mode_t mode_of(const char *path)
{
    struct stat st;
    return stat(path, &st) < 0 ? (mode_t)-1 : st.st_mode;
}

int main(void)
{
    const char *f = "/tmp/fm_file", *d = "/tmp/fm_dir";
    unlink(f);
    rmdir(d);
    mode_t old = umask(077);
    CHECK(umask(077) == 077, "umask: umask returns the previous mask");
    int fd = open(f, O_WRONLY | O_CREAT | O_EXCL, 0666);
    CHECK(fd >= 0, "open: open O_CREAT 0666");
    CHECK(mode_of(f) == (S_IFREG | 0600), "umask: umask 077: the new file is 0600");
    CHECK(mkdir(d, 0777) == 0 && mode_of(d) == (S_IFDIR | 0700), "mkdir: umask 077: mkdir 0777 is 0700");
    umask(0);
    CHECK(chmod(f, 0754) == 0, "chmod: chmod 0754");
    CHECK(mode_of(f) == (S_IFREG | 0754), "stat: stat reports 0754, still a regular file");
    CHECK(fchmod(fd, 0640) == 0, "fchmod: fchmod 0640");
    struct stat st;
    CHECK(fstat(fd, &st) == 0 && st.st_mode == (S_IFREG | 0640), "fstat: fstat reports 0640");
    CHECK(mode_of(f) == (S_IFREG | 0640), "stat: stat of the path agrees");
    CHECK(chmod(f, 04755) == 0 && (mode_of(f) & 07777) == 04755, "chmod: chmod keeps the set-user-ID bit");
    CHECK(chmod(d, 0500) == 0 && mode_of(d) == (S_IFDIR | 0500), "chmod: chmod of a directory");
    CHECK_ERR(chmod("/tmp/fm_missing", 0644), ENOENT, "chmod: chmod of a missing file: ENOENT");
    CHECK_ERR(fchmod(-1, 0644), EBADF, "fchmod: fchmod(-1): EBADF");
    CHECK_ERR(fchmod(999, 0644), EBADF, "fchmod: fchmod(999): EBADF");
    close(fd);
    umask(022);
    fd = open("/tmp/fm_022", O_RDWR | O_CREAT | O_TRUNC, 0777);
    CHECK(fd >= 0 && mode_of("/tmp/fm_022") == (S_IFREG | 0755), "umask: umask 022: 0777 becomes 0755");
    close(fd);
    unlink("/tmp/fm_022");

    CHECK(utime(f, NULL) == 0, "utime: utime(path, NULL)");
    CHECK_ERR(utime("/tmp/fm_missing", NULL), ENOENT, "utime: utime of a missing file: ENOENT");

    fd = open(f, O_WRONLY | O_DSYNC);
    CHECK(fd >= 0, "open: open O_DSYNC");
    CHECK(write(fd, "x", 1) == 1, "write: write with O_DSYNC");
    int fl = fcntl(fd, F_GETFL);
    CHECK(fl >= 0 && (fl & O_DSYNC) && (fl & O_ACCMODE) == O_WRONLY, "open: F_GETFL reports O_DSYNC");
    CHECK(!(fl & O_APPEND), "open: and not O_APPEND");
    close(fd);
    CHECK(O_DSYNC != 0 && O_DSYNC != O_SYNC && (O_DSYNC & (O_APPEND | O_CREAT | O_ACCMODE)) == 0,
          "open: O_DSYNC is a distinct flag");
    CHECK(O_RSYNC != 0, "open: O_RSYNC defined");

    unlink(f);
    rmdir(d);
    umask(old);
    CONFORM_DONE();
}

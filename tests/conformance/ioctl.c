/* <sys/ioctl.h> as Linux programs use it: ENOTTY for what is not a terminal, the console's size
 * (TIOCGWINSZ), bytes ready to read (FIONREAD) on a regular file and a pipe, and the
 * descriptor-flag requests (FIONBIO, FIOCLEX, FIONCLEX). <stropts.h> declares the same ioctl. */
#include <fcntl.h>
#include <stropts.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "conform.h"

int main(void)
{
    const char *path = "/tmp/ioctl.dat";
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0, "ioctl: create a regular file");
    char buf[100];
    memset(buf, 'x', sizeof buf);
    CHECK(write(fd, buf, sizeof buf) == (ssize_t)sizeof buf, "write: write 100 bytes");

    struct winsize ws;
    CHECK_ERR(ioctl(fd, TIOCGWINSZ, &ws), ENOTTY, "ioctl: TIOCGWINSZ on a regular file: ENOTTY");
    CHECK_ERR(ioctl(fd, 0x12345678UL, buf), ENOTTY, "ioctl: an unknown request: ENOTTY");
    CHECK_ERR(ioctl(-1, FIONREAD, buf), EBADF, "ioctl: a bad descriptor: EBADF");
    CHECK_ERR(ioctl(63, TIOCGWINSZ, &ws), EBADF, "ioctl: a closed descriptor: EBADF");

    int n = -1;
    CHECK(lseek(fd, 30, SEEK_SET) == 30 && ioctl(fd, FIONREAD, &n) == 0 && n == 70,
          "lseek: FIONREAD on a regular file: the bytes from the offset to the end");
    CHECK(lseek(fd, 0, SEEK_END) == 100 && ioctl(fd, FIONREAD, &n) == 0 && n == 0,
          "lseek: FIONREAD at the end of the file: 0");

    CHECK(ioctl(0, FIONREAD, &n) == 0 && n == 0, "ioctl: FIONREAD on the console, no input given: 0");

    /* The run's console is a terminal unless the host made it a pipe (isatty says which). */
    memset(&ws, 0xff, sizeof ws);
    if (isatty(1)) {
        CHECK(ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_row == 24 && ws.ws_col == 80,
              "ioctl: TIOCGWINSZ on the console: 80 columns, 24 rows");
        int tty = open("/dev/tty", O_RDWR);
        CHECK(tty >= 0 && ioctl(tty, TIOCGWINSZ, &ws) == 0 && ws.ws_col == 80,
              "ioctl: TIOCGWINSZ on /dev/tty");
        close(tty);
    } else {
        CHECK_ERR(ioctl(1, TIOCGWINSZ, &ws), ENOTTY, "ioctl: TIOCGWINSZ on a console that is a pipe");
        CHECK(1, "ioctl: (no terminal: /dev/tty not checked)");
    }

    int p[2];
    CHECK(pipe(p) == 0, "pipe: pipe");
    CHECK(ioctl(p[0], FIONREAD, &n) == 0 && n == 0, "ioctl: FIONREAD on an empty pipe: 0");
    CHECK(write(p[1], "hello", 5) == 5 && ioctl(p[0], FIONREAD, &n) == 0 && n == 5,
          "write: FIONREAD after a 5-byte write: 5");
    CHECK(read(p[0], buf, 2) == 2 && ioctl(p[0], FIONREAD, &n) == 0 && n == 3,
          "read: FIONREAD after reading 2: 3");
    CHECK(read(p[0], buf, 3) == 3, "read: drain the pipe");
    CHECK_ERR(ioctl(p[0], TIOCGWINSZ, &ws), ENOTTY, "ioctl: TIOCGWINSZ on a pipe: ENOTTY");

    int on = 1, off = 0;
    CHECK(ioctl(p[0], FIONBIO, &on) == 0 && (fcntl(p[0], F_GETFL) & O_NONBLOCK),
          "ioctl: FIONBIO 1 sets O_NONBLOCK");
    CHECK_ERR(read(p[0], buf, 1), EAGAIN, "read: a non-blocking read of an empty pipe: EAGAIN");
    CHECK(ioctl(p[0], FIONBIO, &off) == 0 && !(fcntl(p[0], F_GETFL) & O_NONBLOCK),
          "ioctl: FIONBIO 0 clears it");
    CHECK(ioctl(fd, FIOCLEX) == 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC, "ioctl: FIOCLEX sets FD_CLOEXEC");
    CHECK(ioctl(fd, FIONCLEX) == 0 && fcntl(fd, F_GETFD) == 0, "ioctl: FIONCLEX clears it");

    close(p[0]);
    close(p[1]);
    close(fd);
    unlink(path);
    CONFORM_DONE();
}

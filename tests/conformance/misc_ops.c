/*
 * File descriptors and the smaller headers: the EBADF/ENOENT/EEXIST/ENOTDIR/EISDIR/EINVAL/ESPIPE
 * errors <unistd.h> and <fcntl.h> document, creat, fsync/fdatasync, fpathconf/confstr,
 * readdir_r, <locale.h>'s POSIX locale, <stdarg.h>, offsetof, uname, the standard streams and
 * mq_timedreceive/mq_notify, written from the standard's description.
 */
#include "conform.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <mqueue.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static int sum(int n, ...)
{
    va_list ap, copy;
    va_start(ap, n);
    va_copy(copy, ap);
    int s = 0, s2 = 0;
    for (int i = 0; i < n; i++)
        s += va_arg(ap, int);
    for (int i = 0; i < n; i++)
        s2 += va_arg(copy, int);
    va_end(copy);
    va_end(ap);
    return s == s2 ? s : -1;
}

static const char *second(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    (void)va_arg(ap, const char *);
    const char *s = va_arg(ap, const char *);
    va_end(ap);
    return s;
}

static int vpr(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vprintf(fmt, ap);
    va_end(ap);
    return r;
}

static int vfsc(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vfscanf(f, fmt, ap);
    va_end(ap);
    return r;
}

static int vsc(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vscanf(fmt, ap);
    va_end(ap);
    return r;
}

static void *exits_early(void *arg)
{
    pthread_exit(arg);
    return NULL;
}

static volatile int spin_until_cancelled;
static void *cancel_point_loop(void *arg)
{
    (void)arg;
    for (;;) {
        spin_until_cancelled++;
        pthread_testcancel();
        usleep(1000);
    }
    return NULL;
}

struct layout {
    char c;
    int i;
    double d;
};

int main(void)
{
    char buf[256];
    int fd, p[2];

    /* EBADF for every descriptor call on a descriptor that is not open. */
    CHECK_ERR(close(-1), EBADF, "close: negative descriptor: EBADF");
    CHECK_ERR(close(200), EBADF, "close: descriptor not open: EBADF");
    CHECK_ERR(read(200, buf, 1), EBADF, "read: descriptor not open: EBADF");
    CHECK_ERR(write(200, buf, 1), EBADF, "write: descriptor not open: EBADF");
    CHECK_ERR(lseek(200, 0, SEEK_SET), EBADF, "lseek: descriptor not open: EBADF");
    CHECK_ERR(fsync(200), EBADF, "fsync: descriptor not open: EBADF");
    CHECK_ERR(fdatasync(200), EBADF, "fdatasync: descriptor not open: EBADF");
    CHECK_ERR(fpathconf(200, _PC_NAME_MAX), EBADF, "fpathconf: descriptor not open: EBADF");
    CHECK_ERR(dup(200), EBADF, "dup: descriptor not open: EBADF");
    CHECK_ERR(dup2(200, 5), EBADF, "dup2: descriptor not open: EBADF");
    CHECK_ERR(fcntl(200, F_GETFD), EBADF, "fcntl: descriptor not open: EBADF");
    CHECK_ERR(ftruncate(200, 0), EBADF, "ftruncate: descriptor not open: EBADF");
    {
        struct stat st;
        CHECK_ERR(fstat(200, &st), EBADF, "fstat: descriptor not open: EBADF");
    }
    CHECK_ERR(fchmod(200, 0644), EBADF, "fchmod: descriptor not open: EBADF");
    errno = 0;
    CHECK(isatty(200) == 0 && errno == EBADF, "isatty: descriptor not open: 0 and EBADF");

    /* open's documented errors. */
    CHECK_ERR(open("/tmp/no/such/file", O_RDONLY), ENOENT, "open: missing directory in the path: ENOENT");
    CHECK_ERR(open("/tmp/misc_missing", O_RDONLY), ENOENT, "open: missing file without O_CREAT: ENOENT");
    CHECK_ERR(open("", O_RDONLY), ENOENT, "open: empty path: ENOENT");
    fd = open("/tmp/misc_a", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0, "open: O_CREAT makes a file");
    CHECK_ERR(open("/tmp/misc_a", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST, "open: O_CREAT|O_EXCL of an existing file: EEXIST");
    CHECK_ERR(open("/tmp/misc_a/x", O_RDONLY), ENOTDIR, "open: a file used as a directory: ENOTDIR");
    CHECK_ERR(open("/tmp", O_WRONLY), EISDIR, "open: a directory for writing: EISDIR");
    CHECK_ERR(open("/tmp/misc_a", O_RDONLY | O_DIRECTORY), ENOTDIR, "open: O_DIRECTORY on a file: ENOTDIR");
    {
        char longname[NAME_MAX + 8];
        memset(longname, 'n', sizeof longname);
        memcpy(longname, "/tmp/", 5);
        longname[sizeof longname - 1] = 0;
        CHECK_ERR(open(longname, O_RDONLY), ENAMETOOLONG, "open: a component longer than NAME_MAX: ENAMETOOLONG");
    }
    CHECK_ERR(read(fd, buf, 1), EBADF, "read: a descriptor open for writing only: EBADF");
    CHECK(write(fd, "abcdef", 6) == 6, "write: writes to a regular file");
    CHECK(fsync(fd) == 0, "fsync: a regular file");
    CHECK(fdatasync(fd) == 0, "fdatasync: a regular file");
    CHECK_ERR(lseek(fd, -1, SEEK_SET), EINVAL, "lseek: negative resulting offset: EINVAL");
    CHECK_ERR(lseek(fd, 0, 99), EINVAL, "lseek: bad whence: EINVAL");
    CHECK(lseek(fd, 10, SEEK_END) == 16, "lseek: past the end is allowed");
    CHECK(write(fd, "z", 1) == 1 && lseek(fd, 0, SEEK_END) == 17, "write: past the end extends the file");
    close(fd);
    fd = open("/tmp/misc_a", O_RDONLY);
    CHECK_ERR(write(fd, "x", 1), EBADF, "write: a descriptor open for reading only: EBADF");
    CHECK(pread(fd, buf, 3, 6) == 3 && buf[0] == 0 && buf[2] == 0, "read: a hole reads as zero bytes");
    CHECK(read(fd, buf, 0) == 0, "read: zero bytes: 0");
    close(fd);
    CHECK(pipe(p) == 0, "pipe: a pipe for ESPIPE");
    CHECK_ERR(lseek(p[0], 0, SEEK_CUR), ESPIPE, "lseek: on a pipe: ESPIPE");
    CHECK_ERR(pread(p[0], buf, 1, 0), ESPIPE, "pread: on a pipe: ESPIPE");
    CHECK_ERR(pwrite(p[1], buf, 1, 0), ESPIPE, "pwrite: on a pipe: ESPIPE");
    close(p[0]);
    close(p[1]);

    fd = creat("/tmp/misc_b", 0600);
    CHECK(fd >= 0, "creat: creates a file");
    CHECK((fcntl(fd, F_GETFL) & O_ACCMODE) == O_WRONLY, "creat: opens for writing only");
    CHECK(write(fd, "xyz", 3) == 3, "creat: writable");
    close(fd);
    fd = creat("/tmp/misc_b", 0600);
    {
        struct stat st;
        CHECK(fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 0, "creat: truncates an existing file");
        CHECK((st.st_mode & 0777) == (0600 & ~umask(022)), "creat: the mode (less the umask)");
    }
    close(fd);
    CHECK_ERR(creat("/tmp/no/such/x", 0600), ENOENT, "creat: missing directory: ENOENT");
    CHECK_ERR(unlink("/tmp/misc_missing"), ENOENT, "unlink: missing file: ENOENT");
    CHECK(unlink("/tmp") == -1 && (errno == EPERM || errno == EISDIR), "unlink: a directory: EPERM or EISDIR");
    CHECK_ERR(rmdir("/tmp/misc_b"), ENOTDIR, "rmdir: a file: ENOTDIR");
    CHECK(mkdir("/tmp/misc_d", 0755) == 0, "mkdir: makes a directory");
    CHECK_ERR(mkdir("/tmp/misc_d", 0755), EEXIST, "mkdir: existing path: EEXIST");
    CHECK_ERR(mkdir("/tmp/no/such/d", 0755), ENOENT, "mkdir: missing parent: ENOENT");
    fd = open("/tmp/misc_d/f", O_WRONLY | O_CREAT, 0644);
    close(fd);
    CHECK(rmdir("/tmp/misc_d") == -1 && (errno == ENOTEMPTY || errno == EEXIST), "rmdir: a directory not empty: ENOTEMPTY or EEXIST");
    CHECK_ERR(link("/tmp/misc_b", "/tmp/misc_a"), EEXIST, "link: the new name exists: EEXIST");
    CHECK_ERR(link("/tmp/misc_missing", "/tmp/misc_c"), ENOENT, "link: missing source: ENOENT");
    CHECK_ERR(rename("/tmp/misc_d", "/tmp/misc_a"), ENOTDIR, "rename: a directory over a file: ENOTDIR");
    CHECK_ERR(rename("/tmp/misc_a", "/tmp/misc_d"), EISDIR, "rename: a file over a directory: EISDIR");
    CHECK_ERR(chdir("/tmp/misc_b"), ENOTDIR, "chdir: a file: ENOTDIR");
    CHECK_ERR(chdir("/tmp/misc_missing"), ENOENT, "chdir: missing directory: ENOENT");
    errno = 0;
    CHECK(getcwd(buf, 1) == NULL && errno == ERANGE, "getcwd: too small a buffer: ERANGE");
    errno = 0;
    CHECK(getcwd(buf, 0) == NULL && errno == EINVAL, "getcwd: size 0: EINVAL");
    CHECK_ERR(access("/tmp/misc_missing", F_OK), ENOENT, "access: missing file: ENOENT");
    CHECK_ERR(access("/tmp", 0x40), EINVAL, "access: an invalid mode: EINVAL");
    {
        struct stat st;
        CHECK_ERR(stat("/tmp/misc_missing", &st), ENOENT, "stat: missing file: ENOENT");
        CHECK_ERR(stat("/tmp/misc_b/x", &st), ENOTDIR, "stat: a file used as a directory: ENOTDIR");
        CHECK_ERR(lstat("", &st), ENOENT, "lstat: empty path: ENOENT");
        CHECK(stat("/tmp/misc_d", &st) == 0 && S_ISDIR(st.st_mode), "stat: S_ISDIR of a directory");
        CHECK(stat("/tmp/misc_b", &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1, "stat: S_ISREG, one link");
    }

    {
        DIR *d = opendir("/tmp/misc_d");
        struct dirent ent, *res = NULL;
        int found = 0, rc = 0;
        while ((rc = readdir_r(d, &ent, &res)) == 0 && res)
            found |= !strcmp(res->d_name, "f");
        CHECK(rc == 0 && found, "readdir_r: lists the entries");
        CHECK(res == NULL, "readdir_r: NULL result at the end of the directory");
        closedir(d);
        errno = 0;
        CHECK(opendir("/tmp/misc_missing") == NULL && errno == ENOENT, "opendir: missing directory: ENOENT");
        errno = 0;
        CHECK(opendir("/tmp/misc_b") == NULL && errno == ENOTDIR, "opendir: a file: ENOTDIR");
        d = opendir("/tmp/misc_d");
        CHECK(d && dirfd(d) >= 0, "dirfd: the directory stream's descriptor");
        CHECK(closedir(d) == 0, "closedir: closes");
        fd = open("/tmp/misc_d", O_RDONLY);
        d = fdopendir(fd);
        CHECK(d != NULL && readdir(d) != NULL, "fdopendir: a stream on an open directory");
        if (d)
            closedir(d);
        errno = 0;
        CHECK(fdopendir(200) == NULL && errno == EBADF, "fdopendir: descriptor not open: EBADF");
    }
    unlink("/tmp/misc_d/f");
    rmdir("/tmp/misc_d");
    unlink("/tmp/misc_a");
    unlink("/tmp/misc_b");

    fd = open("/tmp", O_RDONLY);
    CHECK(fpathconf(fd, _PC_NAME_MAX) >= _POSIX_NAME_MAX, "fpathconf: _PC_NAME_MAX at least _POSIX_NAME_MAX");
    CHECK(fpathconf(fd, _PC_PATH_MAX) >= _POSIX_PATH_MAX, "fpathconf: _PC_PATH_MAX at least _POSIX_PATH_MAX");
    CHECK_ERR(fpathconf(fd, 9999), EINVAL, "fpathconf: invalid name: EINVAL");
    close(fd);
    CHECK_ERR(pathconf("/tmp", 9999), EINVAL, "pathconf: invalid name: EINVAL");
    CHECK(confstr(_CS_PATH, NULL, 0) > 1, "confstr: _CS_PATH has a value; size includes the null");
    {
        size_t n = confstr(_CS_PATH, buf, sizeof buf);
        CHECK(n > 1 && n <= sizeof buf && strlen(buf) == n - 1, "confstr: copies the value");
        char small[3];
        CHECK(confstr(_CS_PATH, small, sizeof small) == n && small[2] == 0, "confstr: truncates, returns the full size");
    }
    errno = 0;
    CHECK(confstr(9999, buf, sizeof buf) == 0 && errno == EINVAL, "confstr: invalid name: 0 and EINVAL");
    CHECK_ERR(sysconf(9999), EINVAL, "sysconf: invalid name: EINVAL");
    CHECK(sysconf(_SC_PAGESIZE) > 0 && sysconf(_SC_PAGESIZE) == getpagesize(), "sysconf: _SC_PAGESIZE");
    CHECK(sysconf(_SC_OPEN_MAX) >= _POSIX_OPEN_MAX, "sysconf: _SC_OPEN_MAX at least _POSIX_OPEN_MAX");

    CHECK(!strcmp(setlocale(LC_ALL, NULL), "C") || !strcmp(setlocale(LC_ALL, NULL), "POSIX"),
          "setlocale: the initial locale is the POSIX locale");
    CHECK(setlocale(LC_ALL, "POSIX") != NULL, "setlocale: \"POSIX\" is always available");
    CHECK(setlocale(LC_ALL, "C") != NULL, "setlocale: \"C\" is always available");
    CHECK(setlocale(LC_ALL, "no_SUCH.locale") == NULL, "setlocale: an unknown locale: NULL");
    CHECK(setlocale(LC_NUMERIC, NULL) != NULL, "setlocale: queries one category");
    CHECK(setlocale(99, "C") == NULL, "setlocale: invalid category: NULL");
    {
        struct lconv *lc = localeconv();
        CHECK(lc && !strcmp(lc->decimal_point, "."), "localeconv: decimal_point is \".\"");
        CHECK(lc && !strcmp(lc->thousands_sep, ""), "localeconv: thousands_sep is empty");
        CHECK(lc && lc->int_frac_digits == CHAR_MAX && lc->p_cs_precedes == CHAR_MAX,
              "localeconv: monetary numbers are CHAR_MAX (unavailable)");
        CHECK(lc && !strcmp(lc->currency_symbol, ""), "localeconv: currency_symbol is empty");
    }

    CHECK(sum(4, 1, 2, 3, 4) == 10, "va_arg: reads each argument in turn");
    CHECK(sum(0) == 0, "va_start: no variable arguments");
    CHECK(sum(3, -1, -2, 3) == 0, "va_copy: a copy reads the same arguments");
    CHECK(!strcmp(second(2, "a", "b"), "b"), "va_end: pointers through va_arg");
    CHECK(offsetof(struct layout, c) == 0 && offsetof(struct layout, i) >= 1 &&
          offsetof(struct layout, d) >= offsetof(struct layout, i) + sizeof(int),
          "offsetof: member offsets in declaration order");

    {
        struct utsname u;
        CHECK(uname(&u) >= 0, "uname: succeeds");
        CHECK(u.sysname[0] && u.nodename[0] && u.release[0] && u.version[0] && u.machine[0],
              "uname: every field is a non-empty string");
    }

    CHECK(fileno(stdin) == STDIN_FILENO && fileno(stdout) == STDOUT_FILENO && fileno(stderr) == STDERR_FILENO,
          "stdin: stdin, stdout and stderr are descriptors 0, 1 and 2");
    CHECK(fprintf(stderr, "# stderr\n") == 9, "stderr: writable");
    CHECK(vpr("# %s %d\n", "vprintf", 1) == 12, "vprintf: returns the bytes written");
    CHECK(getchar() == EOF, "getchar: EOF on an empty standard input");
    CHECK(getchar_unlocked() == EOF, "getchar_unlocked: EOF on an empty standard input");
    {
        int x = 0;
        CHECK(scanf("%d", &x) == EOF, "scanf: EOF on an empty standard input");
        FILE *f = fopen("/tmp/misc_s", "w+");
        fputs("31 x", f);
        rewind(f);
        CHECK(vfsc(f, "%d", &x) == 1 && x == 31, "vfscanf: converts with a va_list");
        fclose(f);
        unlink("/tmp/misc_s");
    }
    {
        char n1[L_tmpnam], n2[L_tmpnam];
        CHECK(tmpnam(n1) == n1 && tmpnam(n2) == n2 && strcmp(n1, n2) != 0, "tmpnam: distinct names");
        CHECK(access(n1, F_OK) != 0, "tmpnam: the name is of no existing file");
    }

    CHECK(vsc("%d", &fd) == EOF, "vscanf: EOF on an empty standard input");
    CHECK(fputs("", stdout) >= 0 && fileno(stdout) == 1, "stdout: writable, descriptor 1");
    {
        FILE *f = fopen("/tmp/misc_e", "w+");
        CHECK(!feof(f) && !ferror(f), "feof: clear on a new stream");
        CHECK(fgetc(f) == EOF && feof(f) && !ferror(f), "feof: set by reading at the end, not an error");
        clearerr(f);
        CHECK(!feof(f), "feof: cleared by clearerr");
        CHECK(!ferror(f), "ferror: clear after a successful operation");
        fputs("12345", f);
        CHECK(fseeko(f, 2, SEEK_SET) == 0 && ftello(f) == 2, "ftello: the position as off_t");
        CHECK(fseeko(f, 0, SEEK_END) == 0 && ftello(f) == 5, "ftello: at the end");
        flockfile(f);
        CHECK(fputc('x', f) == 'x', "flockfile: the owner keeps using the stream");
        funlockfile(f);
        CHECK(ftrylockfile(f) == 0, "funlockfile: the stream is free again");
        funlockfile(f);
        fclose(f);
        unlink("/tmp/misc_e");
    }
    {
        pthread_t t;
        void *r = NULL;
        pthread_create(&t, NULL, exits_early, (void *)42);
        CHECK(pthread_join(t, &r) == 0 && r == (void *)42, "pthread_exit: the value reaches pthread_join");
        int old = -1;
        CHECK(pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old) == 0 && old == PTHREAD_CANCEL_ENABLE,
              "pthread_setcancelstate: the initial state is PTHREAD_CANCEL_ENABLE");
        CHECK(pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old) == 0 && old == PTHREAD_CANCEL_DISABLE,
              "pthread_setcancelstate: gives back the previous state");
        CHECK_RC(pthread_setcancelstate(99, &old), EINVAL, "pthread_setcancelstate: invalid state: EINVAL");
        CHECK(pthread_setcanceltype(PTHREAD_CANCEL_DEFERRED, &old) == 0 && old == PTHREAD_CANCEL_DEFERRED,
              "pthread_setcanceltype: the initial type is PTHREAD_CANCEL_DEFERRED");
        CHECK_RC(pthread_setcanceltype(99, &old), EINVAL, "pthread_setcanceltype: invalid type: EINVAL");
        pthread_create(&t, NULL, cancel_point_loop, NULL);
        while (spin_until_cancelled == 0)
            usleep(1000);
        CHECK_RC(pthread_cancel(t), 0, "pthread_cancel: requests cancellation");
        CHECK(pthread_join(t, &r) == 0 && r == PTHREAD_CANCELED,
              "pthread_cancel: the thread ends at a cancellation point, joined as PTHREAD_CANCELED");
    }
    CHECK(atof("2.5e1") == 25.0, "atof: strtod(s, NULL)");
    {
        struct mq_attr at = { .mq_maxmsg = 2, .mq_msgsize = 16 };
        mqd_t q = mq_open("/misc_q", O_RDWR | O_CREAT, 0600, &at);
        CHECK(q != (mqd_t)-1, "mq_open: a queue for mq_timedreceive");
        struct timespec ts = conform_after(CLOCK_REALTIME, 20000000);
        unsigned prio = 0;
        CHECK_ERR(mq_timedreceive(q, buf, 16, &prio, &ts), ETIMEDOUT, "mq_timedreceive: empty queue: ETIMEDOUT at the deadline");
        mq_send(q, "hi", 2, 3);
        ts = conform_after(CLOCK_REALTIME, 20000000);
        CHECK(mq_timedreceive(q, buf, 16, &prio, &ts) == 2 && prio == 3, "mq_timedreceive: a waiting message at once");
        ts.tv_nsec = 2000000000;
        CHECK_ERR(mq_timedreceive(q, buf, 16, &prio, &ts), EINVAL, "mq_timedreceive: tv_nsec out of range: EINVAL");
        CHECK_ERR(mq_timedreceive(q, buf, 8, &prio, &ts), EMSGSIZE, "mq_timedreceive: buffer below mq_msgsize: EMSGSIZE");
        CHECK_ERR(mq_timedreceive((mqd_t)-5, buf, 16, &prio, &ts), EBADF, "mq_timedreceive: bad descriptor: EBADF");
        struct sigevent ev = { .sigev_notify = SIGEV_NONE };
        CHECK(mq_notify(q, &ev) == 0, "mq_notify: registers for notification");
        CHECK_ERR(mq_notify(q, &ev), EBUSY, "mq_notify: already registered: EBUSY");
        CHECK(mq_notify(q, NULL) == 0, "mq_notify: NULL removes the registration");
        CHECK_ERR(mq_notify((mqd_t)-5, NULL), EBADF, "mq_notify: bad descriptor: EBADF");
        mq_close(q);
        mq_unlink("/misc_q");
    }
    CONFORM_DONE();
}

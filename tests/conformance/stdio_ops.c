/*
 * <stdio.h> streams on files: opening modes, reading and writing, positioning, buffering, the
 * error and end-of-file indicators, formatted input and output, and the errors the standard
 * documents (EBADF, EINVAL, ENOENT), written from the standard's description.
 */
#include "conform.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define F "/tmp/stdio_ops.txt"

static int vfmt(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}

static int vsfmt(char *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vsprintf(buf, fmt, ap);
    va_end(ap);
    return r;
}

static int vscan(const char *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vsscanf(s, fmt, ap);
    va_end(ap);
    return r;
}

static int vfout(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vfprintf(f, fmt, ap);
    va_end(ap);
    return r;
}

int main(void)
{
    char buf[128];
    FILE *f = fopen(F, "w");
    CHECK(f != NULL, "fopen: \"w\" creates the file");
    CHECK(fputc('A', f) == 'A', "fputc: returns the character written");
    CHECK(putc('B', f) == 'B', "putc: returns the character written");
    CHECK(fputs("CD\n", f) >= 0, "fputs: non-negative on success");
    CHECK(fprintf(f, "%d-%s\n", 42, "x") == 5, "fprintf: returns the bytes written");
    CHECK(vfout(f, "%05d\n", 7) == 6, "vfprintf: returns the bytes written");
    CHECK(fwrite("0123456789", 1, 10, f) == 10, "fwrite: returns the items written");
    CHECK(fwrite("x", 1, 0, f) == 0, "fwrite: zero size or count writes nothing, returns 0");
    CHECK(ftell(f) == 26, "ftell: the write position");
    CHECK(fflush(f) == 0, "fflush: flushes an output stream");
    CHECK(fgetc(f) == EOF && ferror(f), "fgetc: reading a write-only stream sets the error indicator");
    clearerr(f);
    CHECK(!ferror(f) && !feof(f), "clearerr: clears the error and end-of-file indicators");
    CHECK(fclose(f) == 0, "fclose: returns 0");

    f = fopen(F, "r");
    CHECK(f != NULL, "fopen: \"r\" opens an existing file");
    CHECK(fgetc(f) == 'A', "fgetc: the first byte");
    CHECK(getc(f) == 'B', "getc: the next byte");
    CHECK(ungetc('Z', f) == 'Z', "ungetc: returns the pushed character");
    CHECK(fgetc(f) == 'Z', "ungetc: the pushed character is read next");
    CHECK(ungetc(EOF, f) == EOF, "ungetc: pushing EOF fails and leaves the stream");
    CHECK(fgets(buf, sizeof buf, f) == buf && !strcmp(buf, "CD\n"), "fgets: reads through the newline");
    CHECK(fgets(buf, 3, f) == buf && !strcmp(buf, "42"), "fgets: at most n-1 bytes, null-terminated");
    {
        int n = 0;
        char w[8];
        CHECK(fscanf(f, "-%1s %d", w, &n) == 2 && n == 7 && w[0] == 'x', "fscanf: conversions and the count");
    }
    CHECK(fgetc(f) == '\n', "fgetc: the newline after a conversion");
    CHECK(fread(buf, 1, 4, f) == 4 && !memcmp(buf, "0123", 4), "fread: returns the items read");
    {
        fpos_t pos;
        CHECK(fgetpos(f, &pos) == 0, "fgetpos: saves the position");
        fgetc(f);
        fgetc(f);
        CHECK(fsetpos(f, &pos) == 0 && fgetc(f) == '4', "fsetpos: returns to a saved position");
    }
    CHECK(fread(buf, 1, 100, f) == 5 && feof(f), "fread: a short count at end of file sets feof");
    CHECK(fgetc(f) == EOF, "fgetc: EOF at end of file");
    CHECK(fseek(f, 0, SEEK_SET) == 0 && !feof(f), "fseek: clears the end-of-file indicator");
    CHECK(fgetc(f) == 'A', "fseek: SEEK_SET to the start");
    CHECK(fseek(f, -2, SEEK_END) == 0 && fgetc(f) == '8', "fseek: SEEK_END relative");
    CHECK(fseek(f, -3, SEEK_CUR) == 0 && fgetc(f) == '6', "fseek: SEEK_CUR relative");
    CHECK_ERR(fseek(f, 0, 42), EINVAL, "fseek: bad whence: EINVAL");
    CHECK_ERR(fseek(f, -100, SEEK_SET), EINVAL, "fseek: negative position: EINVAL");
    CHECK(fseeko(f, 1, SEEK_SET) == 0 && ftello(f) == 1, "fseeko: and ftello");
    rewind(f);
    CHECK(ftell(f) == 0 && fgetc(f) == 'A', "rewind: back to the start");
    CHECK(fileno(f) >= 3, "fileno: the stream's descriptor");
    CHECK(fputc('x', f) == EOF && ferror(f), "fputc: writing a read-only stream fails, sets the error indicator");
    CHECK(fclose(f) == 0, "fclose: a read stream");

    f = fopen(F, "a");
    CHECK(f && fputs("END", f) >= 0 && fclose(f) == 0, "fopen: \"a\" appends");
    f = fopen(F, "r+");
    CHECK(f != NULL, "fopen: \"r+\" opens for update");
    CHECK(fseek(f, -3, SEEK_END) == 0 && fgets(buf, sizeof buf, f) && !strcmp(buf, "END"),
          "fopen: appended data is at the end");
    CHECK(fseek(f, 0, SEEK_SET) == 0 && fputc('a', f) == 'a' && fflush(f) == 0, "fopen: \"r+\" writes in place");
    rewind(f);
    CHECK(fgetc(f) == 'a' && fgetc(f) == 'B', "fopen: the update replaced one byte");
    fclose(f);
    f = fopen(F, "w+");
    CHECK(f && fgetc(f) == EOF, "fopen: \"w+\" truncates");
    fclose(f);
    errno = 0;
    CHECK(fopen("/tmp/no/such/dir/x", "r") == NULL && errno == ENOENT, "fopen: missing path: ENOENT");
    errno = 0;
    CHECK(fopen(F, "q") == NULL && errno == EINVAL, "fopen: bad mode: EINVAL");
    errno = 0;
    CHECK(fopen("/tmp", "w") == NULL && errno == EISDIR, "fopen: writing a directory: EISDIR");

    {
        int fd = open(F, O_RDWR);
        FILE *d = fdopen(fd, "r+");
        CHECK(d && fileno(d) == fd, "fdopen: a stream on the descriptor");
        if (d)
            fclose(d);
        errno = 0;
        CHECK(fdopen(-1, "r") == NULL && errno == EBADF, "fdopen: bad descriptor: EBADF");
        fd = open(F, O_RDONLY);
        errno = 0;
        FILE *w = fdopen(fd, "w");
        CHECK(w == NULL && errno == EINVAL, "fdopen: mode not allowed by the descriptor: EINVAL");
        if (w)
            fclose(w);
        close(fd);
    }
    {
        FILE *r = fopen(F, "w");
        FILE *r2 = freopen(F, "r", r);
        CHECK(r2 == r && fgetc(r2) == EOF, "freopen: reopens the same stream with a new mode");
        fclose(r2);
    }
    {
        FILE *t = tmpfile();
        CHECK(t != NULL, "tmpfile: opens a temporary file");
        if (t) {
            fputs("tmp", t);
            rewind(t);
            CHECK(fgets(buf, sizeof buf, t) && !strcmp(buf, "tmp"), "tmpfile: opened for update");
            fclose(t);
        }
    }
    {
        FILE *s = fopen(F, "w");
        static char big[256];
        CHECK(setvbuf(s, big, _IOFBF, sizeof big) == 0, "setvbuf: full buffering");
        fputs("buffered", s);
        struct stat;
        int fd = open(F, O_RDONLY);
        CHECK(read(fd, buf, sizeof buf) == 0, "setvbuf: nothing reaches the file before a flush");
        fflush(s);
        CHECK(read(fd, buf, sizeof buf) == 8, "fflush: the buffered bytes reach the file");
        close(fd);
        fclose(s);
        s = fopen(F, "w");
        CHECK(setvbuf(s, NULL, 99, 0) != 0, "setvbuf: an invalid mode fails");
        setbuf(s, NULL);
        fputs("u", s);
        fd = open(F, O_RDONLY);
        CHECK(read(fd, buf, sizeof buf) == 1, "setbuf: NULL makes the stream unbuffered");
        close(fd);
        fclose(s);
    }
    {
        FILE *s = fopen(F, "r");
        flockfile(s);
        CHECK(ftrylockfile(s) == 0, "ftrylockfile: the owner locks again (recursive)");
        funlockfile(s);
        funlockfile(s);
        CHECK(getc_unlocked(s) == 'u', "getc_unlocked: reads a byte");
        CHECK(ftrylockfile(s) == 0, "ftrylockfile: a free stream is locked");
        funlockfile(s);
        fclose(s);
        s = fopen(F, "w");
        CHECK(putc_unlocked('p', s) == 'p', "putc_unlocked: writes a byte");
        fclose(s);
    }

    CHECK(snprintf(buf, sizeof buf, "%d|%5s|%-3d|%x|%o|%c|%%", -12, "ab", 7, 255, 8, 'q') == 23 &&
          !strcmp(buf, "-12|   ab|7  |ff|10|q|%"), "snprintf: integer, string, char conversions");
    CHECK(snprintf(buf, 4, "abcdef") == 6 && !strcmp(buf, "abc"), "snprintf: truncates, returns the full length");
    CHECK(snprintf(NULL, 0, "%d", 12345) == 5, "snprintf: n == 0 only counts");
    CHECK(snprintf(buf, sizeof buf, "%lld %llu %zu", -1LL, 18446744073709551615ULL, (size_t)3) > 0 &&
          !strcmp(buf, "-1 18446744073709551615 3"), "snprintf: long long and size_t");
    CHECK(snprintf(buf, sizeof buf, "%.3s|%*d|%#x|%+d", "abcdef", 4, 5, 16, 3) > 0 &&
          !strcmp(buf, "abc|   5|0x10|+3"), "snprintf: precision, width from an argument, flags");
    CHECK(snprintf(buf, sizeof buf, "%2$s %1$s", "world", "hello") > 0 && !strcmp(buf, "hello world"),
          "snprintf: numbered arguments (%n$)");
    {
        int n = 0;
        snprintf(buf, sizeof buf, "abc%n", &n);
        CHECK(n == 3, "snprintf: %n stores the count so far");
    }
    CHECK(sprintf(buf, "%s-%d", "a", 1) == 3 && !strcmp(buf, "a-1"), "sprintf: formats into the buffer");
    CHECK(vfmt(buf, 5, "%d", 1234567) == 7 && !strcmp(buf, "1234"), "vsnprintf: truncates, returns the full length");
    CHECK(vsfmt(buf, "%c%c", 'o', 'k') == 2 && !strcmp(buf, "ok"), "vsprintf: formats into the buffer");
    {
        int a = 0, b = 0;
        char w[16];
        unsigned x = 0;
        CHECK(sscanf("12 abc 0x1f", "%d %15s %x", &a, w, &x) == 3 && a == 12 && !strcmp(w, "abc") && x == 31,
              "sscanf: %d %s %x");
        CHECK(sscanf("", "%d", &a) == EOF, "sscanf: input failure before a conversion: EOF");
        CHECK(sscanf("x", "%d", &a) == 0, "sscanf: matching failure: 0");
        CHECK(sscanf("7,8", "%d,%d", &a, &b) == 2 && a == 7 && b == 8, "sscanf: literal characters match");
        CHECK(sscanf("abc123", "%[a-z]%d", w, &a) == 2 && !strcmp(w, "abc") && a == 123, "sscanf: scan set");
        CHECK(sscanf("5 6", "%*d %d", &a) == 1 && a == 6, "sscanf: assignment suppression");
        CHECK(vscan("99", "%d", &a) == 1 && a == 99, "vsscanf: converts with a va_list");
    }
    CHECK(remove(F) == 0, "remove: removes a file");
    CHECK_ERR(remove(F), ENOENT, "remove: missing file: ENOENT");
    {
        FILE *r1 = fopen("/tmp/stdio_a", "w");
        fputs("r", r1);
        fclose(r1);
        CHECK(rename("/tmp/stdio_a", "/tmp/stdio_b") == 0 && access("/tmp/stdio_b", F_OK) == 0 &&
              access("/tmp/stdio_a", F_OK) != 0, "rename: moves a file");
        CHECK_ERR(rename("/tmp/stdio_a", "/tmp/stdio_c"), ENOENT, "rename: missing source: ENOENT");
        unlink("/tmp/stdio_b");
    }
    {
        FILE *bad = fopen("/tmp/stdio_c", "w");
        close(fileno(bad));
        fputc('x', bad);
        errno = 0;
        CHECK(fflush(bad) == EOF && errno == EBADF, "fflush: the descriptor is closed: EOF and EBADF");
        fclose(bad);
        unlink("/tmp/stdio_c");
    }
    CHECK(putchar('\n') == '\n', "putchar: returns the character written");
    CHECK(puts("# puts") >= 0, "puts: non-negative on success");
    CHECK(printf("# printf %d\n", 1) == 11, "printf: returns the bytes written");
    fflush(stdout);
    CHECK(putchar_unlocked('\n') == '\n', "putchar_unlocked: returns the character written");
    errno = ENOENT;
    perror("# perror");
    CHECK(errno == ENOENT, "perror: leaves errno as it was");
    CHECK(BUFSIZ >= 256 && FILENAME_MAX > 0 && L_tmpnam > 0 && TMP_MAX >= 10000,
          "stdio.h: BUFSIZ, FILENAME_MAX, L_tmpnam and TMP_MAX");
    CHECK(EOF < 0 && SEEK_SET != SEEK_CUR && SEEK_CUR != SEEK_END, "stdio.h: EOF and the SEEK_ constants");
    CONFORM_DONE();
}

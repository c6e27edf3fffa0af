/*
 * <stdlib.h> and <inttypes.h>: integer arithmetic, numeric conversions with their ERANGE and
 * EINVAL cases, sorting and searching, pseudo-random numbers, the environment and the multibyte
 * functions of the POSIX locale, written from the standard's description.
 */
#include "conform.h"
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int main(void)
{
    char *end;

    CHECK(abs(-5) == 5 && abs(5) == 5 && abs(0) == 0, "abs: absolute value");
    CHECK(labs(-70000L) == 70000L, "labs: absolute value");
    CHECK(llabs(-5000000000LL) == 5000000000LL, "llabs: absolute value");
    CHECK(imaxabs(-((intmax_t)1 << 40)) == (intmax_t)1 << 40, "imaxabs: absolute value");
    {
        div_t d = div(-7, 2);
        CHECK(d.quot == -3 && d.rem == -1, "div: quotient truncated toward zero");
        d = div(7, 3);
        CHECK(d.quot * 3 + d.rem == 7, "div: quot * denom + rem == numer");
        ldiv_t l = ldiv(100000L, 7L);
        CHECK(l.quot == 14285L && l.rem == 5L, "ldiv: quotient and remainder");
        lldiv_t ll = lldiv(-10000000000LL, 3LL);
        CHECK(ll.quot == -3333333333LL && ll.rem == -1, "lldiv: quotient and remainder");
        imaxdiv_t im = imaxdiv(17, -5);
        CHECK(im.quot == -3 && im.rem == 2, "imaxdiv: quotient and remainder");
    }

    CHECK(atoi("  -42xyz") == -42, "atoi: leading space, sign, stops at a non-digit");
    CHECK(atoi("") == 0, "atoi: empty string is 0");
    CHECK(atol("123456") == 123456L, "atol: decimal");
    CHECK(atoll("-9000000000") == -9000000000LL, "atoll: a 64-bit value");

    errno = 0;
    CHECK(strtol("  0x1fZ", &end, 16) == 31 && *end == 'Z', "strtol: base 16 with 0x, end pointer");
    CHECK(strtol("0x1f", &end, 0) == 31, "strtol: base 0 detects hexadecimal");
    CHECK(strtol("017", &end, 0) == 15, "strtol: base 0 detects octal");
    CHECK(strtol("z", &end, 36) == 35, "strtol: base 36");
    CHECK(strtol("-101", &end, 2) == -5, "strtol: base 2 with a sign");
    CHECK(strtol("abc", &end, 10) == 0 && !strcmp(end, "abc"), "strtol: no digits: 0, end == str");
    errno = 0;
    CHECK(strtol("99999999999999999999", &end, 10) == LONG_MAX && errno == ERANGE, "strtol: overflow: LONG_MAX and ERANGE");
    errno = 0;
    CHECK(strtol("-99999999999999999999", &end, 10) == LONG_MIN && errno == ERANGE, "strtol: underflow: LONG_MIN and ERANGE");
    errno = 0;
    strtol("12", &end, 1);
    CHECK(errno == EINVAL, "strtol: base 1: EINVAL");
    errno = 0;
    strtol("12", &end, 37);
    CHECK(errno == EINVAL, "strtol: base 37: EINVAL");
    errno = 0;
    CHECK(strtoul("4294967295", &end, 10) == 4294967295UL && errno == 0, "strtoul: ULONG range top fits");
    CHECK(strtoul("-1", &end, 10) == ULONG_MAX, "strtoul: a minus sign negates in the unsigned type");
    errno = 0;
    CHECK(strtoul("999999999999999999999", &end, 10) == ULONG_MAX && errno == ERANGE, "strtoul: overflow: ULONG_MAX and ERANGE");
    errno = 0;
    CHECK(strtoll("-9223372036854775808", &end, 10) == LLONG_MIN && errno == 0, "strtoll: LLONG_MIN exactly");
    errno = 0;
    CHECK(strtoll("9223372036854775808", &end, 10) == LLONG_MAX && errno == ERANGE, "strtoll: overflow: ERANGE");
    errno = 0;
    CHECK(strtoull("18446744073709551615", &end, 10) == ULLONG_MAX && errno == 0, "strtoull: ULLONG_MAX exactly");
    errno = 0;
    CHECK(strtoull("18446744073709551616", &end, 10) == ULLONG_MAX && errno == ERANGE, "strtoull: overflow: ERANGE");
    errno = 0;
    CHECK(strtoimax("-77", &end, 8) == -63 && errno == 0, "strtoimax: octal with a sign");
    errno = 0;
    CHECK(strtoimax("999999999999999999999", &end, 10) == INTMAX_MAX && errno == ERANGE, "strtoimax: overflow: ERANGE");
    CHECK(strtoumax("ff", &end, 16) == 255, "strtoumax: hexadecimal");
    errno = 0;
    strtoumax("1", &end, 99);
    CHECK(errno == EINVAL, "strtoumax: invalid base: EINVAL");

    {
        int v[] = { 5, -1, 9, 3, 3, 0, 12, -7 };
        qsort(v, 8, sizeof v[0], cmp_int);
        int sorted = 1;
        for (int i = 1; i < 8; i++)
            sorted &= v[i - 1] <= v[i];
        CHECK(sorted, "qsort: sorts ascending by the comparison");
        qsort(v, 0, sizeof v[0], cmp_int);
        CHECK(v[0] == -7, "qsort: nel == 0 leaves the array");
        int key = 9;
        int *hit = bsearch(&key, v, 8, sizeof v[0], cmp_int);
        CHECK(hit && *hit == 9, "bsearch: finds a present key");
        key = 4;
        CHECK(bsearch(&key, v, 8, sizeof v[0], cmp_int) == NULL, "bsearch: absent key: NULL");
        CHECK(bsearch(&key, v, 0, sizeof v[0], cmp_int) == NULL, "bsearch: empty array: NULL");
    }

    {
        srand(7);
        int a1 = rand(), a2 = rand();
        srand(7);
        int b1 = rand(), b2 = rand();
        CHECK(a1 == b1 && a2 == b2, "srand: the same seed repeats the sequence");
        CHECK(a1 >= 0 && a1 <= RAND_MAX && a2 >= 0 && a2 <= RAND_MAX, "rand: within [0, RAND_MAX]");
        CHECK(RAND_MAX >= 32767, "rand: RAND_MAX is at least 32767");
        unsigned seed = 99, seed2 = 99;
        int r1 = rand_r(&seed), r2 = rand_r(&seed2);
        CHECK(r1 == r2 && r1 >= 0 && r1 <= RAND_MAX, "rand_r: reproducible from the caller's seed");
        CHECK(seed == seed2, "rand_r: updates the seed the same way");
    }

    CHECK(setenv("BK_CONF", "one", 1) == 0 && !strcmp(getenv("BK_CONF"), "one"), "setenv: adds a variable");
    CHECK(setenv("BK_CONF", "two", 0) == 0 && !strcmp(getenv("BK_CONF"), "one"), "setenv: overwrite == 0 keeps the value");
    CHECK(setenv("BK_CONF", "two", 1) == 0 && !strcmp(getenv("BK_CONF"), "two"), "setenv: overwrite != 0 replaces");
    CHECK_ERR(setenv("", "x", 1), EINVAL, "setenv: empty name: EINVAL");
    CHECK_ERR(setenv("A=B", "x", 1), EINVAL, "setenv: name with '=': EINVAL");
    CHECK(unsetenv("BK_CONF") == 0 && getenv("BK_CONF") == NULL, "unsetenv: removes the variable");
    CHECK(unsetenv("BK_CONF") == 0, "unsetenv: an absent name is not an error");
    CHECK_ERR(unsetenv(""), EINVAL, "unsetenv: empty name: EINVAL");
    CHECK_ERR(unsetenv("A=B"), EINVAL, "unsetenv: name with '=': EINVAL");
    CHECK(getenv("BK_NEVER_SET_123") == NULL, "getenv: absent name: NULL");
    {
        static char pe[] = "BK_PUT=yes";
        CHECK(putenv(pe) == 0 && !strcmp(getenv("BK_PUT"), "yes"), "putenv: the string becomes the environment");
        pe[7] = 'n';
        CHECK(getenv("BK_PUT") && getenv("BK_PUT")[0] == 'n', "putenv: the string itself, not a copy");
        unsetenv("BK_PUT");
    }

    {
        void *p = malloc(0);
        free(p);
        CHECK(1, "malloc: malloc(0) returns NULL or a pointer free accepts");
        p = malloc(100);
        CHECK(p && ((uintptr_t)p % sizeof(long)) == 0, "malloc: suitably aligned");
        memset(p, 0x5a, 100);
        char *q = realloc(p, 400);
        CHECK(q && q[99] == 0x5a && q[0] == 0x5a, "realloc: grows, keeping the contents");
        q = realloc(q, 10);
        CHECK(q && q[9] == 0x5a, "realloc: shrinks, keeping the contents");
        free(q);
        q = realloc(NULL, 16);
        CHECK(q != NULL, "realloc: NULL pointer acts as malloc");
        free(q);
        free(NULL);
        CHECK(1, "free: free(NULL) does nothing");
        int *z = calloc(10, sizeof(int));
        int zero = 1;
        for (int i = 0; z && i < 10; i++)
            zero &= z[i] == 0;
        CHECK(z && zero, "calloc: zeroed");
        free(z);
        errno = 0;
        CHECK(calloc(SIZE_MAX / 2, 4) == NULL && errno == ENOMEM, "calloc: overflowing size: NULL and ENOMEM");
        errno = 0;
        CHECK(realloc(NULL, SIZE_MAX - 64) == NULL && errno == ENOMEM, "realloc: impossible size: NULL and ENOMEM");
        void *al = NULL;
        CHECK(posix_memalign(&al, 64, 100) == 0 && ((uintptr_t)al % 64) == 0, "posix_memalign: aligned as asked");
        free(al);
        CHECK(posix_memalign(&al, 3, 8) == EINVAL, "posix_memalign: alignment not a power of two: EINVAL");
        CHECK(posix_memalign(&al, sizeof(void *) / 2, 8) == EINVAL, "posix_memalign: alignment below sizeof(void *): EINVAL");
    }

    {
        wchar_t wc = 0;
        char mb[8];
        CHECK(mblen(NULL, 0) == 0, "mblen: POSIX locale has no shift state");
        CHECK(mblen("a", 1) == 1, "mblen: a single-byte character");
        CHECK(mblen("", 1) == 0, "mblen: the null character: 0");
        CHECK(mbtowc(&wc, "Z", 1) == 1 && wc == L'Z', "mbtowc: converts a character");
        CHECK(mbtowc(&wc, "", 1) == 0 && wc == 0, "mbtowc: the null character: 0");
        CHECK(wctomb(mb, L'q') == 1 && mb[0] == 'q', "wctomb: converts a wide character");
        CHECK(wctomb(NULL, 0) == 0, "wctomb: no state-dependent encoding");
        wchar_t ws[8];
        CHECK(mbstowcs(ws, "abc", 8) == 3 && ws[2] == L'c' && ws[3] == 0, "mbstowcs: converts the string");
        CHECK(wcstombs(mb, L"xyz", sizeof mb) == 3 && !strcmp(mb, "xyz"), "wcstombs: converts the string");
        CHECK(MB_CUR_MAX >= 1, "stdlib.h: MB_CUR_MAX is at least 1");
    }
    {
        char tmpl[] = "/tmp/bkmkXXXXXX";
        int fd = mkstemp(tmpl);
        CHECK(fd >= 0 && strncmp(tmpl, "/tmp/bkmk", 9) == 0 && !strstr(tmpl, "XXXXXX"),
              "mkstemp: makes and opens a unique file");
        if (fd >= 0) {
            close(fd);
            unlink(tmpl);
        }
        char bad[] = "/tmp/noXs";
        CHECK_ERR(mkstemp(bad), EINVAL, "mkstemp: template without XXXXXX: EINVAL");
    }
    {
        char *r = realpath("/tmp/../tmp/./", NULL);
        CHECK(r && !strcmp(r, "/tmp"), "realpath: resolves . and ..");
        free(r);
        char out[256];
        errno = 0;
        CHECK(realpath("/no/such/dir", out) == NULL && errno == ENOENT, "realpath: missing path: ENOENT");
    }
    CONFORM_DONE();
}

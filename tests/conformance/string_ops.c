/*
 * <string.h> and <strings.h>: each function's required results, written from the standard's
 * description (XSH), including the boundary cases it spells out (zero lengths, the terminating
 * null byte, overlapping moves, tokens across calls).
 */
#include "conform.h"
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int sign(int v) { return (v > 0) - (v < 0); }

int main(void)
{
    char buf[64];
    const char *s = "hello, world";

    CHECK(memchr(s, 'o', 12) == s + 4, "memchr: finds the first occurrence");
    CHECK(memchr(s, 'o', 4) == NULL, "memchr: only looks at n bytes");
    CHECK(memchr(s, '\0', 13) == s + 12, "memchr: finds the null byte");
    CHECK(memchr(s, 'h' + 256, 12) == s, "memchr: c is converted to unsigned char");
    CHECK(memchr(s, 'h', 0) == NULL, "memchr: n == 0 finds nothing");

    CHECK(memcmp("abc", "abd", 3) < 0, "memcmp: lower byte compares less");
    CHECK(memcmp("abd", "abc", 3) > 0, "memcmp: higher byte compares greater");
    CHECK(memcmp("abc", "abd", 2) == 0, "memcmp: only n bytes compared");
    CHECK(memcmp("a", "b", 0) == 0, "memcmp: n == 0 is equal");
    CHECK(memcmp("\x80", "\x01", 1) > 0, "memcmp: bytes compare as unsigned char");

    CHECK(memcpy(buf, "abcdef", 7) == buf && !strcmp(buf, "abcdef"), "memcpy: copies and returns s1");
    CHECK(memcpy(buf, "zz", 0) == buf && buf[0] == 'a', "memcpy: n == 0 copies nothing");

    strcpy(buf, "0123456789");
    CHECK(memmove(buf + 2, buf, 5) == buf + 2 && !strcmp(buf, "0101234789"),
          "memmove: overlapping move forward");
    strcpy(buf, "0123456789");
    CHECK(memmove(buf, buf + 3, 5) == buf && !strcmp(buf, "3456756789"),
          "memmove: overlapping move backward");

    CHECK(memset(buf, 'x', 3) == buf && !memcmp(buf, "xxx6", 4), "memset: fills and returns s");
    CHECK(memset(buf, 0x141, 1) == buf && buf[0] == 0x41, "memset: c is converted to unsigned char");
    memset(buf, 'y', (size_t)0);
    CHECK(buf[0] == 0x41, "memset: n == 0 writes nothing");

    strcpy(buf, "abc");
    CHECK(strcat(buf, "def") == buf && !strcmp(buf, "abcdef"), "strcat: appends and returns s1");
    CHECK(strcat(buf, "") == buf && !strcmp(buf, "abcdef"), "strcat: empty source");
    strcpy(buf, "ab");
    CHECK(strncat(buf, "cdef", 2) == buf && !strcmp(buf, "abcd"), "strncat: at most n bytes, then a null");
    CHECK(strncat(buf, "xy", 10) == buf && !strcmp(buf, "abcdxy"), "strncat: stops at the source's null");
    CHECK(strncat(buf, "zz", 0) == buf && !strcmp(buf, "abcdxy"), "strncat: n == 0");

    CHECK(strchr(s, 'o') == s + 4, "strchr: first occurrence");
    CHECK(strchr(s, 'q') == NULL, "strchr: absent character: NULL");
    CHECK(strchr(s, '\0') == s + 12, "strchr: the null byte is part of the string");
    CHECK(strrchr(s, 'o') == s + 8, "strrchr: last occurrence");
    CHECK(strrchr(s, 'q') == NULL, "strrchr: absent character: NULL");
    CHECK(strrchr(s, '\0') == s + 12, "strrchr: the null byte is part of the string");

    CHECK(strcmp("abc", "abc") == 0, "strcmp: equal strings");
    CHECK(strcmp("abc", "abd") < 0, "strcmp: less");
    CHECK(strcmp("abd", "abc") > 0, "strcmp: greater");
    CHECK(strcmp("ab", "abc") < 0, "strcmp: a prefix compares less");
    CHECK(strcmp("\xff", "a") > 0, "strcmp: bytes compare as unsigned char");
    CHECK(strncmp("abcx", "abcy", 3) == 0, "strncmp: only n bytes");
    CHECK(strncmp("abc", "abd", 3) < 0, "strncmp: less within n");
    CHECK(strncmp("ab", "abc", 5) < 0, "strncmp: stops at a null byte");
    CHECK(strncmp("x", "y", 0) == 0, "strncmp: n == 0 is equal");

    CHECK(sign(strcoll("abc", "abd")) == sign(strcmp("abc", "abd")), "strcoll: POSIX locale orders as strcmp (less)");
    CHECK(strcoll("same", "same") == 0, "strcoll: equal strings");
    CHECK(sign(strcoll("b", "a")) == 1, "strcoll: greater");
    {
        char x1[16], x2[16];
        size_t n1 = strxfrm(x1, "abc", sizeof x1), n2 = strxfrm(x2, "abd", sizeof x2);
        CHECK(n1 == 3 && n2 == 3, "strxfrm: returns the transformed length");
        CHECK(strcmp(x1, x2) < 0, "strxfrm: transformed strings compare as strcoll");
        CHECK(strxfrm(NULL, "abcdef", 0) == 6, "strxfrm: n == 0 only measures");
    }

    CHECK(strcpy(buf, "copy") == buf && !strcmp(buf, "copy"), "strcpy: copies with the null, returns s1");
    CHECK(strcpy(buf, "") == buf && buf[0] == 0, "strcpy: empty string");
    memset(buf, 'Z', 10);
    CHECK(strncpy(buf, "ab", 5) == buf && !memcmp(buf, "ab\0\0\0Z", 6), "strncpy: pads with null bytes to n");
    memset(buf, 'Z', 10);
    CHECK(strncpy(buf, "abcdef", 3) == buf && !memcmp(buf, "abcZ", 4), "strncpy: no null when the source is longer");
    CHECK(stpcpy(buf, "ab") == buf + 2 && !strcmp(buf, "ab"), "stpcpy: returns the end of the copy");
    memset(buf, 'Z', 10);
    CHECK(stpncpy(buf, "ab", 4) == buf + 2 && !memcmp(buf, "ab\0\0Z", 5), "stpncpy: returns the first null written");

    CHECK(strcspn("abcde", "dc") == 2, "strcspn: span without the reject set");
    CHECK(strcspn("abc", "") == 3, "strcspn: empty reject set: whole length");
    CHECK(strspn("aabbcx", "ab") == 4, "strspn: span of the accept set");
    CHECK(strspn("xab", "ab") == 0, "strspn: first byte outside: 0");
    CHECK(strpbrk(s, "wo") == s + 4, "strpbrk: first byte of the set");
    CHECK(strpbrk(s, "XYZ") == NULL, "strpbrk: none: NULL");

    CHECK(strlen("") == 0, "strlen: empty string");
    CHECK(strlen(s) == 12, "strlen: length without the null");
    CHECK(strnlen(s, 5) == 5, "strnlen: at most maxlen");
    CHECK(strnlen(s, 50) == 12, "strnlen: the length when shorter");

    CHECK(strstr(s, "world") == s + 7, "strstr: finds the substring");
    CHECK(strstr(s, "worlds") == NULL, "strstr: absent: NULL");
    CHECK(strstr(s, "") == s, "strstr: empty needle: s1");

    {
        char t[] = "  a,b;;c ";
        char *p1 = strtok(t, " ,;");
        char *p2 = strtok(NULL, " ,;");
        char *p3 = strtok(NULL, " ,;");
        char *p4 = strtok(NULL, " ,;");
        CHECK(p1 && !strcmp(p1, "a"), "strtok: skips leading separators");
        CHECK(p2 && !strcmp(p2, "b"), "strtok: continues from the saved position");
        CHECK(p3 && !strcmp(p3, "c"), "strtok: runs of separators are one");
        CHECK(p4 == NULL, "strtok: NULL at the end");
        char u[] = ";;;";
        CHECK(strtok(u, ";") == NULL, "strtok: only separators: NULL");
    }
    {
        char t[] = "x=1&y=2", *save = NULL, *a, *b;
        char *k1 = strtok_r(t, "&", &save);
        char *k2 = strtok_r(NULL, "&", &save);
        CHECK(k1 && !strcmp(k1, "x=1") && k2 && !strcmp(k2, "y=2"), "strtok_r: tokens with the caller's state");
        CHECK(strtok_r(NULL, "&", &save) == NULL, "strtok_r: NULL after the last token");
        char p[] = "a b", q[] = "c d", *sp, *sq;
        a = strtok_r(p, " ", &sp);
        b = strtok_r(q, " ", &sq);
        CHECK(a && b && !strcmp(strtok_r(NULL, " ", &sp), "b") && !strcmp(strtok_r(NULL, " ", &sq), "d"),
              "strtok_r: two interleaved scans");
    }

    CHECK(strerror(ENOENT) != NULL && strlen(strerror(ENOENT)) > 0, "strerror: a message for ENOENT");
    CHECK(strcmp(strerror(EINVAL), strerror(ENOENT)) != 0, "strerror: distinct messages");
    CHECK(strerror(-12345) != NULL, "strerror: an unknown number still gives a string");
    {
        /* Apps are built with _GNU_SOURCE, which selects the GNU strerror_r. */
        char *m = strerror_r(ENOENT, buf, sizeof buf);
        CHECK(m && !strcmp(m, strerror(ENOENT)), "strerror_r: the message strerror gives");
    }
    {
        char *d = strdup("dup me");
        CHECK(d && d != buf && !strcmp(d, "dup me"), "strdup: a malloc'd copy");
        free(d);
        d = strndup("abcdef", 3);
        CHECK(d && !strcmp(d, "abc"), "strndup: at most n bytes, null-terminated");
        free(d);
    }
    CHECK(strsignal(SIGINT) != NULL, "strsignal: a description of SIGINT");

    /* <strings.h> */
    CHECK(strcasecmp("HeLLo", "hello") == 0, "strcasecmp: case is ignored");
    CHECK(strcasecmp("abc", "ABD") < 0, "strcasecmp: less");
    CHECK(strcasecmp("b", "A") > 0, "strcasecmp: greater");
    CHECK(strncasecmp("ABcx", "abCy", 3) == 0, "strncasecmp: n bytes, case ignored");
    CHECK(strncasecmp("a", "b", 0) == 0, "strncasecmp: n == 0 is equal");
    CHECK(ffs(0) == 0, "ffs: 0 has no set bit");
    CHECK(ffs(1) == 1 && ffs(0x80) == 8, "ffs: position of the least significant set bit");
    CHECK(ffs(INT_MIN) == (int)(sizeof(int) * CHAR_BIT), "ffs: the sign bit");
    CONFORM_DONE();
}

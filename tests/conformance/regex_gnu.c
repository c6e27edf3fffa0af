/* regcomp() of the GNU forms glibc accepts and programs built against it use: `\|` alternation
 * in a basic RE (busybox sed 's/^a\|b//g', 's,\(^/\|\)[^/]...,') and the empty pattern (grep -v
 * -f EMPTY_FILE), which matches every string. The BSD library under picolibc refused both
 * (REG_EMPTY, or `\|` as a literal `|`). Plain basic and extended REs behave as before. */
#include <regex.h>
#include <string.h>

#include "conform.h"

/* 1 + where the first match of `re` in `s` starts and ends (so, eo), or 0 when none/error. */
static int match(const char *re, int cflags, const char *s, int *so, int *eo)
{
    regex_t r;
    regmatch_t m[4];
    if (regcomp(&r, re, cflags) != 0)
        return 0;
    int rc = regexec(&r, s, 4, m, 0);
    regfree(&r);
    if (rc != 0)
        return 0;
    *so = (int)m[0].rm_so;
    *eo = (int)m[0].rm_eo;
    return 1;
}

int main(void)
{
    int so = -1, eo = -1;
    CHECK(match("a\\|b", 0, "xxbxa", &so, &eo) && so == 2 && eo == 3,
          "regcomp: `\\|` alternates in a basic RE");
    CHECK(match("^a\\|b", 0, "abca", &so, &eo) && so == 0 && eo == 1,
          "regcomp: `^` anchors the first alternative only");
    CHECK(match("^a\\|b", 0, "cab", &so, &eo) && so == 2 && eo == 3,
          "regcomp: `^a\\|b` finds b when the line does not start with a");
    CHECK(match("\\(^/\\|\\)[^/][^/]*", 0, "/usr/lib", &so, &eo) && so == 0 && eo == 4,
          "regcomp: a group with an empty alternative matches the longer one");
    CHECK(match("\\(^/\\|\\)[^/][^/]*", 0, "lib/x", &so, &eo) && so == 0 && eo == 3,
          "regcomp: ... and the empty one");
    CHECK(match("x\\(ab\\|cd\\)*y", 0, "-xabcdaby-", &so, &eo) && so == 1 && eo == 9,
          "regcomp: alternation inside a repeated group");
    CHECK(match("a|b\\|c", 0, "xa|b", &so, &eo) && so == 1 && eo == 4,
          "regcomp: a plain `|` stays literal in a basic RE with `\\|`");
    CHECK(match("a*\\|q", 0, "*aa", &so, &eo) && so == 0 && eo == 0,
          "regcomp: `*` after a literal stays a repetition");
    CHECK(match("\\*x\\|q", 0, "a*x", &so, &eo) && so == 1 && eo == 3,
          "regcomp: an escaped `*` stays literal");
    CHECK(match("[|]\\|z", 0, "a|", &so, &eo) && so == 1 && eo == 2,
          "regcomp: a bracket expression is copied as it is");
    CHECK(match("", 0, "test", &so, &eo) && so == 0 && eo == 0,
          "regcomp: the empty basic RE matches every string");
    CHECK(match("", REG_EXTENDED, "", &so, &eo) && so == 0 && eo == 0,
          "regcomp: the empty extended RE matches the empty string");
    CHECK(match("a|b", 0, "a|b", &so, &eo) && so == 0 && eo == 3,
          "regcomp: a basic RE without `\\|` is unchanged (`|` literal)");
    CHECK(match("\\(a\\)\\1", 0, "xaa", &so, &eo) && so == 1 && eo == 3,
          "regcomp: back-references still work in a basic RE");
    CHECK(match("a|b", REG_EXTENDED, "xb", &so, &eo) && so == 1 && eo == 2,
          "regcomp: extended REs are unchanged");
    return conform_failed;
}

/*
 * regcomp() for the two GNU behaviours the BSD regex library under picolibc lacks (regex.h).
 * Neither is POSIX: `\|` in a basic RE is undefined there, and an empty RE is the library's
 * choice. A basic RE with `\|` is rewritten as the extended RE it means and compiled as one;
 * an empty pattern compiles as `()`, which matches the empty string everywhere. Anything
 * else, and any pattern the rewrite does not cover (back-references, which extended REs lack
 * here; an empty alternative outside a group), goes to picolibc as it came.
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#undef regcomp

/* The index of the `]` that closes the bracket expression opening at p[i] (a `]` first, or
 * after `^`, is a member; so is anything inside `[:...:]`, `[=...=]`, `[. ... .]`), or 0 when
 * the pattern ends first. */
static size_t bracket_end(const char *p, size_t i)
{
    size_t j = i + 1;
    if (p[j] == '^')
        j++;
    if (p[j] == ']')
        j++;
    while (p[j] && p[j] != ']') {
        if (p[j] == '[' && (p[j + 1] == ':' || p[j + 1] == '=' || p[j + 1] == '.')) {
            char t = p[j + 1];
            j += 2;
            while (p[j] && !(p[j] == t && p[j + 1] == ']'))
                j++;
            if (p[j])
                j++;
        }
        if (p[j])
            j++;
    }
    return p[j] ? j : 0;
}

/* `\|` outside a bracket expression. */
static int has_bre_alternation(const char *p)
{
    for (size_t i = 0; p[i]; i++) {
        if (p[i] == '\\' && p[i + 1]) {
            if (p[i + 1] == '|')
                return 1;
            i++;
        } else if (p[i] == '[') {
            size_t j = bracket_end(p, i);
            if (!j)
                return 0;
            i = j;
        }
    }
    return 0;
}

/* The extended RE a GNU basic RE with `\|` means, or NULL when the rewrite does not apply.
 * An empty alternative inside a group becomes the group made optional: `\(a\|\)` is `(a)?`
 * (the BSD library refuses empty alternatives). */
static char *bre_to_ere(const char *p)
{
    size_t n = strlen(p);
    char *out = malloc(n * 2 + 2);
    /* per open group: where its `(` is in `out`, and whether it had an empty branch */
    size_t open_at[32];
    int empty[32];
    int depth = 0;
    if (!out)
        return NULL;
    size_t o = 0;
    size_t bstart = 0;  /* where the current branch's text starts in `out` */
    int at_start = 1;   /* where `*` is literal and `^` an anchor: start, after ( and | */
    for (size_t i = 0; p[i]; i++) {
        char c = p[i];
        if (c == '\\' && p[i + 1]) {
            char d = p[++i];
            if (d == '(') {
                if (depth == 32)
                    goto fail;
                open_at[depth] = o;
                empty[depth++] = 0;
                out[o++] = '(';
                bstart = o;
                at_start = 1;
                continue;
            }
            if (d == '|') {
                if (o == bstart) {
                    if (depth == 0)
                        goto fail;
                    empty[depth - 1] = 1; /* nothing emitted: the branch just vanishes */
                } else {
                    out[o++] = '|';
                    bstart = o;
                }
                at_start = 1;
                continue;
            }
            if (d == ')') {
                if (depth == 0)
                    goto fail;
                depth--;
                if (o == bstart && bstart != open_at[depth] + 1) {
                    empty[depth] = 1;
                    o--; /* the `|` that led to an empty branch */
                } else if (o == bstart) {
                    empty[depth] = 1;
                }
                out[o++] = ')';
                if (empty[depth] && out[o - 2] != '(')
                    out[o++] = '?';
                /* the enclosing branch has text now */
                bstart = 0;
                at_start = 0;
                continue;
            }
            if (d >= '1' && d <= '9')
                goto fail;
            if (d == '{' || d == '}') {
                out[o++] = d;
            } else if (d == '+' || d == '?') {
                out[o++] = d; /* GNU's \+ and \? */
            } else {
                out[o++] = '\\';
                out[o++] = d;
            }
            at_start = 0;
            continue;
        }
        if (c == '[') {
            size_t j = bracket_end(p, i);
            if (!j)
                goto fail;
            memcpy(out + o, p + i, j - i + 1);
            o += j - i + 1;
            i = j;
            at_start = 0;
            continue;
        }
        if (c == '^') {
            if (!at_start)
                out[o++] = '\\';
            out[o++] = '^';
            continue; /* a `*` after the anchor is still literal */
        }
        if (c == '$') {
            int anchor = p[i + 1] == '\0' ||
                         (p[i + 1] == '\\' && (p[i + 2] == ')' || p[i + 2] == '|'));
            if (!anchor)
                out[o++] = '\\';
            out[o++] = '$';
            at_start = 0;
            continue;
        }
        if (c == '*' && at_start) {
            out[o++] = '\\';
            out[o++] = '*';
            at_start = 0;
            continue;
        }
        if (strchr("(){}|+?", c))
            out[o++] = '\\';
        out[o++] = c;
        at_start = 0;
    }
    if (depth != 0 || (o == bstart && o > 0 && out[o - 1] == '|'))
        goto fail;
    out[o] = '\0';
    return out;
fail:
    free(out);
    return NULL;
}

/* POSIX regcomp() as picolibc has it, plus the two GNU forms; see the top of this file. */
int __bk_regcomp(regex_t *restrict preg, const char *restrict pattern, int cflags)
{
    if (pattern && pattern[0] == '\0')
        return regcomp(preg, "()", cflags | REG_EXTENDED);
    if (pattern && !(cflags & REG_EXTENDED) && has_bre_alternation(pattern)) {
        char *ere = bre_to_ere(pattern);
        if (ere) {
            int rc = regcomp(preg, ere, cflags | REG_EXTENDED);
            free(ere);
            return rc;
        }
    }
    return regcomp(preg, pattern, cflags);
}

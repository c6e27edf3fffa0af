/*
 * <ctype.h> in the POSIX locale: every classification function against every 7-bit character,
 * compared with the classes POSIX's locale definition gives (XBD 7.3.1), plus toupper/tolower.
 * One check per function per character class boundary sample.
 */
#include "conform.h"
#include <ctype.h>
#include <stdio.h>

/* The POSIX locale's classes, written from XBD 7.3.1 (not from any libc's tables). */
static int want_upper(int c) { return c >= 'A' && c <= 'Z'; }
static int want_lower(int c) { return c >= 'a' && c <= 'z'; }
static int want_digit(int c) { return c >= '0' && c <= '9'; }
static int want_alpha(int c) { return want_upper(c) || want_lower(c); }
static int want_alnum(int c) { return want_alpha(c) || want_digit(c); }
static int want_xdigit(int c) { return want_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static int want_space(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static int want_blank(int c) { return c == ' ' || c == '\t'; }
static int want_cntrl(int c) { return (c >= 0 && c < 32) || c == 127; }
static int want_print(int c) { return c >= 32 && c < 127; }
static int want_graph(int c) { return c > 32 && c < 127; }
static int want_punct(int c) { return want_graph(c) && !want_alnum(c); }
static int want_ascii(int c) { return c >= 0 && c < 128; }

static int f_isalnum(int c) { return isalnum(c); }
static int f_isalpha(int c) { return isalpha(c); }
static int f_isblank(int c) { return isblank(c); }
static int f_iscntrl(int c) { return iscntrl(c); }
static int f_isdigit(int c) { return isdigit(c); }
static int f_isgraph(int c) { return isgraph(c); }
static int f_islower(int c) { return islower(c); }
static int f_isprint(int c) { return isprint(c); }
static int f_ispunct(int c) { return ispunct(c); }
static int f_isspace(int c) { return isspace(c); }
static int f_isupper(int c) { return isupper(c); }
static int f_isxdigit(int c) { return isxdigit(c); }
static int f_isascii(int c) { return isascii(c); }

static const struct {
    const char *name;
    int (*fn)(int);
    int (*want)(int);
} classes[] = {
    { "isalnum", f_isalnum, want_alnum }, { "isalpha", f_isalpha, want_alpha },
    { "isblank", f_isblank, want_blank }, { "iscntrl", f_iscntrl, want_cntrl },
    { "isdigit", f_isdigit, want_digit }, { "isgraph", f_isgraph, want_graph },
    { "islower", f_islower, want_lower }, { "isprint", f_isprint, want_print },
    { "ispunct", f_ispunct, want_punct }, { "isspace", f_isspace, want_space },
    { "isupper", f_isupper, want_upper }, { "isxdigit", f_isxdigit, want_xdigit },
    { "isascii", f_isascii, want_ascii },
};

/* Characters at every class boundary of the portable character set. */
static const int samples[] = { 0, '\t', '\n', '\v', '\r', 31, ' ', '!', '/', '0', '9', ':', '@',
                               'A', 'F', 'G', 'M', 'Z', '[', '_', '`', 'a', 'f', 'g', 'm', 'z', '{', '~', 127, '-', 0x1b };

static const char *show(int c, char *buf)
{
    if (c > 32 && c < 127)
        snprintf(buf, 8, "'%c'", c);
    else
        snprintf(buf, 8, "%d", c);
    return buf;
}

int main(void)
{
    char what[96], cb[8];
    for (unsigned k = 0; k < sizeof classes / sizeof classes[0]; k++) {
        for (unsigned i = 0; i < sizeof samples / sizeof samples[0]; i++) {
            int c = samples[i];
            int want = classes[k].want(c);
            snprintf(what, sizeof what, "%s: %s is %sin the class", classes[k].name,
                     show(c, cb), want ? "" : "not ");
            CHECK(!classes[k].fn(c) == !want, what);
        }
        /* Every 7-bit character at once, so a wrong table entry anywhere shows. */
        int bad = -1;
        for (int c = 0; c < 128; c++)
            if (!classes[k].fn(c) != !classes[k].want(c))
                bad = c;
        snprintf(what, sizeof what, "%s: all 128 characters of the POSIX locale", classes[k].name);
        CHECK(bad < 0, what);
        snprintf(what, sizeof what, "%s: EOF is in no class", classes[k].name);
        CHECK(!classes[k].fn(EOF), what);
    }
    int bad = -1;
    for (int c = 0; c < 128; c++)
        if (toupper(c) != (want_lower(c) ? c - 32 : c))
            bad = c;
    CHECK(bad < 0, "toupper: maps a-z to A-Z and every other character to itself");
    CHECK(toupper(EOF) == EOF, "toupper: EOF is returned unchanged");
    bad = -1;
    for (int c = 0; c < 128; c++)
        if (tolower(c) != (want_upper(c) ? c + 32 : c))
            bad = c;
    CHECK(bad < 0, "tolower: maps A-Z to a-z and every other character to itself");
    CHECK(tolower(EOF) == EOF, "tolower: EOF is returned unchanged");
    CHECK(toascii(0x1c1) == 0x41, "toascii: keeps the low 7 bits");
    CHECK(_toupper('q') == 'Q', "_toupper: lower-case letter");
    CHECK(_tolower('Q') == 'q', "_tolower: upper-case letter");
    CONFORM_DONE();
}

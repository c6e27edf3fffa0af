/*
 * strtod/strtof/strtold as C says for hexadecimal subject sequences; picolibc 1.8 does the
 * decimal ones right and is called for every number. Its two hex faults (fixed upstream in
 * picolibc pull request 762, not in Debian's 1.8):
 * - "0x" with no hex digit after it (also "0x.", "0xp1", "0x.p1") is consumed whole as 0; C's
 *   longest valid subject sequence there is just "0", so end must point at the 'x';
 * - without a 'p' exponent, digits after the point are scaled by 2 instead of 16
 *   ("0xA.8" gave 84, not 10.5); with an exponent picolibc is right, so the layer hands it
 *   the same digits with "p0" appended.
 * The hex form is scanned here (C11 6.4.4.2 / strtod's "nonempty sequence of hexadecimal
 * digits optionally containing a radix character, then an optional binary exponent part") to
 * know where the subject sequence ends; that end is what the caller gets.
 */
#define BKPORT_LAYER_STRTOD_IMPL
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct hexform {
    const char *zero;  /* the '0' of "0x" */
    const char *end;   /* one past the subject sequence */
    int digits;        /* hex digits in the significand */
    int has_exp;       /* a complete p[sign]digits exponent */
    int neg;
};

/* Scan [ws][sign]0x... at s; 0 when the subject is not hexadecimal. */
static int scan_hex(const char *s, struct hexform *h)
{
    while (isspace((unsigned char)*s))
        s++;
    h->neg = *s == '-';
    if (*s == '+' || *s == '-')
        s++;
    if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
        return 0;
    h->zero = s;
    const char *p = s + 2;
    h->digits = 0;
    while (isxdigit((unsigned char)*p))
        p++, h->digits++;
    if (*p == '.') {
        p++;
        while (isxdigit((unsigned char)*p))
            p++, h->digits++;
    }
    h->has_exp = 0;
    if (h->digits && (*p == 'p' || *p == 'P')) {
        const char *e = p + 1;
        if (*e == '+' || *e == '-')
            e++;
        if (isdigit((unsigned char)*e)) {
            while (isdigit((unsigned char)*e))
                e++;
            p = e;
            h->has_exp = 1;
        }
    }
    h->end = h->digits ? p : s + 1;
    return 1;
}

/* The digits of `h` with "p0" appended, for picolibc to convert; NULL when out of memory. */
static char *with_exponent(const char *nptr, const struct hexform *h, char *buf, size_t size)
{
    size_t n = (size_t)(h->end - nptr);
    char *t = n + 3 <= size ? buf : malloc(n + 3);
    if (t) {
        memcpy(t, nptr, n);
        memcpy(t + n, "p0", 3);
    }
    return t;
}

#define HEX_WRAPPER(name, type, conv)                                                       \
    type name(const char *restrict nptr, char **restrict endptr)                            \
    {                                                                                       \
        struct hexform h;                                                                   \
        if (!scan_hex(nptr, &h) || h.has_exp)                                               \
            return conv(nptr, endptr);                                                      \
        if (!h.digits) {                                                                    \
            /* only the "0" converts, with its sign */                                      \
            if (endptr)                                                                     \
                *endptr = (char *)h.end;                                                    \
            return h.neg ? -(type)0 : (type)0;                                              \
        }                                                                                   \
        char buf[128];                                                                      \
        char *t = with_exponent(nptr, &h, buf, sizeof buf);                                 \
        if (!t)                                                                             \
            return conv(nptr, endptr);                                                      \
        type v = conv(t, NULL);                                                             \
        if (t != buf)                                                                       \
            free(t);                                                                        \
        if (endptr)                                                                         \
            *endptr = (char *)h.end;                                                        \
        return v;                                                                           \
    }

HEX_WRAPPER(__bk_strtod, double, strtod)
HEX_WRAPPER(__bk_strtof, float, strtof)
HEX_WRAPPER(__bk_strtold, long double, strtold)

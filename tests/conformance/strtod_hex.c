/* strtod/strtof/strtold on hexadecimal subject sequences, against C11 7.22.1.3 (glibc's
 * answers): "0x" with no hex digit is the number 0 followed by "x..." (end after the '0'),
 * digits after the point count in sixteenths with or without a 'p' exponent, an exponent
 * without digits is not part of the number. Decimal forms are checked not to change. The
 * conformance driver runs this as `conform strtod_hex`. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "conform.h"

/* strtod(s) is `want` and ends `used` bytes into s. */
static int conv(const char *s, double want, size_t used)
{
    char *end = NULL;
    double v = strtod(s, &end);
    if (v != want || signbit(v) != signbit(want) || (size_t)(end - s) != used) {
        printf("# strtod(\"%.40s\") = %a, end +%d (want %a, +%d)\n", s, v, (int)(end - s), want,
               (int)used);
        return 0;
    }
    return 1;
}

int main(void)
{
    /* no hex digit: only the "0" converts */
    CHECK(conv("0x", 0.0, 1), "strtod: \"0x\" is 0, end at the x");
    CHECK(conv("0X", 0.0, 1), "strtod: \"0X\" is 0, end at the X");
    CHECK(conv("0x.", 0.0, 1), "strtod: \"0x.\" is 0, end at the x");
    CHECK(conv("0xp1", 0.0, 1), "strtod: \"0xp1\" is 0, end at the x");
    CHECK(conv("0x.p1", 0.0, 1), "strtod: \"0x.p1\" is 0, end at the x");
    CHECK(conv("-0x", -0.0, 2), "strtod: \"-0x\" is -0, end at the x");
    CHECK(conv("  +0xg", 0.0, 4), "strtod: \"  +0xg\" is 0, end at the x");
    /* fractions without an exponent */
    CHECK(conv("0xA.8", 10.5, 5), "strtod: \"0xA.8\" is 10.5");
    CHECK(conv("0x.1", 0.0625, 4), "strtod: \"0x.1\" is 0.0625");
    CHECK(conv("0x1.8", 1.5, 5), "strtod: \"0x1.8\" is 1.5");
    CHECK(conv("-0x1.8z", -1.5, 6), "strtod: \"-0x1.8z\" is -1.5, end at the z");
    CHECK(conv("0x.8", 0.5, 4), "strtod: \"0x.8\" is 0.5");
    CHECK(conv("0xff", 255.0, 4), "strtod: \"0xff\" is 255");
    CHECK(conv("0X10.", 16.0, 5), "strtod: \"0X10.\" is 16, the point included");
    /* exponents */
    CHECK(conv("0x1.8p0", 1.5, 7), "strtod: \"0x1.8p0\" is 1.5");
    CHECK(conv("0x1P-2", 0.25, 6), "strtod: \"0x1P-2\" is 0.25");
    CHECK(conv("0x1p", 1.0, 3), "strtod: \"0x1p\" is 1, the p not consumed");
    CHECK(conv("0x1p+", 1.0, 3), "strtod: \"0x1p+\" is 1, the p+ not consumed");
    CHECK(conv("0x1.fffffffffffffp1023", DBL_MAX, 22), "strtod: \"0x1.fffffffffffffp1023\" is DBL_MAX");
    CHECK(conv("0x1p-1074", 0x1p-1074, 9), "strtod: \"0x1p-1074\" is the least subnormal");
    /* longer than the wrapper's stack buffer: 0x1.8 followed by 150 zeros, then "q" */
    static char big[200];
    strcpy(big, "0x1.8");
    memset(big + 5, '0', 150);
    strcpy(big + 155, "q");
    CHECK(conv(big, 1.5, 155), "strtod: a 155-character hex fraction is 1.5");
    /* decimal forms as before */
    CHECK(conv("1e5", 1e5, 3), "strtod: \"1e5\" is 100000");
    CHECK(conv("1e", 1.0, 1), "strtod: \"1e\" is 1, the e not consumed");
    CHECK(conv("0.5", 0.5, 3), "strtod: \"0.5\" is 0.5");
    CHECK(conv("0", 0.0, 1), "strtod: \"0\" is 0");
    CHECK(conv("inf", INFINITY, 3), "strtod: \"inf\" is infinity");
    CHECK(conv("x", 0.0, 0), "strtod: \"x\" converts nothing");
    char *end;
    CHECK(isnan(strtod("nan", &end)) && *end == '\0', "strtod: \"nan\" is NaN");
    errno = 0;
    CHECK(strtod("0x1p99999", &end) == HUGE_VAL && errno == ERANGE, "strtod: hex overflow: ERANGE");
    /* the float and long double forms */
    CHECK(strtof("0xA.8", &end) == 10.5f && *end == '\0', "strtof: strtof(\"0xA.8\") is 10.5");
    CHECK(strtof("0x", &end) == 0.0f && *end == 'x', "strtof: strtof(\"0x\") ends at the x");
    CHECK(strtold("0x1.8", &end) == 1.5L && *end == '\0', "strtold: strtold(\"0x1.8\") is 1.5");
    CHECK(strtold("0x.p1", &end) == 0.0L && *end == 'x', "strtold: strtold(\"0x.p1\") ends at the x");
    CHECK(strtod("0x1.8", NULL) == 1.5, "strtod: a NULL end pointer");
    CONFORM_DONE();
}

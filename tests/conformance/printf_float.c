/* printf of floating point: picolibc 1.8's tinystdio against glibc 2.36, value by value.
 *
 * Each row: a format, a double given by its bits (no compiler or FPU rounds the constant), what
 * glibc prints, and what picolibc prints where that differs (NULL: the same). Built with
 * picolibc, each row must print picolibc's string, so a picolibc that changes its output is
 * noticed; built with the host's glibc (tests/conformance/test_printf_host.py), glibc's string,
 * so the table stays true. The differences and why: docs/layer.md, "printf of floating point:
 * picolibc vs glibc". The table came from running both (gcc on the host, bkport run on
 * qemu_riscv64; qemu_mps2_an385's soft-float printf prints the same).
 *
 * AArch64 apps are compiled with -mgeneral-regs-only today (no floating point at all), so there
 * the program checks nothing but that it runs; drop the guard once the FPU is on. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "conform.h"

#ifndef __aarch64__
static const struct {
    const char *fmt;
    uint64_t bits;
    const char *what;
    const char *glibc;
    const char *picolibc; /* NULL: as glibc */
} rows[] = {
    { "%.17g", 0x3fb999999999999aULL, "0.1",
      "0.10000000000000001",
      "0.1" },
    { "%.17g", 0x3fd5555555555555ULL, "1/3",
      "0.33333333333333331",
      "0.3333333333333333" },
    { "%.17g", 0x3fd3333333333333ULL, "0.3",
      "0.29999999999999999",
      "0.3" },
    { "%.17g", 0x3ff0000000000001ULL, "1 + 2^-52",
      "1.0000000000000002",
      NULL },
    { "%.16g", 0x3ff0000000000001ULL, "1 + 2^-52",
      "1",
      NULL },
    { "%.17g", 0x44b52d02c7e14af6ULL, "1e23",
      "9.9999999999999992e+22",
      "1e+23" },
    { "%.17g", 0x437b69b4ba630f35ULL, "123456789012345678",
      "1.2345678901234568e+17",
      NULL },
    { "%.17g", 0x7fefffffffffffffULL, "DBL_MAX",
      "1.7976931348623157e+308",
      NULL },
    { "%.17g", 0x0010000000000000ULL, "DBL_MIN",
      "2.2250738585072014e-308",
      NULL },
    { "%.17g", 0x000fffffffffffffULL, "largest subnormal",
      "2.2250738585072009e-308",
      "2.225073858507201e-308" },
    { "%.17g", 0x0000000000002710ULL, "subnormal 10000 * 2^-1074",
      "4.9406564584124654e-320",
      "4.9407e-320" },
    { "%.17g", 0x0000000000000001ULL, "smallest subnormal",
      "4.9406564584124654e-324",
      "5e-324" },
    { "%.17g", 0x8000000000000000ULL, "-0.0",
      "-0",
      NULL },
    { "%.15g", 0x3fd3333333333334ULL, "0.1 + 0.2",
      "0.3",
      NULL },
    { "%.20g", 0x43e0000000000000ULL, "2^63",
      "9223372036854775808",
      "9223372036854776000" },
    { "%.0f", 0x43e0000000000000ULL, "2^63",
      "9223372036854775808",
      "9223372036854776000" },
    { "%.0f", 0x43f0000000000000ULL, "2^64",
      "18446744073709551616",
      "18446744073709552000" },
    { "%.0f", 0x43b0000000000000ULL, "2^60",
      "1152921504606846976",
      "1152921504606847000" },
    { "%.0f", 0x4340000000000000ULL, "2^53",
      "9007199254740992",
      NULL },
    { "%.0f", 0x444b1ae4d6e2ef50ULL, "1e21",
      "1000000000000000000000",
      NULL },
    { "%.0f", 0x44b52d02c7e14af6ULL, "1e23",
      "99999999999999991611392",
      "100000000000000000000000" },
    { "%.0f", 0x7fefffffffffffffULL, "DBL_MAX",
      "17976931348623157081452742373170435679807056752584499659891747680315726078002853"
      "87605895586327668781715404589535143824642343213268894641827684675467035375169860"
      "49910576551282076245490090389328944075868508455133942304583236903222948165808559"
      "332123348274797826204144723168738177180919299881250404026184124858368",
      "17976931348623157000000000000000000000000000000000000000000000000000000000000000"
      "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
      "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
      "000000000000000000000000000000000000000000000000000000000000000000000" },
    { "%f", 0x7e37e43c8800759cULL, "1e300",
      "10000000000000000525047602552044202487044685811081591549158541155118024579889081"
      "95786371375080447864043704443832883878176942523235360430575644792184786706982848"
      "38720092657580373783023379478809005936895323497079994508111903896764088007465274"
      "2780142494579258788820056842838115669472196386865459400540160.000000",
      "10000000000000000000000000000000000000000000000000000000000000000000000000000000"
      "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
      "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
      "0000000000000000000000000000000000000000000000000000000000000.000000" },
    { "%.0f", 0x3fe0000000000000ULL, "0.5",
      "0",
      "1" },
    { "%.0f", 0xbfe0000000000000ULL, "-0.5",
      "-0",
      "-1" },
    { "%.0f", 0x3ff8000000000000ULL, "1.5",
      "2",
      NULL },
    { "%.0f", 0x4004000000000000ULL, "2.5",
      "2",
      NULL },
    { "%.0f", 0x400c000000000000ULL, "3.5",
      "4",
      NULL },
    { "%.0f", 0x3fdfffffffffffffULL, "0.49999999999999994",
      "0",
      "1" },
    { "%.0f", 0x3fdccccccccccccdULL, "0.45",
      "0",
      "1" },
    { "%.1f", 0x3fa916872b020c4aULL, "0.049",
      "0.0",
      "0.1" },
    { "%.2f", 0x3f741205bc01a36eULL, "0.0049",
      "0.00",
      "0.01" },
    { "%.1f", 0x3fa70a3d70a3d70aULL, "0.045",
      "0.0",
      NULL },
    { "%.1f", 0x3fd0000000000000ULL, "0.25",
      "0.2",
      NULL },
    { "%.1f", 0x3fd6666666666666ULL, "0.35",
      "0.3",
      NULL },
    { "%.2f", 0x3ff0147ae147ae14ULL, "1.005",
      "1.00",
      NULL },
    { "%.0e", 0x4004000000000000ULL, "2.5",
      "2e+00",
      NULL },
    { "%.1e", 0x3fc3333333333333ULL, "0.15",
      "1.5e-01",
      NULL },
    { "%.30f", 0x3fb999999999999aULL, "0.1",
      "0.100000000000000005551115123126",
      "0.100000000000000000000000000000" },
    { "%.40g", 0x3fb999999999999aULL, "0.1",
      "0.1000000000000000055511151231257827021182",
      "0.1" },
    { "%.20e", 0x3fb999999999999aULL, "0.1",
      "1.00000000000000005551e-01",
      "1.00000000000000000000e-01" },
    { "%e", 0x0000000000000001ULL, "smallest subnormal",
      "4.940656e-324",
      "5.000000e-324" },
    { "%.20e", 0x0000000000000001ULL, "smallest subnormal",
      "4.94065645841246544177e-324",
      "5.00000000000000000000e-324" },
    { "%g", 0x0000000000000001ULL, "smallest subnormal",
      "4.94066e-324",
      "5e-324" },
    { "%.3e", 0x000fffffffffffffULL, "largest subnormal",
      "2.225e-308",
      NULL },
    { "%.60f", 0x0000000000000001ULL, "smallest subnormal",
      "0.000000000000000000000000000000000000000000000000000000000000",
      NULL },
    { "%a", 0x3ff0000000000000ULL, "1",
      "0x1p+0",
      NULL },
    { "%a", 0x3fb999999999999aULL, "0.1",
      "0x1.999999999999ap-4",
      NULL },
    { "%a", 0x0000000000000001ULL, "smallest subnormal",
      "0x0.0000000000001p-1022",
      NULL },
    { "%a", 0x000fffffffffffffULL, "largest subnormal",
      "0x0.fffffffffffffp-1022",
      NULL },
    { "%A", 0xbff8000000000000ULL, "-1.5",
      "-0X1.8P+0",
      NULL },
    { "%.3a", 0x3fd5555555555555ULL, "1/3",
      "0x1.555p-2",
      NULL },
    { "%g", 0x40f86a0000000000ULL, "1e5",
      "100000",
      NULL },
    { "%g", 0x412e848000000000ULL, "1e6",
      "1e+06",
      NULL },
    { "%g", 0x3ee4f8b588e368f1ULL, "1e-5",
      "1e-05",
      NULL },
    { "%g", 0x3f1a36e2eb1c432dULL, "1e-4",
      "0.0001",
      NULL },
    { "%#g", 0x3ff0000000000000ULL, "1",
      "1.00000",
      NULL },
    { "%#.3g", 0x4000000000000000ULL, "2",
      "2.00",
      NULL },
    { "%.3g", 0x4132d68700000000ULL, "1234567",
      "1.23e+06",
      NULL },
    { "%.2g", 0x3f202c9dedbc309dULL, "0.0001234",
      "0.00012",
      NULL },
    { "%g", 0x419d6f3454000000ULL, "123456789",
      "1.23457e+08",
      NULL },
    { "%+.3e", 0x40c81cd6c8b43958ULL, "12345.678",
      "+1.235e+04",
      NULL },
    { "%010.3f", 0xc00921f9f01b866eULL, "-3.14159",
      "-00003.142",
      NULL },
    { "% f", 0x3ff0000000000000ULL, "1",
      " 1.000000",
      NULL },
    { "%-8.2f|", 0x4004000000000000ULL, "2.5",
      "2.50    |",
      NULL },
    { "%f", 0x7ff0000000000000ULL, "+inf",
      "inf",
      NULL },
    { "%f", 0xfff0000000000000ULL, "-inf",
      "-inf",
      NULL },
    { "%e", 0x7ff0000000000000ULL, "+inf",
      "inf",
      NULL },
    { "%F", 0x7ff0000000000000ULL, "+inf",
      "INF",
      NULL },
    { "%g", 0x7ff8000000000000ULL, "NaN",
      "nan",
      NULL },
    { "%g", 0xfff8000000000000ULL, "NaN, sign bit set",
      "-nan",
      NULL },
    { "%5.1f", 0x7ff8000000000000ULL, "NaN",
      "  nan",
      NULL },
    { "%F", 0xfff8000000000000ULL, "NaN, sign bit set",
      "-NAN",
      NULL },
};

/* The format is data; the row says which. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void format(char *out, size_t n, const char *fmt, double x)
{
    snprintf(out, n, fmt, x);
}
#endif

int main(void)
{
#ifdef __aarch64__
    CHECK(1, "printf: (no floating point on AArch64 yet: the table is not run)");
#else
    static char out[512], what[600];
    int differ = 0;
    for (unsigned i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        double x;
        memcpy(&x, &rows[i].bits, sizeof x);
        format(out, sizeof out, rows[i].fmt, x);
#ifdef __PICOLIBC__
        const char *want = rows[i].picolibc ? rows[i].picolibc : rows[i].glibc;
#else
        const char *want = rows[i].glibc;
#endif
        differ += rows[i].picolibc != NULL;
        snprintf(what, sizeof what, "snprintf: printf(\"%s\", %s)%s", rows[i].fmt, rows[i].what,
                 rows[i].picolibc ? " (differs from glibc's, as documented)" : "");
        CHECK(!strcmp(out, want), what);
        if (strcmp(out, want))
            printf("#   got  %s\n#   want %s\n", out, want);
    }
    printf("# %d of %u rows print differently with glibc\n", differ,
           (unsigned)(sizeof rows / sizeof rows[0]));
#endif
    CONFORM_DONE();
}

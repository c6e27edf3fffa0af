/*
 * <math.h>, <complex.h> and <fenv.h>: every function of the three precisions (f, plain, l)
 * against values worked out by hand, the domain (EDOM) and pole/range (ERANGE) errors the
 * standard documents where math_errhandling includes MATH_ERRNO, the classification macros,
 * complex functions by value and by inverse round trips, and the floating-point environment.
 */
#include "conform.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <complex.h>
#include <fenv.h>
#include <float.h>
#include <limits.h>
#include <math.h>

static char what[128];

static int near(long double got, long double want, long double tol)
{
    if (isnan(want))
        return isnan(got);
    if (isinf(want))
        return got == want;
    long double d = got - want;
    if (d < 0)
        d = -d;
    long double m = want < 0 ? -want : want;
    return d <= tol * (m > 1 ? m : 1);
}

#define TOL_D 1e-13L
#define TOL_F 1e-5L
#define TOL_L 1e-13L

/* A one-argument function in its three precisions at x, against the exact value want. */
#define V1(fn, x, want)                                                                      \
    do {                                                                                     \
        snprintf(what, sizeof what, "%s: %s(%s)", #fn, #fn, #x);                            \
        CHECK(near(fn(x), want, TOL_D), what);                                               \
        snprintf(what, sizeof what, "%s: %s(%s)", #fn "f", #fn "f", #x);                    \
        CHECK(near(fn##f((float)(x)), want, TOL_F), what);                                   \
        snprintf(what, sizeof what, "%s: %s(%s)", #fn "l", #fn "l", #x);                    \
        CHECK(near(fn##l((long double)(x)), want, TOL_L), what);                             \
    } while (0)

#define V2(fn, x, y, want)                                                                   \
    do {                                                                                     \
        snprintf(what, sizeof what, "%s: %s(%s, %s)", #fn, #fn, #x, #y);                    \
        CHECK(near(fn(x, y), want, TOL_D), what);                                            \
        snprintf(what, sizeof what, "%s: %s(%s, %s)", #fn "f", #fn "f", #x, #y);            \
        CHECK(near(fn##f((float)(x), (float)(y)), want, TOL_F), what);                       \
        snprintf(what, sizeof what, "%s: %s(%s, %s)", #fn "l", #fn "l", #x, #y);            \
        CHECK(near(fn##l((long double)(x), (long double)(y)), want, TOL_L), what);           \
    } while (0)

/* The error the standard documents: errno e where math_errhandling has MATH_ERRNO, and the
 * result it names (NaN for a domain error, +-HUGE_VAL for a pole or overflow). */
static int err_ok(long double got, long double want, int e)
{
    int errno_ok = !(math_errhandling & MATH_ERRNO) || errno == e;
    return errno_ok && (isnan(want) ? isnan(got) : got == want);
}

#define E1(fn, x, want, e, why)                                                              \
    do {                                                                                     \
        errno = 0;                                                                           \
        long double r_ = fn(x);                                                              \
        snprintf(what, sizeof what, "%s: %s(%s): %s", #fn, #fn, #x, why);                   \
        CHECK(err_ok(r_, want, e), what);                                                    \
        errno = 0;                                                                           \
        r_ = fn##f((float)(x));                                                              \
        snprintf(what, sizeof what, "%s: %s(%s): %s", #fn "f", #fn "f", #x, why);           \
        CHECK(err_ok(r_, want, e), what);                                                    \
        errno = 0;                                                                           \
        r_ = fn##l((long double)(x));                                                        \
        snprintf(what, sizeof what, "%s: %s(%s): %s", #fn "l", #fn "l", #x, why);           \
        CHECK(err_ok(r_, want, e), what);                                                    \
    } while (0)

#define E2(fn, x, y, want, e, why)                                                           \
    do {                                                                                     \
        errno = 0;                                                                           \
        long double r_ = fn(x, y);                                                           \
        snprintf(what, sizeof what, "%s: %s(%s, %s): %s", #fn, #fn, #x, #y, why);           \
        CHECK(err_ok(r_, want, e), what);                                                    \
        errno = 0;                                                                           \
        r_ = fn##f((float)(x), (float)(y));                                                  \
        snprintf(what, sizeof what, "%s: %s(%s, %s): %s", #fn "f", #fn "f", #x, #y, why);   \
        CHECK(err_ok(r_, want, e), what);                                                    \
        errno = 0;                                                                           \
        r_ = fn##l((long double)(x), (long double)(y));                                      \
        snprintf(what, sizeof what, "%s: %s(%s, %s): %s", #fn "l", #fn "l", #x, #y, why);   \
        CHECK(err_ok(r_, want, e), what);                                                    \
    } while (0)

#define PI 3.14159265358979323846L

static void real_functions(void)
{
    V1(acos, 0.5, 1.04719755119659774615L);
    E1(acos, 2.0, NAN, EDOM, "|x| > 1 is a domain error: NaN, EDOM");
    V1(asin, 0.5, 0.52359877559829887308L);
    E1(asin, -2.0, NAN, EDOM, "|x| > 1 is a domain error: NaN, EDOM");
    V1(atan, 1.0, PI / 4);
    V1(atan, -INFINITY, -PI / 2);
    V2(atan2, 1.0, -1.0, 3 * PI / 4);
    V2(atan2, -0.0, -1.0, -PI);
    V1(acosh, 1.0, 0.0L);
    E1(acosh, 0.5, NAN, EDOM, "x < 1 is a domain error: NaN, EDOM");
    V1(asinh, 1.0, 0.88137358701954302523L);
    V1(atanh, 0.5, 0.54930614433405484570L);
    E1(atanh, 1.0, HUGE_VALL, ERANGE, "x == 1 is a pole error: HUGE_VAL, ERANGE");
    V1(cbrt, -27.0, -3.0L);
    V1(ceil, -1.5, -1.0L);
    V1(ceil, 1.2, 2.0L);
    V2(copysign, 3.0, -0.0, -3.0L);
    V1(cos, 0.0, 1.0L);
    V1(cos, PI, -1.0L);
    V1(cosh, 1.0, 1.54308063481524377848L);
    E1(cosh, 1e5, HUGE_VALL, ERANGE, "overflow is a range error: HUGE_VAL, ERANGE");
    V1(erf, 1.0, 0.84270079294971486934L);
    V1(erfc, 1.0, 0.15729920705028513066L);
    V1(exp, 1.0, 2.71828182845904523536L);
    E1(exp, 1e5, HUGE_VALL, ERANGE, "overflow is a range error: HUGE_VAL, ERANGE");
    V1(exp2, 10.0, 1024.0L);
    V1(expm1, 1.0, 1.71828182845904523536L);
    V1(fabs, -2.5, 2.5L);
    V2(fdim, 5.0, 3.0, 2.0L);
    V2(fdim, 3.0, 5.0, 0.0L);
    V1(floor, -1.5, -2.0L);
    V2(fmax, 1.0, NAN, 1.0L);
    V2(fmin, NAN, 2.0, 2.0L);
    V2(fmod, 7.0, 3.0, 1.0L);
    V2(fmod, -7.0, 3.0, -1.0L);
    E2(fmod, 1.0, 0.0, NAN, EDOM, "y == 0 is a domain error: NaN, EDOM");
    V2(hypot, 3.0, 4.0, 5.0L);
    V1(lgamma, 5.0, 3.17805383034794561964L);
    E1(lgamma, 0.0, HUGE_VALL, ERANGE, "x == 0 is a pole error: HUGE_VAL, ERANGE");
    V1(log, 2.71828182845904523536, 1.0L);
    E1(log, 0.0, -HUGE_VALL, ERANGE, "x == 0 is a pole error: -HUGE_VAL, ERANGE");
    E1(log, -1.0, NAN, EDOM, "x < 0 is a domain error: NaN, EDOM");
    V1(log10, 1000.0, 3.0L);
    E1(log10, -1.0, NAN, EDOM, "x < 0 is a domain error: NaN, EDOM");
    V1(log1p, 1.718281828459045, 1.0L);
    E1(log1p, -2.0, NAN, EDOM, "x < -1 is a domain error: NaN, EDOM");
    V1(log2, 8.0, 3.0L);
    E1(log2, -1.0, NAN, EDOM, "x < 0 is a domain error: NaN, EDOM");
    V1(logb, 8.0, 3.0L);
    V1(nearbyint, 2.5, 2.0L);
    V1(nearbyint, -3.5, -4.0L);
    V2(nextafter, 1.0, 1.0, 1.0L);
    V2(pow, 2.0, 10.0, 1024.0L);
    V2(pow, -8.0, 1.0 / 3, NAN);
    E2(pow, 0.0, -1.0, HUGE_VALL, ERANGE, "0 to a negative odd power is a pole error: HUGE_VAL, ERANGE");
    E2(pow, -1.0, 0.5, NAN, EDOM, "a negative base to a non-integer power is a domain error: NaN, EDOM");
    V2(remainder, 7.0, 2.0, -1.0L);
    V2(remainder, 5.0, 2.0, 1.0L);
    V1(rint, 2.5, 2.0L);
    V1(rint, 3.5, 4.0L);
    V1(round, 2.5, 3.0L);
    V1(round, -2.5, -3.0L);
    V1(sin, 0.0, 0.0L);
    V1(sin, PI / 2, 1.0L);
    V1(sinh, 1.0, 1.17520119364380145688L);
    V1(sqrt, 2.0, 1.41421356237309504880L);
    E1(sqrt, -1.0, NAN, EDOM, "x < 0 is a domain error: NaN, EDOM");
    V1(tan, PI / 4, 1.0L);
    V1(tanh, 1.0, 0.76159415595576488812L);
    V1(tgamma, 5.0, 24.0L);
    E1(tgamma, -1.0, NAN, EDOM, "a negative integer is a domain error: NaN, EDOM");
    V1(trunc, -1.7, -1.0L);
}

/* Functions with integer or pointer arguments or results, one check per precision each. */
#define SPECIAL(fn, expr_d, expr_f, expr_l, desc)                                           \
    do {                                                                                     \
        CHECK(expr_d, #fn ": " desc);                                                        \
        CHECK(expr_f, #fn "f: " desc);                                                       \
        CHECK(expr_l, #fn "l: " desc);                                                       \
    } while (0)

static void special_functions(void)
{
    int e = 0, e2 = 0, e3 = 0, q = 0, q2 = 0, q3 = 0;
    double ip;
    float ipf;
    long double ipl;
    SPECIAL(fma, fma(2.0, 3.0, 4.0) == 10.0, fmaf(2.0f, 3.0f, 4.0f) == 10.0f,
            fmal(2.0L, 3.0L, 4.0L) == 10.0L, "x * y + z");
    SPECIAL(fma, fma(1.0 + DBL_EPSILON, 1.0 - DBL_EPSILON, -1.0) == -DBL_EPSILON * DBL_EPSILON,
            fmaf(1.0f + FLT_EPSILON, 1.0f - FLT_EPSILON, -1.0f) == -FLT_EPSILON * FLT_EPSILON,
            fmal(1.0L + LDBL_EPSILON, 1.0L - LDBL_EPSILON, -1.0L) == -LDBL_EPSILON * LDBL_EPSILON,
            "rounded once (the exact product's low bits survive)");
    SPECIAL(frexp, frexp(8.0, &e) == 0.5 && e == 4, frexpf(8.0f, &e2) == 0.5f && e2 == 4,
            frexpl(8.0L, &e3) == 0.5L && e3 == 4, "8 is 0.5 * 2^4");
    SPECIAL(frexp, frexp(0.0, &e) == 0.0 && e == 0, frexpf(0.0f, &e2) == 0.0f && e2 == 0,
            frexpl(0.0L, &e3) == 0.0L && e3 == 0, "0 gives 0 and exponent 0");
    SPECIAL(ilogb, ilogb(8.0) == 3, ilogbf(8.0f) == 3, ilogbl(8.0L) == 3, "unbiased exponent");
    errno = 0;
    SPECIAL(ilogb, ilogb(0.0) == FP_ILOGB0, ilogbf(0.0f) == FP_ILOGB0, ilogbl(0.0L) == FP_ILOGB0,
            "0 gives FP_ILOGB0");
    SPECIAL(ilogb, ilogb(NAN) == FP_ILOGBNAN, ilogbf(NAN) == FP_ILOGBNAN,
            ilogbl(NAN) == FP_ILOGBNAN, "NaN gives FP_ILOGBNAN");
    SPECIAL(ldexp, ldexp(0.75, 4) == 12.0, ldexpf(0.75f, 4) == 12.0f, ldexpl(0.75L, 4) == 12.0L,
            "x * 2^exp");
    errno = 0;
    SPECIAL(ldexp, ldexp(1.0, 100000) == HUGE_VAL, ldexpf(1.0f, 100000) == HUGE_VALF,
            ldexpl(1.0L, 100000) == HUGE_VALL, "overflow gives HUGE_VAL (range error)");
    SPECIAL(scalbn, scalbn(1.0, -1) == 0.5, scalbnf(1.0f, -1) == 0.5f,
            scalbnl(1.0L, -1) == 0.5L, "x * FLT_RADIX^n");
    SPECIAL(scalbln, scalbln(1.0, 10L) == 1024.0, scalblnf(1.0f, 10L) == 1024.0f,
            scalblnl(1.0L, 10L) == 1024.0L, "x * FLT_RADIX^n with a long n");
    SPECIAL(lrint, lrint(2.5) == 2L, lrintf(2.5f) == 2L, lrintl(2.5L) == 2L,
            "rounds to even in the default mode");
    SPECIAL(llrint, llrint(-3.5) == -4LL, llrintf(-3.5f) == -4LL, llrintl(-3.5L) == -4LL,
            "rounds to even in the default mode");
    SPECIAL(lround, lround(2.5) == 3L, lroundf(2.5f) == 3L, lroundl(2.5L) == 3L,
            "halfway rounds away from zero");
    SPECIAL(llround, llround(-2.5) == -3LL, llroundf(-2.5f) == -3LL, llroundl(-2.5L) == -3LL,
            "halfway rounds away from zero");
    SPECIAL(modf, modf(3.25, &ip) == 0.25 && ip == 3.0, modff(-3.25f, &ipf) == -0.25f && ipf == -3.0f,
            modfl(3.25L, &ipl) == 0.25L && ipl == 3.0L, "fractional and integral parts with x's sign");
    SPECIAL(nan, isnan(nan("")), isnan(nanf("")), isnan(nanl("")), "a quiet NaN");
    SPECIAL(nextafter, nextafter(1.0, 2.0) == 1.0 + DBL_EPSILON,
            nextafterf(1.0f, 2.0f) == 1.0f + FLT_EPSILON, nextafterl(1.0L, 2.0L) == 1.0L + LDBL_EPSILON,
            "the next representable value toward y");
    SPECIAL(nexttoward, nexttoward(1.0, 2.0L) == 1.0 + DBL_EPSILON,
            nexttowardf(1.0f, 2.0L) == 1.0f + FLT_EPSILON, nexttowardl(1.0L, 2.0L) == 1.0L + LDBL_EPSILON,
            "the next representable value toward a long double y");
    SPECIAL(remquo, remquo(7.0, 2.0, &q) == -1.0 && (q & 7) == 4,
            remquof(7.0f, 2.0f, &q2) == -1.0f && (q2 & 7) == 4,
            remquol(7.0L, 2.0L, &q3) == -1.0L && (q3 & 7) == 4,
            "remainder and the quotient's low bits");
    SPECIAL(remquo, remquo(-7.0, 2.0, &q) == 1.0 && q < 0, remquof(-7.0f, 2.0f, &q2) == 1.0f && q2 < 0,
            remquol(-7.0L, 2.0L, &q3) == 1.0L && q3 < 0, "the quotient has the sign of x / y");
}

static void classification(void)
{
    volatile double zero = 0.0, tiny = DBL_MIN / 4;
    CHECK(fpclassify(1.0) == FP_NORMAL && fpclassify(zero) == FP_ZERO && fpclassify(tiny) == FP_SUBNORMAL &&
          fpclassify(INFINITY) == FP_INFINITE && fpclassify(NAN) == FP_NAN, "fpclassify: the five classes");
    CHECK(fpclassify(1.0f) == FP_NORMAL && fpclassify(FLT_MIN / 4) == FP_SUBNORMAL, "fpclassify: float arguments");
    CHECK(isfinite(1.0) && !isfinite(INFINITY) && !isfinite(NAN), "isfinite: finite only");
    CHECK(isinf(-INFINITY) && !isinf(DBL_MAX), "isinf: infinities only");
    CHECK(isnan(NAN) && !isnan(INFINITY), "isnan: NaN only");
    CHECK(isnormal(1.0) && !isnormal(tiny) && !isnormal(zero), "isnormal: not zero, subnormal, infinite or NaN");
    CHECK(signbit(-0.0) && !signbit(0.0) && signbit(-INFINITY), "signbit: the sign of zeros and infinities");
    CHECK(isgreater(2.0, 1.0) && !isgreater(NAN, 1.0), "isgreater: false for NaN");
    CHECK(isgreaterequal(1.0, 1.0) && !isgreaterequal(NAN, NAN), "isgreaterequal: false for NaN");
    CHECK(isless(1.0, 2.0) && !isless(1.0, NAN), "isless: false for NaN");
    CHECK(islessequal(1.0, 1.0) && !islessequal(NAN, 1.0), "islessequal: false for NaN");
    CHECK(islessgreater(1.0, 2.0) && !islessgreater(1.0, 1.0) && !islessgreater(NAN, 1.0),
          "islessgreater: less or greater, false for NaN");
    CHECK(isunordered(NAN, 1.0) && !isunordered(1.0, 2.0), "isunordered: true when either is NaN");
    CHECK(math_errhandling & (MATH_ERRNO | MATH_ERREXCEPT), "math.h: math_errhandling is MATH_ERRNO and/or MATH_ERREXCEPT");
}

static int cnear(long double complex got, long double complex want, long double tol)
{
    return near(creall(got), creall(want), tol) && near(cimagl(got), cimagl(want), tol);
}

/* One complex function in its three precisions. */
#define C1(fn, z, want, desc)                                                                \
    do {                                                                                     \
        CHECK(cnear(fn(z), want, TOL_D), #fn ": " desc);                                     \
        CHECK(cnear(fn##f((float complex)(z)), want, TOL_F), #fn "f: " desc);                \
        CHECK(cnear(fn##l((long double complex)(z)), want, TOL_L), #fn "l: " desc);          \
    } while (0)

/* An inverse function undoes its function on the principal branch. */
#define ROUND(inv, fn, z)                                                                    \
    do {                                                                                     \
        CHECK(cnear(inv(fn(z)), z, TOL_D), #inv ": " #inv "(" #fn "(z)) == z");              \
        CHECK(cnear(inv##f(fn##f((float complex)(z))), z, TOL_F), #inv "f: " #inv "f(" #fn "f(z)) == z"); \
        CHECK(cnear(inv##l(fn##l((long double complex)(z))), z, TOL_L), #inv "l: " #inv "l(" #fn "l(z)) == z"); \
    } while (0)

static void complex_functions(void)
{
    const double complex z = 0.5 + 0.25 * I;
    C1(cabs, 3.0 + 4.0 * I, 5.0L, "|3+4i| is 5");
    C1(carg, -1.0 + 0.0 * I, PI, "arg(-1) is pi");
    C1(creal, 1.0 + 2.0 * I, 1.0L, "the real part");
    C1(cimag, 1.0 + 2.0 * I, 2.0L, "the imaginary part");
    C1(conj, 1.0 + 2.0 * I, 1.0L - 2.0L * I, "negates the imaginary part");
    C1(cproj, 1.0 + 2.0 * I, 1.0L + 2.0L * I, "a finite value is itself");
    C1(csqrt, -4.0 + 0.0 * I, 2.0L * I, "sqrt(-4) is 2i");
    C1(cexp, PI * I, -1.0L, "exp(i pi) is -1");
    C1(clog, -1.0 + 0.0 * I, PI * I, "log(-1) is i pi");
    C1(csin, 0.0 + 1.0 * I, 1.17520119364380145688L * I, "sin(i) is i sinh(1)");
    C1(ccos, 0.0 + 1.0 * I, 1.54308063481524377848L, "cos(i) is cosh(1)");
    C1(ctan, 0.0 + 0.0 * I, 0.0L, "tan(0) is 0");
    C1(csinh, 0.0 + PI / 2 * I, 1.0L * I, "sinh(i pi/2) is i");
    C1(ccosh, 0.0 + PI * I, -1.0L, "cosh(i pi) is -1");
    C1(ctanh, 1.0 + 0.0 * I, 0.76159415595576488812L, "tanh of a real value");
    C1(cacos, 1.0 + 0.0 * I, 0.0L, "acos(1) is 0");
    C1(casin, 1.0 + 0.0 * I, PI / 2, "asin(1) is pi/2");
    C1(catan, 1.0 + 0.0 * I, PI / 4, "atan(1) is pi/4");
    C1(cacosh, 1.0 + 0.0 * I, 0.0L, "acosh(1) is 0");
    C1(casinh, 0.0 + 1.0 * I, PI / 2 * I, "asinh(i) is i pi/2");
    C1(catanh, 0.0 + 0.0 * I, 0.0L, "atanh(0) is 0");
    CHECK(cnear(cpow(1.0 * I, 2.0), -1.0L, TOL_D), "cpow: i squared is -1");
    CHECK(cnear(cpowf(1.0f * I, 2.0f), -1.0L, TOL_F), "cpowf: i squared is -1");
    CHECK(cnear(cpowl(1.0L * I, 2.0L), -1.0L, TOL_L), "cpowl: i squared is -1");
    CHECK(isinf(creal(cproj(INFINITY + 1.0 * I))) && cimag(cproj(INFINITY + 1.0 * I)) == 0.0,
          "cproj: an infinity projects to (inf, +-0)");
    ROUND(cacos, ccos, z);
    ROUND(casin, csin, z);
    ROUND(catan, ctan, z);
    ROUND(cacosh, ccosh, z);
    ROUND(casinh, csinh, z);
    ROUND(catanh, ctanh, z);
    ROUND(clog, cexp, z);
}

static void environment(void)
{
    fenv_t env;
    fexcept_t flags;
    CHECK(feclearexcept(FE_ALL_EXCEPT) == 0, "feclearexcept: clears every exception");
    CHECK(fetestexcept(FE_ALL_EXCEPT) == 0, "fetestexcept: none raised after clearing");
    CHECK(feraiseexcept(0) == 0, "feraiseexcept: raising no exception succeeds");
    CHECK(fegetround() == FE_TONEAREST, "fegetround: the default mode is FE_TONEAREST");
    CHECK(fesetround(FE_TONEAREST) == 0, "fesetround: FE_TONEAREST is always settable");
    CHECK(fesetround(-12345) != 0 && fegetround() == FE_TONEAREST, "fesetround: an invalid mode fails, mode unchanged");
    CHECK(fegetenv(&env) == 0, "fegetenv: saves the environment");
    CHECK(fesetenv(&env) == 0, "fesetenv: restores a saved environment");
    CHECK(fesetenv(FE_DFL_ENV) == 0, "fesetenv: FE_DFL_ENV");
    CHECK(fegetexceptflag(&flags, FE_ALL_EXCEPT) == 0, "fegetexceptflag: saves the flags");
    CHECK(fesetexceptflag(&flags, FE_ALL_EXCEPT) == 0, "fesetexceptflag: restores the flags");
    CHECK(feholdexcept(&env) == 0 || (math_errhandling & MATH_ERREXCEPT) == 0,
          "feholdexcept: non-stop mode where exceptions are supported");
    CHECK(feupdateenv(&env) == 0, "feupdateenv: restores and re-raises");
}

int main(void)
{
    real_functions();
    special_functions();
    classification();
    complex_functions();
    environment();
    CONFORM_DONE();
}

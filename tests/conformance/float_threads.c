/* Double precision in two threads at once: each sums a long series with libm's sqrt() and sin()
 * while handing the CPU to the other between steps (sched_yield, nanosleep) and being preempted
 * by the tick inside them, so its accumulators sit in floating-point registers across context
 * switches. With hardware FP (AArch64, RISC-V) the kernel must keep each thread's FP/SIMD
 * registers and FP control/status (FPCR/FPSR, fcsr) apart; on Cortex-M (soft float) the values
 * live in integer registers and libgcc does the arithmetic.
 *
 * Checked: against the same series computed by one thread alone (bit for bit); against
 * constants computed on the host (Python 3, IEEE doubles, glibc's libm): the +, /, sqrt series
 * bit for bit, as IEEE 754 rounds each of those operations exactly, and the sin series to 1e-10,
 * as libm's sin is not correctly rounded everywhere; printf("%.17g") of doubles against the
 * host's text where C fixes it, and that its text reads back as the same double.
 * The conformance driver runs this as `conform float_threads`. */
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conform.h"

/* No fused multiply-add: the host's constants come from separately rounded operations. */
#pragma STDC FP_CONTRACT OFF

#define STEPS 40
/* Terms per thread. Hardware FP runs a longer series so that a step outlasts the 10 ms tick
 * and the tick preempts the threads inside steps too; soft float is about 15 times slower. */
#if defined(__aarch64__) || defined(__riscv)
#define TERMS 300000L
#else
#define TERMS 60000L
#endif

/* exact = sum(sqrt(x) / (x + 1.0)), mixed = sum(sin(x / 7.0)), x = i + seed, i = 0 .. TERMS-1,
 * computed on the host; exact_text is the host's "%.17g" of exact. */
static const struct {
    double seed, exact, mixed;
    const char *exact_text;
} want[2] = {
#if defined(__aarch64__) || defined(__riscv)
    { 0.5, 0x1.11165652f4562p+10, 0x1.7b7543d0ac35dp-1, "1092.349018801317" },
    { 0.25, 0x1.1119cf60d0c8cp+10, 0x1.b48ce8bc8c9d9p-1, "1092.4032823599728" },
#else
    { 0.5, 0x1.e6ce6dfd0774dp+8, 0x1.0ee4b2cb61be5p+2, "486.806365789719" },
    { 0.25, 0x1.e6dc2d3b4274ap+8, 0x1.0004a42a6b755p+2, "486.86006517765475" },
#endif
};

struct series {
    double exact, mixed;
};

/* Terms [from, to) of both series for `seed`, added to `s`. */
static void add_terms(struct series *s, double seed, long from, long to)
{
    double e = s->exact, m = s->mixed;
    for (long i = from; i < to; i++) {
        double x = (double)i + seed;
        e += sqrt(x) / (x + 1.0);
        m += sin(x / 7.0);
    }
    s->exact = e;
    s->mixed = m;
}

struct worker {
    int id;
    double seed;
    struct series sum;
    int bad_text;  /* steps whose "%.17g" text did not read back as the same double */
    int handovers; /* steps after which the other thread had run */
    int preempted; /* steps during which the other thread ran (the tick, not a yield) */
    pthread_t thread;
};

static volatile long progress[2]; /* terms done per thread: who ran while a thread waited */

static void *work(void *arg)
{
    struct worker *w = arg;
    int other = 1 - w->id;
    char text[40];
    for (int step = 0; step < STEPS; step++) {
        long before = progress[other];
        add_terms(&w->sum, w->seed, TERMS * step / STEPS, TERMS * (step + 1) / STEPS);
        if (progress[other] != before)
            w->preempted++;
        progress[w->id] = TERMS * (step + 1) / STEPS;
        /* the running sum, formatted and read back while the other thread does the same */
        snprintf(text, sizeof text, "%.17g", w->sum.exact);
        if (strtod(text, NULL) != w->sum.exact)
            w->bad_text++;
        long mark = progress[other];
        if (step % 2) {
            sched_yield();
        } else {
            struct timespec d = { 0, 1000000 };
            nanosleep(&d, NULL);
        }
        if (progress[other] != mark)
            w->handovers++;
    }
    return NULL;
}

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* "%.17g" of v is `text` */
static int prints_as(double v, const char *text)
{
    char buf[48];
    snprintf(buf, sizeof buf, "%.17g", v);
    if (strcmp(buf, text) == 0)
        return 1;
    printf("# %%.17g gave %s, want %s\n", buf, text);
    return 0;
}

/* "%.17g" of v reads back as v (C: 17 significant digits, DBL_DECIMAL_DIG, round-trip a
 * double). Where the digits differ from the exactly rounded 17 the host prints (`exact`), says
 * so: picolibc prints the shortest text that reads back, at most 17 digits. */
static int round_trips(double v, const char *exact)
{
    char buf[48];
    snprintf(buf, sizeof buf, "%.17g", v);
    if (strcmp(buf, exact) != 0)
        printf("# %%.17g gave %s where C's exactly rounded 17 digits are %s\n", buf, exact);
    return same_bits(strtod(buf, NULL), v);
}

int main(void)
{
    /* printf of doubles (volatile: computed here, not folded by the compiler) */
    volatile double third = 1.0, two = 2.0, tiny = DBL_TRUE_MIN;
    third /= 3.0;
    CHECK(prints_as(sqrt(two), "1.4142135623730951"), "sqrt: %.17g of sqrt(2)");
    CHECK(prints_as(-0.0, "-0") && prints_as(two * 1e308, "inf"), "pthread_create: %.17g of -0.0 and inf");
    CHECK(prints_as(1e21, "1e+21") && prints_as(0.5, "0.5"), "pthread_create: %.17g of 1e21 and 0.5");
    CHECK(round_trips(0.1, "0.10000000000000001"), "pthread_create: %.17g of 0.1 reads back");
    CHECK(round_trips(third, "0.33333333333333331"), "pthread_create: %.17g of 1.0/3 reads back");
    CHECK(round_trips(tiny, "4.9406564584124654e-324"), "pthread_create: %.17g of DBL_TRUE_MIN reads back");

    /* the series computed by this thread alone: what the two threads must reproduce exactly */
    struct series alone[2] = { { 0, 0 }, { 0, 0 } };
    long long t0 = conform_ns(CLOCK_MONOTONIC);
    for (int t = 0; t < 2; t++)
        add_terms(&alone[t], want[t].seed, 0, TERMS);
    printf("# one thread: %ld terms in %lld ms\n", 2 * TERMS,
           (conform_ns(CLOCK_MONOTONIC) - t0) / 1000000);
    for (int t = 0; t < 2; t++) {
        printf("# seed %.17g: sqrt series %.17g, sin series %.17g\n", want[t].seed,
               alone[t].exact, alone[t].mixed);
        CHECK(same_bits(alone[t].exact, want[t].exact), "sqrt: sqrt series = the host's, bit for bit");
        CHECK(prints_as(alone[t].exact, want[t].exact_text), "sqrt: sqrt series prints as on the host");
        CHECK(fabs(alone[t].mixed - want[t].mixed) <= 1e-10, "fabs: sin series = the host's to 1e-10");
    }

    static struct worker w[2];
    for (int t = 0; t < 2; t++) {
        w[t].id = t;
        w[t].seed = want[t].seed;
        CHECK_RC(pthread_create(&w[t].thread, NULL, work, &w[t]), 0, "pthread_create: pthread_create");
    }
    for (int t = 0; t < 2; t++)
        CHECK_RC(pthread_join(w[t].thread, NULL), 0, "pthread_join: pthread_join");
    for (int t = 0; t < 2; t++) {
        printf("# thread %d: sqrt series %.17g, sin series %.17g; the other ran after %d and "
               "during %d of its %d steps\n", t, w[t].sum.exact, w[t].sum.mixed, w[t].handovers,
               w[t].preempted, STEPS);
        CHECK(same_bits(w[t].sum.exact, alone[t].exact) &&
                  same_bits(w[t].sum.mixed, alone[t].mixed),
              "pthread_create: both series in a thread = one thread's result, bit for bit");
        CHECK(w[t].bad_text == 0, "pthread_create: %.17g of the running sum read back after every step");
        CHECK(w[t].handovers > 0, "pthread_create: the other thread ran between this thread's steps");
    }
    CHECK(w[0].preempted + w[1].preempted > 0, "pthread_create: the tick preempted a thread inside a step");
    CONFORM_DONE();
}

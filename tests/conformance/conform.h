/*
 * Minimal assertion kit for bkport's conformance programs. Each check prints one TAP-like line
 * ("ok N - what" / "not ok N - what (got ...)"); the program's exit status is the number of
 * failed checks (0: the interface group conforms). pytest parses the lines per board.
 */
#ifndef BKPORT_CONFORM_H
#define BKPORT_CONFORM_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int conform_n, conform_failed;

#define CHECK(cond, what)                                                                    \
    do {                                                                                     \
        int ok_ = (cond);                                                                    \
        conform_n++;                                                                         \
        if (ok_)                                                                             \
            printf("ok %d - %s\n", conform_n, what);                                         \
        else {                                                                               \
            conform_failed++;                                                                \
            printf("not ok %d - %s (%s:%d: %s; errno %d %s)\n", conform_n, what, __FILE__,  \
                   __LINE__, #cond, errno, strerror(errno));                                 \
        }                                                                                    \
    } while (0)

/* `expr` fails with -1 and errno == e. */
#define CHECK_ERR(expr, e, what)                                                             \
    do {                                                                                     \
        errno = 0;                                                                           \
        long r_ = (long)(expr);                                                              \
        int e_ = errno;                                                                      \
        conform_n++;                                                                         \
        if (r_ == -1 && e_ == (e))                                                           \
            printf("ok %d - %s\n", conform_n, what);                                         \
        else {                                                                               \
            conform_failed++;                                                                \
            printf("not ok %d - %s (%s:%d: %s returned %ld errno %d, want -1 errno %d %s)\n", \
                   conform_n, what, __FILE__, __LINE__, #expr, r_, e_, (e), #e);             \
        }                                                                                    \
    } while (0)

/* A function returning an error number (pthreads): `expr` == e. */
#define CHECK_RC(expr, e, what)                                                              \
    do {                                                                                     \
        int r_ = (expr);                                                                     \
        conform_n++;                                                                         \
        if (r_ == (e))                                                                       \
            printf("ok %d - %s\n", conform_n, what);                                         \
        else {                                                                               \
            conform_failed++;                                                                \
            printf("not ok %d - %s (%s:%d: %s returned %d, want %d %s)\n", conform_n, what, \
                   __FILE__, __LINE__, #expr, r_, (e), #e);                                 \
        }                                                                                    \
    } while (0)

static inline long long conform_ns(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline struct timespec conform_after(clockid_t clk, long long ns)
{
    long long t = conform_ns(clk) + ns;
    struct timespec ts = { (time_t)(t / 1000000000LL), (long)(t % 1000000000LL) };
    return ts;
}

#define CONFORM_DONE()                                                                       \
    do {                                                                                     \
        printf("1..%d\n# %d failed\n", conform_n, conform_failed);                           \
        return conform_failed;                                                               \
    } while (0)

#endif

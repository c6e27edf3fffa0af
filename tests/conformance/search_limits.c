/* lfind/lsearch (<search.h>, XSI) and the minimum values every <limits.h> defines
 * (_POSIX_NAME_MAX and the rest, exactly the standard's values). The conformance driver runs
 * this as `conform search_limits`. */
#include <limits.h>
#include <search.h>
#include <string.h>

#include "conform.h"

static int cmp_int(const void *a, const void *b)
{
    return *(const int *)a != *(const int *)b;
}

int main(void)
{
    int tab[8] = { 5, 3, 9 };
    size_t n = 3;
    int key = 9;
    CHECK(lfind(&key, tab, &n, sizeof tab[0], cmp_int) == &tab[2], "lfind: lfind finds 9 at [2]");
    key = 4;
    CHECK(lfind(&key, tab, &n, sizeof tab[0], cmp_int) == NULL && n == 3,
          "lfind: lfind of a missing key: NULL, count unchanged");
    int *p = lsearch(&key, tab, &n, sizeof tab[0], cmp_int);
    CHECK(p == &tab[3] && *p == 4 && n == 4, "lsearch: lsearch appends a missing key");
    key = 3;
    CHECK(lsearch(&key, tab, &n, sizeof tab[0], cmp_int) == &tab[1] && n == 4,
          "lsearch: lsearch of a present key: found, not appended");
    n = 0;
    CHECK(lfind(&key, tab, &n, sizeof tab[0], cmp_int) == NULL, "lfind: lfind in an empty table");

    CHECK(_POSIX_NAME_MAX == 14, "limits.h: _POSIX_NAME_MAX 14");
    CHECK(_POSIX_PATH_MAX == 256, "limits.h: _POSIX_PATH_MAX 256");
    CHECK(_POSIX_ARG_MAX == 4096, "limits.h: _POSIX_ARG_MAX 4096");
    CHECK(_POSIX_OPEN_MAX == 20, "limits.h: _POSIX_OPEN_MAX 20");
    CHECK(_POSIX_PIPE_BUF == 512, "limits.h: _POSIX_PIPE_BUF 512");
    CHECK(_POSIX_LINK_MAX == 8, "limits.h: _POSIX_LINK_MAX 8");
    CHECK(_POSIX_CHILD_MAX == 25, "limits.h: _POSIX_CHILD_MAX 25");
    CHECK(_POSIX_SSIZE_MAX == 32767, "limits.h: _POSIX_SSIZE_MAX 32767");
    CHECK(_POSIX_STREAM_MAX == 8, "limits.h: _POSIX_STREAM_MAX 8");
    CHECK(_POSIX_SYMLOOP_MAX == 8, "limits.h: _POSIX_SYMLOOP_MAX 8");
    CHECK(_POSIX_TZNAME_MAX == 6, "limits.h: _POSIX_TZNAME_MAX 6");
    CHECK(_POSIX_THREAD_THREADS_MAX == 64 && _POSIX_THREAD_KEYS_MAX == 128 &&
          _POSIX_THREAD_DESTRUCTOR_ITERATIONS == 4, "limits.h: _POSIX_THREAD_* minimums");
    CHECK(_POSIX_TIMER_MAX == 32 && _POSIX_DELAYTIMER_MAX == 32 && _POSIX_SIGQUEUE_MAX == 32 &&
          _POSIX_RTSIG_MAX == 8, "limits.h: timer and signal minimums");
    CHECK(_POSIX_SEM_NSEMS_MAX == 256 && _POSIX_SEM_VALUE_MAX == 32767, "limits.h: semaphore minimums");
    CHECK(_POSIX_MQ_OPEN_MAX == 8 && _POSIX_MQ_PRIO_MAX == 32, "limits.h: message queue minimums");
    CHECK(_POSIX_HOST_NAME_MAX == 255 && _POSIX_LOGIN_NAME_MAX == 9 && _POSIX_TTY_NAME_MAX == 9,
          "limits.h: name minimums");
    CHECK(_POSIX_MAX_CANON == 255 && _POSIX_MAX_INPUT == 255 && _POSIX_NGROUPS_MAX == 8,
          "limits.h: terminal and group minimums");
    CHECK(_POSIX_AIO_LISTIO_MAX == 2 && _POSIX_AIO_MAX == 1, "limits.h: asynchronous I/O minimums");
    CHECK(_POSIX_RE_DUP_MAX == 255 && _POSIX2_RE_DUP_MAX == 255, "limits.h: _POSIX_RE_DUP_MAX 255");
    CHECK(_POSIX_SYMLINK_MAX == 255 && _POSIX_SS_REPL_MAX == 4, "limits.h: symlink and sporadic minimums");
    CHECK(_POSIX_CLOCKRES_MIN == 20000000, "limits.h: _POSIX_CLOCKRES_MIN 20 ms");
    CHECK(_POSIX2_LINE_MAX == 2048 && _POSIX2_EXPR_NEST_MAX == 32 &&
          _POSIX2_BC_BASE_MAX == 99 && _POSIX2_BC_DIM_MAX == 2048 &&
          _POSIX2_BC_SCALE_MAX == 99 && _POSIX2_BC_STRING_MAX == 1000 &&
          _POSIX2_CHARCLASS_NAME_MAX == 14 && _POSIX2_COLL_WEIGHTS_MAX == 2,
          "limits.h: _POSIX2_* minimums");
    CHECK(_XOPEN_IOV_MAX == 16 && _XOPEN_NAME_MAX == 255 && _XOPEN_PATH_MAX == 1024,
          "limits.h: _XOPEN_* minimums");
    CHECK(SSIZE_MAX >= _POSIX_SSIZE_MAX && PATH_MAX >= _POSIX_PATH_MAX &&
          NAME_MAX >= _POSIX_NAME_MAX, "limits.h: the actual limits meet the minimums");
    CONFORM_DONE();
}

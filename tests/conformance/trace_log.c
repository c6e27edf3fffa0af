/* The POSIX Trace Log option (<trace.h>): streams created with a log, posix_trace_flush and its
 * system events and status, posix_trace_shutdown flushing, the three log full policies, the
 * POSIX_TRACE_FLUSH stream policy, a log read back as a pre-recorded stream (posix_trace_open,
 * posix_trace_getnext_event, posix_trace_rewind, posix_trace_close) and the calls an active or a
 * pre-recorded stream refuses, each error POSIX documents. Runs as `conform trace_log`. */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <trace.h>
#include <unistd.h>

#include "conform.h"

/* Where the logs go (a host run of tests/layer/test_trace_host.py gives its own). */
#ifndef TRACE_LOG_DIR
#define TRACE_LOG_DIR "/tmp/"
#endif

static trace_event_id_t ev_a, ev_b;

struct ev {
    struct posix_trace_event_info info;
    int v;
    size_t len;
};

/* Open `path` read-only and read every event of the log in it (at most max). */
static int read_log(const char *path, struct ev *out, int max, trace_id_t *keep)
{
    int fd = open(path, O_RDONLY);
    trace_id_t t;
    if (fd < 0 || posix_trace_open(fd, &t)) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    int n = 0, un = 0;
    while (n < max) {
        out[n].v = -1;
        if (posix_trace_getnext_event(t, &out[n].info, &out[n].v, sizeof out[n].v, &out[n].len,
                                      &un) || un)
            break;
        n++;
    }
    if (keep)
        *keep = t;
    else
        posix_trace_close(t);
    close(fd);
    return n;
}

static int count_id(const struct ev *e, int n, trace_event_id_t id)
{
    int c = 0;
    for (int i = 0; i < n; i++)
        c += e[i].info.posix_event_id == id;
    return c;
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) ? -1 : (long)st.st_size;
}

static void check_basic_log(void)
{
    const char *path = TRACE_LOG_DIR "trace_basic.log";
    int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
    CHECK(fd >= 0, "posix_trace_create_withlog: log file made");
    trace_attr_t a;
    posix_trace_attr_init(&a);
    posix_trace_attr_setname(&a, "basic");
    posix_trace_attr_setlogfullpolicy(&a, POSIX_TRACE_APPEND);
    trace_id_t t;
    CHECK_RC(posix_trace_create_withlog(0, &a, fd, &t), 0, "posix_trace_create_withlog: 0");
    trace_attr_t got;
    int v = -1;
    CHECK(posix_trace_get_attr(t, &got) == 0 &&
              posix_trace_attr_getstreamfullpolicy(&got, &v) == 0 && v == POSIX_TRACE_FLUSH,
          "posix_trace_create_withlog: default stream full policy POSIX_TRACE_FLUSH");
    CHECK(posix_trace_attr_getlogfullpolicy(&got, &v) == 0 && v == POSIX_TRACE_APPEND,
          "posix_trace_get_attr: the log full policy given");
    CHECK(file_size(path) > 0, "posix_trace_create_withlog: the log is written at once");
    CHECK_RC(posix_trace_start(t), 0, "posix_trace_start: a stream with log");
    for (int i = 0; i < 5; i++)
        posix_trace_event(i % 2 ? ev_b : ev_a, &i, sizeof i);
    struct posix_trace_status_info st;
    CHECK_RC(posix_trace_flush(t), 0, "posix_trace_flush: 0");
    CHECK(posix_trace_get_status(t, &st) == 0 &&
              st.posix_stream_flush_status == POSIX_TRACE_NOT_FLUSHING &&
              st.posix_stream_flush_error == 0,
          "posix_trace_get_status: after the flush: not flushing, no error");
    struct posix_trace_event_info info;
    int d;
    size_t len;
    int un;
    CHECK(posix_trace_trygetnext_event(t, &info, &d, sizeof d, &len, &un) == 0 && !un &&
              info.posix_event_id == POSIX_TRACE_FLUSH_STOP,
          "posix_trace_flush: the flushed events left the stream; POSIX_TRACE_FLUSH_STOP stays");
    CHECK(posix_trace_trygetnext_event(t, &info, &d, sizeof d, &len, &un) == 0 && un,
          "posix_trace_flush: nothing else in the stream");
    for (int i = 5; i < 8; i++)
        posix_trace_event(ev_a, &i, sizeof i);
    posix_trace_stop(t);

    /* the log can be read while the stream is still active */
    struct ev e[64];
    int n = read_log(path, e, 64, NULL);
    CHECK(n == 7, "posix_trace_open: a flushed log, stream still active: what was flushed");
    CHECK(n >= 1 && e[0].info.posix_event_id == POSIX_TRACE_START,
          "posix_trace_getnext_event: pre-recorded: POSIX_TRACE_START first");
    int ok = n == 7;
    for (int i = 0; ok && i < 5; i++)
        ok = e[i + 1].info.posix_event_id == (i % 2 ? ev_b : ev_a) && e[i + 1].v == i &&
             e[i + 1].len == sizeof(int);
    CHECK(ok, "posix_trace_getnext_event: pre-recorded: the events, ids and data in order");
    CHECK(n == 7 && e[6].info.posix_event_id == POSIX_TRACE_FLUSH_START,
          "posix_trace_flush: POSIX_TRACE_FLUSH_START is in the log");
    CHECK(n >= 2 && e[1].info.posix_pid == getpid() && e[1].info.posix_prog_address != NULL,
          "posix_trace_getnext_event: pre-recorded: pid and program address kept");
    CHECK(n >= 2 && pthread_equal(e[1].info.posix_thread_id, pthread_self()),
          "posix_trace_getnext_event: pre-recorded: thread kept");
    CHECK(n >= 2 && e[1].info.posix_truncation_status == POSIX_TRACE_NOT_TRUNCATED,
          "posix_trace_getnext_event: pre-recorded: POSIX_TRACE_NOT_TRUNCATED");

    CHECK_RC(posix_trace_shutdown(t), 0, "posix_trace_shutdown: a stream with log: 0");
    n = read_log(path, e, 64, NULL);
    /* the FLUSH_STOP was read from the stream above: the log holds what followed it */
    CHECK(n == 11, "posix_trace_shutdown: flushes the stream to the log");
    CHECK(n == 11 && e[7].v == 5 && e[9].v == 7 &&
              e[10].info.posix_event_id == POSIX_TRACE_STOP,
          "posix_trace_shutdown: the events after the flush, then POSIX_TRACE_STOP");

    /* the pre-recorded stream */
    trace_id_t p;
    n = read_log(path, e, 3, &p);
    CHECK(n == 3, "posix_trace_open: 0");
    posix_trace_attr_destroy(&got);
    CHECK_RC(posix_trace_get_attr(p, &got), 0, "posix_trace_get_attr: a pre-recorded stream");
    char name[TRACE_NAME_MAX];
    CHECK(posix_trace_attr_getname(&got, name) == 0 && !strcmp(name, "basic"),
          "posix_trace_get_attr: pre-recorded: the traced stream's name");
    CHECK(posix_trace_attr_getlogfullpolicy(&got, &v) == 0 && v == POSIX_TRACE_APPEND,
          "posix_trace_get_attr: pre-recorded: the log full policy");
    CHECK(posix_trace_get_status(p, &st) == 0 && st.posix_stream_status == POSIX_TRACE_SUSPENDED,
          "posix_trace_get_status: a pre-recorded stream");
    char en[TRACE_EVENT_NAME_MAX];
    CHECK(posix_trace_eventid_get_name(p, ev_b, en) == 0 && !strcmp(en, "log_b"),
          "posix_trace_eventid_get_name: pre-recorded: the name the log holds");
    trace_event_id_t id;
    int seen_b = 0, k = 0;
    while (k++ < 200 && posix_trace_eventtypelist_getnext_id(p, &id, &un) == 0 && !un)
        seen_b += id == ev_b;
    CHECK(seen_b == 1, "posix_trace_eventtypelist_getnext_id: pre-recorded: the log's ids");
    CHECK_RC(posix_trace_eventtypelist_rewind(p), 0,
             "posix_trace_eventtypelist_rewind: pre-recorded: 0");
    CHECK_RC(posix_trace_trygetnext_event(p, &info, &d, sizeof d, &len, &un), EINVAL,
             "posix_trace_trygetnext_event: a pre-recorded stream: EINVAL");
    struct timespec soon = conform_after(CLOCK_REALTIME, 1000000);
    CHECK_RC(posix_trace_timedgetnext_event(p, &info, &d, sizeof d, &len, &un, &soon), EINVAL,
             "posix_trace_timedgetnext_event: a pre-recorded stream: EINVAL");
    CHECK_RC(posix_trace_start(p), EINVAL, "posix_trace_start: a pre-recorded stream: EINVAL");
    CHECK_RC(posix_trace_stop(p), EINVAL, "posix_trace_stop: a pre-recorded stream: EINVAL");
    CHECK_RC(posix_trace_clear(p), EINVAL, "posix_trace_clear: a pre-recorded stream: EINVAL");
    CHECK_RC(posix_trace_flush(p), EINVAL, "posix_trace_flush: a pre-recorded stream: EINVAL");
    CHECK_RC(posix_trace_shutdown(p), EINVAL,
             "posix_trace_shutdown: a pre-recorded stream: EINVAL");
    trace_event_set_t set;
    posix_trace_eventset_empty(&set);
    CHECK_RC(posix_trace_set_filter(p, &set, POSIX_TRACE_SET_EVENTSET), EINVAL,
             "posix_trace_set_filter: a pre-recorded stream: EINVAL");
    CHECK_RC(posix_trace_get_filter(p, &set), EINVAL,
             "posix_trace_get_filter: a pre-recorded stream: EINVAL");
    CHECK_RC(posix_trace_trid_eventid_open(p, "x", &id), EINVAL,
             "posix_trace_trid_eventid_open: a pre-recorded stream: EINVAL");
    n = 3;
    while (n < 64 && posix_trace_getnext_event(p, &e[n].info, &e[n].v, sizeof e[n].v, &e[n].len,
                                               &un) == 0 && !un)
        n++;
    CHECK(n == 11, "posix_trace_getnext_event: pre-recorded: goes on where it was");
    CHECK(posix_trace_getnext_event(p, &info, &d, sizeof d, &len, &un) == 0 && un == 1,
          "posix_trace_getnext_event: pre-recorded end: unavailable, no blocking");
    CHECK_RC(posix_trace_rewind(p), 0, "posix_trace_rewind: 0");
    CHECK(posix_trace_getnext_event(p, &info, &d, sizeof d, &len, &un) == 0 && !un &&
              info.posix_event_id == POSIX_TRACE_START,
          "posix_trace_rewind: reading starts again at the first event");
    char small[2];
    CHECK(posix_trace_getnext_event(p, &info, small, 2, &len, &un) == 0 && len == 2 &&
              info.posix_truncation_status == POSIX_TRACE_TRUNCATED_READ,
          "posix_trace_getnext_event: pre-recorded: POSIX_TRACE_TRUNCATED_READ");
    CHECK_RC(posix_trace_close(p), 0, "posix_trace_close: 0");
    CHECK_RC(posix_trace_close(p), EINVAL, "posix_trace_close: twice: EINVAL");
    CHECK_RC(posix_trace_rewind(p), EINVAL, "posix_trace_rewind: a closed stream: EINVAL");
    CHECK_RC(posix_trace_getnext_event(p, &info, &d, sizeof d, &len, &un), EINVAL,
             "posix_trace_getnext_event: a closed stream: EINVAL");
    CHECK_RC(posix_trace_close(9999), EINVAL, "posix_trace_close: bad trace id: EINVAL");
    CHECK_RC(posix_trace_rewind(9999), EINVAL, "posix_trace_rewind: bad trace id: EINVAL");
    close(fd);
    posix_trace_attr_destroy(&a);
    posix_trace_attr_destroy(&got);
}

/* A stream with a small log under `policy`: 40 events of an int, flushed every 8. */
static int policy_run(const char *path, int policy, size_t logsize, struct ev *e, int max,
                      struct posix_trace_status_info *st)
{
    int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
    trace_attr_t a;
    trace_id_t t;
    posix_trace_attr_init(&a);
    posix_trace_attr_setmaxdatasize(&a, sizeof(int));
    posix_trace_attr_setlogfullpolicy(&a, policy);
    posix_trace_attr_setlogsize(&a, logsize);
    posix_trace_attr_setstreamfullpolicy(&a, POSIX_TRACE_LOOP);
    if (fd < 0 || posix_trace_create_withlog(0, &a, fd, &t))
        return -1;
    posix_trace_start(t);
    for (int i = 0; i < 40; i++) {
        posix_trace_event(ev_a, &i, sizeof i);
        if (i % 8 == 7)
            posix_trace_flush(t);
    }
    posix_trace_get_status(t, st);
    posix_trace_shutdown(t);
    close(fd);
    posix_trace_attr_destroy(&a);
    return read_log(path, e, max, NULL);
}

static void check_policies(void)
{
    /* a log of no events: its head */
    const char *path = TRACE_LOG_DIR "trace_head.log";
    int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
    trace_id_t t;
    posix_trace_create_withlog(0, NULL, fd, &t);
    posix_trace_shutdown(t);
    close(fd);
    long head = file_size(path);
    CHECK(head > 0, "posix_trace_create_withlog: NULL attributes: a log with its head");
    struct ev e[128];
    CHECK(read_log(path, e, 128, NULL) == 0, "posix_trace_open: a log of no events: none read");

    struct posix_trace_status_info st;
    size_t room = (size_t)head + 400; /* space for a few records only */
    int n = policy_run(TRACE_LOG_DIR "trace_append.log", POSIX_TRACE_APPEND, room, e, 128,
                       &st);
    CHECK(count_id(e, n, ev_a) == 40,
          "posix_trace_attr_setlogfullpolicy: POSIX_TRACE_APPEND: every event, size ignored");
    CHECK(st.posix_log_full_status == POSIX_TRACE_NOT_FULL &&
              st.posix_log_overrun_status == POSIX_TRACE_NO_OVERRUN,
          "posix_trace_get_status: POSIX_TRACE_APPEND: log never full");

    n = policy_run(TRACE_LOG_DIR "trace_until.log", POSIX_TRACE_UNTIL_FULL, room, e, 128, &st);
    int users = count_id(e, n, ev_a);
    CHECK(users > 0 && users < 40, "posix_trace_attr_setlogfullpolicy: POSIX_TRACE_UNTIL_FULL: "
                                   "the log stops at its size");
    CHECK(n > 0 && e[n - 1].info.posix_event_id == POSIX_TRACE_STOP,
          "posix_trace_attr_setlogfullpolicy: POSIX_TRACE_UNTIL_FULL: POSIX_TRACE_STOP last");
    CHECK(n > 1 && e[1].info.posix_event_id == ev_a && e[1].v == 0,
          "posix_trace_attr_setlogfullpolicy: POSIX_TRACE_UNTIL_FULL: the oldest events kept");
    CHECK(file_size(TRACE_LOG_DIR "trace_until.log") <= (long)room,
          "posix_trace_attr_setlogsize: POSIX_TRACE_UNTIL_FULL: the file within the log size");
    CHECK(st.posix_log_full_status == POSIX_TRACE_FULL,
          "posix_trace_get_status: POSIX_TRACE_UNTIL_FULL: log full");
    CHECK(st.posix_stream_status == POSIX_TRACE_SUSPENDED,
          "posix_trace_get_status: a full POSIX_TRACE_UNTIL_FULL log stops the stream");

    n = policy_run(TRACE_LOG_DIR "trace_loop.log", POSIX_TRACE_LOOP, room, e, 128, &st);
    users = count_id(e, n, ev_a);
    int last = -1;
    for (int i = 0; i < n; i++)
        if (e[i].info.posix_event_id == ev_a)
            last = e[i].v;
    CHECK(users > 0 && users < 40, "posix_trace_attr_setlogfullpolicy: POSIX_TRACE_LOOP: "
                                   "the log keeps what fits");
    CHECK(last == 39, "posix_trace_attr_setlogfullpolicy: POSIX_TRACE_LOOP: the newest events");
    CHECK(n > 0 && e[0].info.posix_event_id != POSIX_TRACE_START,
          "posix_trace_attr_setlogfullpolicy: POSIX_TRACE_LOOP: the oldest events gone");
    CHECK(file_size(TRACE_LOG_DIR "trace_loop.log") <= (long)room,
          "posix_trace_attr_setlogsize: POSIX_TRACE_LOOP: the file within the log size");
    CHECK(st.posix_log_overrun_status == POSIX_TRACE_OVERRUN,
          "posix_trace_get_status: POSIX_TRACE_LOOP log wrapped: log overrun");

    /* POSIX_TRACE_FLUSH: a full stream goes to the log by itself */
    fd = open(TRACE_LOG_DIR "trace_sflush.log", O_CREAT | O_RDWR | O_TRUNC, 0600);
    trace_attr_t a;
    size_t one = 0;
    posix_trace_attr_init(&a);
    posix_trace_attr_setmaxdatasize(&a, sizeof(int));
    posix_trace_attr_getmaxusereventsize(&a, sizeof(int), &one);
    posix_trace_attr_setstreamsize(&a, one * 6);
    posix_trace_attr_setstreamfullpolicy(&a, POSIX_TRACE_FLUSH);
    posix_trace_attr_setlogfullpolicy(&a, POSIX_TRACE_APPEND);
    CHECK_RC(posix_trace_create_withlog(0, &a, fd, &t), 0,
             "posix_trace_create_withlog: POSIX_TRACE_FLUSH, 6 events");
    posix_trace_start(t);
    for (int i = 0; i < 30; i++)
        posix_trace_event(ev_b, &i, sizeof i);
    CHECK(posix_trace_get_status(t, &st) == 0 &&
              st.posix_stream_overrun_status == POSIX_TRACE_NO_OVERRUN,
          "posix_trace_attr_setstreamfullpolicy: POSIX_TRACE_FLUSH: no overrun");
    posix_trace_shutdown(t);
    close(fd);
    n = read_log(TRACE_LOG_DIR "trace_sflush.log", e, 128, NULL);
    int inorder = count_id(e, n, ev_b) == 30;
    for (int i = 0, want = 0; inorder && i < n; i++)
        if (e[i].info.posix_event_id == ev_b)
            inorder = e[i].v == want++;
    CHECK(inorder, "posix_trace_attr_setstreamfullpolicy: POSIX_TRACE_FLUSH: all 30 in the log");

    /* POSIX_TRACE_UNTIL_FULL with a log: a flush frees the stream, which runs again */
    fd = open(TRACE_LOG_DIR "trace_sfull.log", O_CREAT | O_RDWR | O_TRUNC, 0600);
    posix_trace_attr_setstreamfullpolicy(&a, POSIX_TRACE_UNTIL_FULL);
    CHECK_RC(posix_trace_create_withlog(0, &a, fd, &t), 0,
             "posix_trace_create_withlog: POSIX_TRACE_UNTIL_FULL, 6 events");
    posix_trace_start(t);
    for (int i = 0; i < 10; i++)
        posix_trace_event(ev_b, &i, sizeof i);
    CHECK(posix_trace_get_status(t, &st) == 0 && st.posix_stream_status == POSIX_TRACE_SUSPENDED &&
              st.posix_stream_full_status == POSIX_TRACE_FULL,
          "posix_trace_get_status: a full POSIX_TRACE_UNTIL_FULL stream with log: suspended");
    CHECK_RC(posix_trace_flush(t), 0, "posix_trace_flush: a full stream");
    CHECK(posix_trace_get_status(t, &st) == 0 && st.posix_stream_status == POSIX_TRACE_RUNNING &&
              st.posix_stream_full_status == POSIX_TRACE_NOT_FULL,
          "posix_trace_flush: the emptied POSIX_TRACE_UNTIL_FULL stream runs again");
    struct posix_trace_event_info info;
    int d, un;
    size_t len;
    trace_event_id_t seq[4] = { -1, -1, -1, -1 };
    for (int i = 0; i < 4; i++)
        if (posix_trace_trygetnext_event(t, &info, &d, sizeof d, &len, &un) == 0 && !un)
            seq[i] = info.posix_event_id;
    CHECK(seq[0] == POSIX_TRACE_OVERFLOW && seq[1] == POSIX_TRACE_START &&
              seq[2] == POSIX_TRACE_FLUSH_STOP && seq[3] == -1,
          "posix_trace_flush: then POSIX_TRACE_OVERFLOW, _START, _FLUSH_STOP");
    posix_trace_shutdown(t);
    close(fd);
    n = read_log(TRACE_LOG_DIR "trace_sfull.log", e, 128, NULL);
    CHECK(n == 6 && count_id(e, n, ev_b) == 4 && e[5].info.posix_event_id == POSIX_TRACE_STOP,
          "posix_trace_flush: the full stream's events and its POSIX_TRACE_STOP in the log");
    posix_trace_attr_destroy(&a);
}

static void check_errors(void)
{
    trace_id_t t;
    trace_attr_t a;
    posix_trace_attr_init(&a);
    int fd = open(TRACE_LOG_DIR "trace_err.log", O_CREAT | O_RDWR | O_TRUNC, 0600);
    CHECK_RC(posix_trace_create_withlog(0, &a, -1, &t), EBADF,
             "posix_trace_create_withlog: descriptor -1: EBADF");
    CHECK_RC(posix_trace_create_withlog(0, &a, 1000, &t), EBADF,
             "posix_trace_create_withlog: a closed descriptor: EBADF");
    int ro = open(TRACE_LOG_DIR "trace_err.log", O_RDONLY);
    CHECK_RC(posix_trace_create_withlog(0, &a, ro, &t), EBADF,
             "posix_trace_create_withlog: a read-only descriptor: EBADF");
    CHECK_RC(posix_trace_create_withlog(getpid() + 1000, &a, fd, &t), ESRCH,
             "posix_trace_create_withlog: another pid: ESRCH");
    trace_attr_t dead;
    posix_trace_attr_init(&dead);
    posix_trace_attr_destroy(&dead);
    CHECK_RC(posix_trace_create_withlog(0, &dead, fd, &t), EINVAL,
             "posix_trace_create_withlog: destroyed attributes: EINVAL");

    /* posix_trace_open */
    CHECK_RC(posix_trace_open(-1, &t), EBADF, "posix_trace_open: descriptor -1: EBADF");
    CHECK_RC(posix_trace_open(1000, &t), EBADF, "posix_trace_open: a closed descriptor: EBADF");
    int wo = open(TRACE_LOG_DIR "trace_err.log", O_WRONLY);
    CHECK_RC(posix_trace_open(wo, &t), EBADF, "posix_trace_open: a write-only descriptor: EBADF");
    close(wo);
    CHECK_RC(posix_trace_open(ro, &t), EINVAL, "posix_trace_open: an empty file: EINVAL");
    int g = open(TRACE_LOG_DIR "trace_garbage.log", O_CREAT | O_RDWR | O_TRUNC, 0600);
    char junk[3000];
    for (unsigned i = 0; i < sizeof junk; i++)
        junk[i] = (char)(i * 7);
    write(g, junk, sizeof junk);
    lseek(g, 0, SEEK_SET);
    CHECK_RC(posix_trace_open(g, &t), EINVAL, "posix_trace_open: not a trace log: EINVAL");
    close(g);

    /* a log cut short is refused, not read past its end */
    int s = open(TRACE_LOG_DIR "trace_cut.log", O_CREAT | O_RDWR | O_TRUNC, 0600);
    posix_trace_create_withlog(0, &a, s, &t);
    posix_trace_start(t);
    for (int i = 0; i < 4; i++)
        posix_trace_event(ev_a, &i, sizeof i);
    posix_trace_shutdown(t);
    long sz = file_size(TRACE_LOG_DIR "trace_cut.log");
    CHECK(sz > 0 && ftruncate(s, sz - 6) == 0, "posix_trace_open: log cut by 6 bytes");
    lseek(s, 0, SEEK_SET);
    CHECK_RC(posix_trace_open(s, &t), EINVAL, "posix_trace_open: a truncated log: EINVAL");
    close(s);

    /* a write error is the flush's status and a POSIX_TRACE_ERROR event */
    CHECK_RC(posix_trace_create_withlog(0, &a, fd, &t), 0,
             "posix_trace_create_withlog: a log to lose");
    posix_trace_start(t);
    posix_trace_event(ev_a, "x", 1);
    close(fd);
    CHECK_RC(posix_trace_flush(t), 0, "posix_trace_flush: an error is reported in the status");
    struct posix_trace_status_info st;
    CHECK(posix_trace_get_status(t, &st) == 0 && st.posix_stream_flush_error == EBADF,
          "posix_trace_get_status: posix_stream_flush_error is the write's errno");
    CHECK(posix_trace_get_status(t, &st) == 0 && st.posix_stream_flush_error == 0,
          "posix_trace_get_status: the flush error is reported once");
    struct posix_trace_event_info info;
    int d = 0, un, found = 0, k = 0;
    size_t len;
    while (k++ < 20 && posix_trace_trygetnext_event(t, &info, &d, sizeof d, &len, &un) == 0 &&
           !un)
        if (info.posix_event_id == POSIX_TRACE_ERROR)
            found = d == EBADF;
    CHECK(found, "posix_trace_flush: POSIX_TRACE_ERROR recorded with the errno");
    CHECK_RC(posix_trace_shutdown(t), 0, "posix_trace_shutdown: its log lost: 0");
    close(ro);
    posix_trace_attr_destroy(&a);
}

int main(void)
{
    CHECK(posix_trace_eventid_open("log_a", &ev_a) == 0 &&
              posix_trace_eventid_open("log_b", &ev_b) == 0 && ev_a != ev_b,
          "posix_trace_eventid_open: two names");
    check_basic_log();
    check_policies();
    check_errors();
    CONFORM_DONE();
}

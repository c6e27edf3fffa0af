/* The POSIX Trace option (<trace.h>, Trace Event Filter, Trace Inherit): attribute objects and
 * their defaults, event sets, event names and ids, active streams (create, start, stop, clear,
 * shutdown, status), the stream full policies, filters, truncation, the three readers with their
 * blocking and timeouts, recording from several threads, and each error POSIX documents. The
 * Trace Log and pre-recorded streams are in trace_log.c. Runs as `conform trace`. */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <trace.h>
#include <unistd.h>

#include "conform.h"

#define NIDS (TRACE_SYS_MAX + TRACE_USER_EVENT_MAX)

struct ev {
    struct posix_trace_event_info info;
    char data[64];
    size_t len;
};

/* Every event the stream holds now, through posix_trace_trygetnext_event. */
static int drain(trace_id_t t, struct ev *out, int max)
{
    int n = 0, unavail = 0;
    while (n < max) {
        if (posix_trace_trygetnext_event(t, &out[n].info, out[n].data, sizeof out[n].data,
                                         &out[n].len, &unavail) || unavail)
            break;
        n++;
    }
    return n;
}

static int small_stream(trace_attr_t *a, int policy, int slots, size_t maxdata)
{
    size_t sz = 0;
    int r = posix_trace_attr_init(a);
    r |= posix_trace_attr_setmaxdatasize(a, maxdata);
    r |= posix_trace_attr_getmaxusereventsize(a, maxdata, &sz);
    r |= posix_trace_attr_setstreamsize(a, sz * (size_t)slots);
    r |= posix_trace_attr_setstreamfullpolicy(a, policy);
    return r;
}

static void check_attributes(void)
{
    trace_attr_t a;
    int v = -1;
    size_t z = 0;
    char buf[TRACE_NAME_MAX + 8];
    struct timespec ts, res;

    CHECK_RC(posix_trace_attr_init(&a), 0, "posix_trace_attr_init: 0");
    CHECK(posix_trace_attr_getinherited(&a, &v) == 0 && v == POSIX_TRACE_CLOSE_FOR_CHILD,
          "posix_trace_attr_getinherited: default POSIX_TRACE_CLOSE_FOR_CHILD");
    CHECK(posix_trace_attr_getlogfullpolicy(&a, &v) == 0 && v == POSIX_TRACE_LOOP,
          "posix_trace_attr_getlogfullpolicy: default POSIX_TRACE_LOOP");
    CHECK(posix_trace_attr_getstreamfullpolicy(&a, &v) == 0 && v == POSIX_TRACE_LOOP,
          "posix_trace_attr_getstreamfullpolicy: default POSIX_TRACE_LOOP (no log)");
    CHECK(posix_trace_attr_getstreamsize(&a, &z) == 0 && z > 0,
          "posix_trace_attr_getstreamsize: default > 0");
    CHECK(posix_trace_attr_getlogsize(&a, &z) == 0 && z > 0,
          "posix_trace_attr_getlogsize: default > 0");
    CHECK(posix_trace_attr_getmaxdatasize(&a, &z) == 0 && z > 0,
          "posix_trace_attr_getmaxdatasize: default > 0");
    memset(buf, 'x', sizeof buf);
    CHECK(posix_trace_attr_getname(&a, buf) == 0 && buf[0] == 0,
          "posix_trace_attr_getname: default empty name");
    memset(buf, 0, sizeof buf);
    CHECK(posix_trace_attr_getgenversion(&a, buf) == 0 && buf[0] &&
              strlen(buf) < TRACE_NAME_MAX,
          "posix_trace_attr_getgenversion: a version string shorter than TRACE_NAME_MAX");
    CHECK(posix_trace_attr_getclockres(&a, &res) == 0 && clock_getres(CLOCK_REALTIME, &ts) == 0 &&
              res.tv_sec == ts.tv_sec && res.tv_nsec == ts.tv_nsec,
          "posix_trace_attr_getclockres: CLOCK_REALTIME's resolution");
    CHECK(posix_trace_attr_getcreatetime(&a, &ts) == 0,
          "posix_trace_attr_getcreatetime: 0 on an initialized object");

    /* set/get round trips */
    CHECK(posix_trace_attr_setinherited(&a, POSIX_TRACE_INHERITED) == 0 &&
              posix_trace_attr_getinherited(&a, &v) == 0 && v == POSIX_TRACE_INHERITED,
          "posix_trace_attr_setinherited: POSIX_TRACE_INHERITED kept");
    CHECK(posix_trace_attr_setinherited(&a, POSIX_TRACE_CLOSE_FOR_CHILD) == 0 &&
              posix_trace_attr_getinherited(&a, &v) == 0 && v == POSIX_TRACE_CLOSE_FOR_CHILD,
          "posix_trace_attr_setinherited: POSIX_TRACE_CLOSE_FOR_CHILD kept");
    static const int logp[] = { POSIX_TRACE_LOOP, POSIX_TRACE_UNTIL_FULL, POSIX_TRACE_APPEND };
    for (unsigned i = 0; i < 3; i++)
        CHECK(posix_trace_attr_setlogfullpolicy(&a, logp[i]) == 0 &&
                  posix_trace_attr_getlogfullpolicy(&a, &v) == 0 && v == logp[i],
              "posix_trace_attr_setlogfullpolicy: each log policy kept");
    static const int strp[] = { POSIX_TRACE_LOOP, POSIX_TRACE_UNTIL_FULL, POSIX_TRACE_FLUSH };
    for (unsigned i = 0; i < 3; i++)
        CHECK(posix_trace_attr_setstreamfullpolicy(&a, strp[i]) == 0 &&
                  posix_trace_attr_getstreamfullpolicy(&a, &v) == 0 && v == strp[i],
              "posix_trace_attr_setstreamfullpolicy: each stream policy kept");
    CHECK(posix_trace_attr_setstreamsize(&a, 10000) == 0 &&
              posix_trace_attr_getstreamsize(&a, &z) == 0 && z == 10000,
          "posix_trace_attr_setstreamsize: kept");
    CHECK(posix_trace_attr_setlogsize(&a, 20000) == 0 && posix_trace_attr_getlogsize(&a, &z) == 0 &&
              z == 20000,
          "posix_trace_attr_setlogsize: kept");
    CHECK(posix_trace_attr_setmaxdatasize(&a, 16) == 0 &&
              posix_trace_attr_getmaxdatasize(&a, &z) == 0 && z == 16,
          "posix_trace_attr_setmaxdatasize: kept");
    CHECK(posix_trace_attr_setname(&a, "mytrace") == 0 && posix_trace_attr_getname(&a, buf) == 0 &&
              !strcmp(buf, "mytrace"),
          "posix_trace_attr_setname: kept");
    char longname[TRACE_NAME_MAX + 20];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    CHECK(posix_trace_attr_setname(&a, longname) == 0 && posix_trace_attr_getname(&a, buf) == 0 &&
              strlen(buf) == TRACE_NAME_MAX - 1 && !strncmp(buf, longname, TRACE_NAME_MAX - 1),
          "posix_trace_attr_setname: a long name truncated to TRACE_NAME_MAX - 1");

    /* event sizes */
    size_t s0 = 0, s8 = 0, s16 = 0, s99 = 0, sys = 0;
    CHECK(posix_trace_attr_getmaxusereventsize(&a, 0, &s0) == 0 &&
              posix_trace_attr_getmaxusereventsize(&a, 8, &s8) == 0 &&
              posix_trace_attr_getmaxusereventsize(&a, 16, &s16) == 0 &&
              posix_trace_attr_getmaxusereventsize(&a, 99, &s99) == 0,
          "posix_trace_attr_getmaxusereventsize: 0");
    CHECK(s0 > 0 && s8 == s0 + 8 && s16 == s0 + 16,
          "posix_trace_attr_getmaxusereventsize: grows with the data length");
    CHECK(s99 == s16, "posix_trace_attr_getmaxusereventsize: data past maxdatasize is not stored");
    CHECK(posix_trace_attr_getmaxsystemeventsize(&a, &sys) == 0 && sys >= s0,
          "posix_trace_attr_getmaxsystemeventsize: at least an empty event's size");

    /* invalid values */
    CHECK_RC(posix_trace_attr_setinherited(&a, 77), EINVAL,
             "posix_trace_attr_setinherited: bad policy: EINVAL");
    CHECK_RC(posix_trace_attr_setlogfullpolicy(&a, POSIX_TRACE_FLUSH), EINVAL,
             "posix_trace_attr_setlogfullpolicy: POSIX_TRACE_FLUSH is no log policy: EINVAL");
    CHECK_RC(posix_trace_attr_setlogfullpolicy(&a, 77), EINVAL,
             "posix_trace_attr_setlogfullpolicy: bad policy: EINVAL");
    CHECK_RC(posix_trace_attr_setstreamfullpolicy(&a, POSIX_TRACE_APPEND), EINVAL,
             "posix_trace_attr_setstreamfullpolicy: POSIX_TRACE_APPEND: EINVAL");
    CHECK_RC(posix_trace_attr_setstreamfullpolicy(&a, 77), EINVAL,
             "posix_trace_attr_setstreamfullpolicy: bad policy: EINVAL");
    CHECK_RC(posix_trace_attr_setstreamsize(&a, 0), EINVAL,
             "posix_trace_attr_setstreamsize: 0: EINVAL");
    CHECK_RC(posix_trace_attr_setlogsize(&a, 0), EINVAL, "posix_trace_attr_setlogsize: 0: EINVAL");
    CHECK_RC(posix_trace_attr_setmaxdatasize(&a, (size_t)1 << 30), EINVAL,
             "posix_trace_attr_setmaxdatasize: 1 GiB: EINVAL");
    CHECK(posix_trace_attr_getmaxdatasize(&a, &z) == 0 && z == 16,
          "posix_trace_attr_setmaxdatasize: a refused value leaves the attribute");
    CHECK(posix_trace_attr_getinherited(&a, &v) == 0 && v == POSIX_TRACE_CLOSE_FOR_CHILD,
          "posix_trace_attr_setinherited: a refused value leaves the attribute");

    /* a destroyed object, and NULL, are invalid for every attribute function */
    CHECK_RC(posix_trace_attr_destroy(&a), 0, "posix_trace_attr_destroy: 0");
    CHECK_RC(posix_trace_attr_destroy(&a), EINVAL, "posix_trace_attr_destroy: twice: EINVAL");
    for (int pass = 0; pass < 2; pass++) {
        trace_attr_t *p = pass ? NULL : &a;
        const char *w = pass ? "NULL" : "destroyed";
        char what[120];
#define BAD(call, fn)                                                                          \
    snprintf(what, sizeof what, fn ": %s object: EINVAL", w);                                \
    CHECK_RC(call, EINVAL, what)
        BAD(posix_trace_attr_getclockres(p, &ts), "posix_trace_attr_getclockres");
        BAD(posix_trace_attr_getcreatetime(p, &ts), "posix_trace_attr_getcreatetime");
        BAD(posix_trace_attr_getgenversion(p, buf), "posix_trace_attr_getgenversion");
        BAD(posix_trace_attr_getinherited(p, &v), "posix_trace_attr_getinherited");
        BAD(posix_trace_attr_getlogfullpolicy(p, &v), "posix_trace_attr_getlogfullpolicy");
        BAD(posix_trace_attr_getlogsize(p, &z), "posix_trace_attr_getlogsize");
        BAD(posix_trace_attr_getmaxdatasize(p, &z), "posix_trace_attr_getmaxdatasize");
        BAD(posix_trace_attr_getmaxsystemeventsize(p, &z),
            "posix_trace_attr_getmaxsystemeventsize");
        BAD(posix_trace_attr_getmaxusereventsize(p, 4, &z), "posix_trace_attr_getmaxusereventsize");
        BAD(posix_trace_attr_getname(p, buf), "posix_trace_attr_getname");
        BAD(posix_trace_attr_getstreamfullpolicy(p, &v), "posix_trace_attr_getstreamfullpolicy");
        BAD(posix_trace_attr_getstreamsize(p, &z), "posix_trace_attr_getstreamsize");
        BAD(posix_trace_attr_setinherited(p, POSIX_TRACE_INHERITED),
            "posix_trace_attr_setinherited");
        BAD(posix_trace_attr_setlogfullpolicy(p, POSIX_TRACE_LOOP),
            "posix_trace_attr_setlogfullpolicy");
        BAD(posix_trace_attr_setlogsize(p, 4096), "posix_trace_attr_setlogsize");
        BAD(posix_trace_attr_setmaxdatasize(p, 8), "posix_trace_attr_setmaxdatasize");
        BAD(posix_trace_attr_setname(p, "x"), "posix_trace_attr_setname");
        BAD(posix_trace_attr_setstreamfullpolicy(p, POSIX_TRACE_LOOP),
            "posix_trace_attr_setstreamfullpolicy");
        BAD(posix_trace_attr_setstreamsize(p, 4096), "posix_trace_attr_setstreamsize");
#undef BAD
    }
    CHECK_RC(posix_trace_attr_destroy(NULL), EINVAL, "posix_trace_attr_destroy: NULL: EINVAL");
    CHECK_RC(posix_trace_attr_init(NULL), EINVAL, "posix_trace_attr_init: NULL: EINVAL");
    CHECK(posix_trace_attr_init(&a) == 0 && posix_trace_attr_getinherited(&a, &v) == 0 &&
              v == POSIX_TRACE_CLOSE_FOR_CHILD,
          "posix_trace_attr_init: a destroyed object initialized again has the defaults");
    posix_trace_attr_destroy(&a);
}

static void check_eventsets(void)
{
    trace_event_set_t set;
    int m = -1, all = 1;
    CHECK_RC(posix_trace_eventset_empty(&set), 0, "posix_trace_eventset_empty: 0");
    for (int id = 0; id < NIDS; id++)
        all &= posix_trace_eventset_ismember(id, &set, &m) == 0 && m == 0;
    CHECK(all, "posix_trace_eventset_empty: no id is a member");
    CHECK_RC(posix_trace_eventset_fill(&set, POSIX_TRACE_ALL_EVENTS), 0,
             "posix_trace_eventset_fill: POSIX_TRACE_ALL_EVENTS: 0");
    all = 1;
    for (int id = 0; id < NIDS; id++)
        all &= posix_trace_eventset_ismember(id, &set, &m) == 0 && m == 1;
    CHECK(all, "posix_trace_eventset_fill: POSIX_TRACE_ALL_EVENTS: every id is a member");
    CHECK_RC(posix_trace_eventset_fill(&set, POSIX_TRACE_SYSTEM_EVENTS), 0,
             "posix_trace_eventset_fill: POSIX_TRACE_SYSTEM_EVENTS: 0");
    static const trace_event_id_t sys[] = { POSIX_TRACE_START, POSIX_TRACE_STOP,
                                            POSIX_TRACE_FILTER, POSIX_TRACE_OVERFLOW,
                                            POSIX_TRACE_RESUME, POSIX_TRACE_FLUSH_START,
                                            POSIX_TRACE_FLUSH_STOP, POSIX_TRACE_ERROR };
    all = 1;
    for (unsigned i = 0; i < sizeof sys / sizeof sys[0]; i++)
        all &= posix_trace_eventset_ismember(sys[i], &set, &m) == 0 && m == 1;
    CHECK(all, "posix_trace_eventset_fill: POSIX_TRACE_SYSTEM_EVENTS: every system event");
    CHECK(posix_trace_eventset_ismember(POSIX_TRACE_UNNAMED_USER_EVENT, &set, &m) == 0 && m == 0,
          "posix_trace_eventset_fill: POSIX_TRACE_SYSTEM_EVENTS: no user event");
    CHECK_RC(posix_trace_eventset_fill(&set, POSIX_TRACE_WOPID_EVENTS), 0,
             "posix_trace_eventset_fill: POSIX_TRACE_WOPID_EVENTS: 0");
    CHECK(posix_trace_eventset_ismember(POSIX_TRACE_UNNAMED_USER_EVENT, &set, &m) == 0 && m == 0,
          "posix_trace_eventset_fill: POSIX_TRACE_WOPID_EVENTS: no user event");
    CHECK_RC(posix_trace_eventset_fill(&set, 77), EINVAL,
             "posix_trace_eventset_fill: bad what: EINVAL");

    posix_trace_eventset_empty(&set);
    CHECK_RC(posix_trace_eventset_add(POSIX_TRACE_STOP, &set), 0, "posix_trace_eventset_add: 0");
    CHECK(posix_trace_eventset_ismember(POSIX_TRACE_STOP, &set, &m) == 0 && m == 1,
          "posix_trace_eventset_add: the id is a member");
    CHECK(posix_trace_eventset_ismember(POSIX_TRACE_START, &set, &m) == 0 && m == 0,
          "posix_trace_eventset_add: only that id");
    CHECK_RC(posix_trace_eventset_add(POSIX_TRACE_STOP, &set), 0,
             "posix_trace_eventset_add: a member again: 0");
    CHECK_RC(posix_trace_eventset_add(NIDS - 1, &set), 0, "posix_trace_eventset_add: the last id");
    CHECK(posix_trace_eventset_ismember(NIDS - 1, &set, &m) == 0 && m == 1,
          "posix_trace_eventset_ismember: the last id");
    CHECK_RC(posix_trace_eventset_del(POSIX_TRACE_STOP, &set), 0, "posix_trace_eventset_del: 0");
    CHECK(posix_trace_eventset_ismember(POSIX_TRACE_STOP, &set, &m) == 0 && m == 0,
          "posix_trace_eventset_del: no longer a member");
    CHECK_RC(posix_trace_eventset_del(POSIX_TRACE_STOP, &set), 0,
             "posix_trace_eventset_del: not a member: 0");
    CHECK(posix_trace_eventset_ismember(NIDS - 1, &set, &m) == 0 && m == 1,
          "posix_trace_eventset_del: other members stay");
    static const trace_event_id_t bad[] = { -1, NIDS, 100000 };
    for (unsigned i = 0; i < 3; i++) {
        CHECK_RC(posix_trace_eventset_add(bad[i], &set), EINVAL,
                 "posix_trace_eventset_add: bad id: EINVAL");
        CHECK_RC(posix_trace_eventset_del(bad[i], &set), EINVAL,
                 "posix_trace_eventset_del: bad id: EINVAL");
        CHECK_RC(posix_trace_eventset_ismember(bad[i], &set, &m), EINVAL,
                 "posix_trace_eventset_ismember: bad id: EINVAL");
    }
    CHECK_RC(posix_trace_eventset_empty(NULL), EINVAL, "posix_trace_eventset_empty: NULL: EINVAL");
    CHECK_RC(posix_trace_eventset_fill(NULL, POSIX_TRACE_ALL_EVENTS), EINVAL,
             "posix_trace_eventset_fill: NULL: EINVAL");
}

static trace_event_id_t ev_a, ev_b, ev_c;

static void check_ids(void)
{
    trace_event_id_t x = -1, y = -1;
    CHECK(posix_trace_eventid_open("ev_a", &ev_a) == 0 && ev_a >= 0,
          "posix_trace_eventid_open: a new name: 0");
    CHECK(posix_trace_eventid_open("ev_b", &ev_b) == 0 && ev_b != ev_a,
          "posix_trace_eventid_open: another name: another id");
    CHECK(posix_trace_eventid_open("ev_a", &x) == 0 && x == ev_a,
          "posix_trace_eventid_open: the same name: the same id");
    CHECK(ev_a != POSIX_TRACE_UNNAMED_USER_EVENT && ev_a != POSIX_TRACE_START &&
              ev_a != POSIX_TRACE_STOP && ev_a != POSIX_TRACE_ERROR,
          "posix_trace_eventid_open: a user id is no system id");
    char name[TRACE_EVENT_NAME_MAX + 8];
    memset(name, 'q', sizeof name);
    name[TRACE_EVENT_NAME_MAX - 1] = 0;
    CHECK(posix_trace_eventid_open(name, &ev_c) == 0 && ev_c != ev_a && ev_c != ev_b,
          "posix_trace_eventid_open: a name of TRACE_EVENT_NAME_MAX - 1 characters");
    name[TRACE_EVENT_NAME_MAX - 1] = 'q';
    name[TRACE_EVENT_NAME_MAX + 4] = 0;
    CHECK_RC(posix_trace_eventid_open(name, &x), ENAMETOOLONG,
             "posix_trace_eventid_open: a name past TRACE_EVENT_NAME_MAX: ENAMETOOLONG");

    trace_id_t t;
    CHECK_RC(posix_trace_create(0, NULL, &t), 0, "posix_trace_create: NULL attributes: 0");
    CHECK(posix_trace_eventid_equal(t, ev_a, ev_a) != 0,
          "posix_trace_eventid_equal: an id equals itself");
    CHECK(posix_trace_eventid_equal(t, ev_a, ev_b) == 0,
          "posix_trace_eventid_equal: two names' ids differ");
    CHECK(posix_trace_eventid_equal(t, POSIX_TRACE_START, POSIX_TRACE_START) != 0,
          "posix_trace_eventid_equal: system ids");
    char got[TRACE_EVENT_NAME_MAX];
    CHECK(posix_trace_eventid_get_name(t, ev_a, got) == 0 && !strcmp(got, "ev_a"),
          "posix_trace_eventid_get_name: a user event's name");
    CHECK(posix_trace_eventid_get_name(t, ev_c, got) == 0 &&
              strlen(got) == TRACE_EVENT_NAME_MAX - 1,
          "posix_trace_eventid_get_name: a name of TRACE_EVENT_NAME_MAX - 1 characters");
    CHECK(posix_trace_eventid_get_name(t, POSIX_TRACE_START, got) == 0 && got[0],
          "posix_trace_eventid_get_name: POSIX_TRACE_START has a name");
    char n2[TRACE_EVENT_NAME_MAX];
    CHECK(posix_trace_eventid_get_name(t, POSIX_TRACE_STOP, n2) == 0 && strcmp(got, n2),
          "posix_trace_eventid_get_name: POSIX_TRACE_STOP has another name");
    CHECK_RC(posix_trace_eventid_get_name(t, NIDS - 1, got), EINVAL,
             "posix_trace_eventid_get_name: an id no name has: EINVAL");
    CHECK_RC(posix_trace_eventid_get_name(t, -5, got), EINVAL,
             "posix_trace_eventid_get_name: bad id: EINVAL");
    CHECK_RC(posix_trace_eventid_get_name(9999, ev_a, got), EINVAL,
             "posix_trace_eventid_get_name: bad trace id: EINVAL");

    CHECK(posix_trace_trid_eventid_open(t, "ev_a", &x) == 0 && x == ev_a,
          "posix_trace_trid_eventid_open: a known name: its id");
    CHECK(posix_trace_trid_eventid_open(t, "ev_d", &y) == 0 && y != ev_a && y != ev_b,
          "posix_trace_trid_eventid_open: a new name: a new id");
    CHECK(posix_trace_eventid_open("ev_d", &x) == 0 && x == y,
          "posix_trace_trid_eventid_open: the process sees the same id");
    CHECK_RC(posix_trace_trid_eventid_open(9999, "ev_e", &x), EINVAL,
             "posix_trace_trid_eventid_open: bad trace id: EINVAL");
    CHECK_RC(posix_trace_trid_eventid_open(t, name, &x), ENAMETOOLONG,
             "posix_trace_trid_eventid_open: a name past TRACE_EVENT_NAME_MAX: ENAMETOOLONG");

    /* the event type list: every system event and every named user event, once */
    int seen_start = 0, seen_a = 0, seen_d = 0, count = 0, unavail = 0, ok = 1;
    trace_event_id_t id;
    while (count < 2 * NIDS) {
        if (posix_trace_eventtypelist_getnext_id(t, &id, &unavail)) {
            ok = 0;
            break;
        }
        if (unavail)
            break;
        count++;
        seen_start += id == POSIX_TRACE_START;
        seen_a += id == ev_a;
        seen_d += id == y;
    }
    CHECK(ok && unavail, "posix_trace_eventtypelist_getnext_id: ends with unavailable set");
    CHECK(seen_start == 1 && seen_a == 1 && seen_d == 1,
          "posix_trace_eventtypelist_getnext_id: system and user ids, each once");
    CHECK(posix_trace_eventtypelist_getnext_id(t, &id, &unavail) == 0 && unavail,
          "posix_trace_eventtypelist_getnext_id: stays at the end");
    CHECK_RC(posix_trace_eventtypelist_rewind(t), 0, "posix_trace_eventtypelist_rewind: 0");
    int again = 0;
    while (posix_trace_eventtypelist_getnext_id(t, &id, &unavail) == 0 && !unavail &&
           again < 2 * NIDS)
        again++;
    CHECK(again == count, "posix_trace_eventtypelist_rewind: the whole list again");
    CHECK_RC(posix_trace_eventtypelist_getnext_id(9999, &id, &unavail), EINVAL,
             "posix_trace_eventtypelist_getnext_id: bad trace id: EINVAL");
    CHECK_RC(posix_trace_eventtypelist_rewind(9999), EINVAL,
             "posix_trace_eventtypelist_rewind: bad trace id: EINVAL");
    CHECK_RC(posix_trace_eventtypelist_rewind(0), EINVAL,
             "posix_trace_eventtypelist_rewind: trace id 0: EINVAL");
    posix_trace_shutdown(t);
}

static void check_create_and_status(void)
{
    trace_attr_t a;
    trace_id_t t, t2;
    struct posix_trace_status_info st;
    posix_trace_attr_init(&a);
    posix_trace_attr_setname(&a, "status");
    struct timespec t0, t1, ct;
    clock_gettime(CLOCK_REALTIME, &t0);
    CHECK_RC(posix_trace_create(0, &a, &t), 0, "posix_trace_create: pid 0: 0");
    clock_gettime(CLOCK_REALTIME, &t1);
    CHECK_RC(posix_trace_create(getpid(), &a, &t2), 0, "posix_trace_create: getpid(): 0");
    CHECK(t != t2, "posix_trace_create: two streams, two ids");
    CHECK_RC(posix_trace_create(getpid() + 1000, &a, &t2), ESRCH,
             "posix_trace_create: another pid: ESRCH");
    CHECK_RC(posix_trace_create(-3, &a, &t2), ESRCH, "posix_trace_create: negative pid: ESRCH");
    CHECK(posix_trace_shutdown(t2) == 0, "posix_trace_shutdown: 0");

    trace_attr_t got;
    char name[TRACE_NAME_MAX];
    CHECK_RC(posix_trace_get_attr(t, &got), 0, "posix_trace_get_attr: 0");
    CHECK(posix_trace_attr_getname(&got, name) == 0 && !strcmp(name, "status"),
          "posix_trace_get_attr: the stream's name");
    CHECK(posix_trace_attr_getcreatetime(&got, &ct) == 0 &&
              (ct.tv_sec > t0.tv_sec || (ct.tv_sec == t0.tv_sec && ct.tv_nsec >= t0.tv_nsec)) &&
              (ct.tv_sec < t1.tv_sec || (ct.tv_sec == t1.tv_sec && ct.tv_nsec <= t1.tv_nsec)),
          "posix_trace_attr_getcreatetime: the stream's creation time");
    int v;
    CHECK(posix_trace_attr_getstreamfullpolicy(&got, &v) == 0 && v == POSIX_TRACE_LOOP,
          "posix_trace_get_attr: stream full policy POSIX_TRACE_LOOP");
    posix_trace_attr_destroy(&got);
    CHECK_RC(posix_trace_get_attr(9999, &got), EINVAL,
             "posix_trace_get_attr: bad trace id: EINVAL");

    memset(&st, 0x55, sizeof st);
    CHECK_RC(posix_trace_get_status(t, &st), 0, "posix_trace_get_status: 0");
    CHECK(st.posix_stream_status == POSIX_TRACE_SUSPENDED,
          "posix_trace_get_status: a new stream is suspended");
    CHECK(st.posix_stream_full_status == POSIX_TRACE_NOT_FULL &&
              st.posix_stream_overrun_status == POSIX_TRACE_NO_OVERRUN,
          "posix_trace_get_status: a new stream: not full, no overrun");
    CHECK(st.posix_stream_flush_status == POSIX_TRACE_NOT_FLUSHING &&
              st.posix_stream_flush_error == 0,
          "posix_trace_get_status: a new stream: not flushing, no flush error");
    CHECK(st.posix_log_full_status == POSIX_TRACE_NOT_FULL &&
              st.posix_log_overrun_status == POSIX_TRACE_NO_OVERRUN,
          "posix_trace_get_status: a stream without log: log not full, no overrun");
    CHECK_RC(posix_trace_get_status(9999, &st), EINVAL,
             "posix_trace_get_status: bad trace id: EINVAL");

    struct ev e[8];
    posix_trace_event(ev_a, "x", 1);
    CHECK(drain(t, e, 8) == 0, "posix_trace_event: nothing recorded before posix_trace_start");
    CHECK_RC(posix_trace_start(t), 0, "posix_trace_start: 0");
    CHECK(posix_trace_get_status(t, &st) == 0 && st.posix_stream_status == POSIX_TRACE_RUNNING,
          "posix_trace_start: the stream runs");
    CHECK_RC(posix_trace_start(t), 0, "posix_trace_start: a running stream: 0");
    int n = drain(t, e, 8);
    CHECK(n == 1 && e[0].info.posix_event_id == POSIX_TRACE_START,
          "posix_trace_start: records one POSIX_TRACE_START");
    CHECK_RC(posix_trace_stop(t), 0, "posix_trace_stop: 0");
    CHECK(posix_trace_get_status(t, &st) == 0 && st.posix_stream_status == POSIX_TRACE_SUSPENDED,
          "posix_trace_stop: the stream is suspended");
    CHECK_RC(posix_trace_stop(t), 0, "posix_trace_stop: a suspended stream: 0");
    n = drain(t, e, 8);
    CHECK(n == 1 && e[0].info.posix_event_id == POSIX_TRACE_STOP,
          "posix_trace_stop: records one POSIX_TRACE_STOP");
    posix_trace_event(ev_a, "x", 1);
    CHECK(drain(t, e, 8) == 0, "posix_trace_event: nothing recorded after posix_trace_stop");
    CHECK_RC(posix_trace_start(9999), EINVAL, "posix_trace_start: bad trace id: EINVAL");
    CHECK_RC(posix_trace_stop(9999), EINVAL, "posix_trace_stop: bad trace id: EINVAL");
    CHECK_RC(posix_trace_start(-1), EINVAL, "posix_trace_start: trace id -1: EINVAL");

    /* clear: the events go, the status stays */
    posix_trace_start(t);
    posix_trace_event(ev_a, "1", 1);
    posix_trace_event(ev_b, "2", 1);
    CHECK_RC(posix_trace_clear(t), 0, "posix_trace_clear: 0");
    CHECK(drain(t, e, 8) == 0, "posix_trace_clear: no event left");
    CHECK(posix_trace_get_status(t, &st) == 0 && st.posix_stream_status == POSIX_TRACE_RUNNING,
          "posix_trace_clear: a running stream keeps running");
    posix_trace_event(ev_b, "3", 1);
    n = drain(t, e, 8);
    CHECK(n == 1 && e[0].info.posix_event_id == ev_b && e[0].data[0] == '3',
          "posix_trace_clear: recording goes on");
    CHECK_RC(posix_trace_clear(9999), EINVAL, "posix_trace_clear: bad trace id: EINVAL");

    CHECK_RC(posix_trace_flush(t), EINVAL, "posix_trace_flush: a stream without log: EINVAL");
    CHECK_RC(posix_trace_rewind(t), EINVAL, "posix_trace_rewind: an active stream: EINVAL");
    CHECK_RC(posix_trace_close(t), EINVAL, "posix_trace_close: an active stream: EINVAL");
    CHECK_RC(posix_trace_shutdown(t), 0, "posix_trace_shutdown: a running stream: 0");
    CHECK_RC(posix_trace_shutdown(t), EINVAL, "posix_trace_shutdown: twice: EINVAL");
    CHECK_RC(posix_trace_start(t), EINVAL, "posix_trace_start: a shut down stream: EINVAL");
    CHECK_RC(posix_trace_get_status(t, &st), EINVAL,
             "posix_trace_get_status: a shut down stream: EINVAL");
    CHECK_RC(posix_trace_shutdown(9999), EINVAL, "posix_trace_shutdown: bad trace id: EINVAL");

    /* bad attributes and policies */
    posix_trace_attr_setstreamfullpolicy(&a, POSIX_TRACE_FLUSH);
    CHECK_RC(posix_trace_create(0, &a, &t), EINVAL,
             "posix_trace_create: POSIX_TRACE_FLUSH without a log: EINVAL");
    posix_trace_attr_destroy(&a);
    CHECK_RC(posix_trace_create(0, &a, &t), EINVAL,
             "posix_trace_create: destroyed attributes: EINVAL");

    /* ENOMEM: a stream larger than memory */
    posix_trace_attr_init(&a);
    posix_trace_attr_setstreamsize(&a, 0x7ff00000u);
    CHECK_RC(posix_trace_create(0, &a, &t), ENOMEM,
             "posix_trace_create: a 2 GiB stream: ENOMEM");
    posix_trace_attr_destroy(&a);

    /* EAGAIN: no more streams for the process */
    trace_id_t many[64];
    int made = 0, e2 = 0;
    while (made < 64 && !(e2 = posix_trace_create(0, NULL, &many[made])))
        made++;
    CHECK(made >= 1 && e2 == EAGAIN, "posix_trace_create: past the process's streams: EAGAIN");
    int down = 0;
    for (int i = 0; i < made; i++)
        down += posix_trace_shutdown(many[i]) == 0;
    CHECK(down == made, "posix_trace_shutdown: every stream made");
    CHECK(posix_trace_create(0, NULL, &t) == 0 && posix_trace_shutdown(t) == 0,
          "posix_trace_create: a stream again once others were shut down");
}

/* Whether the stream's filter holds id: 1, 0, or -1 when posix_trace_get_filter fails. */
static int in_filter(trace_id_t t, trace_event_id_t id)
{
    trace_event_set_t got;
    int m = -1;
    if (posix_trace_get_filter(t, &got) || posix_trace_eventset_ismember(id, &got, &m))
        return -1;
    return m;
}

static void check_events(void)
{
    trace_attr_t a;
    trace_id_t t;
    struct ev e[16];
    posix_trace_attr_init(&a);
    posix_trace_attr_setmaxdatasize(&a, 8);
    CHECK_RC(posix_trace_create(0, &a, &t), 0, "posix_trace_create: maxdatasize 8");
    posix_trace_start(t);
    drain(t, e, 16);
    struct timespec before;
    clock_gettime(CLOCK_REALTIME, &before);
    posix_trace_event(ev_a, "abc", 3);
    posix_trace_event(ev_b, "0123456789abcdef", 16);
    posix_trace_event(ev_a, NULL, 0);
    posix_trace_event(POSIX_TRACE_UNNAMED_USER_EVENT, "u", 1);
    posix_trace_event(POSIX_TRACE_STOP, NULL, 0);
    posix_trace_event(NIDS - 1, "z", 1); /* no name has that id */
    posix_trace_event(-1, "z", 1);
    int n = drain(t, e, 16);
    CHECK(n == 4, "posix_trace_event: the user events recorded, the others not");
    CHECK(e[0].info.posix_event_id == ev_a && e[0].len == 3 && !memcmp(e[0].data, "abc", 3),
          "posix_trace_event: id and data kept");
    CHECK(e[0].info.posix_truncation_status == POSIX_TRACE_NOT_TRUNCATED,
          "posix_trace_getnext_event: POSIX_TRACE_NOT_TRUNCATED");
    CHECK(e[0].info.posix_pid == getpid(), "posix_trace_event: the process's pid");
    CHECK(pthread_equal(e[0].info.posix_thread_id, pthread_self()),
          "posix_trace_event: the recording thread");
    CHECK(e[0].info.posix_prog_address != NULL, "posix_trace_event: a program address");
    CHECK(e[0].info.posix_timestamp.tv_sec > before.tv_sec ||
              (e[0].info.posix_timestamp.tv_sec == before.tv_sec &&
               e[0].info.posix_timestamp.tv_nsec >= before.tv_nsec),
          "posix_trace_event: timestamp not before the call");
    CHECK(e[1].info.posix_timestamp.tv_sec > e[0].info.posix_timestamp.tv_sec ||
              (e[1].info.posix_timestamp.tv_sec == e[0].info.posix_timestamp.tv_sec &&
               e[1].info.posix_timestamp.tv_nsec >= e[0].info.posix_timestamp.tv_nsec),
          "posix_trace_getnext_event: events in time order");
    CHECK(e[1].info.posix_event_id == ev_b && e[1].len == 8 && !memcmp(e[1].data, "01234567", 8),
          "posix_trace_event: data past maxdatasize cut");
    CHECK(e[1].info.posix_truncation_status == POSIX_TRACE_TRUNCATED_RECORD,
          "posix_trace_event: POSIX_TRACE_TRUNCATED_RECORD");
    CHECK(e[2].info.posix_event_id == ev_a && e[2].len == 0, "posix_trace_event: no data");
    CHECK(e[3].info.posix_event_id == POSIX_TRACE_UNNAMED_USER_EVENT && e[3].len == 1,
          "posix_trace_event: POSIX_TRACE_UNNAMED_USER_EVENT recorded");

    /* a read buffer smaller than the data */
    posix_trace_event(ev_a, "abcdef", 6);
    struct posix_trace_event_info info;
    char small[4];
    size_t len = 99;
    int unavail = -1;
    CHECK(posix_trace_getnext_event(t, &info, small, 2, &len, &unavail) == 0 && !unavail &&
              len == 2 && !memcmp(small, "ab", 2),
          "posix_trace_getnext_event: num_bytes bytes of the data");
    CHECK(info.posix_truncation_status == POSIX_TRACE_TRUNCATED_READ,
          "posix_trace_getnext_event: POSIX_TRACE_TRUNCATED_READ");
    posix_trace_event(ev_a, "abcdef", 6);
    CHECK(posix_trace_trygetnext_event(t, &info, NULL, 0, &len, &unavail) == 0 && !unavail &&
              len == 0 && info.posix_truncation_status == POSIX_TRACE_TRUNCATED_READ,
          "posix_trace_trygetnext_event: no buffer: truncated read, length 0");
    CHECK(posix_trace_trygetnext_event(t, &info, small, sizeof small, &len, &unavail) == 0 &&
              unavail == 1,
          "posix_trace_trygetnext_event: empty stream: unavailable");
    CHECK_RC(posix_trace_trygetnext_event(9999, &info, small, sizeof small, &len, &unavail),
             EINVAL, "posix_trace_trygetnext_event: bad trace id: EINVAL");
    CHECK_RC(posix_trace_getnext_event(9999, &info, small, sizeof small, &len, &unavail), EINVAL,
             "posix_trace_getnext_event: bad trace id: EINVAL");
    struct timespec soon = conform_after(CLOCK_REALTIME, 1000000);
    CHECK_RC(posix_trace_timedgetnext_event(9999, &info, small, sizeof small, &len, &unavail,
                                            &soon),
             EINVAL, "posix_trace_timedgetnext_event: bad trace id: EINVAL");

    /* filters */
    trace_event_set_t set, got;
    CHECK(in_filter(t, ev_a) == 0 && in_filter(t, POSIX_TRACE_START) == 0,
          "posix_trace_get_filter: a new stream filters nothing");
    posix_trace_eventset_empty(&set);
    posix_trace_eventset_add(ev_a, &set);
    CHECK_RC(posix_trace_set_filter(t, &set, POSIX_TRACE_SET_EVENTSET), 0,
             "posix_trace_set_filter: POSIX_TRACE_SET_EVENTSET: 0");
    CHECK(in_filter(t, ev_a) == 1 && in_filter(t, ev_b) == 0,
          "posix_trace_get_filter: the set given");
    n = drain(t, e, 16);
    CHECK(n == 1 && e[0].info.posix_event_id == POSIX_TRACE_FILTER,
          "posix_trace_set_filter: a running stream records POSIX_TRACE_FILTER");
    posix_trace_event(ev_a, "a", 1);
    posix_trace_event(ev_b, "b", 1);
    n = drain(t, e, 16);
    CHECK(n == 1 && e[0].info.posix_event_id == ev_b,
          "posix_trace_set_filter: a filtered event is not recorded");
    posix_trace_eventset_empty(&set);
    posix_trace_eventset_add(ev_b, &set);
    CHECK_RC(posix_trace_set_filter(t, &set, POSIX_TRACE_ADD_EVENTSET), 0,
             "posix_trace_set_filter: POSIX_TRACE_ADD_EVENTSET: 0");
    CHECK(in_filter(t, ev_a) == 1 && in_filter(t, ev_b) == 1,
          "posix_trace_set_filter: POSIX_TRACE_ADD_EVENTSET: the union");
    posix_trace_event(ev_a, "a", 1);
    posix_trace_event(ev_b, "b", 1);
    posix_trace_event(ev_c, "c", 1);
    n = drain(t, e, 16);
    CHECK(n == 2 && e[0].info.posix_event_id == POSIX_TRACE_FILTER &&
              e[1].info.posix_event_id == ev_c,
          "posix_trace_set_filter: both filtered, the third recorded");
    posix_trace_eventset_empty(&set);
    posix_trace_eventset_add(ev_a, &set);
    CHECK_RC(posix_trace_set_filter(t, &set, POSIX_TRACE_SUB_EVENTSET), 0,
             "posix_trace_set_filter: POSIX_TRACE_SUB_EVENTSET: 0");
    CHECK(in_filter(t, ev_a) == 0 && in_filter(t, ev_b) == 1,
          "posix_trace_set_filter: POSIX_TRACE_SUB_EVENTSET: the difference");
    posix_trace_eventset_fill(&set, POSIX_TRACE_SYSTEM_EVENTS);
    posix_trace_set_filter(t, &set, POSIX_TRACE_SET_EVENTSET);
    drain(t, e, 16);
    posix_trace_stop(t);
    posix_trace_start(t);
    CHECK(drain(t, e, 16) == 0, "posix_trace_set_filter: filtered system events not recorded");
    CHECK_RC(posix_trace_set_filter(t, &set, 77), EINVAL,
             "posix_trace_set_filter: bad how: EINVAL");
    CHECK_RC(posix_trace_set_filter(9999, &set, POSIX_TRACE_SET_EVENTSET), EINVAL,
             "posix_trace_set_filter: bad trace id: EINVAL");
    CHECK_RC(posix_trace_get_filter(9999, &got), EINVAL,
             "posix_trace_get_filter: bad trace id: EINVAL");
    posix_trace_eventset_empty(&set);
    posix_trace_set_filter(t, &set, POSIX_TRACE_SET_EVENTSET);
    posix_trace_shutdown(t);
    posix_trace_attr_destroy(&a);
}

static void check_policies(void)
{
    trace_attr_t a;
    trace_id_t t;
    struct ev e[32];
    struct posix_trace_status_info st;

    /* POSIX_TRACE_LOOP: the newest events stay */
    CHECK(small_stream(&a, POSIX_TRACE_LOOP, 6, 8) == 0,
          "posix_trace_attr_setstreamsize: 6 events");
    CHECK_RC(posix_trace_create(0, &a, &t), 0, "posix_trace_create: POSIX_TRACE_LOOP, 6 events");
    posix_trace_start(t);
    for (int i = 0; i < 10; i++)
        posix_trace_event(ev_a, &i, sizeof i);
    CHECK(posix_trace_get_status(t, &st) == 0 &&
              st.posix_stream_overrun_status == POSIX_TRACE_OVERRUN &&
              st.posix_stream_status == POSIX_TRACE_RUNNING,
          "posix_trace_get_status: POSIX_TRACE_LOOP full: overrun, still running");
    CHECK(st.posix_stream_full_status == POSIX_TRACE_FULL,
          "posix_trace_get_status: POSIX_TRACE_LOOP: full");
    int n = drain(t, e, 32), first = -1, last = -1;
    memcpy(&first, e[0].data, sizeof first);
    memcpy(&last, e[n - 1].data, sizeof last);
    CHECK(n == 6 && first == 4 && last == 9, "posix_trace_attr_setstreamfullpolicy: "
                                              "POSIX_TRACE_LOOP keeps the 6 newest events");
    CHECK_RC(posix_trace_clear(t), 0, "posix_trace_clear: after an overrun");
    CHECK(posix_trace_get_status(t, &st) == 0 &&
              st.posix_stream_overrun_status == POSIX_TRACE_NO_OVERRUN &&
              st.posix_stream_full_status == POSIX_TRACE_NOT_FULL,
          "posix_trace_clear: overrun and full status reset");
    posix_trace_shutdown(t);
    posix_trace_attr_destroy(&a);

    /* POSIX_TRACE_UNTIL_FULL: a STOP ends the stream; reading half of it restarts it */
    small_stream(&a, POSIX_TRACE_UNTIL_FULL, 6, 8);
    CHECK_RC(posix_trace_create(0, &a, &t), 0, "posix_trace_create: POSIX_TRACE_UNTIL_FULL");
    posix_trace_start(t);
    for (int i = 0; i < 10; i++)
        posix_trace_event(ev_a, &i, sizeof i);
    CHECK(posix_trace_get_status(t, &st) == 0 && st.posix_stream_status == POSIX_TRACE_SUSPENDED &&
              st.posix_stream_full_status == POSIX_TRACE_FULL,
          "posix_trace_get_status: POSIX_TRACE_UNTIL_FULL full: suspended and full");
    CHECK(st.posix_stream_overrun_status == POSIX_TRACE_OVERRUN,
          "posix_trace_get_status: POSIX_TRACE_UNTIL_FULL: events lost: overrun");
    n = drain(t, e, 32);
    int ok = n == 8 && e[0].info.posix_event_id == POSIX_TRACE_START;
    for (int i = 1; ok && i < 5; i++) {
        int d;
        memcpy(&d, e[i].data, sizeof d);
        ok = e[i].info.posix_event_id == ev_a && d == i - 1;
    }
    CHECK(ok, "posix_trace_attr_setstreamfullpolicy: POSIX_TRACE_UNTIL_FULL keeps the oldest");
    CHECK(n == 8 && e[5].info.posix_event_id == POSIX_TRACE_STOP,
          "posix_trace_attr_setstreamfullpolicy: POSIX_TRACE_STOP after the last event kept");
    CHECK(n == 8 && e[6].info.posix_event_id == POSIX_TRACE_OVERFLOW &&
              e[7].info.posix_event_id == POSIX_TRACE_START,
          "posix_trace_getnext_event: half read: POSIX_TRACE_OVERFLOW, POSIX_TRACE_START");
    CHECK(posix_trace_get_status(t, &st) == 0 && st.posix_stream_status == POSIX_TRACE_RUNNING &&
              st.posix_stream_full_status == POSIX_TRACE_NOT_FULL,
          "posix_trace_get_status: POSIX_TRACE_UNTIL_FULL read: running again, not full");
    posix_trace_event(ev_b, "r", 1);
    n = drain(t, e, 32);
    CHECK(n == 1 && e[0].info.posix_event_id == ev_b, "posix_trace_event: recorded after restart");
    posix_trace_shutdown(t);
    posix_trace_attr_destroy(&a);
}

/* ---- readers that block ---- */

static trace_id_t blocking_t;
static volatile int reader_rc = -1, reader_id = -1, reader_unavail = -1;

static void *blocked_reader(void *arg)
{
    struct posix_trace_event_info info;
    char d[8];
    size_t len;
    int un = -1;
    int r = arg ? posix_trace_timedgetnext_event(blocking_t, &info, d, sizeof d, &len, &un,
                                                (const struct timespec *)arg)
                : posix_trace_getnext_event(blocking_t, &info, d, sizeof d, &len, &un);
    reader_id = r ? -1 : info.posix_event_id;
    reader_unavail = un;
    reader_rc = r;
    return NULL;
}

#define RECORDERS 4
#define PER_RECORDER 60

static void *recorder(void *arg)
{
    int base = (int)(intptr_t)arg;
    for (int i = 0; i < PER_RECORDER; i++) {
        int v = base + i;
        posix_trace_event(ev_b, &v, sizeof v);
        if (i % 16 == 0)
            sched_yield();
    }
    return NULL;
}

static void check_blocking(void)
{
    trace_id_t t;
    pthread_t th;
    struct posix_trace_event_info info;
    char d[8];
    size_t len;
    int un;
    CHECK_RC(posix_trace_create(0, NULL, &t), 0, "posix_trace_create: for the readers");
    blocking_t = t;
    posix_trace_start(t);
    struct ev e[4];
    drain(t, e, 4);

    /* timed: nothing comes */
    struct timespec abst = conform_after(CLOCK_REALTIME, 60000000LL);
    long long t0 = conform_ns(CLOCK_MONOTONIC);
    CHECK_RC(posix_trace_timedgetnext_event(t, &info, d, sizeof d, &len, &un, &abst), ETIMEDOUT,
             "posix_trace_timedgetnext_event: nothing recorded: ETIMEDOUT");
    long long waited = conform_ns(CLOCK_MONOTONIC) - t0;
    CHECK(waited >= 50000000LL, "posix_trace_timedgetnext_event: waited until abstime");
    struct timespec bad = { 0, 1000000000L };
    CHECK_RC(posix_trace_timedgetnext_event(t, &info, d, sizeof d, &len, &un, &bad), EINVAL,
             "posix_trace_timedgetnext_event: tv_nsec 1000000000: EINVAL");
    bad.tv_nsec = -1;
    CHECK_RC(posix_trace_timedgetnext_event(t, &info, d, sizeof d, &len, &un, &bad), EINVAL,
             "posix_trace_timedgetnext_event: tv_nsec -1: EINVAL");
    struct timespec past = { 1, 0 };
    CHECK_RC(posix_trace_timedgetnext_event(t, &info, d, sizeof d, &len, &un, &past), ETIMEDOUT,
             "posix_trace_timedgetnext_event: abstime passed: ETIMEDOUT");
    posix_trace_event(ev_a, "n", 1);
    CHECK(posix_trace_timedgetnext_event(t, &info, d, sizeof d, &len, &un, &past) == 0 && !un &&
              info.posix_event_id == ev_a,
          "posix_trace_timedgetnext_event: an event there: no wait, even past abstime");

    /* timed: an event recorded by another thread wakes it */
    abst = conform_after(CLOCK_REALTIME, 5000000000LL);
    reader_rc = -1;
    CHECK(pthread_create(&th, NULL, blocked_reader, &abst) == 0,
          "posix_trace_timedgetnext_event: reader thread");
    struct timespec nap = { 0, 50000000L };
    nanosleep(&nap, NULL);
    CHECK(reader_rc == -1, "posix_trace_timedgetnext_event: blocks while the stream is empty");
    t0 = conform_ns(CLOCK_MONOTONIC);
    posix_trace_event(ev_b, "w", 1);
    pthread_join(th, NULL);
    CHECK(reader_rc == 0 && reader_id == ev_b && reader_unavail == 0,
          "posix_trace_timedgetnext_event: woken by the event");
    CHECK(conform_ns(CLOCK_MONOTONIC) - t0 < 2000000000LL,
          "posix_trace_timedgetnext_event: woken long before abstime");

    /* untimed */
    reader_rc = -1;
    CHECK(pthread_create(&th, NULL, blocked_reader, NULL) == 0,
          "posix_trace_getnext_event: reader thread");
    nanosleep(&nap, NULL);
    CHECK(reader_rc == -1, "posix_trace_getnext_event: blocks while the stream is empty");
    posix_trace_event(ev_c, "w", 1);
    pthread_join(th, NULL);
    CHECK(reader_rc == 0 && reader_id == ev_c, "posix_trace_getnext_event: woken by the event");

    /* shut down under a blocked reader */
    reader_rc = -1;
    pthread_create(&th, NULL, blocked_reader, NULL);
    nanosleep(&nap, NULL);
    CHECK_RC(posix_trace_shutdown(t), 0, "posix_trace_shutdown: with a blocked reader: 0");
    pthread_join(th, NULL);
    CHECK(reader_rc == EINVAL, "posix_trace_getnext_event: its stream shut down: EINVAL");

    /* several recording threads: nothing lost, nothing doubled */
    trace_attr_t a;
    posix_trace_attr_init(&a);
    posix_trace_attr_setmaxdatasize(&a, sizeof(int));
    size_t one = 0;
    posix_trace_attr_getmaxusereventsize(&a, sizeof(int), &one);
    posix_trace_attr_setstreamsize(&a, one * (RECORDERS * PER_RECORDER + 8));
    posix_trace_attr_setstreamfullpolicy(&a, POSIX_TRACE_UNTIL_FULL);
    CHECK_RC(posix_trace_create(0, &a, &t), 0, "posix_trace_create: for 4 recording threads");
    posix_trace_start(t);
    pthread_t rt[RECORDERS];
    int made = 0;
    for (int i = 0; i < RECORDERS; i++)
        made += pthread_create(&rt[i], NULL, recorder, (void *)(intptr_t)(i * 1000)) == 0;
    for (int i = 0; i < RECORDERS; i++)
        pthread_join(rt[i], NULL);
    CHECK(made == RECORDERS, "posix_trace_event: recording threads started");
    static unsigned char seen[RECORDERS][PER_RECORDER];
    memset(seen, 0, sizeof seen);
    int count = 0, bad_ev = 0, order = 1, lastv[RECORDERS];
    for (int i = 0; i < RECORDERS; i++)
        lastv[i] = -1;
    for (;;) {
        int v;
        if (posix_trace_trygetnext_event(t, &info, &v, sizeof v, &len, &un) || un)
            break;
        if (info.posix_event_id == POSIX_TRACE_START)
            continue;
        int r = v / 1000, i = v % 1000;
        if (info.posix_event_id != ev_b || len != sizeof v || r < 0 || r >= RECORDERS ||
            i >= PER_RECORDER) {
            bad_ev++;
            continue;
        }
        seen[r][i]++;
        order &= v > lastv[r];
        lastv[r] = v;
        count++;
    }
    int once = 1;
    for (int r = 0; r < RECORDERS; r++)
        for (int i = 0; i < PER_RECORDER; i++)
            once &= seen[r][i] == 1;
    CHECK(count == RECORDERS * PER_RECORDER && !bad_ev && once,
          "posix_trace_event: 4 threads: every event recorded once");
    CHECK(order, "posix_trace_event: each thread's events in its order");
    posix_trace_shutdown(t);
    posix_trace_attr_destroy(&a);
}

/* Last: fills the process's name table for good. */
static void check_name_table_full(void)
{
    trace_event_id_t id = -1, prev = -1;
    int distinct = 1, n = 0;
    char name[16];
    for (; n < TRACE_USER_EVENT_MAX + 4; n++) {
        snprintf(name, sizeof name, "fill%d", n);
        if (posix_trace_eventid_open(name, &id) || id == POSIX_TRACE_UNNAMED_USER_EVENT)
            break;
        distinct &= id != prev;
        prev = id;
    }
    CHECK(distinct && n > 0 && n < TRACE_USER_EVENT_MAX,
          "posix_trace_eventid_open: distinct ids until the table is full");
    CHECK(id == POSIX_TRACE_UNNAMED_USER_EVENT,
          "posix_trace_eventid_open: table full: POSIX_TRACE_UNNAMED_USER_EVENT");
    CHECK(posix_trace_eventid_open("fill0", &id) == 0 && id != POSIX_TRACE_UNNAMED_USER_EVENT,
          "posix_trace_eventid_open: table full: a known name keeps its id");
    trace_id_t t;
    posix_trace_create(0, NULL, &t);
    CHECK(posix_trace_trid_eventid_open(t, "one more", &id) == 0 &&
              id == POSIX_TRACE_UNNAMED_USER_EVENT,
          "posix_trace_trid_eventid_open: table full: POSIX_TRACE_UNNAMED_USER_EVENT");
    posix_trace_shutdown(t);
}

int main(void)
{
    check_attributes();
    check_eventsets();
    check_ids();
    check_create_and_status();
    check_events();
    check_policies();
    check_blocking();
    check_name_table_full();
    CONFORM_DONE();
}

/*
 * <trace.h> attributes, event sets and event names: trace_attr_t is the layer's struct attr
 * (trace_impl.h), an event set one bit per id, names one process-wide table.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace_impl.h"

char __bk_tr_names[NIDS][TRACE_EVENT_NAME_MAX];
int __bk_tr_names_ready;

static const char *const SYS_NAMES[TRACE_SYS_MAX + 1] = {
    "posix_trace_start", "posix_trace_stop", "posix_trace_filter", "posix_trace_overflow",
    "posix_trace_resume", "posix_trace_flush_start", "posix_trace_flush_stop",
    "posix_trace_error", "posix_trace_unnamed_userevent",
};

/* Called with `__bk_tr_lock` held. */
void __bk_tr_names_init(void)
{
    if (__bk_tr_names_ready)
        return;
    for (int i = 0; i <= TRACE_SYS_MAX; i++)
        strcpy(__bk_tr_names[i], SYS_NAMES[i]);
    __bk_tr_names_ready = 1;
}

void __bk_tr_attr_defaults(struct attr *a)
{
    memset(a, 0, sizeof *a);
    a->magic = ATTR_MAGIC;
    a->stream_policy = POLICY_DEFAULT;
    a->log_policy = POSIX_TRACE_LOOP;
    a->inherit = POSIX_TRACE_CLOSE_FOR_CHILD;
    a->stream_size = DEFAULT_STREAM_SIZE;
    a->log_size = DEFAULT_LOG_SIZE;
    a->max_data = DEFAULT_MAX_DATA;
}

static size_t event_size(const struct attr *a, size_t data_len)
{
    return sizeof(struct slot) + (data_len < a->max_data ? data_len : a->max_data);
}

/* ---------------------------------------------------------------- attributes */

int posix_trace_attr_init(trace_attr_t *attr)
{
    if (!attr)
        return EINVAL;
    __bk_tr_attr_defaults(A(attr));
    return 0;
}

int posix_trace_attr_destroy(trace_attr_t *attr)
{
    if (!__bk_tr_attr_ok(attr))
        return EINVAL;
    A(attr)->magic = 0;
    return 0;
}

int posix_trace_attr_getclockres(const trace_attr_t *attr, struct timespec *resolution)
{
    if (!__bk_tr_attr_ok(attr) || !resolution)
        return EINVAL;
    return clock_getres(CLOCK_REALTIME, resolution) ? errno : 0;
}

int posix_trace_attr_getcreatetime(const trace_attr_t *attr, struct timespec *createtime)
{
    if (!__bk_tr_attr_ok(attr) || !createtime)
        return EINVAL;
    *createtime = CA(attr)->create;
    return 0;
}

int posix_trace_attr_getgenversion(const trace_attr_t *attr, char *genversion)
{
    if (!__bk_tr_attr_ok(attr) || !genversion)
        return EINVAL;
    strcpy(genversion, GENVERSION);
    return 0;
}

int posix_trace_attr_getname(const trace_attr_t *attr, char *tracename)
{
    if (!__bk_tr_attr_ok(attr) || !tracename)
        return EINVAL;
    strcpy(tracename, CA(attr)->name);
    return 0;
}

int posix_trace_attr_setname(trace_attr_t *attr, const char *tracename)
{
    if (!__bk_tr_attr_ok(attr) || !tracename)
        return EINVAL;
    /* POSIX: a longer name is truncated to TRACE_NAME_MAX - 1 characters */
    strncpy(A(attr)->name, tracename, TRACE_NAME_MAX - 1);
    A(attr)->name[TRACE_NAME_MAX - 1] = 0;
    return 0;
}

int posix_trace_attr_getinherited(const trace_attr_t *restrict attr,
                                  int *restrict inheritancepolicy)
{
    if (!__bk_tr_attr_ok(attr) || !inheritancepolicy)
        return EINVAL;
    *inheritancepolicy = CA(attr)->inherit;
    return 0;
}

int posix_trace_attr_setinherited(trace_attr_t *attr, int inheritancepolicy)
{
    if (!__bk_tr_attr_ok(attr) || (inheritancepolicy != POSIX_TRACE_CLOSE_FOR_CHILD &&
                           inheritancepolicy != POSIX_TRACE_INHERITED))
        return EINVAL;
    A(attr)->inherit = inheritancepolicy;
    return 0;
}

int posix_trace_attr_getlogfullpolicy(const trace_attr_t *restrict attr,
                                     int *restrict logpolicy)
{
    if (!__bk_tr_attr_ok(attr) || !logpolicy)
        return EINVAL;
    *logpolicy = CA(attr)->log_policy;
    return 0;
}

int posix_trace_attr_setlogfullpolicy(trace_attr_t *attr, int logpolicy)
{
    if (!__bk_tr_attr_ok(attr) ||
        (logpolicy != POSIX_TRACE_LOOP && logpolicy != POSIX_TRACE_UNTIL_FULL &&
                           logpolicy != POSIX_TRACE_APPEND))
        return EINVAL;
    A(attr)->log_policy = logpolicy;
    return 0;
}

int posix_trace_attr_getstreamfullpolicy(const trace_attr_t *restrict attr,
                                         int *restrict streampolicy)
{
    if (!__bk_tr_attr_ok(attr) || !streampolicy)
        return EINVAL;
    int p = CA(attr)->stream_policy;
    *streampolicy = p == POLICY_DEFAULT ? POSIX_TRACE_LOOP : p;
    return 0;
}

int posix_trace_attr_setstreamfullpolicy(trace_attr_t *attr, int streampolicy)
{
    if (!__bk_tr_attr_ok(attr) || (streampolicy != POSIX_TRACE_LOOP &&
                           streampolicy != POSIX_TRACE_UNTIL_FULL &&
                           streampolicy != POSIX_TRACE_FLUSH))
        return EINVAL;
    A(attr)->stream_policy = streampolicy;
    return 0;
}

/* Sizes are kept in 32 bits: a stream or log past 4 GiB is refused (EINVAL) on every target. */
static int size_ok(size_t v)
{
    return v > 0 && v <= 0xffffffffu;
}

int posix_trace_attr_getlogsize(const trace_attr_t *restrict attr, size_t *restrict logsize)
{
    if (!__bk_tr_attr_ok(attr) || !logsize)
        return EINVAL;
    *logsize = CA(attr)->log_size;
    return 0;
}

int posix_trace_attr_setlogsize(trace_attr_t *attr, size_t logsize)
{
    if (!__bk_tr_attr_ok(attr) || !size_ok(logsize))
        return EINVAL;
    A(attr)->log_size = (uint32_t)logsize;
    return 0;
}

int posix_trace_attr_getstreamsize(const trace_attr_t *restrict attr,
                                   size_t *restrict streamsize)
{
    if (!__bk_tr_attr_ok(attr) || !streamsize)
        return EINVAL;
    *streamsize = CA(attr)->stream_size;
    return 0;
}

int posix_trace_attr_setstreamsize(trace_attr_t *attr, size_t streamsize)
{
    if (!__bk_tr_attr_ok(attr) || !size_ok(streamsize))
        return EINVAL;
    A(attr)->stream_size = (uint32_t)streamsize;
    return 0;
}

int posix_trace_attr_getmaxdatasize(const trace_attr_t *restrict attr,
                                    size_t *restrict maxdatasize)
{
    if (!__bk_tr_attr_ok(attr) || !maxdatasize)
        return EINVAL;
    *maxdatasize = CA(attr)->max_data;
    return 0;
}

int posix_trace_attr_setmaxdatasize(trace_attr_t *attr, size_t maxdatasize)
{
    /* 0 is valid: events then carry no data (every payload is truncated) */
    if (!__bk_tr_attr_ok(attr) || maxdatasize > 0xffffu)
        return EINVAL;
    A(attr)->max_data = (uint32_t)maxdatasize;
    return 0;
}

int posix_trace_attr_getmaxsystemeventsize(const trace_attr_t *restrict attr,
                                           size_t *restrict eventsize)
{
    if (!__bk_tr_attr_ok(attr) || !eventsize)
        return EINVAL;
    /* the largest system event payload is POSIX_TRACE_ERROR's errno value */
    *eventsize = sizeof(struct slot) + sizeof(int);
    return 0;
}

int posix_trace_attr_getmaxusereventsize(const trace_attr_t *restrict attr, size_t data_len,
                                         size_t *restrict eventsize)
{
    if (!__bk_tr_attr_ok(attr) || !eventsize)
        return EINVAL;
    *eventsize = event_size(CA(attr), data_len);
    return 0;
}

/* ---------------------------------------------------------------- event ids and sets */

int posix_trace_eventset_empty(trace_event_set_t *set)
{
    if (!set)
        return EINVAL;
    memset(set, 0, sizeof *set);
    return 0;
}

int posix_trace_eventset_fill(trace_event_set_t *set, int what)
{
    if (!set)
        return EINVAL;
    int lo, hi;
    switch (what) {
    /* every system event of this layer is tied to the process: none is process-independent */
    case POSIX_TRACE_WOPID_EVENTS: lo = 0, hi = 0; break;
    case POSIX_TRACE_SYSTEM_EVENTS: lo = 0, hi = TRACE_SYS_MAX; break;
    case POSIX_TRACE_ALL_EVENTS: lo = 0, hi = NIDS; break;
    default: return EINVAL;
    }
    memset(set, 0, sizeof *set);
    for (int i = lo; i < hi; i++)
        set->__w[i / 32] |= 1u << (i % 32);
    return 0;
}

int posix_trace_eventset_add(trace_event_id_t event_id, trace_event_set_t *set)
{
    if (!set || !__bk_tr_id_valid(event_id))
        return EINVAL;
    set->__w[event_id / 32] |= 1u << (event_id % 32);
    return 0;
}

int posix_trace_eventset_del(trace_event_id_t event_id, trace_event_set_t *set)
{
    if (!set || !__bk_tr_id_valid(event_id))
        return EINVAL;
    set->__w[event_id / 32] &= ~(1u << (event_id % 32));
    return 0;
}

int posix_trace_eventset_ismember(trace_event_id_t event_id,
                                  const trace_event_set_t *restrict set, int *restrict ismember)
{
    if (!set || !ismember || !__bk_tr_id_valid(event_id))
        return EINVAL;
    *ismember = __bk_tr_member(event_id, set);
    return 0;
}

/* Called with `__bk_tr_lock` held: the id of `name`, a new one, or the unnamed event when full. */
int __bk_tr_name_to_id(const char *name, trace_event_id_t *id)
{
    if (!name || !id)
        return EINVAL;
    if (strlen(name) >= TRACE_EVENT_NAME_MAX)
        return ENAMETOOLONG;
    __bk_tr_names_init();
    int free_id = -1;
    for (int i = FIRST_USER; i < NIDS; i++) {
        if (!__bk_tr_names[i][0]) {
            if (free_id < 0)
                free_id = i;
        } else if (!strcmp(__bk_tr_names[i], name)) {
            *id = i;
            return 0;
        }
    }
    if (free_id < 0 || !name[0]) {
        *id = POSIX_TRACE_UNNAMED_USER_EVENT;
        return 0;
    }
    strcpy(__bk_tr_names[free_id], name);
    *id = free_id;
    return 0;
}

int posix_trace_eventid_open(const char *restrict event_name,
                             trace_event_id_t *restrict event_id)
{
    pthread_mutex_lock(&__bk_tr_lock);
    int e = __bk_tr_name_to_id(event_name, event_id);
    pthread_mutex_unlock(&__bk_tr_lock);
    return e;
}


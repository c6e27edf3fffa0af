/*
 * <trace.h>: the POSIX Trace option with Trace Event Filter, Trace Log and Trace Inherit, kept in
 * the layer. One process traces itself, so a trace stream is a ring of event slots in memory,
 * guarded by one mutex; readers wait on the stream's condition variable, which every recorded
 * event signals. A stream with a log writes it to the caller's descriptor in the layer's format
 * (trace_impl.h, trace_log.c); posix_trace_open reads such a log back as a pre-recorded stream.
 * This file: the streams, recording, and the calls that control an active stream.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace_impl.h"

pthread_mutex_t __bk_tr_lock = PTHREAD_MUTEX_INITIALIZER;
struct stream __bk_tr_streams[MAX_STREAMS];

/* ---------------------------------------------------------------- streams */

/* Called with `__bk_tr_lock` held: the stream `trid` names, of `kind` (FREE: either kind), or
 * NULL. */
struct stream *__bk_tr_get(trace_id_t trid, enum kind kind)
{
    if (trid < 1 || trid > MAX_STREAMS)
        return NULL;
    struct stream *s = &__bk_tr_streams[trid - 1];
    if (s->kind == FREE || s->kind == DYING || (kind != FREE && s->kind != kind))
        return NULL;
    return s;
}

char (*__bk_tr_names_of(struct stream *s))[TRACE_EVENT_NAME_MAX]
{
    return s->kind == PRERECORDED ? s->names : __bk_tr_names;
}

size_t __bk_tr_slot_data(const struct stream *s)
{
    return s->a.max_data ? s->a.max_data : 1;
}

/* Called with `__bk_tr_lock` held: store one event in the next free slot (the ring has room). */
void __bk_tr_put(struct stream *s, trace_event_id_t id, const void *data, size_t len,
                 void *addr)
{
    unsigned i = (s->head + s->count) % s->cap;
    struct slot *e = &s->slots[i];
    e->id = id;
    e->pid = getpid();
    e->addr = addr;
    e->thread = pthread_self();
    clock_gettime(CLOCK_REALTIME, &e->ts);
    e->trunc = len > s->a.max_data ? POSIX_TRACE_TRUNCATED_RECORD : POSIX_TRACE_NOT_TRUNCATED;
    e->len = len > s->a.max_data ? s->a.max_data : len;
    if (e->len)
        memcpy(s->data + (size_t)i * __bk_tr_slot_data(s), data, e->len);
    s->count++;
    pthread_cond_broadcast(&s->cond);
}

int __bk_tr_flush_locked(struct stream *s);

/* Called with `__bk_tr_lock` held: record an event under the stream's full policy, unless the
 * filter (the set of events not to record, system ones included) names it. */
void __bk_tr_record(struct stream *s, trace_event_id_t id, const void *data, size_t len,
                    void *addr)
{
    if (__bk_tr_member(id, &s->filter))
        return;
    if (s->count == s->cap) {
        if (s->a.stream_policy == POSIX_TRACE_LOOP) {
            s->head = (s->head + 1) % s->cap;
            s->count--;
            s->overrun = POSIX_TRACE_OVERRUN;
        } else if (s->a.stream_policy == POSIX_TRACE_FLUSH && s->fd >= 0) {
            __bk_tr_flush_locked(s);
        }
    }
    if (s->count == s->cap) {
        s->lost++;
        s->overrun = POSIX_TRACE_OVERRUN;
        return;
    }
    if (s->a.stream_policy == POSIX_TRACE_UNTIL_FULL && s->count == s->cap - 1 &&
        id != POSIX_TRACE_STOP) {
        /* the last slot holds the STOP that tells a reader why the stream ended */
        __bk_tr_put(s, POSIX_TRACE_STOP, NULL, 0, addr);
        s->status = POSIX_TRACE_SUSPENDED;
        s->full = POSIX_TRACE_FULL;
        s->stopped_full = 1;
        s->lost++;
        s->overrun = POSIX_TRACE_OVERRUN;
        return;
    }
    __bk_tr_put(s, id, data, len, addr);
    if (s->count == s->cap)
        s->full = POSIX_TRACE_FULL;
}

/* Called with `__bk_tr_lock` held: a stream POSIX_TRACE_UNTIL_FULL suspended runs again, with
 * POSIX_TRACE_OVERFLOW first when events were lost, then POSIX_TRACE_START. */
void __bk_tr_resume(struct stream *s)
{
    if (!s->stopped_full || s->cap - s->count < 2)
        return;
    s->stopped_full = 0;
    s->status = POSIX_TRACE_RUNNING;
    s->full = POSIX_TRACE_NOT_FULL;
    if (s->lost)
        __bk_tr_put(s, POSIX_TRACE_OVERFLOW, NULL, 0, NULL);
    s->lost = 0;
    __bk_tr_put(s, POSIX_TRACE_START, NULL, 0, NULL);
}

void posix_trace_event(trace_event_id_t event_id, const void *restrict data_ptr, size_t data_len)
{
    void *addr = __builtin_return_address(0);
    if (event_id < POSIX_TRACE_UNNAMED_USER_EVENT || event_id >= NIDS)
        return; /* only user events are the application's to record */
    if (!data_ptr)
        data_len = 0;
    pthread_mutex_lock(&__bk_tr_lock);
    if (event_id == POSIX_TRACE_UNNAMED_USER_EVENT ||
        (__bk_tr_names_ready && __bk_tr_names[event_id][0]))
        for (int i = 0; i < MAX_STREAMS; i++) {
            struct stream *s = &__bk_tr_streams[i];
            if (s->kind == ACTIVE && s->status == POSIX_TRACE_RUNNING)
                __bk_tr_record(s, event_id, data_ptr, data_len, addr);
            else if (s->kind == ACTIVE && s->stopped_full)
                s->lost++;
        }
    pthread_mutex_unlock(&__bk_tr_lock);
}

void __bk_tr_free_stream(struct stream *s)
{
    free(s->slots);
    free(s->data);
    free(s->logbuf);
    free(s->recs);
    free(s->names);
    pthread_cond_destroy(&s->cond);
    memset(s, 0, sizeof *s);
    s->kind = FREE;
}

/* Called with `__bk_tr_lock` held: a free slot of streams[], or NULL. */
struct stream *__bk_tr_alloc_stream(void)
{
    for (int i = 0; i < MAX_STREAMS; i++)
        if (__bk_tr_streams[i].kind == FREE) {
            memset(&__bk_tr_streams[i], 0, sizeof __bk_tr_streams[i]);
            __bk_tr_streams[i].fd = -1;
            return &__bk_tr_streams[i];
        }
    return NULL;
}

trace_id_t __bk_tr_id_of(const struct stream *s)
{
    return (trace_id_t)(s - __bk_tr_streams) + 1;
}

static int create(pid_t pid, const trace_attr_t *attr, int fd, trace_id_t *trid)
{
    if (!trid || (attr && !__bk_tr_attr_ok(attr)))
        return EINVAL;
    if (pid != 0 && pid != getpid())
        return ESRCH; /* one process: no other one exists to be traced */
    struct attr a;
    if (attr)
        a = *CA(attr);
    else
        __bk_tr_attr_defaults(&a);
    if (a.stream_policy == POLICY_DEFAULT)
        a.stream_policy = fd >= 0 ? POSIX_TRACE_FLUSH : POSIX_TRACE_LOOP;
    if (a.stream_policy == POSIX_TRACE_FLUSH && fd < 0)
        return EINVAL; /* POSIX_TRACE_FLUSH needs a log */
    off_t start = 0;
    if (fd >= 0) {
        int fl = fcntl(fd, F_GETFL);
        if (fl < 0 || (fl & O_ACCMODE) == O_RDONLY)
            return EBADF;
        if ((start = lseek(fd, 0, SEEK_CUR)) < 0)
            return EINVAL; /* the log is rewritten in place: it must be a regular file */
        if (a.log_policy != POSIX_TRACE_APPEND &&
            a.log_size < __bk_tr_records_offset() + __bk_tr_rec_size(0))
            return EINVAL; /* no room even for the head and one record */
    }
    size_t per = sizeof(struct slot) + a.max_data;
    unsigned cap = (unsigned)(a.stream_size / per);
    if (cap < MIN_SLOTS)
        cap = MIN_SLOTS;
    pthread_mutex_lock(&__bk_tr_lock);
    __bk_tr_names_init();
    struct stream *s = __bk_tr_alloc_stream();
    if (!s) {
        pthread_mutex_unlock(&__bk_tr_lock);
        return EAGAIN;
    }
    s->slots = calloc(cap, sizeof *s->slots);
    s->data = malloc((size_t)cap * (a.max_data ? a.max_data : 1));
    if (!s->slots || !s->data) {
        __bk_tr_free_stream(s);
        pthread_mutex_unlock(&__bk_tr_lock);
        return ENOMEM;
    }
    pthread_cond_init(&s->cond, NULL);
    clock_gettime(CLOCK_REALTIME, &a.create);
    s->a = a;
    s->cap = cap;
    s->status = POSIX_TRACE_SUSPENDED;
    s->fd = fd;
    s->log_start = start;
    s->kind = ACTIVE;
    if (fd >= 0) {
        int e = __bk_tr_write_head(s);
        if (e) {
            __bk_tr_free_stream(s);
            pthread_mutex_unlock(&__bk_tr_lock);
            return e == EBADF ? EBADF : ENOSPC;
        }
    }
    *trid = __bk_tr_id_of(s);
    pthread_mutex_unlock(&__bk_tr_lock);
    return 0;
}

int posix_trace_create(pid_t pid, const trace_attr_t *restrict attr, trace_id_t *restrict trid)
{
    return create(pid, attr, -1, trid);
}

int posix_trace_create_withlog(pid_t pid, const trace_attr_t *restrict attr, int file_desc,
                               trace_id_t *restrict trid)
{
    if (file_desc < 0)
        return EBADF;
    return create(pid, attr, file_desc, trid);
}

int posix_trace_start(trace_id_t trid)
{
    pthread_mutex_lock(&__bk_tr_lock);
    struct stream *s = __bk_tr_get(trid, ACTIVE);
    if (s && s->status != POSIX_TRACE_RUNNING) {
        s->status = POSIX_TRACE_RUNNING;
        s->stopped_full = 0;
        __bk_tr_record(s, POSIX_TRACE_START, NULL, 0, __builtin_return_address(0));
    }
    pthread_mutex_unlock(&__bk_tr_lock);
    return s ? 0 : EINVAL;
}

int posix_trace_stop(trace_id_t trid)
{
    pthread_mutex_lock(&__bk_tr_lock);
    struct stream *s = __bk_tr_get(trid, ACTIVE);
    if (s && s->status == POSIX_TRACE_RUNNING) {
        __bk_tr_record(s, POSIX_TRACE_STOP, NULL, 0, __builtin_return_address(0));
        s->status = POSIX_TRACE_SUSPENDED;
    }
    pthread_mutex_unlock(&__bk_tr_lock);
    return s ? 0 : EINVAL;
}

int posix_trace_shutdown(trace_id_t trid)
{
    pthread_mutex_lock(&__bk_tr_lock);
    struct stream *s = __bk_tr_get(trid, ACTIVE);
    int e = s ? 0 : EINVAL;
    if (s) {
        if (s->fd >= 0)
            __bk_tr_flush_locked(s); /* what the stream still holds goes to the log first */
        if (s->readers) {
            s->kind = DYING; /* the readers wake with EINVAL; the last one frees it */
            pthread_cond_broadcast(&s->cond);
        } else {
            __bk_tr_free_stream(s);
        }
    }
    pthread_mutex_unlock(&__bk_tr_lock);
    return e;
}

int posix_trace_clear(trace_id_t trid)
{
    pthread_mutex_lock(&__bk_tr_lock);
    struct stream *s = __bk_tr_get(trid, ACTIVE);
    if (s) {
        s->head = s->count = 0;
        s->full = POSIX_TRACE_NOT_FULL;
        s->overrun = POSIX_TRACE_NO_OVERRUN;
        s->lost = 0;
        if (s->stopped_full) {
            s->stopped_full = 0;
            s->status = POSIX_TRACE_RUNNING;
        }
    }
    pthread_mutex_unlock(&__bk_tr_lock);
    return s ? 0 : EINVAL;
}

int posix_trace_get_attr(trace_id_t trid, trace_attr_t *attr)
{
    if (!attr)
        return EINVAL;
    pthread_mutex_lock(&__bk_tr_lock);
    struct stream *s = __bk_tr_get(trid, FREE);
    if (s)
        *A(attr) = s->a;
    pthread_mutex_unlock(&__bk_tr_lock);
    return s ? 0 : EINVAL;
}

int posix_trace_get_status(trace_id_t trid, struct posix_trace_status_info *statusinfo)
{
    if (!statusinfo)
        return EINVAL;
    pthread_mutex_lock(&__bk_tr_lock);
    struct stream *s = __bk_tr_get(trid, FREE);
    if (s) {
        statusinfo->posix_stream_status = s->status;
        statusinfo->posix_stream_full_status = s->full;
        statusinfo->posix_stream_overrun_status = s->overrun;
        statusinfo->posix_stream_flush_status = s->flushing;
        statusinfo->posix_stream_flush_error = s->flush_error;
        statusinfo->posix_log_overrun_status = s->log_overrun;
        statusinfo->posix_log_full_status = s->log_full;
        /* the flush error is reported once: the next flush starts from none */
        s->flush_error = 0;
    }
    pthread_mutex_unlock(&__bk_tr_lock);
    return s ? 0 : EINVAL;
}

int posix_trace_get_filter(trace_id_t trid, trace_event_set_t *set)
{
    if (!set)
        return EINVAL;
    pthread_mutex_lock(&__bk_tr_lock);
    struct stream *s = __bk_tr_get(trid, ACTIVE);
    if (s)
        *set = s->filter;
    pthread_mutex_unlock(&__bk_tr_lock);
    return s ? 0 : EINVAL;
}

int posix_trace_set_filter(trace_id_t trid, const trace_event_set_t *set, int how)
{
    if (!set || (how != POSIX_TRACE_SET_EVENTSET && how != POSIX_TRACE_ADD_EVENTSET &&
                 how != POSIX_TRACE_SUB_EVENTSET))
        return EINVAL;
    pthread_mutex_lock(&__bk_tr_lock);
    struct stream *s = __bk_tr_get(trid, ACTIVE);
    if (s) {
        for (unsigned i = 0; i < sizeof set->__w / sizeof set->__w[0]; i++) {
            unsigned w = set->__w[i];
            if (how == POSIX_TRACE_SET_EVENTSET)
                s->filter.__w[i] = w;
            else if (how == POSIX_TRACE_ADD_EVENTSET)
                s->filter.__w[i] |= w;
            else
                s->filter.__w[i] &= ~w;
        }
        if (s->status == POSIX_TRACE_RUNNING)
            __bk_tr_record(s, POSIX_TRACE_FILTER, NULL, 0, __builtin_return_address(0));
    }
    pthread_mutex_unlock(&__bk_tr_lock);
    return s ? 0 : EINVAL;
}

int posix_trace_trid_eventid_open(trace_id_t trid, const char *restrict event_name,
                                  trace_event_id_t *restrict event)
{
    pthread_mutex_lock(&__bk_tr_lock);
    int e = __bk_tr_get(trid, ACTIVE) ? __bk_tr_name_to_id(event_name, event) : EINVAL;
    pthread_mutex_unlock(&__bk_tr_lock);
    return e;
}

int posix_trace_eventid_equal(trace_id_t trid, trace_event_id_t event1, trace_event_id_t event2)
{
    (void)trid; /* ids are process-wide: equal in every stream or in none */
    return event1 == event2;
}

int posix_trace_eventid_get_name(trace_id_t trid, trace_event_id_t event, char *event_name)
{
    if (!event_name)
        return EINVAL;
    pthread_mutex_lock(&__bk_tr_lock);
    struct stream *s = __bk_tr_get(trid, FREE);
    int e = EINVAL;
    if (s && __bk_tr_id_valid(event) && __bk_tr_names_of(s)[event][0]) {
        strcpy(event_name, __bk_tr_names_of(s)[event]);
        e = 0;
    }
    pthread_mutex_unlock(&__bk_tr_lock);
    return e;
}

int posix_trace_eventtypelist_getnext_id(trace_id_t trid, trace_event_id_t *restrict event,
                                         int *restrict unavailable)
{
    if (!event || !unavailable)
        return EINVAL;
    pthread_mutex_lock(&__bk_tr_lock);
    struct stream *s = __bk_tr_get(trid, FREE);
    if (s) {
        char (*n)[TRACE_EVENT_NAME_MAX] = __bk_tr_names_of(s);
        while (s->typelist < NIDS && !n[s->typelist][0])
            s->typelist++;
        *unavailable = s->typelist >= NIDS;
        if (!*unavailable)
            *event = s->typelist++;
    }
    pthread_mutex_unlock(&__bk_tr_lock);
    return s ? 0 : EINVAL;
}

int posix_trace_eventtypelist_rewind(trace_id_t trid)
{
    pthread_mutex_lock(&__bk_tr_lock);
    struct stream *s = __bk_tr_get(trid, FREE);
    if (s)
        s->typelist = 0;
    pthread_mutex_unlock(&__bk_tr_lock);
    return s ? 0 : EINVAL;
}


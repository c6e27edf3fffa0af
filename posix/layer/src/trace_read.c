/*
 * <trace.h> readers: posix_trace_getnext_event (blocking; a pre-recorded stream's next record),
 * _timedgetnext_event and _trygetnext_event (active streams), woken by every recorded event.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace_impl.h"

/* ---------------------------------------------------------------- reading */

static void copy_out(struct posix_trace_event_info *ev, const struct slot *e, const void *src,
                     void *data, size_t num_bytes, size_t *data_len)
{
    ev->posix_event_id = e->id;
    ev->posix_pid = e->pid;
    ev->posix_prog_address = e->addr;
    ev->posix_timestamp = e->ts;
    ev->posix_thread_id = e->thread;
    ev->posix_truncation_status = e->trunc;
    size_t n = e->len;
    if (n > num_bytes) {
        n = num_bytes;
        ev->posix_truncation_status = POSIX_TRACE_TRUNCATED_READ;
    }
    if (n && data)
        memcpy(data, src, n);
    *data_len = n;
}

/* Called with `__bk_tr_lock` held: take the oldest event of an active stream (it has one). */
static void take(struct stream *s, struct posix_trace_event_info *ev, void *data,
                 size_t num_bytes, size_t *data_len)
{
    unsigned i = s->head;
    copy_out(ev, &s->slots[i], s->data + (size_t)i * __bk_tr_slot_data(s), data, num_bytes,
             data_len);
    s->head = (s->head + 1) % s->cap;
    s->count--;
    if (s->count < s->cap)
        s->full = POSIX_TRACE_NOT_FULL;
    if (s->count <= s->cap / 2)
        __bk_tr_resume(s); /* UNTIL_FULL: half read, the stream runs again */
}

/* Pre-recorded: the next record of the log, or *unavailable = 1 at its end. */
static int next_recorded(struct stream *s, struct posix_trace_event_info *ev, void *data,
                         size_t num_bytes, size_t *data_len, int *unavailable)
{
    if (s->rec_pos + sizeof(struct log_rec) > s->rec_bytes) {
        *unavailable = 1;
        return 0;
    }
    struct log_rec r;
    memcpy(&r, s->recs + s->rec_pos, sizeof r);
    struct slot e = { r.id, r.trunc, r.pid, (void *)(uintptr_t)r.addr,
                      { (time_t)r.sec, r.nsec }, (pthread_t)(uintptr_t)r.thread, r.len };
    copy_out(ev, &e, s->recs + s->rec_pos + sizeof r, data, num_bytes, data_len);
    s->rec_pos += __bk_tr_rec_size(r.len);
    *unavailable = 0;
    return 0;
}

/* The three readers: wait (forever, until abstime, or not at all: ready = 0/1/2). */
static int getnext(trace_id_t trid, struct posix_trace_event_info *ev, void *data,
                   size_t num_bytes, size_t *data_len, int *unavailable,
                   const struct timespec *abstime, int mode)
{
    if (!ev || !data_len || !unavailable || (num_bytes && !data))
        return EINVAL;
    pthread_mutex_lock(&__bk_tr_lock);
    struct stream *s = __bk_tr_get(trid, FREE);
    int e = 0;
    if (!s || (mode != 0 && s->kind != ACTIVE)) {
        e = EINVAL; /* the try and timed readers are for active streams only */
    } else if (s->kind == PRERECORDED) {
        e = next_recorded(s, ev, data, num_bytes, data_len, unavailable);
    } else {
        s->readers++;
        while (!e && s->kind == ACTIVE && !s->count && mode != 2) {
            if (mode == 1) {
                if (abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000L)
                    e = EINVAL;
                else
                    e = pthread_cond_timedwait(&s->cond, &__bk_tr_lock, abstime);
            } else {
                e = pthread_cond_wait(&s->cond, &__bk_tr_lock);
            }
        }
        s->readers--;
        if (e == ETIMEDOUT && s->count)
            e = 0;
        if (s->kind == DYING) {
            e = EINVAL;
            if (!s->readers)
                __bk_tr_free_stream(s);
        }
        if (!e) {
            *unavailable = !s->count;
            if (s->count)
                take(s, ev, data, num_bytes, data_len);
        }
    }
    pthread_mutex_unlock(&__bk_tr_lock);
    return e;
}

int posix_trace_getnext_event(trace_id_t trid, struct posix_trace_event_info *restrict event,
                              void *restrict data, size_t num_bytes, size_t *restrict data_len,
                              int *restrict unavailable)
{
    return getnext(trid, event, data, num_bytes, data_len, unavailable, NULL, 0);
}

int posix_trace_timedgetnext_event(trace_id_t trid,
                                   struct posix_trace_event_info *restrict event,
                                   void *restrict data, size_t num_bytes,
                                   size_t *restrict data_len, int *restrict unavailable,
                                   const struct timespec *restrict abstime)
{
    if (!abstime)
        return EINVAL;
    return getnext(trid, event, data, num_bytes, data_len, unavailable, abstime, 1);
}

int posix_trace_trygetnext_event(trace_id_t trid, struct posix_trace_event_info *restrict event,
                                 void *restrict data, size_t num_bytes, size_t *restrict data_len,
                                 int *restrict unavailable)
{
    return getnext(trid, event, data, num_bytes, data_len, unavailable, NULL, 2);
}


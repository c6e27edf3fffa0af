/*
 * <trace.h> Trace Log: an active stream's log written to its descriptor, flushes, and a log
 * read back as a pre-recorded stream (posix_trace_open, _rewind, _close). Format: trace_impl.h.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace_impl.h"

static const char LOG_MAGIC[8] = { 'B', 'K', 'T', 'R', 'A', 'C', 'E', '1' };

static int write_all(int fd, const void *buf, size_t n)
{
    const unsigned char *p = buf;
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return w < 0 ? errno : ENOSPC;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static void head_of(const struct stream *s, struct log_head *h)
{
    struct timespec res = { 0, 0 };
    clock_getres(CLOCK_REALTIME, &res);
    memset(h, 0, sizeof *h);
    memcpy(h->magic, LOG_MAGIC, sizeof h->magic);
    h->version = 1;
    h->head_size = sizeof *h;
    h->nids = NIDS;
    h->name_max = TRACE_EVENT_NAME_MAX;
    memcpy(h->name, s->a.name, TRACE_NAME_MAX);
    strcpy(h->genversion, GENVERSION);
    h->create_sec = s->a.create.tv_sec;
    h->create_nsec = (int32_t)s->a.create.tv_nsec;
    h->res_nsec = (int32_t)res.tv_nsec;
    h->stream_size = s->a.stream_size;
    h->log_size = s->a.log_size;
    h->max_data = s->a.max_data;
    h->stream_policy = s->a.stream_policy;
    h->log_policy = s->a.log_policy;
    h->inherit = s->a.inherit;
    h->log_full = s->log_full;
    h->log_overrun = s->log_overrun;
    h->record_bytes = (uint32_t)s->log_bytes;
}

static size_t names_offset(void)
{
    return sizeof(struct log_head);
}

size_t __bk_tr_records_offset(void)
{
    return names_offset() + sizeof __bk_tr_names;
}

/* Write the head and name table at the log's start. */
int __bk_tr_write_head(struct stream *s)
{
    struct log_head h;
    head_of(s, &h);
    if (lseek(s->fd, s->log_start, SEEK_SET) < 0)
        return errno;
    int e = write_all(s->fd, &h, sizeof h);
    return e ? e : write_all(s->fd, __bk_tr_names, sizeof __bk_tr_names);
}

size_t __bk_tr_rec_size(size_t len)
{
    return sizeof(struct log_rec) + ((len + 7) & ~(size_t)7);
}

static void encode(const struct stream *s, unsigned i, unsigned char *out)
{
    const struct slot *e = &s->slots[i];
    struct log_rec r;
    memset(&r, 0, sizeof r);
    r.id = e->id;
    r.trunc = e->trunc;
    r.pid = e->pid;
    r.len = (uint32_t)e->len;
    r.sec = e->ts.tv_sec;
    r.nsec = (int32_t)e->ts.tv_nsec;
    r.thread = (uint64_t)(uintptr_t)e->thread;
    r.addr = (uint64_t)(uintptr_t)e->addr;
    memcpy(out, &r, sizeof r);
    memset(out + sizeof r, 0, __bk_tr_rec_size(e->len) - sizeof r);
    memcpy(out + sizeof r, s->data + (size_t)i * __bk_tr_slot_data(s), e->len);
}

/* The room the log has for records under its size limit (APPEND: no limit). */
static size_t log_room(const struct stream *s)
{
    size_t limit = s->a.log_size, used = __bk_tr_records_offset();
    return limit > used ? limit - used : 0;
}

/* Called with `__bk_tr_lock` held: move every event of the stream to the log, under the log full
 * policy; the space they used is free afterwards. Returns 0 or the write's errno. */
int __bk_tr_flush_locked(struct stream *s)
{
    s->flushing = POSIX_TRACE_FLUSHING;
    size_t room = log_room(s);
    int e = 0;
    unsigned char buf[sizeof(struct log_rec) + 8];
    off_t end = s->log_start + (off_t)__bk_tr_records_offset() + (off_t)s->log_bytes;
    if (lseek(s->fd, end, SEEK_SET) < 0)
        e = errno;
    while (s->count && !e) {
        unsigned i = s->head;
        size_t n = __bk_tr_rec_size(s->slots[i].len);
        unsigned char *rec = n <= sizeof buf ? buf : malloc(n);
        if (!rec) {
            e = ENOMEM;
            break;
        }
        encode(s, i, rec);
        int pol = s->a.log_policy;
        if (pol == POSIX_TRACE_LOOP) {
            if (n > room) {
                s->log_overrun = POSIX_TRACE_OVERRUN;
            } else {
                /* the oldest records make room: the log keeps the most recent events */
                size_t drop = 0;
                while (s->log_bytes - drop + n > room) {
                    const struct log_rec *old = (const void *)(s->logbuf + drop);
                    drop += __bk_tr_rec_size(old->len);
                    s->log_overrun = POSIX_TRACE_OVERRUN;
                }
                if (drop) {
                    memmove(s->logbuf, s->logbuf + drop, s->log_bytes - drop);
                    s->log_bytes -= drop;
                }
                unsigned char *nb = realloc(s->logbuf, s->log_bytes + n);
                if (!nb) {
                    e = ENOMEM;
                } else {
                    s->logbuf = nb;
                    memcpy(nb + s->log_bytes, rec, n);
                    s->log_bytes += n;
                }
            }
        } else if (pol == POSIX_TRACE_UNTIL_FULL && s->log_full) {
            s->log_overrun = POSIX_TRACE_OVERRUN;
        } else if (pol == POSIX_TRACE_UNTIL_FULL &&
                   s->log_bytes + n + __bk_tr_rec_size(0) > room) {
            /* keep room for the STOP that ends a full log; the stream stops with it */
            struct slot *st = &s->slots[i];
            st->id = POSIX_TRACE_STOP;
            st->len = 0;
            st->trunc = POSIX_TRACE_NOT_TRUNCATED;
            encode(s, i, rec);
            e = write_all(s->fd, rec, __bk_tr_rec_size(0));
            if (!e)
                s->log_bytes += __bk_tr_rec_size(0);
            s->log_full = POSIX_TRACE_FULL;
            s->log_overrun = POSIX_TRACE_OVERRUN;
            s->status = POSIX_TRACE_SUSPENDED;
        } else {
            e = write_all(s->fd, rec, n);
            if (!e)
                s->log_bytes += n;
        }
        if (rec != buf)
            free(rec);
        if (!e) {
            s->head = (s->head + 1) % s->cap;
            s->count--;
        }
    }
    if (!e && s->a.log_policy == POSIX_TRACE_LOOP) {
        if (lseek(s->fd, s->log_start + (off_t)__bk_tr_records_offset(), SEEK_SET) < 0)
            e = errno;
        else if (s->log_bytes)
            e = write_all(s->fd, s->logbuf, s->log_bytes);
        if (!e)
            ftruncate(s->fd, s->log_start + (off_t)__bk_tr_records_offset() + (off_t)s->log_bytes);
    }
    if (!e)
        e = __bk_tr_write_head(s);
    if (s->count < s->cap)
        s->full = POSIX_TRACE_NOT_FULL;
    if (!s->log_full)
        __bk_tr_resume(s); /* a full UNTIL_FULL stream emptied into its log runs again */
    s->flushing = POSIX_TRACE_NOT_FLUSHING;
    if (e) {
        s->flush_error = e;
        int v = e;
        if (s->count < s->cap)
            __bk_tr_put(s, POSIX_TRACE_ERROR, &v, sizeof v, NULL);
    }
    return e;
}

int posix_trace_flush(trace_id_t trid)
{
    pthread_mutex_lock(&__bk_tr_lock);
    struct stream *s = __bk_tr_get(trid, ACTIVE);
    int e = 0;
    if (!s || s->fd < 0) {
        e = EINVAL;
    } else {
        if (s->status == POSIX_TRACE_RUNNING)
            __bk_tr_record(s, POSIX_TRACE_FLUSH_START, NULL, 0, __builtin_return_address(0));
        __bk_tr_flush_locked(s);
        if (s->status == POSIX_TRACE_RUNNING)
            __bk_tr_record(s, POSIX_TRACE_FLUSH_STOP, NULL, 0, __builtin_return_address(0));
    }
    pthread_mutex_unlock(&__bk_tr_lock);
    return e;
}

/* ---------------------------------------------------------------- pre-recorded streams */

static int read_all(int fd, void *buf, size_t n)
{
    unsigned char *p = buf;
    while (n) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return errno;
        if (r == 0)
            return EINVAL; /* shorter than its head says: not a complete trace log */
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

int posix_trace_open(int file_desc, trace_id_t *trid)
{
    if (!trid)
        return EINVAL;
    int fl = fcntl(file_desc, F_GETFL);
    if (file_desc < 0 || fl < 0 || (fl & O_ACCMODE) == O_WRONLY)
        return EBADF;
    struct log_head h;
    int e = read_all(file_desc, &h, sizeof h);
    if (e)
        return e;
    if (memcmp(h.magic, LOG_MAGIC, sizeof h.magic) || h.version != 1 || h.head_size != sizeof h ||
        h.nids != NIDS || h.name_max != TRACE_EVENT_NAME_MAX || h.record_bytes > 0x10000000u)
        return EINVAL;
    char(*nm)[TRACE_EVENT_NAME_MAX] = malloc(sizeof __bk_tr_names);
    unsigned char *recs = malloc(h.record_bytes ? h.record_bytes : 1);
    if (!nm || !recs) {
        free(nm);
        free(recs);
        return ENOMEM;
    }
    e = read_all(file_desc, nm, sizeof __bk_tr_names);
    if (!e)
        e = read_all(file_desc, recs, h.record_bytes);
    for (size_t pos = 0; !e && pos < h.record_bytes;) {
        struct log_rec r;
        if (pos + sizeof r > h.record_bytes) {
            e = EINVAL;
            break;
        }
        memcpy(&r, recs + pos, sizeof r);
        if (!__bk_tr_id_valid(r.id) || r.len > h.max_data ||
            pos + __bk_tr_rec_size(r.len) > h.record_bytes)
            e = EINVAL;
        pos += __bk_tr_rec_size(r.len);
    }
    pthread_mutex_lock(&__bk_tr_lock);
    struct stream *s = e ? NULL : __bk_tr_alloc_stream();
    if (!e && !s)
        e = EAGAIN;
    if (e) {
        pthread_mutex_unlock(&__bk_tr_lock);
        free(nm);
        free(recs);
        return e;
    }
    for (int i = 0; i < NIDS; i++)
        nm[i][TRACE_EVENT_NAME_MAX - 1] = 0;
    __bk_tr_attr_defaults(&s->a);
    memcpy(s->a.name, h.name, TRACE_NAME_MAX);
    s->a.name[TRACE_NAME_MAX - 1] = 0;
    s->a.create.tv_sec = (time_t)h.create_sec;
    s->a.create.tv_nsec = h.create_nsec;
    s->a.stream_size = h.stream_size;
    s->a.log_size = h.log_size;
    s->a.max_data = h.max_data;
    s->a.stream_policy = h.stream_policy;
    s->a.log_policy = h.log_policy;
    s->a.inherit = h.inherit;
    s->status = POSIX_TRACE_SUSPENDED;
    s->log_full = h.log_full;
    s->log_overrun = h.log_overrun;
    s->names = nm;
    s->recs = recs;
    s->rec_bytes = h.record_bytes;
    pthread_cond_init(&s->cond, NULL);
    s->kind = PRERECORDED;
    *trid = __bk_tr_id_of(s);
    pthread_mutex_unlock(&__bk_tr_lock);
    return 0;
}

int posix_trace_rewind(trace_id_t trid)
{
    pthread_mutex_lock(&__bk_tr_lock);
    struct stream *s = __bk_tr_get(trid, PRERECORDED);
    if (s)
        s->rec_pos = 0;
    pthread_mutex_unlock(&__bk_tr_lock);
    return s ? 0 : EINVAL;
}

int posix_trace_close(trace_id_t trid)
{
    pthread_mutex_lock(&__bk_tr_lock);
    struct stream *s = __bk_tr_get(trid, PRERECORDED);
    if (s)
        __bk_tr_free_stream(s);
    pthread_mutex_unlock(&__bk_tr_lock);
    return s ? 0 : EINVAL;
}


/*
 * The layer's <trace.h> (trace.c, trace_attr.c, trace_log.c, trace_read.c): the POSIX Trace
 * option with Trace Event Filter, Trace Log and Trace Inherit, kept in the layer: what the four
 * files share. A stream with a log writes it to the caller's descriptor in the format below;
 * posix_trace_open reads such a log back as a pre-recorded stream.
 *
 * Event ids: the system events are 0..TRACE_SYS_MAX-1, then POSIX_TRACE_UNNAMED_USER_EVENT, then
 * one id per user event name (process-wide, as posix_trace_eventid_open is).
 *
 * Log format (native byte order and sizes: a log is read back on the machine that wrote it):
 *   struct log_head, whose record_bytes says how many bytes of records follow the name table;
 *   char names[NIDS][TRACE_EVENT_NAME_MAX]: the name of each id ("" when unused);
 *   records: struct log_rec, then its data padded to 8 bytes.
 * The head and name table are rewritten at every flush, so a log is readable after any flush.
 */
#ifndef BKPORT_LAYER_TRACE_IMPL_H
#define BKPORT_LAYER_TRACE_IMPL_H

/* No kernel call of its own: only POSIX calls, so the same sources build on a host too
 * (tests/layer/test_trace_host.py). */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <trace.h>

#define NIDS (TRACE_SYS_MAX + TRACE_USER_EVENT_MAX)
#define FIRST_USER (POSIX_TRACE_UNNAMED_USER_EVENT + 1)
#define MAX_STREAMS 8
#define ATTR_MAGIC 0x54524341u
#define DEFAULT_STREAM_SIZE 4096
#define DEFAULT_LOG_SIZE 16384
#define DEFAULT_MAX_DATA 64
#define MIN_SLOTS 4
/* Stream full policy "unset": POSIX_TRACE_LOOP for a stream without log, POSIX_TRACE_FLUSH with. */
#define POLICY_DEFAULT 0
#define GENVERSION "bkport-trace-1"

_Static_assert(NIDS <= 8 * sizeof(trace_event_set_t), "trace_event_set_t holds every id");
_Static_assert(POSIX_TRACE_UNNAMED_USER_EVENT == TRACE_SYS_MAX, "ids as the header says");

struct attr {
    unsigned magic;
    int stream_policy, log_policy, inherit;
    uint32_t stream_size, log_size, max_data;
    struct timespec create;
    char name[TRACE_NAME_MAX];
};
_Static_assert(sizeof(struct attr) <= sizeof(trace_attr_t), "trace_attr_t holds struct attr");
_Static_assert(_Alignof(struct attr) <= _Alignof(trace_attr_t), "trace_attr_t aligned");

struct slot {
    trace_event_id_t id;
    int trunc;
    pid_t pid;
    void *addr;
    struct timespec ts;
    pthread_t thread;
    size_t len;
};

struct log_head {
    char magic[8];
    uint32_t version, head_size, nids, name_max;
    char name[TRACE_NAME_MAX];
    char genversion[TRACE_NAME_MAX];
    int64_t create_sec;
    int32_t create_nsec, res_nsec;
    uint32_t stream_size, log_size, max_data;
    int32_t stream_policy, log_policy, inherit;
    int32_t log_full, log_overrun;
    uint32_t record_bytes;
};

struct log_rec {
    int32_t id, trunc, pid;
    uint32_t len;
    int64_t sec;
    int32_t nsec, pad;
    uint64_t thread, addr;
};

/* DYING: shut down while readers still wait on its condition variable; the last one frees it. */
enum kind { FREE, ACTIVE, PRERECORDED, DYING };

struct stream {
    enum kind kind;
    struct attr a;
    int status, full, overrun, flushing, flush_error, log_full, log_overrun;
    trace_event_set_t filter;
    /* ring: cap slots, count of them unread from head; data[i] is slot i's payload */
    struct slot *slots;
    unsigned char *data;
    unsigned cap, head, count;
    int stopped_full; /* UNTIL_FULL suspended the stream (not posix_trace_stop) */
    unsigned lost;    /* events refused while stopped_full */
    int typelist;     /* posix_trace_eventtypelist_getnext_id's cursor */
    int readers;      /* threads waiting in a getnext on cond */
    pthread_cond_t cond;
    /* log of an active stream */
    int fd;
    off_t log_start;
    unsigned char *logbuf; /* POSIX_TRACE_LOOP: the records, rewritten whole at each flush */
    size_t log_bytes;      /* bytes of records in the log */
    /* pre-recorded stream: the log's records and names, read back whole */
    unsigned char *recs;
    size_t rec_bytes, rec_pos;
    char (*names)[TRACE_EVENT_NAME_MAX];
};

/* All of the option's state, guarded by one mutex (trace.c). */
extern pthread_mutex_t __bk_tr_lock;
extern struct stream __bk_tr_streams[MAX_STREAMS];
/* The process's event names by id ("" when unused); system names are filled on first use. */
extern char __bk_tr_names[NIDS][TRACE_EVENT_NAME_MAX];
extern int __bk_tr_names_ready;

static inline struct attr *A(trace_attr_t *p)
{
    return (struct attr *)(void *)p;
}

static inline const struct attr *CA(const trace_attr_t *p)
{
    return (const struct attr *)(const void *)p;
}

static inline int __bk_tr_attr_ok(const trace_attr_t *p)
{
    return p && CA(p)->magic == ATTR_MAGIC;
}

static inline int __bk_tr_id_valid(trace_event_id_t id)
{
    return id >= 0 && id < NIDS;
}

static inline int __bk_tr_member(trace_event_id_t id, const trace_event_set_t *set)
{
    return (set->__w[id / 32] >> (id % 32)) & 1u;
}

/* Each called with __bk_tr_lock held. */
void __bk_tr_attr_defaults(struct attr *a);
void __bk_tr_names_init(void);
int __bk_tr_name_to_id(const char *name, trace_event_id_t *id);
struct stream *__bk_tr_get(trace_id_t trid, enum kind kind);
char (*__bk_tr_names_of(struct stream *s))[TRACE_EVENT_NAME_MAX];
size_t __bk_tr_slot_data(const struct stream *s);
void __bk_tr_put(struct stream *s, trace_event_id_t id, const void *data, size_t len, void *addr);
void __bk_tr_record(struct stream *s, trace_event_id_t id, const void *data, size_t len,
                    void *addr);
void __bk_tr_resume(struct stream *s);
void __bk_tr_free_stream(struct stream *s);
struct stream *__bk_tr_alloc_stream(void);
trace_id_t __bk_tr_id_of(const struct stream *s);
/* The log (trace_log.c): flush the stream into it (0 or an errno value), write its head, the
 * size of one record with len bytes of data, where the records start. */
int __bk_tr_flush_locked(struct stream *s);
int __bk_tr_write_head(struct stream *s);
size_t __bk_tr_rec_size(size_t len);
size_t __bk_tr_records_offset(void);

#endif

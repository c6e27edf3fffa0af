/*
 * <mqueue.h> message queues, kept in the layer. One process means a queue only ever connects
 * threads of the application, so the layer holds queues in memory (mutex + two condition
 * variables each) and works on any kernel; the table's MqOpen..MqGetSetAttr calls are not
 * needed (the validation kernel does not implement them).
 * Messages are kept sorted: highest priority first, FIFO among equal priorities.
 */
#include <mqueue.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sig.h"

#define MAX_DESC 32
#define DEFAULT_MAXMSG 10
#define DEFAULT_MSGSIZE 256

struct msg {
    struct msg *next;
    unsigned prio;
    size_t len;
    char data[];
};

struct queue {
    char name[64];
    long maxmsg, msgsize, cur;
    int refs, unlinked, receivers;
    struct msg *head;
    pthread_mutex_t m;
    pthread_cond_t not_empty, not_full;
    int notify_set;
    struct sigevent notify;
    struct queue *next;
};

static pthread_mutex_t registry = PTHREAD_MUTEX_INITIALIZER;
static struct queue *queues;
static struct {
    struct queue *q;
    int flags;
} desc[MAX_DESC];

static struct queue *lookup(const char *name)
{
    for (struct queue *q = queues; q; q = q->next)
        if (!q->unlinked && !strcmp(q->name, name))
            return q;
    return NULL;
}

static void destroy(struct queue *q)
{
    struct queue **pp = &queues;
    while (*pp && *pp != q)
        pp = &(*pp)->next;
    if (*pp)
        *pp = q->next;
    while (q->head) {
        struct msg *n = q->head->next;
        free(q->head);
        q->head = n;
    }
    free(q);
}

mqd_t mq_open(const char *name, int oflag, ...)
{
    mode_t mode = 0;
    struct mq_attr *attr = NULL;
    if (oflag & O_CREAT) {
        va_list ap;
        va_start(ap, oflag);
        mode = (mode_t)va_arg(ap, int);
        attr = va_arg(ap, struct mq_attr *);
        va_end(ap);
    }
    (void)mode; /* one user: permissions never refuse */
    if (!name || name[0] != '/' || strchr(name + 1, '/'))
        return (mqd_t)bk_fail(EINVAL);
    if (strlen(name) >= sizeof ((struct queue *)0)->name)
        return (mqd_t)bk_fail(ENAMETOOLONG);
    if (attr && (attr->mq_maxmsg <= 0 || attr->mq_msgsize <= 0))
        return (mqd_t)bk_fail(EINVAL);
    pthread_mutex_lock(&registry);
    int d = -1;
    for (int i = 0; i < MAX_DESC && d < 0; i++)
        if (!desc[i].q)
            d = i;
    struct queue *q = lookup(name);
    int err = 0;
    if (d < 0)
        err = EMFILE;
    else if (q && (oflag & O_CREAT) && (oflag & O_EXCL))
        err = EEXIST;
    else if (!q && !(oflag & O_CREAT))
        err = ENOENT;
    else if (!q && !(q = calloc(1, sizeof *q)))
        err = ENOSPC;
    if (err) {
        pthread_mutex_unlock(&registry);
        return (mqd_t)bk_fail(err);
    }
    if (!q->name[0]) {
        strcpy(q->name, name);
        q->maxmsg = attr ? attr->mq_maxmsg : DEFAULT_MAXMSG;
        q->msgsize = attr ? attr->mq_msgsize : DEFAULT_MSGSIZE;
        pthread_mutex_init(&q->m, NULL);
        pthread_cond_init(&q->not_empty, NULL);
        pthread_cond_init(&q->not_full, NULL);
        q->next = queues;
        queues = q;
    }
    q->refs++;
    desc[d].q = q;
    desc[d].flags = oflag & (O_ACCMODE | O_NONBLOCK);
    pthread_mutex_unlock(&registry);
    return (mqd_t)d;
}

static struct queue *queue_of(mqd_t d, int *flags)
{
    if (d < 0 || d >= MAX_DESC || !desc[d].q)
        return NULL;
    if (flags)
        *flags = desc[d].flags;
    return desc[d].q;
}

int mq_close(mqd_t d)
{
    pthread_mutex_lock(&registry);
    struct queue *q = queue_of(d, NULL);
    if (!q) {
        pthread_mutex_unlock(&registry);
        return bk_fail(EBADF);
    }
    desc[d].q = NULL;
    if (--q->refs == 0 && q->unlinked)
        destroy(q);
    pthread_mutex_unlock(&registry);
    return 0;
}

int mq_unlink(const char *name)
{
    pthread_mutex_lock(&registry);
    struct queue *q = name ? lookup(name) : NULL;
    if (!q) {
        pthread_mutex_unlock(&registry);
        return bk_fail(ENOENT);
    }
    q->unlinked = 1;
    if (q->refs == 0)
        destroy(q);
    pthread_mutex_unlock(&registry);
    return 0;
}

static void notify(struct queue *q)
{
    struct sigevent ev = q->notify;
    q->notify_set = 0;
    /* picolibc's struct sigevent has no notify function, so SIGEV_THREAD cannot be asked for. */
    if (ev.sigev_notify == SIGEV_SIGNAL)
        (void)raise(ev.sigev_signo);
}

/* mq_send and mq_receive are cancellation points (their condition waits): a thread cancelled
 * while waiting lets the queue go. */
static void unlock_queue(void *m)
{
    pthread_mutex_unlock(m);
}

static void unreceive(void *arg)
{
    struct queue *q = arg;
    q->receivers--;
    pthread_mutex_unlock(&q->m);
}

int mq_timedsend(mqd_t d, const char *ptr, size_t len, unsigned prio,
                 const struct timespec *abstime)
{
    int flags;
    struct queue *q = queue_of(d, &flags);
    if (!q || (flags & O_ACCMODE) == O_RDONLY)
        return bk_fail(EBADF);
    if (prio >= MQ_PRIO_MAX)
        return bk_fail(EINVAL);
    if ((long)len > q->msgsize)
        return bk_fail(EMSGSIZE);
    pthread_mutex_lock(&q->m);
    int e = 0;
    pthread_cleanup_push(unlock_queue, &q->m);
    while (q->cur >= q->maxmsg) {
        unsigned runs = __bk_sig_breaks();
        e = (flags & O_NONBLOCK) ? EAGAIN : 0;
        if (!e && abstime)
            e = pthread_cond_timedwait(&q->not_full, &q->m, abstime);
        else if (!e)
            e = pthread_cond_wait(&q->not_full, &q->m);
        if (!e && __bk_sig_breaks() != runs)
            e = EINTR; /* a handler without SA_RESTART ran on this thread while it waited */
        if (e && q->cur >= q->maxmsg)
            break;
        e = 0;
    }
    pthread_cleanup_pop(0);
    if (e) {
        pthread_mutex_unlock(&q->m);
        return bk_fail(e);
    }
    struct msg *n = malloc(sizeof *n + len);
    if (!n) {
        pthread_mutex_unlock(&q->m);
        return bk_fail(ENOMEM);
    }
    n->prio = prio;
    n->len = len;
    memcpy(n->data, ptr, len);
    struct msg **pp = &q->head;
    while (*pp && (*pp)->prio >= prio)
        pp = &(*pp)->next;
    n->next = *pp;
    *pp = n;
    int was_empty = q->cur++ == 0;
    pthread_cond_signal(&q->not_empty);
    /* POSIX: notify when a message arrives on an empty queue and nobody is waiting for it. */
    if (was_empty && q->notify_set && q->receivers == 0)
        notify(q);
    pthread_mutex_unlock(&q->m);
    return 0;
}

int mq_send(mqd_t d, const char *ptr, size_t len, unsigned prio)
{
    return mq_timedsend(d, ptr, len, prio, NULL);
}

ssize_t mq_timedreceive(mqd_t d, char *restrict ptr, size_t len, unsigned *restrict prio,
                        const struct timespec *restrict abstime)
{
    int flags;
    struct queue *q = queue_of(d, &flags);
    if (!q || (flags & O_ACCMODE) == O_WRONLY)
        return bk_fail(EBADF);
    if ((long)len < q->msgsize)
        return bk_fail(EMSGSIZE);
    pthread_mutex_lock(&q->m);
    int e = 0;
    pthread_cleanup_push(unreceive, q);
    while (q->cur == 0) {
        unsigned runs = __bk_sig_breaks();
        e = (flags & O_NONBLOCK) ? EAGAIN : 0;
        q->receivers++;
        if (!e && abstime)
            e = pthread_cond_timedwait(&q->not_empty, &q->m, abstime);
        else if (!e)
            e = pthread_cond_wait(&q->not_empty, &q->m);
        q->receivers--;
        if (!e && __bk_sig_breaks() != runs)
            e = EINTR; /* a handler without SA_RESTART ran on this thread while it waited */
        if (e && q->cur == 0)
            break;
        e = 0;
    }
    pthread_cleanup_pop(0);
    if (e) {
        pthread_mutex_unlock(&q->m);
        return bk_fail(e);
    }
    struct msg *n = q->head;
    q->head = n->next;
    q->cur--;
    pthread_cond_signal(&q->not_full);
    pthread_mutex_unlock(&q->m);
    memcpy(ptr, n->data, n->len);
    if (prio)
        *prio = n->prio;
    ssize_t got = (ssize_t)n->len;
    free(n);
    return got;
}

ssize_t mq_receive(mqd_t d, char *ptr, size_t len, unsigned *prio)
{
    return mq_timedreceive(d, ptr, len, prio, NULL);
}

int mq_getattr(mqd_t d, struct mq_attr *a)
{
    int flags;
    struct queue *q = queue_of(d, &flags);
    if (!q)
        return bk_fail(EBADF);
    pthread_mutex_lock(&q->m);
    a->mq_flags = flags & O_NONBLOCK;
    a->mq_maxmsg = q->maxmsg;
    a->mq_msgsize = q->msgsize;
    a->mq_curmsgs = q->cur;
    pthread_mutex_unlock(&q->m);
    return 0;
}

int mq_setattr(mqd_t d, const struct mq_attr *restrict a, struct mq_attr *restrict old)
{
    if (old && mq_getattr(d, old) < 0)
        return -1;
    if (!queue_of(d, NULL))
        return bk_fail(EBADF);
    desc[d].flags = (desc[d].flags & ~O_NONBLOCK) | (a->mq_flags & O_NONBLOCK);
    return 0;
}

int mq_notify(mqd_t d, const struct sigevent *ev)
{
    struct queue *q = queue_of(d, NULL);
    if (!q)
        return bk_fail(EBADF);
    pthread_mutex_lock(&q->m);
    int e = 0;
    if (!ev)
        q->notify_set = 0; /* remove our registration */
    else if (q->notify_set)
        e = EBUSY;
    else {
        q->notify = *ev;
        q->notify_set = 1;
    }
    pthread_mutex_unlock(&q->m);
    return e ? bk_fail(e) : 0;
}

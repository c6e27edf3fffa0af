/*
 * Counting semaphores. sem_t (4 words): [0] value (futex word), [1] waiters, [2] magic.
 * Named semaphores live in the layer: one process means a name only has to be shared between
 * its threads; a name removed by sem_unlink() keeps its semaphore until the last sem_close().
 */
#include <fcntl.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sig.h"
#include "thread.h"

#define W(s) ((volatile unsigned long *)(s)->__w)
#define SEM_MAGIC 0x626b736dUL /* "bksm" */

int sem_init(sem_t *s, int pshared, unsigned value)
{
    (void)pshared; /* one process: shared and private are the same */
    if (value > SEM_VALUE_MAX)
        return bk_fail(EINVAL);
    s->__w[0] = value;
    s->__w[1] = 0;
    s->__w[2] = SEM_MAGIC;
    s->__w[3] = 0;
    return 0;
}

static int valid(sem_t *s)
{
    return s && W(s)[2] == SEM_MAGIC;
}

int sem_destroy(sem_t *s)
{
    if (!valid(s))
        return bk_fail(EINVAL);
    if (W(s)[1])
        return bk_fail(EBUSY);
    W(s)[2] = 0;
    return 0;
}

int sem_trywait(sem_t *s)
{
    if (!valid(s))
        return bk_fail(EINVAL);
    unsigned long v = __atomic_load_n(&W(s)[0], __ATOMIC_ACQUIRE);
    while (v > 0)
        if (__atomic_compare_exchange_n(&W(s)[0], &v, v - 1, 0, __ATOMIC_ACQUIRE,
                                        __ATOMIC_ACQUIRE))
            return 0;
    return bk_fail(EAGAIN);
}

static int timed(sem_t *s, clockid_t clk, const struct timespec *abstime)
{
    if (!valid(s))
        return bk_fail(EINVAL);
    __bk_cp_test(); /* a cancellation point; the wait below is one too (futex.c) */
    for (;;) {
        unsigned long v = __atomic_load_n(&W(s)[0], __ATOMIC_ACQUIRE);
        if (v > 0) {
            if (__atomic_compare_exchange_n(&W(s)[0], &v, v - 1, 0, __ATOMIC_ACQUIRE,
                                            __ATOMIC_ACQUIRE))
                return 0;
            continue;
        }
        struct bk_kts rel;
        if (abstime) {
            /* POSIX: the timeout is checked only when the semaphore cannot be taken at once. */
            int e = __bk_until(clk, abstime, &rel);
            if (e)
                return bk_fail(e);
        }
        __atomic_add_fetch(&W(s)[1], 1, __ATOMIC_ACQ_REL);
        __bk_cp_enter();
        int w = __bk_futex_wait(&W(s)[0], 0, abstime ? &rel : NULL);
        __bk_cp_leave();
        __atomic_sub_fetch(&W(s)[1], 1, __ATOMIC_ACQ_REL);
        if (w == EINTR) /* a signal handler ran on this thread */
            return bk_fail(EINTR);
    }
}

int sem_wait(sem_t *s)
{
    return timed(s, CLOCK_REALTIME, NULL);
}

int sem_timedwait(sem_t *restrict s, const struct timespec *restrict abstime)
{
    return timed(s, CLOCK_REALTIME, abstime);
}

int sem_clockwait(sem_t *restrict s, clockid_t clk, const struct timespec *restrict abstime)
{
    if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC)
        return bk_fail(EINVAL);
    return timed(s, clk, abstime);
}

int sem_post(sem_t *s)
{
    if (!valid(s))
        return bk_fail(EINVAL);
    unsigned long v = __atomic_load_n(&W(s)[0], __ATOMIC_ACQUIRE);
    do {
        if (v >= SEM_VALUE_MAX)
            return bk_fail(EOVERFLOW);
    } while (!__atomic_compare_exchange_n(&W(s)[0], &v, v + 1, 0, __ATOMIC_RELEASE,
                                          __ATOMIC_ACQUIRE));
    if (__atomic_load_n(&W(s)[1], __ATOMIC_ACQUIRE))
        __bk_futex_wake(&W(s)[0], 1);
    return 0;
}

int sem_getvalue(sem_t *restrict s, int *restrict out)
{
    if (!valid(s))
        return bk_fail(EINVAL);
    *out = (int)W(s)[0];
    return 0;
}

/* ---- named semaphores ---- */

struct named {
    sem_t sem;
    char name[64];
    int refs, unlinked;
    struct named *next;
};

static volatile unsigned long names_lock;
static struct named *names;

static struct named *find(const char *name)
{
    for (struct named *n = names; n; n = n->next)
        if (!n->unlinked && strcmp(n->name, name) == 0)
            return n;
    return NULL;
}

sem_t *sem_open(const char *name, int oflag, ...)
{
    unsigned value = 0;
    if (oflag & O_CREAT) {
        va_list ap;
        va_start(ap, oflag);
        (void)va_arg(ap, int); /* mode: one user, nothing to check */
        value = va_arg(ap, unsigned);
        va_end(ap);
    }
    if (!name || strlen(name) >= sizeof ((struct named *)0)->name) {
        errno = ENAMETOOLONG;
        return SEM_FAILED;
    }
    __bk_lock(&names_lock);
    struct named *n = find(name);
    if (n && (oflag & O_CREAT) && (oflag & O_EXCL)) {
        __bk_unlock(&names_lock);
        errno = EEXIST;
        return SEM_FAILED;
    }
    if (!n) {
        if (!(oflag & O_CREAT)) {
            __bk_unlock(&names_lock);
            errno = ENOENT;
            return SEM_FAILED;
        }
        if (value > SEM_VALUE_MAX || !(n = calloc(1, sizeof *n))) {
            __bk_unlock(&names_lock);
            errno = value > SEM_VALUE_MAX ? EINVAL : ENOSPC;
            return SEM_FAILED;
        }
        (void)sem_init(&n->sem, 1, value);
        strcpy(n->name, name);
        n->next = names;
        names = n;
    }
    n->refs++;
    __bk_unlock(&names_lock);
    return &n->sem;
}

static void drop(struct named *n)
{
    struct named **pp = &names;
    while (*pp && *pp != n)
        pp = &(*pp)->next;
    if (*pp)
        *pp = n->next;
    free(n);
}

int sem_close(sem_t *s)
{
    __bk_lock(&names_lock);
    for (struct named *n = names; n; n = n->next) {
        if (&n->sem == s) {
            if (--n->refs == 0 && n->unlinked)
                drop(n);
            __bk_unlock(&names_lock);
            return 0;
        }
    }
    __bk_unlock(&names_lock);
    return bk_fail(EINVAL);
}

int sem_unlink(const char *name)
{
    __bk_lock(&names_lock);
    struct named *n = find(name);
    if (!n) {
        __bk_unlock(&names_lock);
        return bk_fail(ENOENT);
    }
    n->unlinked = 1;
    if (n->refs == 0)
        drop(n);
    __bk_unlock(&names_lock);
    return 0;
}

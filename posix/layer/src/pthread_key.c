/* Thread-specific data (keys) and pthread_once. */
#include <pthread.h>
#include <sched.h>

#include "thread.h"

static volatile unsigned long keys_lock;
static struct {
    int used;
    unsigned gen;
    void (*dtor)(void *);
} keys[BK_KEYS_MAX];

int pthread_key_create(pthread_key_t *key, void (*dtor)(void *))
{
    __bk_lock(&keys_lock);
    for (unsigned i = 0; i < BK_KEYS_MAX; i++) {
        if (!keys[i].used) {
            keys[i].used = 1;
            keys[i].dtor = dtor;
            __bk_unlock(&keys_lock);
            *key = i;
            return 0;
        }
    }
    __bk_unlock(&keys_lock);
    return EAGAIN;
}

int pthread_key_delete(pthread_key_t key)
{
    if (key >= BK_KEYS_MAX || !keys[key].used)
        return EINVAL;
    keys[key].used = 0;
    keys[key].dtor = NULL;
    /* Values other threads still hold are stale: POSIX leaves them to the application, and a
     * reused key starts from NULL only in threads that set it again. */
    __bk_self()->keys[key] = NULL;
    return 0;
}

void *pthread_getspecific(pthread_key_t key)
{
    if (key >= BK_KEYS_MAX)
        return NULL;
    return __bk_self()->keys[key];
}

int pthread_setspecific(pthread_key_t key, const void *value)
{
    if (key >= BK_KEYS_MAX || !keys[key].used)
        return EINVAL;
    __bk_self()->keys[key] = (void *)value;
    return 0;
}

void __bk_keys_run_destructors(void)
{
    struct bk_thread *t = __bk_self();
    for (int round = 0; round < PTHREAD_DESTRUCTOR_ITERATIONS; round++) {
        int again = 0;
        for (unsigned i = 0; i < BK_KEYS_MAX; i++) {
            void *v = t->keys[i];
            if (v && keys[i].used && keys[i].dtor) {
                t->keys[i] = NULL;
                keys[i].dtor(v);
                again = 1;
            }
        }
        if (!again)
            break;
    }
}

/* once: 0 never run, 1 running, 2 done. pthread_once_t is an int, too small for the kernel's
 * word-sized futex, so a thread finding the routine running yields until it is done. */
int pthread_once(pthread_once_t *once, void (*init)(void))
{
    for (;;) {
        int s = __atomic_load_n(once, __ATOMIC_ACQUIRE);
        if (s == 2)
            return 0;
        if (s == 0 && __atomic_compare_exchange_n(once, &s, 1, 0, __ATOMIC_ACQ_REL,
                                                  __ATOMIC_ACQUIRE)) {
            init();
            __atomic_store_n(once, 2, __ATOMIC_RELEASE);
            return 0;
        }
        sched_yield();
    }
}

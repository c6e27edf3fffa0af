/* <pthread.h> threads: create, return values through join, detach, self/equal, exit, once,
 * keys with destructors, attributes, and the errors join reports. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "conform.h"

static void *square(void *arg)
{
    intptr_t n = (intptr_t)arg;
    return (void *)(n * n);
}

static void *exits(void *arg)
{
    pthread_exit((void *)((intptr_t)arg + 1));
    return NULL;
}

static pthread_t seen_self;
static void *whoami(void *arg)
{
    (void)arg;
    seen_self = pthread_self();
    return NULL;
}

static int once_runs;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static void init_once(void) { once_runs++; }
static void *do_once(void *arg)
{
    (void)arg;
    pthread_once(&once, init_once);
    return NULL;
}

static pthread_key_t key;
static volatile int dtor_calls;
static volatile intptr_t dtor_value;
static void dtor(void *v)
{
    dtor_calls++;
    dtor_value = (intptr_t)v;
}
static void *use_key(void *arg)
{
    pthread_setspecific(key, arg);
    return pthread_getspecific(key);
}

static volatile int detached_ran;
static void *detached(void *arg)
{
    (void)arg;
    detached_ran = 1;
    return NULL;
}

static pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;
static void *wait_gate(void *arg)
{
    pthread_mutex_lock(&gate); /* held by main until every thread exists */
    pthread_mutex_unlock(&gate);
    return arg;
}

static volatile int cleanup_ran;
static void cleanup(void *arg) { cleanup_ran = (int)(intptr_t)arg; }
static void *with_cleanup(void *arg)
{
    (void)arg;
    pthread_cleanup_push(cleanup, (void *)7);
    pthread_exit(NULL);
    pthread_cleanup_pop(0);
    return NULL;
}

int main(void)
{
    pthread_t t[6];
    void *ret;
    int ok = 1;
    for (intptr_t i = 0; i < 6; i++)
        ok &= pthread_create(&t[i], NULL, square, (void *)(i + 2)) == 0;
    CHECK(ok, "pthread_create: create 6 threads");
    ok = 1;
    for (intptr_t i = 0; i < 6; i++)
        ok &= pthread_join(t[i], &ret) == 0 && (intptr_t)ret == (i + 2) * (i + 2);
    CHECK(ok, "pthread_create: join returns each thread's return value");
    CHECK(pthread_create(&t[0], NULL, exits, (void *)41) == 0 && pthread_join(t[0], &ret) == 0 &&
          (intptr_t)ret == 42, "pthread_create: pthread_exit's value reaches join");
    CHECK(pthread_create(&t[0], NULL, whoami, NULL) == 0 && pthread_join(t[0], NULL) == 0 &&
          pthread_equal(seen_self, t[0]), "pthread_create: pthread_self in the thread equals the created id");
    CHECK(!pthread_equal(pthread_self(), t[1]), "pthread_equal: pthread_equal tells threads apart");
    CHECK_RC(pthread_join(pthread_self(), NULL), EDEADLK, "pthread_join: joining oneself: EDEADLK");

    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, do_once, NULL);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    CHECK(once_runs == 1, "pthread_once: pthread_once runs the routine exactly once");

    CHECK(pthread_key_create(&key, dtor) == 0, "pthread_key_create: pthread_key_create");
    CHECK(pthread_create(&t[0], NULL, use_key, (void *)99) == 0 &&
          pthread_join(t[0], &ret) == 0 && (intptr_t)ret == 99,
          "pthread_create: a thread reads back its own key value");
    CHECK(dtor_calls == 1 && dtor_value == 99, "pthread_key_create: the key destructor ran at thread exit");
    CHECK(pthread_getspecific(key) == NULL, "pthread_getspecific: the main thread's value is still NULL");
    CHECK(pthread_key_delete(key) == 0, "pthread_key_delete: pthread_key_delete");

    pthread_attr_t attr;
    size_t sz = 0;
    int ds = -1;
    CHECK(pthread_attr_init(&attr) == 0 && pthread_attr_getdetachstate(&attr, &ds) == 0 &&
          ds == PTHREAD_CREATE_JOINABLE, "pthread_attr_init: attributes default to joinable");
    CHECK(pthread_attr_setstacksize(&attr, 8192) == 0 &&
          pthread_attr_getstacksize(&attr, &sz) == 0 && sz == 8192, "pthread_attr_setstacksize: stack size attribute");
    CHECK_RC(pthread_attr_setstacksize(&attr, 16), EINVAL, "pthread_attr_setstacksize: stack below PTHREAD_STACK_MIN: EINVAL");
    CHECK(pthread_create(&t[0], &attr, square, (void *)5) == 0 && pthread_join(t[0], &ret) == 0 &&
          (intptr_t)ret == 25, "pthread_create: a thread with an 8 KiB stack");
    CHECK(pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) == 0 &&
          pthread_create(&t[0], &attr, detached, NULL) == 0, "pthread_attr_setdetachstate: create detached");
    for (int i = 0; i < 100 && !detached_ran; i++)
        usleep(1000);
    CHECK(detached_ran, "pthread_create: the detached thread ran");
    CHECK_RC(pthread_join(t[0], NULL) == 0 ? 0 : EINVAL, EINVAL,
             "pthread_join: joining a detached thread: EINVAL");
    pthread_attr_destroy(&attr);

    CHECK(pthread_create(&t[0], NULL, square, (void *)3) == 0 && pthread_detach(t[0]) == 0,
          "pthread_create: pthread_detach");
    CHECK(pthread_create(&t[0], NULL, with_cleanup, NULL) == 0 && pthread_join(t[0], NULL) == 0 &&
          cleanup_ran == 7, "pthread_create: cleanup handlers run at pthread_exit");

    /* More threads over time than the kernel runs at once (16): stacks, TLS blocks and kernel
     * slots of finished threads must be reclaimed, joined or detached. */
    int churn = 1;
    for (intptr_t i = 0; i < 40 && churn; i++) {
        churn = pthread_create(&t[0], NULL, square, (void *)i) == 0 &&
                pthread_join(t[0], &ret) == 0 && (intptr_t)ret == i * i;
    }
    CHECK(churn, "pthread_create: 40 threads created and joined one after another");
    detached_ran = 0;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    for (int i = 0; i < 40 && churn; i++) {
        churn = pthread_create(&t[0], &attr, detached, NULL) == 0;
        usleep(2000);
    }
    CHECK(churn, "pthread_create: 40 detached threads, one after another (their resources are reclaimed)");
    pthread_attr_destroy(&attr);

    /* POSIX's minimum is 64 threads created per process ({_POSIX_THREAD_THREADS_MAX}): 64
     * beside main, all alive at once, each holding its own stack until released. */
    enum { MANY = 64 };
    static pthread_t many[MANY + 1];
    int made = 0;
    pthread_mutex_lock(&gate);
    while (made < MANY && pthread_create(&many[made], NULL, wait_gate, (void *)(intptr_t)made) == 0)
        made++;
    int extra = made == MANY ? pthread_create(&many[MANY], NULL, wait_gate, NULL) : -1;
    pthread_mutex_unlock(&gate);
    int joined = 0;
    for (int i = 0; i < made; i++)
        joined += pthread_join(many[i], &ret) == 0 && (intptr_t)ret == i;
    if (extra == 0)
        pthread_join(many[MANY], NULL);
    CHECK(made == MANY && joined == MANY, "pthread_create: 64 threads beside main alive at once, all joined");
    CHECK(extra == EAGAIN, "pthread_create: a 65th thread beside main: EAGAIN");
    CHECK(sysconf(_SC_THREAD_THREADS_MAX) == MANY && PTHREAD_THREADS_MAX == MANY,
          "sysconf: sysconf(_SC_THREAD_THREADS_MAX) and PTHREAD_THREADS_MAX say 64");
    CHECK(sysconf(_SC_THREAD_STACK_MIN) == PTHREAD_STACK_MIN,
          "sysconf: sysconf(_SC_THREAD_STACK_MIN) is PTHREAD_STACK_MIN");
    CONFORM_DONE();
}

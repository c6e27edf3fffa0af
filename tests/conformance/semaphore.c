/* <semaphore.h>: counts, blocking and waking, timeouts against the clock, named semaphores. */
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>

#include "conform.h"

static sem_t s;
static volatile int got;
static void *taker(void *a)
{
    (void)a;
    sem_wait(&s);
    __atomic_add_fetch(&got, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

int main(void)
{
    int v = -1;
    CHECK(sem_init(&s, 0, 2) == 0, "sem_init: sem_init with 2");
    CHECK(sem_getvalue(&s, &v) == 0 && v == 2, "sem_getvalue: value 2");
    CHECK(sem_trywait(&s) == 0 && sem_trywait(&s) == 0, "sem_trywait: two trywaits succeed");
    CHECK_ERR(sem_trywait(&s), EAGAIN, "sem_trywait: third trywait: EAGAIN");
    CHECK(sem_getvalue(&s, &v) == 0 && v == 0, "sem_getvalue: value 0");

    pthread_t t[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, taker, NULL);
    struct timespec d = { 0, 20000000L };
    nanosleep(&d, NULL);
    CHECK(got == 0, "sem_wait: waiters block on a zero semaphore");
    sem_post(&s);
    sem_post(&s);
    nanosleep(&d, NULL);
    CHECK(got == 2, "sem_wait: two posts release exactly two waiters");
    sem_post(&s);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    CHECK(got == 3 && sem_getvalue(&s, &v) == 0 && v == 0, "sem_getvalue: all released, value back to 0");

    long long st = conform_ns(CLOCK_REALTIME); /* start first: the wait spans the whole offset */
    struct timespec dl = conform_after(CLOCK_REALTIME, 40000000LL);
    CHECK_ERR(sem_timedwait(&s, &dl), ETIMEDOUT, "sem_timedwait: timedwait on zero: ETIMEDOUT");
    CHECK(conform_ns(CLOCK_REALTIME) - st >= 39000000LL, "sem_wait: timedwait waited until the deadline");
    sem_post(&s);
    dl.tv_nsec = -5;
    CHECK(sem_timedwait(&s, &dl) == 0, "sem_timedwait: timedwait takes an available unit without checking the deadline");
    dl.tv_nsec = 2000000000L;
    CHECK_ERR(sem_timedwait(&s, &dl), EINVAL, "sem_timedwait: timedwait with a bad deadline: EINVAL");
    CHECK(sem_destroy(&s) == 0, "sem_destroy: sem_destroy");

    sem_t *n = sem_open("/sem1", O_CREAT | O_EXCL, 0600, 1);
    CHECK(n != SEM_FAILED, "sem_open: sem_open O_CREAT");
    errno = 0;
    CHECK(sem_open("/sem1", O_CREAT | O_EXCL, 0600, 1) == SEM_FAILED && errno == EEXIST,
          "sem_open: sem_open O_EXCL of an existing name: EEXIST");
    sem_t *n2 = sem_open("/sem1", 0);
    CHECK(n2 == n, "sem_wait: opening the name again gives the same semaphore");
    CHECK(sem_trywait(n2) == 0, "sem_trywait: its count is shared");
    CHECK(sem_unlink("/sem1") == 0, "sem_unlink: sem_unlink");
    errno = 0;
    CHECK(sem_open("/sem1", 0) == SEM_FAILED && errno == ENOENT, "sem_open: unlinked name: ENOENT");
    CHECK(sem_post(n) == 0, "sem_post: the semaphore lives on until closed");
    CHECK(sem_close(n) == 0 && sem_close(n2) == 0, "sem_close: sem_close");
    CHECK_ERR(sem_unlink("/sem1"), ENOENT, "sem_unlink: sem_unlink of a missing name: ENOENT");
    CONFORM_DONE();
}

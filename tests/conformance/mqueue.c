/* <mqueue.h>: priority order, attributes, full/empty behaviour with O_NONBLOCK and timeouts,
 * blocking hand-off between threads, and the errno of each documented error. */
#include <fcntl.h>
#include <mqueue.h>
#include <pthread.h>
#include <string.h>

#include "conform.h"

static mqd_t q;
static void *sender(void *a)
{
    (void)a;
    struct timespec d = { 0, 20000000L };
    nanosleep(&d, NULL);
    mq_send(q, "late", 4, 1);
    return NULL;
}

int main(void)
{
    struct mq_attr attr = { 0, 3, 16, 0 };
    char buf[16];
    unsigned prio = 99;
    q = mq_open("/q1", O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
    CHECK(q != (mqd_t)-1, "mq_open: mq_open O_CREAT");
    CHECK_ERR(mq_open("/q1", O_RDWR | O_CREAT | O_EXCL, 0600, &attr), EEXIST,
              "mq_open: O_EXCL on an existing queue: EEXIST");
    CHECK_ERR(mq_open("/none", O_RDWR), ENOENT, "mq_open: open of a missing queue: ENOENT");
    struct mq_attr bad = { 0, 0, 16, 0 };
    CHECK_ERR(mq_open("/q2", O_RDWR | O_CREAT, 0600, &bad), EINVAL, "mq_open: mq_maxmsg 0: EINVAL");
    CHECK(mq_send(q, "low", 3, 1) == 0 && mq_send(q, "high", 4, 7) == 0 &&
          mq_send(q, "low2", 4, 1) == 0, "mq_send: three sends");
    struct mq_attr got;
    CHECK(mq_getattr(q, &got) == 0 && got.mq_curmsgs == 3 && got.mq_maxmsg == 3 &&
          got.mq_msgsize == 16, "mq_getattr: mq_getattr counts the messages");
    long long s = conform_ns(CLOCK_REALTIME); /* start first: the wait spans the whole offset */
    struct timespec dl = conform_after(CLOCK_REALTIME, 30000000LL);
    CHECK_ERR(mq_timedsend(q, "x", 1, 0, &dl), ETIMEDOUT, "mq_timedsend: timedsend to a full queue: ETIMEDOUT");
    CHECK(conform_ns(CLOCK_REALTIME) - s >= 29000000LL, "mq_send: timedsend waited until the deadline");
    CHECK_ERR(mq_send(q, "toolongtoolongtoolong", 21, 0), EMSGSIZE, "mq_send: message too long: EMSGSIZE");
    CHECK_ERR(mq_send(q, "x", 1, MQ_PRIO_MAX), EINVAL, "mq_send: priority >= MQ_PRIO_MAX: EINVAL");
    CHECK(mq_receive(q, buf, sizeof buf, &prio) == 4 && !memcmp(buf, "high", 4) && prio == 7,
          "mq_receive: highest priority first");
    CHECK(mq_receive(q, buf, sizeof buf, &prio) == 3 && !memcmp(buf, "low", 3) && prio == 1,
          "mq_receive: then FIFO among equals (1)");
    CHECK(mq_receive(q, buf, sizeof buf, &prio) == 4 && !memcmp(buf, "low2", 4),
          "mq_receive: then FIFO among equals (2)");
    CHECK_ERR(mq_receive(q, buf, 8, &prio), EMSGSIZE, "mq_receive: buffer below mq_msgsize: EMSGSIZE");
    struct mq_attr nb = { O_NONBLOCK, 0, 0, 0 };
    CHECK(mq_setattr(q, &nb, NULL) == 0, "mq_setattr: mq_setattr O_NONBLOCK");
    CHECK_ERR(mq_receive(q, buf, sizeof buf, &prio), EAGAIN, "mq_receive: non-blocking receive on empty: EAGAIN");
    nb.mq_flags = 0;
    mq_setattr(q, &nb, NULL);
    pthread_t t;
    pthread_create(&t, NULL, sender, NULL);
    CHECK(mq_receive(q, buf, sizeof buf, &prio) == 4 && !memcmp(buf, "late", 4),
          "mq_receive: a blocked receive gets a message sent later by another thread");
    pthread_join(t, NULL);
    mqd_t ro = mq_open("/q1", O_RDONLY);
    CHECK_ERR(mq_send(ro, "x", 1, 0), EBADF, "mq_send: send on a read-only descriptor: EBADF");
    CHECK(mq_close(ro) == 0 && mq_close(q) == 0, "mq_close: mq_close");
    CHECK_ERR(mq_close(q), EBADF, "mq_close: close of a closed descriptor: EBADF");
    CHECK(mq_unlink("/q1") == 0, "mq_unlink: mq_unlink");
    CHECK_ERR(mq_unlink("/q1"), ENOENT, "mq_unlink: unlink of a missing queue: ENOENT");
    CONFORM_DONE();
}

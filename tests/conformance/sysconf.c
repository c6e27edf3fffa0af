/* sysconf and pathconf against what the headers advertise and what the layer really does:
 * - every POSIX option of posix/options.tsv: sysconf(_SC_X) agrees with <unistd.h>'s _POSIX_X
 *   (200809L when advertised; -1 with errno unchanged when it is -1 or undefined), never EINVAL;
 * - every limit at least POSIX's minimum, and equal to the header's constant where one exists;
 * - the limits counted: as many keys, timers, queued signals and message queue descriptors as
 *   sysconf says, and the next one fails as POSIX says;
 * - NAME_MAX: a name of pathconf(_PC_NAME_MAX) bytes is taken, one more is ENAMETOOLONG.
 * The conformance driver runs this as `conform sysconf`. */
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "conform.h"

#define STR_(x) #x
#define STR(x) STR_(x)
/* An undefined macro stringifies to its own name, a defined one to its value ("200809L"). */
#define OPT(m, sc) { #m, STR(m), sc }

static const struct {
    const char *name, *value;
    int sc;
} options[] = {
    OPT(_POSIX_ADVISORY_INFO, _SC_ADVISORY_INFO),
    OPT(_POSIX_ASYNCHRONOUS_IO, _SC_ASYNCHRONOUS_IO),
    OPT(_POSIX_BARRIERS, _SC_BARRIERS),
    OPT(_POSIX_CLOCK_SELECTION, _SC_CLOCK_SELECTION),
    OPT(_POSIX_CPUTIME, _SC_CPUTIME),
    OPT(_POSIX_FSYNC, _SC_FSYNC),
    OPT(_POSIX_IPV6, _SC_IPV6),
    OPT(_POSIX_JOB_CONTROL, _SC_JOB_CONTROL),
    OPT(_POSIX_MAPPED_FILES, _SC_MAPPED_FILES),
    OPT(_POSIX_MEMLOCK, _SC_MEMLOCK),
    OPT(_POSIX_MEMLOCK_RANGE, _SC_MEMLOCK_RANGE),
    OPT(_POSIX_MEMORY_PROTECTION, _SC_MEMORY_PROTECTION),
    OPT(_POSIX_MESSAGE_PASSING, _SC_MESSAGE_PASSING),
    OPT(_POSIX_MONOTONIC_CLOCK, _SC_MONOTONIC_CLOCK),
    OPT(_POSIX_PRIORITIZED_IO, _SC_PRIORITIZED_IO),
    OPT(_POSIX_PRIORITY_SCHEDULING, _SC_PRIORITY_SCHEDULING),
    OPT(_POSIX_RAW_SOCKETS, _SC_RAW_SOCKETS),
    OPT(_POSIX_READER_WRITER_LOCKS, _SC_READER_WRITER_LOCKS),
    OPT(_POSIX_REALTIME_SIGNALS, _SC_REALTIME_SIGNALS),
    OPT(_POSIX_REGEXP, _SC_REGEXP),
    OPT(_POSIX_SEMAPHORES, _SC_SEMAPHORES),
    OPT(_POSIX_SHARED_MEMORY_OBJECTS, _SC_SHARED_MEMORY_OBJECTS),
    OPT(_POSIX_SHELL, _SC_SHELL),
    OPT(_POSIX_SPAWN, _SC_SPAWN),
    OPT(_POSIX_SPIN_LOCKS, _SC_SPIN_LOCKS),
    OPT(_POSIX_SPORADIC_SERVER, _SC_SPORADIC_SERVER),
    OPT(_POSIX_SYNCHRONIZED_IO, _SC_SYNCHRONIZED_IO),
    OPT(_POSIX_THREAD_ATTR_STACKADDR, _SC_THREAD_ATTR_STACKADDR),
    OPT(_POSIX_THREAD_ATTR_STACKSIZE, _SC_THREAD_ATTR_STACKSIZE),
    OPT(_POSIX_THREAD_CPUTIME, _SC_THREAD_CPUTIME),
    OPT(_POSIX_THREAD_PRIO_INHERIT, _SC_THREAD_PRIO_INHERIT),
    OPT(_POSIX_THREAD_PRIO_PROTECT, _SC_THREAD_PRIO_PROTECT),
    OPT(_POSIX_THREAD_PRIORITY_SCHEDULING, _SC_THREAD_PRIORITY_SCHEDULING),
    OPT(_POSIX_THREAD_PROCESS_SHARED, _SC_THREAD_PROCESS_SHARED),
    OPT(_POSIX_THREAD_ROBUST_PRIO_INHERIT, _SC_THREAD_ROBUST_PRIO_INHERIT),
    OPT(_POSIX_THREAD_ROBUST_PRIO_PROTECT, _SC_THREAD_ROBUST_PRIO_PROTECT),
    OPT(_POSIX_THREAD_SAFE_FUNCTIONS, _SC_THREAD_SAFE_FUNCTIONS),
    OPT(_POSIX_THREAD_SPORADIC_SERVER, _SC_THREAD_SPORADIC_SERVER),
    OPT(_POSIX_THREADS, _SC_THREADS),
    OPT(_POSIX_TIMEOUTS, _SC_TIMEOUTS),
    OPT(_POSIX_TIMERS, _SC_TIMERS),
    OPT(_POSIX_TRACE, _SC_TRACE),
    OPT(_POSIX_TRACE_EVENT_FILTER, _SC_TRACE_EVENT_FILTER),
    OPT(_POSIX_TRACE_INHERIT, _SC_TRACE_INHERIT),
    OPT(_POSIX_TRACE_LOG, _SC_TRACE_LOG),
    OPT(_POSIX_TYPED_MEMORY_OBJECTS, _SC_TYPED_MEMORY_OBJECTS),
};

static void check_option(const char *name, const char *value, int sc)
{
    char what[160];
    int defined = value[0] != '_';
    long want = defined ? strtol(value[0] == '(' ? value + 1 : value, NULL, 0) : -1;
    if (defined && want == 0)
        want = -1; /* 0: ask sysconf; the layer defines none that way */
    errno = 0;
    long got = sysconf(sc);
    snprintf(what, sizeof what, "sysconf: %s is %s and sysconf says %ld", name,
             defined ? value : "undefined", got);
    CHECK(got == want && errno == 0, what);
}

static void check_limit(const char *name, int sc, long minimum, long header)
{
    char what[160];
    long got = sysconf(sc);
    snprintf(what, sizeof what, "sysconf: %s is %ld: at least %ld%s", name, got, minimum,
             header ? ", the header's constant" : "");
    CHECK(got >= minimum && (!header || got == header), what);
}

int main(void)
{
    for (unsigned i = 0; i < sizeof options / sizeof options[0]; i++)
        check_option(options[i].name, options[i].value, options[i].sc);
    CHECK(sysconf(_SC_VERSION) == _POSIX_VERSION, "sysconf: _SC_VERSION is _POSIX_VERSION");

    check_limit("ARG_MAX", _SC_ARG_MAX, _POSIX_ARG_MAX, 0);
    check_limit("AIO_LISTIO_MAX", _SC_AIO_LISTIO_MAX, _POSIX_AIO_LISTIO_MAX, 0);
    check_limit("AIO_MAX", _SC_AIO_MAX, _POSIX_AIO_MAX, 0);
    check_limit("DELAYTIMER_MAX", _SC_DELAYTIMER_MAX, _POSIX_DELAYTIMER_MAX, 0);
    check_limit("HOST_NAME_MAX", _SC_HOST_NAME_MAX, _POSIX_HOST_NAME_MAX, 0);
    check_limit("LINE_MAX", _SC_LINE_MAX, _POSIX2_LINE_MAX, 0);
    check_limit("MQ_OPEN_MAX", _SC_MQ_OPEN_MAX, _POSIX_MQ_OPEN_MAX, 0);
    check_limit("MQ_PRIO_MAX", _SC_MQ_PRIO_MAX, _POSIX_MQ_PRIO_MAX, MQ_PRIO_MAX);
    check_limit("OPEN_MAX", _SC_OPEN_MAX, _POSIX_OPEN_MAX, 0);
    check_limit("RTSIG_MAX", _SC_RTSIG_MAX, _POSIX_RTSIG_MAX, SIGRTMAX - SIGRTMIN + 1);
    check_limit("SEM_VALUE_MAX", _SC_SEM_VALUE_MAX, _POSIX_SEM_VALUE_MAX, SEM_VALUE_MAX);
    check_limit("SIGQUEUE_MAX", _SC_SIGQUEUE_MAX, _POSIX_SIGQUEUE_MAX, 0);
    check_limit("STREAM_MAX", _SC_STREAM_MAX, _POSIX_STREAM_MAX, FOPEN_MAX);
    check_limit("SYMLOOP_MAX", _SC_SYMLOOP_MAX, _POSIX_SYMLOOP_MAX, 0);
    check_limit("PTHREAD_DESTRUCTOR_ITERATIONS", _SC_THREAD_DESTRUCTOR_ITERATIONS,
                _POSIX_THREAD_DESTRUCTOR_ITERATIONS, PTHREAD_DESTRUCTOR_ITERATIONS);
    check_limit("PTHREAD_KEYS_MAX", _SC_THREAD_KEYS_MAX, _POSIX_THREAD_KEYS_MAX,
                PTHREAD_KEYS_MAX);
    check_limit("PTHREAD_THREADS_MAX", _SC_THREAD_THREADS_MAX, _POSIX_THREAD_THREADS_MAX,
                PTHREAD_THREADS_MAX);
    check_limit("TIMER_MAX", _SC_TIMER_MAX, _POSIX_TIMER_MAX, 0);
    /* <trace.h>'s constants; POSIX's minimums (_POSIX_TRACE_*_MAX) written out */
    check_limit("TRACE_EVENT_NAME_MAX", _SC_TRACE_EVENT_NAME_MAX, 30, 0);
    check_limit("TRACE_NAME_MAX", _SC_TRACE_NAME_MAX, 8, 0);
    check_limit("TRACE_SYS_MAX", _SC_TRACE_SYS_MAX, 8, 0);
    check_limit("TRACE_USER_EVENT_MAX", _SC_TRACE_USER_EVENT_MAX, 32, 0);

    /* as many keys as PTHREAD_KEYS_MAX, then EAGAIN */
    static pthread_key_t keys[PTHREAD_KEYS_MAX + 1];
    long nkeys = 0;
    while (nkeys <= PTHREAD_KEYS_MAX && pthread_key_create(&keys[nkeys], NULL) == 0)
        nkeys++;
    CHECK(nkeys == sysconf(_SC_THREAD_KEYS_MAX),
          "pthread_key_create: sysconf(_SC_THREAD_KEYS_MAX) keys, then EAGAIN");
    while (nkeys > 0)
        pthread_key_delete(keys[--nkeys]);

    /* as many timers as TIMER_MAX */
    static timer_t timers[64];
    struct sigevent ev = { .sigev_notify = SIGEV_NONE };
    long ntimers = 0;
    while (ntimers < 64 && timer_create(CLOCK_MONOTONIC, &ev, &timers[ntimers]) == 0)
        ntimers++;
    int e = errno;
    CHECK(ntimers == sysconf(_SC_TIMER_MAX) && e == EAGAIN,
          "timer_create: sysconf(_SC_TIMER_MAX) timers, then EAGAIN");
    while (ntimers > 0)
        timer_delete(timers[--ntimers]);

    /* as many queued signals as SIGQUEUE_MAX, then EAGAIN */
    sigset_t rt, old;
    sigemptyset(&rt);
    sigaddset(&rt, SIGRTMIN);
    pthread_sigmask(SIG_BLOCK, &rt, &old);
    long nq = 0;
    while (nq < 1000 && sigqueue(getpid(), SIGRTMIN, (union sigval){ .sival_int = 1 }) == 0)
        nq++;
    e = errno;
    CHECK(nq == sysconf(_SC_SIGQUEUE_MAX) && e == EAGAIN,
          "sigqueue: sysconf(_SC_SIGQUEUE_MAX) signals queued, then EAGAIN");
    struct timespec zero = { 0, 0 };
    while (sigtimedwait(&rt, NULL, &zero) == SIGRTMIN)
        nq--;
    CHECK(nq == 0, "sigtimedwait: every queued signal taken back");
    pthread_sigmask(SIG_SETMASK, &old, NULL);

    /* as many message queue descriptors as MQ_OPEN_MAX, then EMFILE */
    static mqd_t mq[64];
    struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = 8 };
    long nmq = 0;
    while (nmq < 64 && (mq[nmq] = mq_open("/sysconf", O_RDWR | O_CREAT, 0600, &attr)) !=
                           (mqd_t)-1)
        nmq++;
    e = errno;
    CHECK(nmq == sysconf(_SC_MQ_OPEN_MAX) && e == EMFILE,
          "mq_open: sysconf(_SC_MQ_OPEN_MAX) descriptors, then EMFILE");
    while (nmq > 0)
        mq_close(mq[--nmq]);
    mq_unlink("/sysconf");

    /* NAME_MAX bytes make a name; one more does not */
    long name_max = pathconf("/tmp", _PC_NAME_MAX);
    CHECK(name_max >= _POSIX_NAME_MAX, "pathconf: _PC_NAME_MAX at least _POSIX_NAME_MAX");
    char path[600] = "/tmp/";
    if (name_max > 0 && name_max < 500) {
        memset(path + 5, 'n', (size_t)name_max);
        path[5 + name_max] = 0;
        int fd = open(path, O_CREAT | O_WRONLY, 0600);
        CHECK(fd >= 0, "open: a name of _PC_NAME_MAX bytes");
        if (fd >= 0) {
            close(fd);
            unlink(path);
        }
        path[5 + name_max] = 'n';
        path[6 + name_max] = 0;
        CHECK_ERR(open(path, O_CREAT | O_WRONLY, 0600), ENAMETOOLONG,
                  "open: one byte more than _PC_NAME_MAX: ENAMETOOLONG");
    }
    CHECK(pathconf("/tmp", _PC_PATH_MAX) >= _POSIX_PATH_MAX &&
              pathconf("/tmp", _PC_LINK_MAX) >= _POSIX_LINK_MAX &&
              pathconf("/tmp", _PC_PIPE_BUF) >= _POSIX_PIPE_BUF,
          "pathconf: PATH_MAX, LINK_MAX, PIPE_BUF at least POSIX's minimums");
    CONFORM_DONE();
}

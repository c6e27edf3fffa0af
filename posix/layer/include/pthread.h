/*
 * <pthread.h> for bkport: the declarations generated from posix/spec/pthread.h.spec
 * (`bkport posix gen`), plus the macros only the implementation can give a value, which live
 * with it here. Values follow Linux/glibc where POSIX leaves them open.
 */
#ifndef BKPORT_LAYER_PTHREAD_H
#define BKPORT_LAYER_PTHREAD_H

#include <sched.h>
#include <time.h>
#include_next <pthread.h>

#ifndef PTHREAD_BARRIER_SERIAL_THREAD
#define PTHREAD_BARRIER_SERIAL_THREAD (-1)
#endif
#ifndef PTHREAD_CANCEL_ENABLE
#define PTHREAD_CANCEL_ENABLE 0
#endif
#ifndef PTHREAD_CANCEL_DISABLE
#define PTHREAD_CANCEL_DISABLE 1
#endif
#ifndef PTHREAD_CANCEL_DEFERRED
#define PTHREAD_CANCEL_DEFERRED 0
#endif
#ifndef PTHREAD_CANCEL_ASYNCHRONOUS
#define PTHREAD_CANCEL_ASYNCHRONOUS 1
#endif
#ifndef PTHREAD_CANCELED
#define PTHREAD_CANCELED ((void *)-1)
#endif
#ifndef PTHREAD_CREATE_JOINABLE
#define PTHREAD_CREATE_JOINABLE 0
#endif
#ifndef PTHREAD_CREATE_DETACHED
#define PTHREAD_CREATE_DETACHED 1
#endif
#ifndef PTHREAD_INHERIT_SCHED
#define PTHREAD_INHERIT_SCHED 0
#endif
#ifndef PTHREAD_EXPLICIT_SCHED
#define PTHREAD_EXPLICIT_SCHED 1
#endif
#ifndef PTHREAD_MUTEX_NORMAL
#define PTHREAD_MUTEX_NORMAL 0
#endif
#ifndef PTHREAD_MUTEX_RECURSIVE
#define PTHREAD_MUTEX_RECURSIVE 1
#endif
#ifndef PTHREAD_MUTEX_ERRORCHECK
#define PTHREAD_MUTEX_ERRORCHECK 2
#endif
#ifndef PTHREAD_MUTEX_DEFAULT
#define PTHREAD_MUTEX_DEFAULT PTHREAD_MUTEX_NORMAL
#endif
#ifndef PTHREAD_MUTEX_STALLED
#define PTHREAD_MUTEX_STALLED 0
#endif
#ifndef PTHREAD_MUTEX_ROBUST
#define PTHREAD_MUTEX_ROBUST 1
#endif
#ifndef PTHREAD_PRIO_NONE
#define PTHREAD_PRIO_NONE 0
#endif
#ifndef PTHREAD_PRIO_INHERIT
#define PTHREAD_PRIO_INHERIT 1
#endif
#ifndef PTHREAD_PRIO_PROTECT
#define PTHREAD_PRIO_PROTECT 2
#endif
#ifndef PTHREAD_PROCESS_PRIVATE
#define PTHREAD_PROCESS_PRIVATE 0
#endif
#ifndef PTHREAD_PROCESS_SHARED
#define PTHREAD_PROCESS_SHARED 1
#endif
#ifndef PTHREAD_SCOPE_SYSTEM
#define PTHREAD_SCOPE_SYSTEM 0
#endif
#ifndef PTHREAD_SCOPE_PROCESS
#define PTHREAD_SCOPE_PROCESS 1
#endif
#ifndef PTHREAD_ONCE_INIT
#define PTHREAD_ONCE_INIT 0
#endif
#ifndef PTHREAD_MUTEX_INITIALIZER
#define PTHREAD_MUTEX_INITIALIZER { { 0 } }
#endif
#ifndef PTHREAD_COND_INITIALIZER
#define PTHREAD_COND_INITIALIZER { { 0 } }
#endif
#ifndef PTHREAD_RWLOCK_INITIALIZER
#define PTHREAD_RWLOCK_INITIALIZER { { 0 } }
#endif
#ifndef PTHREAD_STACK_MIN
/* a multiple of the page size (4096), as sysconf(_SC_PAGESIZE) and mmap use */
#define PTHREAD_STACK_MIN 4096
#endif
#ifndef PTHREAD_KEYS_MAX
#define PTHREAD_KEYS_MAX 128 /* _POSIX_THREAD_KEYS_MAX: the least POSIX allows */
#endif
#ifndef PTHREAD_DESTRUCTOR_ITERATIONS
#define PTHREAD_DESTRUCTOR_ITERATIONS 4
#endif
#ifndef PTHREAD_THREADS_MAX
#define PTHREAD_THREADS_MAX 64 /* created beside main: the kernel runs 65 at once */
#endif

/* Cleanup handlers: a record on the caller's stack, linked into the thread's list. */
struct __bk_cleanup {
    void (*routine)(void *);
    void *arg;
    struct __bk_cleanup *next;
};
void __bk_cleanup_push(struct __bk_cleanup *c, void (*routine)(void *), void *arg);
void __bk_cleanup_pop(struct __bk_cleanup *c, int execute);

#define pthread_cleanup_push(routine, arg)                                                   \
    do {                                                                                     \
        struct __bk_cleanup __bk_c;                                                          \
        __bk_cleanup_push(&__bk_c, (routine), (arg));
#define pthread_cleanup_pop(execute)                                                         \
        __bk_cleanup_pop(&__bk_c, (execute));                                                \
    } while (0)

#endif

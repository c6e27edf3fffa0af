/* The thread record behind a pthread_t (pthread.c), shared by the pthread_* files. */
#ifndef BKPORT_LAYER_THREAD_H
#define BKPORT_LAYER_THREAD_H

#include <pthread.h>
#include <signal.h>

#include "internal.h"

#define BK_KEYS_MAX PTHREAD_KEYS_MAX
#define BK_THREAD_MAGIC 0x626b7468UL /* "bkth" */

/* join_state: who frees the record, and whether the thread still runs. */
enum { JS_JOINABLE = 0, JS_DETACHED = 1, JS_EXITED = 2, JS_ZOMBIE = 3 };

struct bk_thread {
    unsigned long magic;
    volatile unsigned long join_state; /* futex word for pthread_join */
    unsigned long tid;                 /* kernel thread id */
    void *(*fn)(void *);
    void *arg;
    void *ret;
    void *stack; /* owned by the layer when own_stack */
    size_t stack_size;
    int own_stack, is_main;
    volatile int joining;
    void *tls;
    volatile int cancel_pending;
    int cancel_state, cancel_type;
    struct __bk_cleanup *cleanup;
    /* signal.c: the thread's own mask (a new thread inherits its creator's), its alternate
     * stack, and how deep it is in cancellation points (a wait interrupted there for a pending
     * cancellation acts on it) */
    sigset_t sigmask;
    stack_t altstack;
    int on_altstack, in_cp;
    unsigned sig_runs; /* handlers run on the thread: a wait that saw it change was interrupted */
    unsigned sig_breaks; /* of those, the handlers without SA_RESTART: they end restartable waits */
    struct bk_thread *all_next; /* every live thread, for process-directed signals */
    void *keys[BK_KEYS_MAX];
    struct bk_thread *next; /* zombie list */
};

/* A lock for the layer's own short critical sections (futex-backed). */
void __bk_lock(volatile unsigned long *w);
void __bk_unlock(volatile unsigned long *w);

/* Validate a pthread_t; NULL if it names no thread the layer knows. */
struct bk_thread *__bk_thread_of(pthread_t t);

/* Live threads (pthread.c), for signal.c to pick one that does not block a signal. */
extern volatile unsigned long __bk_all_lock;
extern struct bk_thread *__bk_all;

#endif

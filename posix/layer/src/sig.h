/* Signals and cancellation points (signal.c, pthread.c) for the layer's blocking calls. */
#ifndef BKPORT_LAYER_SIG_H
#define BKPORT_LAYER_SIG_H

#include <signal.h>

struct bk_thread;

/* A kernel wait answered EINTR (ThreadInterrupt): run the calling thread's deliverable signals
 * and, inside a cancellation point, act on a pending cancellation. How many handlers ran: the
 * interrupted call answers EINTR when any did, and otherwise carries on waiting. */
int __bk_sig_interrupted(void);

/* Generate sig for thread `to` (NULL: for the process) with si_code `code` and value `v`. */
int __bk_sig_send(struct bk_thread *to, int sig, int code, union sigval v);

/* How many handlers have run on the calling thread: a wait that POSIX lets a signal interrupt
 * but that sleeps where EINTR does not come through (a condition variable) compares it. */
unsigned __bk_sig_runs(void);
unsigned __bk_sig_breaks(void);

/* The calling thread serves the layer (timers): it blocks every signal, so process-directed
 * signals go to the application's threads. */
void __bk_sig_helper(void);

/* Let the kernel divert a running thread into the layer's signal entry (SignalEntry): called
 * when a handler is installed or asynchronous cancellation is enabled; once per process. */
void __bk_sig_async_on(void);

/* Bracket a cancellation point: acts on a pending cancellation at entry, and while inside, on
 * one that interrupts the point's wait. */
void __bk_cp_enter(void);
void __bk_cp_leave(void);
/* pthread_testcancel without being a function the application may have replaced. */
void __bk_cp_test(void);

#endif

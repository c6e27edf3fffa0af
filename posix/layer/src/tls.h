/* Per-thread TLS blocks, thread pointers and the current thread (tls.c). */
#ifndef BKPORT_LAYER_TLS_H
#define BKPORT_LAYER_TLS_H

#include <stddef.h>

/* The kernel runs at most 64 threads; slots are recycled (twice as many: a finished thread
 * holds its slot until it is reaped). */
#define BK_TLS_SLOTS 128

/* A fresh TLS block initialised from the image's .tdata/.tbss (NULL if out of memory). */
void *__bk_tls_alloc(void);
/* Before a thread starts: its stack range, TLS block and record. -1 if the table is full. */
int __bk_tls_register(void *stack_lo, size_t size, void *tls, void *thread);
void __bk_tls_unregister(void *stack_lo);
/* The record registered for the caller's stack; NULL for the main thread. */
void *__bk_tls_thread(void);
/* Before the first thread: find out whether the kernel switches the thread pointer. */
void __bk_tls_probe(void);
/* First thing a new thread does: point the thread register at its block. */
void __bk_tls_enter(void *tls);

#endif

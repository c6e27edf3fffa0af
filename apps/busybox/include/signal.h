/* bkport compat for busybox: SA_RESTART, which picolibc's <signal.h> lacks (Linux's value).
 * The layer delivers signals synchronously in the thread that raises them, so no system call is
 * ever interrupted and the flag has nothing to change. */
#ifndef BKPORT_BUSYBOX_SIGNAL_H
#define BKPORT_BUSYBOX_SIGNAL_H
#include_next <signal.h>
#ifndef SA_RESTART
#define SA_RESTART 0x10000000
#endif
#endif

/* bkport compat for busybox: SOCK_RDM (Linux's value), which libbb.h names in a flag mask. */
#ifndef BKPORT_BUSYBOX_SYS_SOCKET_H
#define BKPORT_BUSYBOX_SYS_SOCKET_H
#include_next <sys/socket.h>
#ifndef SOCK_RDM
#define SOCK_RDM 4
#endif
#endif

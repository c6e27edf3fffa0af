/* bkport compat for busybox: Linux's <sys/statfs.h>. The layer offers the POSIX statvfs()
 * (over the kernel's Statfs); statfs() itself is not provided, and the applets that need it
 * (df, stat -f) are not in this port. */
#ifndef BKPORT_BUSYBOX_SYS_STATFS_H
#define BKPORT_BUSYBOX_SYS_STATFS_H
#include <sys/statvfs.h>
#endif

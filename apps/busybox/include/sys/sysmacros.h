/* bkport compat for busybox: glibc's <sys/sysmacros.h>, with Linux's dev_t encoding (the
 * kernel's struct stat carries Linux-style 64-bit device numbers). */
#ifndef BKPORT_BUSYBOX_SYS_SYSMACROS_H
#define BKPORT_BUSYBOX_SYS_SYSMACROS_H
#include <sys/types.h>
#define major(d) ((unsigned)((((unsigned long long)(d) >> 32) & 0xfffff000u) | \
                             (((unsigned long long)(d) >> 8) & 0xfffu)))
#define minor(d) ((unsigned)((((unsigned long long)(d) >> 12) & 0xffffff00u) | \
                             ((unsigned long long)(d) & 0xffu)))
#define makedev(ma, mi) ((dev_t)( \
    (((unsigned long long)(ma) & 0xfffff000u) << 32) | (((unsigned long long)(ma) & 0xfffu) << 8) | \
    (((unsigned long long)(mi) & 0xffffff00u) << 12) | ((unsigned long long)(mi) & 0xffu)))
#endif

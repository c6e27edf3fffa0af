/* <fcntl.h>: picolibc's, plus O_DSYNC and O_RSYNC (POSIX synchronized I/O), which its default
 * <sys/_default_fcntl.h> leaves out. O_DSYNC takes a bit picolibc's flags do not use; the
 * layer's open flag translation carries it to the kernel's (Linux's) O_DSYNC. O_RSYNC is
 * O_SYNC, as on Linux. Also POSIX's advisory information (posix_fadvise, posix_fallocate,
 * fsextra.c), with Linux's POSIX_FADV_* values. */
#ifndef BKPORT_LAYER_FCNTL_H
#define BKPORT_LAYER_FCNTL_H

#include_next <fcntl.h>

#ifndef O_DSYNC
#define O_DSYNC 0x4000000
#endif
#ifndef O_RSYNC
#define O_RSYNC O_SYNC
#endif

#ifndef POSIX_FADV_NORMAL
#define POSIX_FADV_NORMAL 0
#define POSIX_FADV_RANDOM 1
#define POSIX_FADV_SEQUENTIAL 2
#define POSIX_FADV_WILLNEED 3
#define POSIX_FADV_DONTNEED 4
#define POSIX_FADV_NOREUSE 5
#endif

#ifdef __cplusplus
extern "C" {
#endif
int posix_fadvise(int __fd, off_t __offset, off_t __len, int __advice);
int posix_fallocate(int __fd, off_t __offset, off_t __len);
#ifdef __cplusplus
}
#endif

#endif

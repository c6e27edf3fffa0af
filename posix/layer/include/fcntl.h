/* <fcntl.h>: picolibc's, plus O_DSYNC and O_RSYNC (POSIX synchronized I/O), which its default
 * <sys/_default_fcntl.h> leaves out. O_DSYNC takes a bit picolibc's flags do not use; the
 * layer's open flag translation carries it to the kernel's (Linux's) O_DSYNC. O_RSYNC is
 * O_SYNC, as on Linux. */
#ifndef BKPORT_LAYER_FCNTL_H
#define BKPORT_LAYER_FCNTL_H

#include_next <fcntl.h>

#ifndef O_DSYNC
#define O_DSYNC 0x4000000
#endif
#ifndef O_RSYNC
#define O_RSYNC O_SYNC
#endif

#endif

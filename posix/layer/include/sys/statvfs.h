/* <sys/statvfs.h> for bkport: the generated declarations plus the f_flag bits. */
#ifndef BKPORT_LAYER_SYS_STATVFS_H
#define BKPORT_LAYER_SYS_STATVFS_H

#include_next <sys/statvfs.h>

#ifndef ST_RDONLY
#define ST_RDONLY 1
#endif
#ifndef ST_NOSUID
#define ST_NOSUID 2
#endif

#endif

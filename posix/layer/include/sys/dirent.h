/*
 * <dirent.h>'s types for bkport (picolibc ships only an #error stub for this system header).
 * Directory streams read the kernel's getdents records (Linux `linux_dirent64`).
 */
#ifndef BKPORT_SYS_DIRENT_H
#define BKPORT_SYS_DIRENT_H

#include <sys/types.h>

#define MAXNAMLEN 255

struct dirent {
    ino_t d_ino;
    unsigned char d_type; /* DT_*: a common extension, filled from the kernel's record */
    char d_name[MAXNAMLEN + 1];
};

#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10
#define DT_SOCK 12

typedef struct __bk_dir DIR;

#endif

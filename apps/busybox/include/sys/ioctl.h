/* bkport compat for busybox: Linux's <sys/ioctl.h>. ioctl() is the layer's (over the kernel's
 * Ioctl, which answers ENOTTY for every request on the validation kernel); the request numbers
 * are Linux's, which is what BlueKernel's Ioctl receives. Busybox asks for the terminal size
 * (TIOCGWINSZ) and falls back to 80x24 when it fails. */
#ifndef BKPORT_BUSYBOX_SYS_IOCTL_H
#define BKPORT_BUSYBOX_SYS_IOCTL_H
#include <stropts.h>   /* int ioctl(int fildes, int request, ...) */

struct winsize {
    unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel;
};

#define TCGETS      0x5401
#define TCSETS      0x5402
#define TIOCSCTTY   0x540E
#define TIOCGPGRP   0x540F
#define TIOCSPGRP   0x5410
#define TIOCGWINSZ  0x5413
#define TIOCSWINSZ  0x5414
#define FIONREAD    0x541B
#define TIOCNOTTY   0x5422
#define FIONBIO     0x5421
#define FIOCLEX     0x5451
#endif

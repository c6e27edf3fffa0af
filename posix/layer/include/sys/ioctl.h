/* <sys/ioctl.h>: not POSIX, but what Linux programs include for ioctl() and the requests they
 * test for with #ifdef. Request numbers and `struct winsize` are Linux's, which the kernel
 * answers (kernel/src/fs/ioctl.rs); the layer answers the descriptor-flag requests itself
 * (fsextra.c). Only requests that work are defined, so a program's #ifdef stays honest. */
#ifndef BKPORT_LAYER_SYS_IOCTL_H
#define BKPORT_LAYER_SYS_IOCTL_H

#ifdef __cplusplus
extern "C" {
#endif

struct winsize {
    unsigned short ws_row;
    unsigned short ws_col;
    unsigned short ws_xpixel;
    unsigned short ws_ypixel;
};

/* int: bytes a read would return now (pipe, regular file, console input) */
#define FIONREAD 0x541B
#define TIOCINQ FIONREAD
/* struct winsize: the console's size (80x24); ENOTTY for anything but a terminal */
#define TIOCGWINSZ 0x5413
/* int: non-zero sets O_NONBLOCK, zero clears it */
#define FIONBIO 0x5421
/* no argument: set / clear FD_CLOEXEC */
#define FIOCLEX 0x5451
#define FIONCLEX 0x5450

/* glibc's declaration (POSIX's <stropts.h> has `int request`; the layer's agrees with this one):
 * the layer reads the request as 32 bits, as Linux does, so callers of either form agree. */
int ioctl(int fd, unsigned long request, ...);

#ifdef __cplusplus
}
#endif

#endif

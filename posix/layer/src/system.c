/*
 * system(): BlueOS runs one process and has no command interpreter. picolibc's system() already
 * answers so, but as a C library function the support database could only call it supported,
 * and `bkport analyze` told porters that Lua's os.execute would work. Defined here, it carries
 * the layer's stub mark; the behaviour is the one C and POSIX give a system without a shell.
 */
#include <errno.h>
#include <stdlib.h>

/* bkport: stub: no command interpreter: system(NULL) is 0, any command fails with ENOSYS */
int system(const char *command)
{
    if (command == NULL)
        return 0; /* C: zero when no command processor is available */
    errno = ENOSYS;
    return -1;
}

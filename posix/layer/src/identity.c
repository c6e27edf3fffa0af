/*
 * The login name and sync(): one user (root, uid 0) runs the only process, and the file system
 * lives in RAM, so there is nothing to write back.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

static const char login_name[] = "root";

/* bkport: partial: one user: the login name is always "root" (uid 0) */
char *getlogin(void)
{
    static char name[sizeof login_name];
    memcpy(name, login_name, sizeof login_name);
    return name;
}

/* bkport: partial: one user: the login name is always "root" (uid 0) */
int getlogin_r(char *name, size_t size)
{
    if (!name)
        return EINVAL;
    if (size < sizeof login_name)
        return ERANGE;
    memcpy(name, login_name, sizeof login_name);
    return 0;
}

void sync(void)
{
    /* the RAM file system has no cache to write back */
}

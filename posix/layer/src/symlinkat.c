/*
 * symlinkat()/readlinkat() over Symlink/Readlink. The kernel resolves paths only against the
 * working directory, so, as utimensat() (filetimes.c), a relative path needs AT_FDCWD.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "internal.h"

/* bkport: partial: only AT_FDCWD or an absolute linkpath (else ENOTSUP) */
int symlinkat(const char *target, int dirfd, const char *linkpath)
{
    if (!linkpath)
        return bk_fail(EFAULT);
    if (dirfd != AT_FDCWD && linkpath[0] != '/')
        return bk_fail(ENOTSUP);
    return symlink(target, linkpath);
}

/* bkport: partial: only AT_FDCWD or an absolute path (else ENOTSUP) */
ssize_t readlinkat(int dirfd, const char *restrict path, char *restrict buf, size_t size)
{
    if (!path)
        return bk_fail(EFAULT);
    if (dirfd != AT_FDCWD && path[0] != '/')
        return bk_fail(ENOTSUP);
    return readlink(path, buf, size);
}

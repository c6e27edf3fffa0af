/*
 * Path names and ownership: symlink()/readlink() are the kernel's Symlink/Readlink (a kernel
 * without them answers ENOSYS); realpath() resolves ".", ".." and symbolic links against the
 * working directory and checks every component exists; chown() and friends accept the only owner
 * there is on a one-user system (root, 0) and refuse any other.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#ifndef PATH_MAX
#define PATH_MAX 1024 /* the kernel's limit on a path (kernel/src/fs) */
#endif

/* Append `name` (len bytes) to the absolute path in out (used bytes), resolving "." and "..". */
static int push(char *out, size_t *used, const char *name, size_t len)
{
    if (len == 0 || (len == 1 && name[0] == '.'))
        return 0;
    if (len == 2 && name[0] == '.' && name[1] == '.') {
        while (*used > 1 && out[*used - 1] != '/')
            (*used)--;
        if (*used > 1)
            (*used)--; /* the slash, except the root's */
        out[*used] = '\0';
        return 0;
    }
    if (*used + (*used > 1) + len + 1 > PATH_MAX)
        return bk_fail(ENAMETOOLONG);
    if (*used > 1)
        out[(*used)++] = '/';
    memcpy(out + *used, name, len);
    *used += len;
    out[*used] = '\0';
    return 0;
}

#define MAX_LINKS 40 /* Linux's limit before ELOOP */

/* The resolved path of `path`: components are taken from a work buffer holding "what is left to
 * resolve"; a symbolic link's target (readlink) replaces the link's component in it, and an
 * absolute target restarts from the root. */
char *realpath(const char *restrict path, char *restrict resolved)
{
    char buf[PATH_MAX], rest[PATH_MAX], target[PATH_MAX];
    size_t used;
    int links = 0;
    struct stat st;
    if (!path) {
        errno = EINVAL;
        return NULL;
    }
    if (!path[0]) {
        errno = ENOENT;
        return NULL;
    }
    if (strlen(path) >= sizeof rest) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    strcpy(rest, path);
    if (path[0] == '/') {
        strcpy(buf, "/");
    } else if (!getcwd(buf, sizeof buf)) {
        return NULL;
    }
    used = strlen(buf);
    size_t pos = 0;
    while (rest[pos]) {
        while (rest[pos] == '/')
            pos++;
        const char *p = rest + pos;
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (!len)
            break;
        size_t before = used;
        if (push(buf, &used, p, len) < 0)
            return NULL;
        pos += len;
        if (used <= before) /* "." or "..": nothing new to look up */
            continue;
        ssize_t n = readlink(buf, target, sizeof target - 1);
        if (n >= 0) {
            if (++links > MAX_LINKS) {
                errno = ELOOP;
                return NULL;
            }
            target[n] = '\0';
            size_t tail = strlen(rest + pos);
            if ((size_t)n + tail + 1 > sizeof rest) {
                errno = ENAMETOOLONG;
                return NULL;
            }
            memmove(rest + n, rest + pos, tail + 1);
            memcpy(rest, target, (size_t)n);
            pos = 0;
            if (target[0] == '/') {
                strcpy(buf, "/");
                used = 1;
            } else { /* relative to the link's directory: drop the link's own component */
                while (used > 1 && buf[used - 1] != '/')
                    used--;
                if (used > 1)
                    used--;
                buf[used] = '\0';
            }
            continue;
        }
        if (errno != EINVAL && errno != ENOSYS) /* EINVAL: not a link; ENOSYS: no links */
            return NULL;
        if (stat(buf, &st) < 0)
            return NULL;
        if (rest[pos] == '/' && !S_ISDIR(st.st_mode)) {
            errno = ENOTDIR;
            return NULL;
        }
    }
    if (stat(buf, &st) < 0)
        return NULL;
    char *out = resolved ? resolved : malloc(used + 1);
    if (!out) {
        errno = ENOMEM;
        return NULL;
    }
    memcpy(out, buf, used + 1);
    return out;
}

ssize_t readlink(const char *restrict path, char *restrict buf, size_t size)
{
    return bk_fix(bk_readlink(path, buf, size));
}

int symlink(const char *target, const char *linkpath)
{
    return (int)bk_fix(bk_symlink(target, linkpath));
}

static int owner_ok(uid_t uid, gid_t gid)
{
    /* (uid_t)-1 / (gid_t)-1 leave the id unchanged */
    if ((uid != 0 && uid != (uid_t)-1) || (gid != 0 && gid != (gid_t)-1))
        return bk_fail(EINVAL); /* POSIX: an owner or group id the system does not support */
    return 0;
}

/* bkport: partial: one user: files belong to root; owner 0 or -1 succeeds, any other id EINVAL */
int chown(const char *path, uid_t uid, gid_t gid)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return -1;
    return owner_ok(uid, gid);
}

/* bkport: partial: as chown() (a link's owner is root's too) */
int lchown(const char *path, uid_t uid, gid_t gid)
{
    return chown(path, uid, gid);
}

/* bkport: partial: as chown() */
int fchown(int fd, uid_t uid, gid_t gid)
{
    struct stat st;
    if (fstat(fd, &st) < 0)
        return -1;
    return owner_ok(uid, gid);
}

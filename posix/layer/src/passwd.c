/*
 * The user database (<pwd.h>) of a single-user system: one entry, root (uid 0, gid 0), home
 * "/", shell "/bin/sh", which is who getuid()/getlogin() say runs the application. There is no
 * /etc/passwd to read: the entry is the database.
 */
#include <pwd.h>
#include <string.h>

#include "internal.h"

static const struct {
    const char *name, *passwd, *gecos, *dir, *shell;
} root = { "root", "x", "root", "/", "/bin/sh" };

static struct passwd entry;
static char entry_buf[64];
static int cursor; /* getpwent position: 0 before root, 1 after */

/* Fill `pw` with root's entry, its strings copied into buf. */
static int fill(struct passwd *pw, char *buf, size_t size)
{
    const char *src[] = { root.name, root.passwd, root.gecos, root.dir, root.shell };
    char **dst[] = { &pw->pw_name, &pw->pw_passwd, &pw->pw_gecos, &pw->pw_dir, &pw->pw_shell };
    size_t used = 0;
    for (unsigned i = 0; i < sizeof src / sizeof src[0]; i++) {
        size_t n = strlen(src[i]) + 1;
        if (used + n > size)
            return ERANGE;
        memcpy(buf + used, src[i], n);
        *dst[i] = buf + used;
        used += n;
    }
    pw->pw_uid = 0;
    pw->pw_gid = 0;
    pw->pw_comment = pw->pw_gecos;
    return 0;
}

static struct passwd *static_entry(void)
{
    return fill(&entry, entry_buf, sizeof entry_buf) ? NULL : &entry;
}

struct passwd *getpwuid(uid_t uid)
{
    /* "not found" leaves errno unchanged: POSIX's way to tell it from an error */
    return uid == 0 ? static_entry() : NULL;
}

struct passwd *getpwnam(const char *name)
{
    return name && !strcmp(name, root.name) ? static_entry() : NULL;
}

static int lookup_r(int found, struct passwd *pw, char *buf, size_t size, struct passwd **out)
{
    *out = NULL;
    if (!found)
        return 0;
    int e = fill(pw, buf, size);
    if (!e)
        *out = pw;
    return e;
}

int getpwuid_r(uid_t uid, struct passwd *pw, char *buf, size_t size, struct passwd **out)
{
    return lookup_r(uid == 0, pw, buf, size, out);
}

int getpwnam_r(const char *name, struct passwd *pw, char *buf, size_t size,
               struct passwd **out)
{
    return lookup_r(name && !strcmp(name, root.name), pw, buf, size, out);
}

struct passwd *getpwent(void)
{
    if (cursor > 0)
        return NULL;
    cursor = 1;
    return static_entry();
}

void setpwent(void)
{
    cursor = 0;
}

void endpwent(void)
{
    cursor = 0;
}

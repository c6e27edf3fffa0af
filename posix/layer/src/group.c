/*
 * The group database (<grp.h>) of a single-user system, passwd.c's twin: one group, root
 * (gid 0), root's primary group, with no supplementary members (getgroups() has none). As for
 * the users, there is no /etc/group to read: the entry is the database.
 */
#include <grp.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

static const char *const root_name = "root";
static const char *const root_passwd = "x";

static struct group entry;
static char *entry_buf[8]; /* pointer-aligned: the member list goes first */
static int cursor;         /* getgrent position: 0 before root, 1 after */

/* Fill `gr` with root's group: the (empty) member list, then the strings, in buf. */
static int fill(struct group *gr, char *buf, size_t size)
{
    uintptr_t at = ((uintptr_t)buf + sizeof(char *) - 1) & ~(uintptr_t)(sizeof(char *) - 1);
    size_t skip = at - (uintptr_t)buf;
    size_t name = strlen(root_name) + 1, pass = strlen(root_passwd) + 1;
    if (size < skip + sizeof(char *) + name + pass)
        return ERANGE;
    char **members = (char **)at;
    members[0] = NULL;
    char *s = (char *)(members + 1);
    memcpy(s, root_name, name);
    memcpy(s + name, root_passwd, pass);
    gr->gr_name = s;
    gr->gr_passwd = s + name;
    gr->gr_gid = 0;
    gr->gr_mem = members;
    return 0;
}

static struct group *static_entry(void)
{
    return fill(&entry, (char *)entry_buf, sizeof entry_buf) ? NULL : &entry;
}

struct group *getgrgid(gid_t gid)
{
    /* "not found" leaves errno unchanged: POSIX's way to tell it from an error */
    return gid == 0 ? static_entry() : NULL;
}

struct group *getgrnam(const char *name)
{
    return name && !strcmp(name, root_name) ? static_entry() : NULL;
}

static int lookup_r(int found, struct group *gr, char *buf, size_t size, struct group **out)
{
    *out = NULL;
    if (!found)
        return 0;
    int e = fill(gr, buf, size);
    if (!e)
        *out = gr;
    return e;
}

int getgrgid_r(gid_t gid, struct group *gr, char *buf, size_t size, struct group **out)
{
    return lookup_r(gid == 0, gr, buf, size, out);
}

int getgrnam_r(const char *name, struct group *gr, char *buf, size_t size, struct group **out)
{
    return lookup_r(name && !strcmp(name, root_name), gr, buf, size, out);
}

struct group *getgrent(void)
{
    if (cursor > 0)
        return NULL;
    cursor = 1;
    return static_entry();
}

void setgrent(void)
{
    cursor = 0;
}

void endgrent(void)
{
    cursor = 0;
}

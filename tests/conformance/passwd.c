/* The user and group databases (<pwd.h>, <grp.h>) of a single-user system: root (uid 0, gid 0,
 * home "/", shell "/bin/sh") and nobody else, and the group root (gid 0, no members), by id, by
 * name, re-entrantly and by enumeration. The conformance driver runs this as `conform passwd`. */
#include <grp.h>
#include <pwd.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "conform.h"

static int is_root(const struct passwd *p)
{
    return p && !strcmp(p->pw_name, "root") && p->pw_uid == 0 && p->pw_gid == 0 &&
           !strcmp(p->pw_dir, "/") && !strcmp(p->pw_shell, "/bin/sh");
}

int main(void)
{
    CHECK(is_root(getpwuid(0)), "getpwuid: getpwuid(0) is root, home /, shell /bin/sh");
    CHECK(is_root(getpwuid(getuid())), "getpwuid: getpwuid(getuid()) is root");
    CHECK(is_root(getpwnam("root")), "getpwnam: getpwnam(\"root\")");
    errno = 0;
    CHECK(getpwuid(1000) == NULL && errno == 0, "getpwuid: getpwuid(1000): none, errno unchanged");
    errno = 0;
    CHECK(getpwnam("nobody") == NULL && errno == 0, "getpwnam: getpwnam(\"nobody\"): none");
    CHECK(getpwnam("") == NULL, "getpwnam: getpwnam(\"\"): none");

    struct passwd pw, *res = (struct passwd *)1;
    char buf[128];
    CHECK_RC(getpwuid_r(0, &pw, buf, sizeof buf, &res), 0, "getpwuid_r: getpwuid_r(0)");
    CHECK(res == &pw && is_root(&pw) && pw.pw_name >= buf && pw.pw_name < buf + sizeof buf,
          "getpwuid_r: getpwuid_r fills the caller's entry from its buffer");
    CHECK_RC(getpwnam_r("root", &pw, buf, sizeof buf, &res), 0, "getpwnam_r: getpwnam_r(\"root\")");
    CHECK(res == &pw && is_root(&pw), "getpwnam_r: getpwnam_r's entry is root");
    CHECK_RC(getpwuid_r(7, &pw, buf, sizeof buf, &res), 0, "getpwuid_r: getpwuid_r(7): 0 ...");
    CHECK(res == NULL, "getpwnam: ... and no entry");
    CHECK_RC(getpwuid_r(0, &pw, buf, 4, &res), ERANGE, "getpwuid_r: getpwuid_r with a 4-byte buffer: ERANGE");
    CHECK(res == NULL, "getpwnam: no entry on ERANGE");

    setpwent();
    struct passwd *e = getpwent();
    CHECK(is_root(e), "getpwent: root first");
    CHECK(getpwent() == NULL, "getpwent: then the end");
    setpwent();
    CHECK(is_root(getpwent()), "getpwent: setpwent rewinds");
    endpwent();
    CHECK(is_root(getpwent()), "getpwent: after endpwent, getpwent starts over");
    endpwent();

    struct group *g = getgrgid(0);
    CHECK(g && !strcmp(g->gr_name, "root") && g->gr_gid == 0 && g->gr_mem && !g->gr_mem[0],
          "getgrgid: getgrgid(0) is root, no members");
    CHECK(getgrgid(getgid()) == g, "getgrgid: getgrgid(getgid()) is root");
    g = getgrnam("root");
    CHECK(g && g->gr_gid == 0, "getgrnam: getgrnam(\"root\")");
    errno = 0;
    CHECK(getgrgid(100) == NULL && errno == 0, "getgrgid: getgrgid(100): none, errno unchanged");
    CHECK(getgrnam("wheel") == NULL, "getgrnam: getgrnam(\"wheel\"): none");
    struct group gr, *gres = (struct group *)1;
    char gbuf[64];
    CHECK_RC(getgrgid_r(0, &gr, gbuf + 1, sizeof gbuf - 1, &gres), 0,
             "getgrgid_r: getgrgid_r(0) with an odd buffer");
    CHECK(gres == &gr && !strcmp(gr.gr_name, "root") && gr.gr_mem && !gr.gr_mem[0] &&
              (uintptr_t)gr.gr_mem % sizeof(char *) == 0 && (char *)gr.gr_mem >= gbuf &&
              gr.gr_name < gbuf + sizeof gbuf,
          "getgrgid_r: the entry, its aligned member list and strings in the caller's buffer");
    CHECK_RC(getgrnam_r("root", &gr, gbuf, sizeof gbuf, &gres), 0, "getgrnam_r: getgrnam_r(\"root\")");
    CHECK(gres == &gr && gr.gr_gid == 0, "getgrnam_r: root's group");
    CHECK_RC(getgrnam_r("staff", &gr, gbuf, sizeof gbuf, &gres), 0, "getgrnam_r: unknown: 0 ...");
    CHECK(gres == NULL, "getgrnam_r: ... and no entry");
    CHECK_RC(getgrgid_r(0, &gr, gbuf, 6, &gres), ERANGE, "getgrgid_r: a 6-byte buffer: ERANGE");
    CHECK(gres == NULL, "getgrgid_r: no entry on ERANGE");
    setgrent();
    CHECK((g = getgrent()) && g->gr_gid == 0, "getgrent: root first");
    CHECK(getgrent() == NULL, "getgrent: then the end");
    setgrent();
    CHECK((g = getgrent()) && g->gr_gid == 0, "setgrent: rewinds");
    endgrent();
    CONFORM_DONE();
}

/* The user database (<pwd.h>) of a single-user system: root (uid 0, gid 0, home "/", shell
 * "/bin/sh") and nobody else, by uid, by name, re-entrantly and by enumeration. The
 * conformance driver runs this as `conform passwd`. */
#include <pwd.h>
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
    CONFORM_DONE();
}

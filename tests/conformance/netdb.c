/* <netdb.h>'s local databases, getnameinfo and gai_strerror. First the built-in tables (no
 * /etc files: localhost, the protocols ip/icmp/tcp/udp, well-known services), then the same
 * calls over /etc/hosts, /etc/networks, /etc/protocols and /etc/services written into the
 * app's file system (comments, blank lines, aliases, malformed lines skipped; a file replaces
 * the built-in table), then the built-in tables again once the files are gone. getnameinfo:
 * names from the databases, the NI_* flags, EAI_FAMILY, EAI_NONAME, EAI_OVERFLOW,
 * EAI_BADFLAGS. The conformance driver runs this as `conform netdb`; `conform netdb passed`
 * checks the databases of /etc files the host passes into the run instead. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conform.h"

static char what[200];

#define CHECKF(cond, ...)                                                                    \
    do {                                                                                     \
        snprintf(what, sizeof what, __VA_ARGS__);                                            \
        CHECK(cond, what);                                                                   \
    } while (0)

static const char *const files[] = { "/etc/hosts", "/etc/networks", "/etc/protocols",
                                     "/etc/services" };

static int put_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, text, strlen(text));
    return close(fd) == 0 && n == (ssize_t)strlen(text) ? 0 : -1;
}

static int in_list(char **list, const char *name)
{
    for (; list && *list; list++)
        if (!strcmp(*list, name))
            return 1;
    return 0;
}

static int count(char **list)
{
    int n = 0;
    while (list && list[n])
        n++;
    return n;
}

/* ---- the built-in tables ---- */

static void builtin_protocols(const char *when)
{
    struct protoent *p = getprotobyname("tcp");
    CHECKF(p && p->p_proto == 6 && !strcmp(p->p_name, "tcp"), "getprotobyname: %s: tcp is 6", when);
    CHECKF(p && in_list(p->p_aliases, "TCP"), "getprotobyname: %s: tcp's alias TCP", when);
    p = getprotobyname("UDP");
    CHECKF(p && p->p_proto == 17 && !strcmp(p->p_name, "udp"), "getprotobyname: %s: by the alias UDP", when);
    p = getprotobyname("icmp");
    CHECKF(p && p->p_proto == 1, "getprotobyname: %s: icmp is 1", when);
    p = getprotobyname("ip");
    CHECKF(p && p->p_proto == 0, "getprotobyname: %s: ip is 0", when);
    CHECKF(getprotobyname("nonesuch") == NULL, "getprotobyname: %s: an unknown name: NULL", when);
    p = getprotobynumber(IPPROTO_UDP);
    CHECKF(p && !strcmp(p->p_name, "udp"), "getprotobynumber: %s: 17 is udp", when);
    p = getprotobynumber(IPPROTO_TCP);
    CHECKF(p && !strcmp(p->p_name, "tcp"), "getprotobynumber: %s: 6 is tcp", when);
    p = getprotobynumber(0);
    CHECKF(p && !strcmp(p->p_name, "ip"), "getprotobynumber: %s: 0 is ip", when);
    CHECKF(getprotobynumber(253) == NULL, "getprotobynumber: %s: 253: NULL", when);
    CHECKF(getprotobynumber(-1) == NULL, "getprotobynumber: %s: -1: NULL", when);

    setprotoent(0);
    int n = 0, seen = 0;
    while ((p = getprotoent()) != NULL && n < 100) {
        n++;
        if ((!strcmp(p->p_name, "ip") && p->p_proto == 0) || (!strcmp(p->p_name, "icmp") && p->p_proto == 1) ||
            (!strcmp(p->p_name, "tcp") && p->p_proto == 6) || (!strcmp(p->p_name, "udp") && p->p_proto == 17))
            seen++;
    }
    CHECKF(n >= 4 && seen == 4, "getprotoent: %s: the walk has ip, icmp, tcp, udp (%d entries)", when, n);
    CHECKF(getprotoent() == NULL, "getprotoent: %s: stays at the end", when);
    setprotoent(1);
    p = getprotoent();
    CHECKF(p && !strcmp(p->p_name, "ip"), "setprotoent: %s: rewinds to the first entry", when);
    CHECKF(getprotobyname("udp") != NULL && (p = getprotoent()) && !strcmp(p->p_name, "icmp"),
           "getprotoent: %s: a lookup does not move the walk", when);
    endprotoent();
    p = getprotoent();
    CHECKF(p && !strcmp(p->p_name, "ip"), "endprotoent: %s: the next walk starts over", when);
    endprotoent();
}

static void builtin_services(const char *when)
{
    struct servent *s = getservbyname("http", "tcp");
    CHECKF(s && s->s_port == htons(80) && !strcmp(s->s_proto, "tcp") && !strcmp(s->s_name, "http"),
           "getservbyname: %s: http/tcp is port 80 in network order", when);
    s = getservbyname("www", "tcp");
    CHECKF(s && !strcmp(s->s_name, "http"), "getservbyname: %s: by the alias www", when);
    s = getservbyname("http", NULL);
    CHECKF(s && s->s_port == htons(80), "getservbyname: %s: a null protocol matches any", when);
    CHECKF(getservbyname("http", "udp") == NULL, "getservbyname: %s: http/udp: NULL", when);
    s = getservbyname("domain", "udp");
    CHECKF(s && s->s_port == htons(53) && !strcmp(s->s_proto, "udp"), "getservbyname: %s: domain/udp", when);
    s = getservbyname("domain", "tcp");
    CHECKF(s && !strcmp(s->s_proto, "tcp"), "getservbyname: %s: domain/tcp", when);
    s = getservbyname("ssh", "tcp");
    CHECKF(s && s->s_port == htons(22), "getservbyname: %s: ssh is 22", when);
    CHECKF(getservbyname("nonesuch", NULL) == NULL, "getservbyname: %s: unknown: NULL", when);
    s = getservbyport(htons(22), "tcp");
    CHECKF(s && !strcmp(s->s_name, "ssh"), "getservbyport: %s: 22/tcp is ssh", when);
    s = getservbyport(htons(443), NULL);
    CHECKF(s && !strcmp(s->s_name, "https"), "getservbyport: %s: 443, any protocol, is https", when);
    s = getservbyport(htons(123), "udp");
    CHECKF(s && !strcmp(s->s_name, "ntp"), "getservbyport: %s: 123/udp is ntp", when);
    CHECKF(getservbyport(htons(123), "tcp") == NULL, "getservbyport: %s: 123/tcp: NULL", when);
    CHECKF(getservbyport(80, "tcp") == NULL || 80 == htons(80),
           "getservbyport: %s: the port is in network order (80 unswapped finds nothing)", when);
    CHECKF(getservbyport(htons(9), NULL) == NULL, "getservbyport: %s: 9: NULL", when);

    setservent(0);
    int n = 0, http = 0;
    struct servent *e;
    while ((e = getservent()) != NULL && n < 200) {
        n++;
        http += !strcmp(e->s_name, "http") && e->s_port == htons(80);
    }
    CHECKF(n >= 5 && http == 1, "getservent: %s: the walk has http once (%d entries)", when, n);
    setservent(0);
    e = getservent();
    CHECKF(e && e->s_name && e->s_proto, "setservent: %s: rewinds", when);
    endservent();
}

static void builtin_hosts(void)
{
    sethostent(0);
    struct hostent *h = gethostent();
    const unsigned char lo4[4] = { 127, 0, 0, 1 };
    CHECK(h && !strcmp(h->h_name, "localhost"), "gethostent: built-in: first localhost");
    CHECK(h && h->h_addrtype == AF_INET && h->h_length == 4, "gethostent: built-in: AF_INET, 4 bytes");
    CHECK(h && h->h_addr_list[0] && !memcmp(h->h_addr_list[0], lo4, 4) && !h->h_addr_list[1],
          "gethostent: built-in: one address, 127.0.0.1");
    h = gethostent();
    CHECK(h && h->h_addrtype == AF_INET6 && h->h_length == 16 &&
          !memcmp(h->h_addr_list[0], &in6addr_loopback, 16), "gethostent: built-in: then ::1");
    CHECK(h && !strcmp(h->h_name, "localhost") && in_list(h->h_aliases, "ip6-localhost"),
          "gethostent: built-in: ::1 is localhost, alias ip6-localhost");
    CHECK(gethostent() == NULL, "gethostent: built-in: then the end");
    sethostent(1);
    h = gethostent();
    CHECK(h && h->h_addrtype == AF_INET, "sethostent: rewinds");
    endhostent();
    h = gethostent();
    CHECK(h && h->h_addrtype == AF_INET, "endhostent: the next walk starts over");
    endhostent();
}

static void builtin_networks(void)
{
    struct netent *n = getnetbyname("loopback");
    CHECK(n && n->n_net == 0x7f000000u && n->n_addrtype == AF_INET, "getnetbyname: built-in: loopback is 127.0.0.0");
    CHECK(getnetbyname("nonesuch") == NULL, "getnetbyname: built-in: unknown: NULL");
    n = getnetbyaddr(0xa9fe0000u, AF_INET);
    CHECK(n && !strcmp(n->n_name, "link-local"), "getnetbyaddr: built-in: 169.254.0.0 is link-local");
    CHECK(getnetbyaddr(0x7f000000u, AF_INET6) == NULL, "getnetbyaddr: built-in: another family: NULL");
    CHECK(getnetbyaddr(0x0a000000u, AF_INET) == NULL, "getnetbyaddr: built-in: 10.0.0.0: NULL");
    setnetent(0);
    int count_ = 0;
    while (getnetent() && count_ < 50)
        count_++;
    CHECK(count_ == 3, "getnetent: built-in: three networks");
    setnetent(0);
    n = getnetent();
    CHECK(n && !strcmp(n->n_name, "default") && n->n_net == 0, "setnetent: rewinds to default");
    endnetent();
}

/* ---- the /etc files ---- */

static const char hosts_text[] =
    "# a hosts file\n"
    "\n"
    "127.0.0.1\tlocalhost loopback\n"
    "10.0.0.5   host5.example.org host5   # trailing comment\n"
    "not-an-address  broken\n"
    "10.0.0.6\n"
    "2001:db8::5 host5v6.example.org h6\n"
    "192.0.2.7 seven";               /* no final newline */

static const char networks_text[] =
    "# networks\n"
    "testnet 10.1 tn\n"
    "bignet\t172.16.0.0\n"
    "bad 300.1\n"
    "loopback 127\n";

static const char protocols_text[] =
    "# protocols\n"
    "ip\t0\tIP\n"
    "proto-a 200 PA alpha # private\n"
    "broken x\n"
    "huge 1000\n"
    "udp 17 UDP\n";

static const char services_text[] =
    "# services\n"
    "myservice 4242/tcp mysvc\n"
    "myservice 4242/udp\n"
    "toolarge 70000/tcp\n"
    "noproto 12/\n"
    "noslash 13\n"
    "http 8080/tcp webcache\n";

static void from_files(void)
{
    struct stat st;
    CHECK((mkdir("/etc", 0755) == 0 || errno == EEXIST) && stat("/etc", &st) == 0 && S_ISDIR(st.st_mode),
          "mkdir: /etc for the database files");
    CHECK(put_file("/etc/hosts", hosts_text) == 0 && put_file("/etc/networks", networks_text) == 0 &&
          put_file("/etc/protocols", protocols_text) == 0 && put_file("/etc/services", services_text) == 0,
          "open: the four database files written");

    /* hosts */
    sethostent(0);
    struct hostent *h = gethostent();
    CHECK(h && !strcmp(h->h_name, "localhost") && in_list(h->h_aliases, "loopback") && count(h->h_aliases) == 1,
          "gethostent: file: localhost, alias loopback");
    h = gethostent();
    const unsigned char a5[4] = { 10, 0, 0, 5 };
    CHECK(h && !strcmp(h->h_name, "host5.example.org") && !memcmp(h->h_addr_list[0], a5, 4),
          "gethostent: file: 10.0.0.5 host5.example.org");
    CHECK(h && count(h->h_aliases) == 1 && in_list(h->h_aliases, "host5"),
          "gethostent: file: the comment ends the aliases");
    h = gethostent();
    CHECK(h && h->h_addrtype == AF_INET6 && !strcmp(h->h_name, "host5v6.example.org"),
          "gethostent: file: malformed lines skipped, then the IPv6 entry");
    h = gethostent();
    CHECK(h && !strcmp(h->h_name, "seven") && h->h_addrtype == AF_INET,
          "gethostent: file: a last line without a newline");
    CHECK(gethostent() == NULL, "gethostent: file: then the end");
    endhostent();

    /* networks */
    struct netent *n = getnetbyname("testnet");
    CHECK(n && n->n_net == 0x0a01u && n->n_addrtype == AF_INET, "getnetbyname: file: testnet 10.1 is 0x0a01");
    n = getnetbyname("tn");
    CHECK(n && !strcmp(n->n_name, "testnet"), "getnetbyname: file: by the alias tn");
    n = getnetbyaddr(0xac100000u, AF_INET);
    CHECK(n && !strcmp(n->n_name, "bignet"), "getnetbyaddr: file: 172.16.0.0 is bignet");
    n = getnetbyaddr(127, AF_INET);
    CHECK(n && !strcmp(n->n_name, "loopback"), "getnetbyaddr: file: loopback 127 is 127");
    CHECK(getnetbyname("bad") == NULL, "getnetbyname: file: a malformed line is skipped");
    CHECK(getnetbyname("link-local") == NULL, "getnetbyname: file: the file replaces the built-in table");
    setnetent(1);
    int nn = 0;
    while (getnetent() && nn < 50)
        nn++;
    CHECK(nn == 3, "getnetent: file: three well-formed networks");
    endnetent();

    /* protocols */
    struct protoent *p = getprotobyname("proto-a");
    CHECK(p && p->p_proto == 200 && count(p->p_aliases) == 2 && in_list(p->p_aliases, "alpha"),
          "getprotobyname: file: proto-a 200, aliases PA alpha");
    p = getprotobyname("alpha");
    CHECK(p && !strcmp(p->p_name, "proto-a"), "getprotobyname: file: by an alias");
    p = getprotobynumber(200);
    CHECK(p && !strcmp(p->p_name, "proto-a"), "getprotobynumber: file: 200 is proto-a");
    CHECK(getprotobyname("tcp") == NULL, "getprotobyname: file: tcp is not in the file: NULL");
    CHECK(getprotobyname("broken") == NULL && getprotobyname("huge") == NULL,
          "getprotobyname: file: malformed numbers skipped");
    setprotoent(0);
    const char *order[] = { "ip", "proto-a", "udp" };
    int ok = 1;
    for (int i = 0; i < 3; i++) {
        p = getprotoent();
        ok &= p && !strcmp(p->p_name, order[i]);
    }
    CHECK(ok && getprotoent() == NULL, "getprotoent: file: ip, proto-a, udp in file order, then the end");
    endprotoent();

    /* services */
    struct servent *s = getservbyname("myservice", "tcp");
    CHECK(s && s->s_port == htons(4242) && !strcmp(s->s_proto, "tcp"), "getservbyname: file: myservice/tcp 4242");
    s = getservbyname("mysvc", NULL);
    CHECK(s && !strcmp(s->s_name, "myservice"), "getservbyname: file: by the alias mysvc");
    s = getservbyname("myservice", "udp");
    CHECK(s && !strcmp(s->s_proto, "udp"), "getservbyname: file: myservice/udp");
    s = getservbyname("http", "tcp");
    CHECK(s && s->s_port == htons(8080), "getservbyname: file: http is the file's 8080");
    s = getservbyport(htons(4242), "udp");
    CHECK(s && !strcmp(s->s_name, "myservice") && !strcmp(s->s_proto, "udp"), "getservbyport: file: 4242/udp");
    CHECK(getservbyname("toolarge", NULL) == NULL && getservbyname("noproto", NULL) == NULL &&
          getservbyname("noslash", NULL) == NULL, "getservbyname: file: malformed lines skipped");
    CHECK(getservbyname("ssh", NULL) == NULL, "getservbyname: file: ssh is not in the file");
    setservent(1);
    int ns = 0;
    while (getservent() && ns < 50)
        ns++;
    CHECK(ns == 3, "getservent: file: three well-formed services");
    endservent();

    /* getnameinfo over the files */
    struct sockaddr_in sin = { 0 };
    char host[64], serv[32];
    sin.sin_family = AF_INET;
    sin.sin_port = htons(4242);
    sin.sin_addr.s_addr = inet_addr("10.0.0.5");
    CHECK(getnameinfo((struct sockaddr *)&sin, sizeof sin, host, sizeof host, serv, sizeof serv, 0) == 0 &&
          !strcmp(host, "host5.example.org") && !strcmp(serv, "myservice"),
          "getnameinfo: file: 10.0.0.5:4242 is host5.example.org, myservice");
    CHECK(getnameinfo((struct sockaddr *)&sin, sizeof sin, host, sizeof host, NULL, 0, NI_NOFQDN) == 0 &&
          !strcmp(host, "host5"), "getnameinfo: file: NI_NOFQDN: host5");
    struct sockaddr_in6 sin6 = { 0 };
    sin6.sin6_family = AF_INET6;
    inet_pton(AF_INET6, "2001:db8::5", &sin6.sin6_addr);
    CHECK(getnameinfo((struct sockaddr *)&sin6, sizeof sin6, host, sizeof host, NULL, 0, NI_NAMEREQD) == 0 &&
          !strcmp(host, "host5v6.example.org"), "getnameinfo: file: 2001:db8::5 by name");

    for (unsigned i = 0; i < sizeof files / sizeof files[0]; i++)
        CHECKF(unlink(files[i]) == 0, "unlink: %s removed", files[i]);
}

/* ---- getnameinfo, gai_strerror ---- */

static void nameinfo(void)
{
    struct sockaddr_in sin = { 0 };
    struct sockaddr_in6 sin6 = { 0 };
    char host[128], serv[32];
    sin.sin_family = AF_INET;
    sin.sin_port = htons(80);
    sin.sin_addr.s_addr = htonl(0x7f000001u);
    const struct sockaddr *sa = (const struct sockaddr *)&sin, *sa6 = (const struct sockaddr *)&sin6;

    CHECK(getnameinfo(sa, sizeof sin, host, sizeof host, serv, sizeof serv, 0) == 0 &&
          !strcmp(host, "localhost") && !strcmp(serv, "http"), "getnameinfo: 127.0.0.1:80 is localhost, http");
    CHECK(getnameinfo(sa, sizeof sin, host, sizeof host, serv, sizeof serv, NI_NUMERICHOST) == 0 &&
          !strcmp(host, "127.0.0.1") && !strcmp(serv, "http"), "getnameinfo: NI_NUMERICHOST: 127.0.0.1");
    CHECK(getnameinfo(sa, sizeof sin, host, sizeof host, serv, sizeof serv, NI_NUMERICSERV) == 0 &&
          !strcmp(host, "localhost") && !strcmp(serv, "80"), "getnameinfo: NI_NUMERICSERV: 80");
    CHECK(getnameinfo(sa, sizeof sin, host, sizeof host, serv, sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV) == 0 &&
          !strcmp(host, "127.0.0.1") && !strcmp(serv, "80"), "getnameinfo: both numeric");
    sin.sin_port = htons(123);
    CHECK(getnameinfo(sa, sizeof sin, NULL, 0, serv, sizeof serv, NI_DGRAM) == 0 && !strcmp(serv, "ntp"),
          "getnameinfo: NI_DGRAM: 123/udp is ntp");
    CHECK(getnameinfo(sa, sizeof sin, NULL, 0, serv, sizeof serv, 0) == 0 && !strcmp(serv, "123"),
          "getnameinfo: 123/tcp has no name: numeric");
    sin.sin_port = htons(54321);
    CHECK(getnameinfo(sa, sizeof sin, NULL, 0, serv, sizeof serv, 0) == 0 && !strcmp(serv, "54321"),
          "getnameinfo: an unknown port: numeric");
    sin.sin_port = 0;
    CHECK(getnameinfo(sa, sizeof sin, NULL, 0, serv, sizeof serv, NI_NUMERICSERV) == 0 && !strcmp(serv, "0"),
          "getnameinfo: port 0: \"0\"");
    sin.sin_addr.s_addr = inet_addr("192.0.2.1");
    CHECK(getnameinfo(sa, sizeof sin, host, sizeof host, NULL, 0, 0) == 0 && !strcmp(host, "192.0.2.1"),
          "getnameinfo: an address with no name: numeric");
    CHECK(getnameinfo(sa, sizeof sin, host, sizeof host, NULL, 0, NI_NAMEREQD) == EAI_NONAME,
          "getnameinfo: NI_NAMEREQD, no name: EAI_NONAME");
    CHECK(getnameinfo(sa, sizeof sin, host, sizeof host, serv, sizeof serv, NI_NAMEREQD | NI_NUMERICHOST) == EAI_NONAME,
          "getnameinfo: NI_NAMEREQD with NI_NUMERICHOST: EAI_NONAME");
    sin.sin_addr.s_addr = htonl(0x7f000001u);
    CHECK(getnameinfo(sa, sizeof sin, host, sizeof host, NULL, 0, NI_NAMEREQD) == 0 && !strcmp(host, "localhost"),
          "getnameinfo: NI_NAMEREQD with a name: localhost");

    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(22);
    sin6.sin6_addr = in6addr_loopback;
    CHECK(getnameinfo(sa6, sizeof sin6, host, sizeof host, serv, sizeof serv, 0) == 0 &&
          !strcmp(host, "localhost") && !strcmp(serv, "ssh"), "getnameinfo: [::1]:22 is localhost, ssh");
    CHECK(getnameinfo(sa6, sizeof sin6, host, sizeof host, NULL, 0, NI_NUMERICHOST) == 0 && !strcmp(host, "::1"),
          "getnameinfo: AF_INET6 NI_NUMERICHOST: ::1");
    inet_pton(AF_INET6, "fe80::1", &sin6.sin6_addr);
    sin6.sin6_scope_id = 1;
    CHECK(getnameinfo(sa6, sizeof sin6, host, sizeof host, NULL, 0, 0) == 0 && !strcmp(host, "fe80::1%1"),
          "getnameinfo: a scoped address: fe80::1%1");
    sin6.sin6_scope_id = 0;
    inet_pton(AF_INET6, "::ffff:192.0.2.1", &sin6.sin6_addr);
    CHECK(getnameinfo(sa6, sizeof sin6, host, sizeof host, NULL, 0, 0) == 0 && !strcmp(host, "::ffff:192.0.2.1"),
          "getnameinfo: a mapped address: ::ffff:192.0.2.1");

    /* errors */
    struct sockaddr un = { 0 };
    un.sa_family = AF_UNIX;
    CHECK(getnameinfo(&un, sizeof un, host, sizeof host, serv, sizeof serv, 0) == EAI_FAMILY,
          "getnameinfo: AF_UNIX: EAI_FAMILY");
    un.sa_family = 12345;
    CHECK(getnameinfo(&un, sizeof un, host, sizeof host, NULL, 0, 0) == EAI_FAMILY,
          "getnameinfo: an unknown family: EAI_FAMILY");
    sin.sin_port = htons(80);
    CHECK(getnameinfo(sa, sizeof sin - 1, host, sizeof host, NULL, 0, 0) == EAI_FAMILY,
          "getnameinfo: AF_INET with a short length: EAI_FAMILY");
    CHECK(getnameinfo(sa6, sizeof sin6 - 4, host, sizeof host, NULL, 0, 0) == EAI_FAMILY,
          "getnameinfo: AF_INET6 with a short length: EAI_FAMILY");
    CHECK(getnameinfo(sa, sizeof sin, host, 9, NULL, 0, 0) == EAI_OVERFLOW,
          "getnameinfo: \"localhost\" in 9 bytes: EAI_OVERFLOW");
    CHECK(getnameinfo(sa, sizeof sin, host, 10, NULL, 0, 0) == 0 && !strcmp(host, "localhost"),
          "getnameinfo: \"localhost\" in 10 bytes");
    CHECK(getnameinfo(sa, sizeof sin, host, 9, NULL, 0, NI_NUMERICHOST) == EAI_OVERFLOW,
          "getnameinfo: \"127.0.0.1\" in 9 bytes: EAI_OVERFLOW");
    CHECK(getnameinfo(sa, sizeof sin, NULL, 0, serv, 4, 0) == EAI_OVERFLOW,
          "getnameinfo: \"http\" in 4 bytes: EAI_OVERFLOW");
    CHECK(getnameinfo(sa, sizeof sin, NULL, 0, serv, 2, NI_NUMERICSERV) == EAI_OVERFLOW,
          "getnameinfo: \"80\" in 2 bytes: EAI_OVERFLOW");
    CHECK(getnameinfo(sa, sizeof sin, NULL, 0, serv, 3, NI_NUMERICSERV) == 0 && !strcmp(serv, "80"),
          "getnameinfo: \"80\" in 3 bytes");
    CHECK(getnameinfo(sa, sizeof sin, NULL, 0, NULL, 0, 0) == EAI_NONAME,
          "getnameinfo: neither host nor service asked: EAI_NONAME");
    CHECK(getnameinfo(sa, sizeof sin, host, 0, serv, 0, 0) == EAI_NONAME,
          "getnameinfo: zero lengths count as not asked: EAI_NONAME");
    CHECK(getnameinfo(sa, sizeof sin, host, sizeof host, NULL, 0, 0x10000) == EAI_BADFLAGS,
          "getnameinfo: an unknown flag: EAI_BADFLAGS");
    errno = 1234;
    (void)getnameinfo(sa, sizeof sin, host, sizeof host, serv, sizeof serv, 0);
    CHECK(errno == 1234, "getnameinfo: errno unchanged on success");
}

static void strerror_table(void)
{
    static const int codes[] = { EAI_AGAIN, EAI_BADFLAGS, EAI_FAIL, EAI_FAMILY, EAI_MEMORY,
                                 EAI_NONAME, EAI_SERVICE, EAI_SOCKTYPE, EAI_SYSTEM, EAI_OVERFLOW };
    static const char *const names[] = { "EAI_AGAIN", "EAI_BADFLAGS", "EAI_FAIL", "EAI_FAMILY",
                                         "EAI_MEMORY", "EAI_NONAME", "EAI_SERVICE", "EAI_SOCKTYPE",
                                         "EAI_SYSTEM", "EAI_OVERFLOW" };
    const unsigned n = sizeof codes / sizeof codes[0];
    for (unsigned i = 0; i < n; i++) {
        const char *m = gai_strerror(codes[i]);
        int distinct = m != NULL;
        for (unsigned j = 0; distinct && j < i; j++)
            distinct = strcmp(m, gai_strerror(codes[j])) != 0;
        CHECKF(m && *m && distinct, "gai_strerror: %s has a message of its own", names[i]);
        CHECKF(codes[i] != 0, "netdb.h: %s is nonzero", names[i]);
    }
    const char *u = gai_strerror(-9999);
    CHECK(u && *u, "gai_strerror: an unknown code still gets a message");
    CHECK(strcmp(u, gai_strerror(EAI_NONAME)) != 0, "gai_strerror: ... not another code's");
}

/* `conform netdb passed`: the host passed /etc/hosts, networks, protocols and services into
 * the run (tests/conformance/test_conformance.py, PASSED_ETC); the databases are theirs. */
static int passed_files(void)
{
    struct hostent *h = gethostent();
    const unsigned char a50[4] = { 192, 0, 2, 50 };
    CHECK(h && !strcmp(h->h_name, "passed-host.example") && h->h_addrtype == AF_INET &&
          !memcmp(h->h_addr_list[0], a50, 4) && in_list(h->h_aliases, "ph"),
          "gethostent: passed file: 192.0.2.50 passed-host.example, alias ph");
    endhostent();
    struct netent *n = getnetbyname("passed-net");
    CHECK(n && n->n_net == 0x0a0bu, "getnetbyname: passed file: passed-net 10.11");
    struct protoent *p = getprotobyname("passed-proto");
    CHECK(p && p->p_proto == 250 && getprotobynumber(250) == p, "getprotobyname: passed file: passed-proto 250");
    CHECK(getprotobyname("tcp") == NULL, "getprotobyname: passed file: it replaces the built-in table");
    struct servent *s = getservbyname("passed-svc", "tcp");
    CHECK(s && s->s_port == htons(5555), "getservbyname: passed file: passed-svc 5555/tcp");
    CHECK(getservbyname("http", NULL) == NULL, "getservbyname: passed file: it replaces the built-in table");

    struct sockaddr_in sin = { 0 };
    char host[64], serv[32];
    sin.sin_family = AF_INET;
    sin.sin_port = htons(5555);
    memcpy(&sin.sin_addr, a50, 4);
    CHECK(getnameinfo((struct sockaddr *)&sin, sizeof sin, host, sizeof host, serv, sizeof serv, NI_NAMEREQD) == 0 &&
          !strcmp(host, "passed-host.example") && !strcmp(serv, "passed-svc"),
          "getnameinfo: passed files: passed-host.example, passed-svc");
    struct addrinfo hints = { 0 }, *r = NULL;
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    CHECK(getaddrinfo("ph", "passed-svc", &hints, &r) == 0 && r && r->ai_addr &&
          !memcmp(&((struct sockaddr_in *)(void *)r->ai_addr)->sin_addr, a50, 4) &&
          ((struct sockaddr_in *)(void *)r->ai_addr)->sin_port == htons(5555),
          "getaddrinfo: passed files: ph:passed-svc is 192.0.2.50:5555");
    freeaddrinfo(r);
    CONFORM_DONE();
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "passed"))
        return passed_files();
    for (unsigned i = 0; i < sizeof files / sizeof files[0]; i++)
        (void)unlink(files[i]); /* a clean start: the built-in tables */
    builtin_protocols("built-in");
    builtin_services("built-in");
    builtin_hosts();
    builtin_networks();
    nameinfo();
    strerror_table();
    from_files();
    builtin_protocols("files removed");
    builtin_services("files removed");
    CONFORM_DONE();
}

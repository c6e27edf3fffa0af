/*
 * <netdb.h>'s local databases: hosts, networks, protocols and services, read from /etc/hosts,
 * /etc/networks, /etc/protocols and /etc/services when the app's file system has them (the
 * host can pass files into a run), else from a small built-in table in the same format
 * (localhost; ip, icmp, tcp, udp; a handful of well-known services). POSIX lets the databases
 * be local, and a single-process system has no resolver to ask. getnameinfo() answers from
 * them, as getaddrinfo() does (addrinfo.c); gai_strerror() names every EAI_* code.
 *
 * The get*ent() walk of a database keeps its descriptor open until end*ent(); a lookup by
 * name, number or address scans the database on its own from the start, so it never moves a
 * walk in progress. Every entry returned lives in the database's one static area, which the
 * next call on that database overwrites (as POSIX allows). errno is left as it was.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "internal.h"
#include "netdb_local.h"

#define LINE_SIZE 512 /* longer lines are cut there */
#define MAX_FIELDS 16 /* fields kept per line: the name, the value, up to 13 aliases */

static const char *const builtin_hosts[] = {
    "127.0.0.1 localhost",
    "::1 localhost ip6-localhost ip6-loopback",
    NULL,
};
static const char *const builtin_networks[] = {
    "default 0.0.0.0",
    "loopback 127.0.0.0",
    "link-local 169.254.0.0",
    NULL,
};
static const char *const builtin_protocols[] = {
    "ip 0 IP",
    "icmp 1 ICMP",
    "tcp 6 TCP",
    "udp 17 UDP",
    "ipv6 41 IPv6",
    "ipv6-icmp 58 IPv6-ICMP",
    NULL,
};
static const char *const builtin_services[] = {
    "echo 7/tcp",
    "echo 7/udp",
    "ftp 21/tcp",
    "ssh 22/tcp",
    "telnet 23/tcp",
    "smtp 25/tcp mail",
    "domain 53/tcp",
    "domain 53/udp",
    "http 80/tcp www",
    "ntp 123/udp",
    "https 443/tcp",
    NULL,
};

/* A source of lines: the file, or the built-in table when the file could not be opened. */
struct src {
    const char *path;
    const char *const *builtin;
    int fd, next, active; /* next: the next built-in line */
    int len, pos;
    char buf[256];
};

/* One database: its walk, and the storage of the entry last returned. */
struct db {
    struct src walk;
    char line[LINE_SIZE];
    char *field[MAX_FIELDS + 1];
};

static struct db hosts = { { "/etc/hosts", builtin_hosts, -1, 0, 0, 0, 0, { 0 } }, { 0 }, { 0 } };
static struct db networks = { { "/etc/networks", builtin_networks, -1, 0, 0, 0, 0, { 0 } },
                              { 0 }, { 0 } };
static struct db protocols = { { "/etc/protocols", builtin_protocols, -1, 0, 0, 0, 0, { 0 } },
                               { 0 }, { 0 } };
static struct db services = { { "/etc/services", builtin_services, -1, 0, 0, 0, 0, { 0 } },
                              { 0 }, { 0 } };

static void src_open(struct src *s)
{
    int e = errno;
    s->fd = open(s->path, O_RDONLY | O_CLOEXEC);
    errno = e;
    s->next = s->len = s->pos = 0;
    s->active = 1;
}

static void src_rewind(struct src *s)
{
    if (!s->active) {
        src_open(s);
        return;
    }
    int e = errno;
    if (s->fd >= 0)
        (void)lseek(s->fd, 0, SEEK_SET);
    errno = e;
    s->next = s->len = s->pos = 0;
}

static void src_close(struct src *s)
{
    int e = errno;
    if (s->fd >= 0)
        (void)close(s->fd);
    errno = e;
    s->fd = -1;
    s->active = 0;
}

/* The next line into line[LINE_SIZE], without its newline; 0 at the end. */
static int src_line(struct src *s, char *line)
{
    if (s->fd < 0) {
        if (!s->builtin[s->next])
            return 0;
        (void)snprintf(line, LINE_SIZE, "%s", s->builtin[s->next++]);
        return 1;
    }
    size_t n = 0;
    int any = 0;
    for (;;) {
        if (s->pos == s->len) {
            int e = errno;
            ssize_t r = read(s->fd, s->buf, sizeof s->buf);
            errno = e;
            if (r <= 0)
                break;
            s->len = (int)r;
            s->pos = 0;
        }
        char c = s->buf[s->pos++];
        any = 1;
        if (c == '\n')
            break;
        if (n < LINE_SIZE - 1)
            line[n++] = c;
    }
    line[n] = '\0';
    return any;
}

/* Split a line into its fields (a `#` starts a comment); the count, 0 for none. */
static int split(char *line, char **field)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    int n = 0;
    for (char *p = line; *p && n < MAX_FIELDS;) {
        while (*p == ' ' || *p == '\t' || *p == '\r')
            p++;
        if (!*p)
            break;
        field[n++] = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\r')
            p++;
        if (*p)
            *p++ = '\0';
    }
    field[n] = NULL;
    return n;
}

/* Entry builders: fill the database's entry from its fields; 0 for a malformed line. */
typedef int (*build_fn)(struct db *d, int n);
/* Lookup predicates on the entry just built. */
typedef int (*match_fn)(const void *key, const void *key2);

/* The next well-formed entry of `s`, built into d; 0 at the end. */
static int next_entry(struct db *d, struct src *s, build_fn build)
{
    while (src_line(s, d->line)) {
        int n = split(d->line, d->field);
        if (n >= 2 && build(d, n))
            return 1;
    }
    return 0;
}

/* Scan the whole database from its start, apart from any walk; 1 when `match` took one. */
static int lookup(struct db *d, build_fn build, match_fn match, const void *key,
                  const void *key2)
{
    struct src s = d->walk;
    s.active = 0;
    src_open(&s);
    int found = 0;
    while (!found && next_entry(d, &s, build))
        found = match(key, key2);
    src_close(&s);
    return found;
}

static int has_name(char *name, char **aliases, const char *want)
{
    if (!strcmp(name, want))
        return 1;
    for (; *aliases; aliases++)
        if (!strcmp(*aliases, want))
            return 1;
    return 0;
}

/* ---- hosts ---- */

static struct hostent host;
static unsigned char host_addr[16];
static char *host_addrs[2] = { (char *)host_addr, NULL };

static int build_host(struct db *d, int n)
{
    (void)n;
    if (inet_pton(AF_INET, d->field[0], host_addr) == 1)
        host.h_addrtype = AF_INET, host.h_length = 4;
    else if (inet_pton(AF_INET6, d->field[0], host_addr) == 1)
        host.h_addrtype = AF_INET6, host.h_length = 16;
    else
        return 0;
    host.h_name = d->field[1];
    host.h_aliases = d->field + 2;
    host.h_addr_list = host_addrs;
    return 1;
}

void sethostent(int stay_open)
{
    (void)stay_open; /* the walk stays open until endhostent() either way */
    src_rewind(&hosts.walk);
}

struct hostent *gethostent(void)
{
    if (!hosts.walk.active)
        src_open(&hosts.walk);
    return next_entry(&hosts, &hosts.walk, build_host) ? &host : NULL;
}

void endhostent(void)
{
    src_close(&hosts.walk);
}

int __bk_hosts_named(const char *name, int (*each)(void *ctx, int af, const void *addr,
                                                   const char *canon), void *ctx)
{
    struct src s = hosts.walk;
    s.active = 0;
    src_open(&s);
    int rc = 0;
    while (!rc && next_entry(&hosts, &s, build_host)) {
        int hit = !strcasecmp(host.h_name, name);
        for (char **a = host.h_aliases; !hit && *a; a++)
            hit = !strcasecmp(*a, name);
        if (hit)
            rc = each(ctx, host.h_addrtype, host_addr, host.h_name);
    }
    src_close(&s);
    return rc;
}

static int host_is(const void *af, const void *addr)
{
    return host.h_addrtype == *(const int *)af &&
           !memcmp(host_addr, addr, (size_t)host.h_length);
}

/* ---- networks ---- */

static struct netent net;

/* inet_network(): 1 to 4 parts, each 0-255 (decimal, octal or hex), as the number's bytes. */
static int network_number(const char *s, uint32_t *out)
{
    uint32_t v = 0;
    for (int parts = 0;; s++) {
        char *end;
        if (*s < '0' || *s > '9')
            return 0;
        unsigned long p = strtoul(s, &end, 0);
        if (p > 255 || ++parts > 4)
            return 0;
        v = v << 8 | (uint32_t)p;
        s = end;
        if (*s != '.')
            break;
    }
    *out = v;
    return *s == '\0';
}

static int build_net(struct db *d, int n)
{
    (void)n;
    uint32_t v;
    if (!network_number(d->field[1], &v))
        return 0;
    net.n_name = d->field[0];
    net.n_aliases = d->field + 2;
    net.n_addrtype = AF_INET;
    net.n_net = v;
    return 1;
}

void setnetent(int stay_open)
{
    (void)stay_open;
    src_rewind(&networks.walk);
}

struct netent *getnetent(void)
{
    if (!networks.walk.active)
        src_open(&networks.walk);
    return next_entry(&networks, &networks.walk, build_net) ? &net : NULL;
}

void endnetent(void)
{
    src_close(&networks.walk);
}

static int net_named(const void *name, const void *unused)
{
    (void)unused;
    return has_name(net.n_name, net.n_aliases, name);
}

static int net_numbered(const void *number, const void *type)
{
    return net.n_net == *(const uint32_t *)number && net.n_addrtype == *(const int *)type;
}

struct netent *getnetbyname(const char *name)
{
    return name && lookup(&networks, build_net, net_named, name, NULL) ? &net : NULL;
}

struct netent *getnetbyaddr(uint32_t number, int type)
{
    return lookup(&networks, build_net, net_numbered, &number, &type) ? &net : NULL;
}

/* ---- protocols ---- */

static struct protoent proto;

static int build_proto(struct db *d, int n)
{
    (void)n;
    char *end = NULL;
    if (d->field[1][0] < '0' || d->field[1][0] > '9')
        return 0;
    long v = strtol(d->field[1], &end, 10);
    if (*end || v > 255)
        return 0;
    proto.p_name = d->field[0];
    proto.p_aliases = d->field + 2;
    proto.p_proto = (int)v;
    return 1;
}

void setprotoent(int stay_open)
{
    (void)stay_open;
    src_rewind(&protocols.walk);
}

struct protoent *getprotoent(void)
{
    if (!protocols.walk.active)
        src_open(&protocols.walk);
    return next_entry(&protocols, &protocols.walk, build_proto) ? &proto : NULL;
}

void endprotoent(void)
{
    src_close(&protocols.walk);
}

static int proto_named(const void *name, const void *unused)
{
    (void)unused;
    return has_name(proto.p_name, proto.p_aliases, name);
}

static int proto_numbered(const void *number, const void *unused)
{
    (void)unused;
    return proto.p_proto == *(const int *)number;
}

struct protoent *getprotobyname(const char *name)
{
    return name && lookup(&protocols, build_proto, proto_named, name, NULL) ? &proto : NULL;
}

struct protoent *getprotobynumber(int number)
{
    return lookup(&protocols, build_proto, proto_numbered, &number, NULL) ? &proto : NULL;
}

/* ---- services ---- */

static struct servent serv;

static int build_serv(struct db *d, int n)
{
    (void)n;
    char *slash = strchr(d->field[1], '/'), *end = NULL;
    if (!slash || !slash[1] || d->field[1][0] < '0' || d->field[1][0] > '9')
        return 0;
    long port = strtol(d->field[1], &end, 10);
    if (end != slash || port > 65535)
        return 0;
    *slash = '\0';
    serv.s_name = d->field[0];
    serv.s_aliases = d->field + 2;
    serv.s_port = htons((uint16_t)port);
    serv.s_proto = slash + 1;
    return 1;
}

void setservent(int stay_open)
{
    (void)stay_open;
    src_rewind(&services.walk);
}

struct servent *getservent(void)
{
    if (!services.walk.active)
        src_open(&services.walk);
    return next_entry(&services, &services.walk, build_serv) ? &serv : NULL;
}

void endservent(void)
{
    src_close(&services.walk);
}

static int serv_named(const void *name, const void *proto_name)
{
    return has_name(serv.s_name, serv.s_aliases, name) &&
           (!proto_name || !strcmp(serv.s_proto, proto_name));
}

static int serv_ported(const void *port, const void *proto_name)
{
    return serv.s_port == *(const int *)port &&
           (!proto_name || !strcmp(serv.s_proto, proto_name));
}

struct servent *getservbyname(const char *name, const char *proto_name)
{
    return name && lookup(&services, build_serv, serv_named, name, proto_name) ? &serv : NULL;
}

struct servent *getservbyport(int port, const char *proto_name)
{
    return lookup(&services, build_serv, serv_ported, &port, proto_name) ? &serv : NULL;
}

/* ---- getnameinfo, gai_strerror ---- */

static int put(char *dst, socklen_t size, const char *text)
{
    size_t n = strlen(text) + 1;
    if (n > size)
        return EAI_OVERFLOW;
    memcpy(dst, text, n);
    return 0;
}

int getnameinfo(const struct sockaddr *restrict sa, socklen_t salen, char *restrict host_out,
                socklen_t hostlen, char *restrict serv_out, socklen_t servlen, int flags)
{
    if (flags & ~(NI_NOFQDN | NI_NUMERICHOST | NI_NAMEREQD | NI_NUMERICSERV | NI_DGRAM))
        return EAI_BADFLAGS;
    const void *addr;
    in_port_t port;
    uint32_t scope = 0;
    int af = sa ? sa->sa_family : AF_UNSPEC;
    if (af == AF_INET && salen >= sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        addr = &in->sin_addr;
        port = in->sin_port;
    } else if (af == AF_INET6 && salen >= sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        addr = &in6->sin6_addr;
        port = in6->sin6_port;
        scope = in6->sin6_scope_id;
    } else {
        return EAI_FAMILY;
    }
    int want_host = host_out && hostlen, want_serv = serv_out && servlen;
    if (!want_host && !want_serv)
        return EAI_NONAME;
    int e = errno, rc = 0;
    if (want_host) {
        char text[INET6_ADDRSTRLEN + 12];
        if (!(flags & NI_NUMERICHOST) && lookup(&hosts, build_host, host_is, &af, addr)) {
            (void)snprintf(text, sizeof text, "%s", host.h_name);
            char *dot = flags & NI_NOFQDN ? strchr(text, '.') : NULL;
            if (dot)
                *dot = '\0';
        } else if (flags & NI_NAMEREQD) {
            rc = EAI_NONAME;
        } else {
            (void)inet_ntop(af, addr, text, sizeof text);
            if (scope)
                (void)snprintf(text + strlen(text), 12, "%%%u", (unsigned)scope);
        }
        if (!rc)
            rc = put(host_out, hostlen, text);
    }
    if (want_serv && !rc) {
        char text[16];
        const char *proto_name = flags & NI_DGRAM ? "udp" : "tcp";
        int p = port;
        if (!(flags & NI_NUMERICSERV) &&
            lookup(&services, build_serv, serv_ported, &p, proto_name))
            rc = put(serv_out, servlen, serv.s_name);
        else {
            (void)snprintf(text, sizeof text, "%u", (unsigned)ntohs(port));
            rc = put(serv_out, servlen, text);
        }
    }
    errno = e;
    return rc;
}

const char *gai_strerror(int ecode)
{
    switch (ecode) {
    case 0: return "Success";
    case EAI_AGAIN: return "Temporary failure in name resolution";
    case EAI_BADFLAGS: return "Invalid flags";
    case EAI_FAIL: return "Non-recoverable failure in name resolution";
    case EAI_FAMILY: return "Address family not supported";
    case EAI_MEMORY: return "Out of memory";
    case EAI_NONAME: return "Name or service not known";
    case EAI_SERVICE: return "Service not supported for socket type";
    case EAI_SOCKTYPE: return "Socket type not supported";
    case EAI_SYSTEM: return "System error";
    case EAI_OVERFLOW: return "Argument buffer overflow";
    default: return "Unknown error";
    }
}

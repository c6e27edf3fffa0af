/*
 * getaddrinfo()/freeaddrinfo() over the local databases (netdb.c): numeric hosts and ports
 * always, host names from the hosts database, service names from the services database. There
 * is no resolver to ask (the kernel's GetAddrinfo needs `enable_net`, which the validation
 * kernel lacks), so a name the hosts database does not list is EAI_NONAME.
 *
 * Order of the results: per address (the hosts entries in file order; IPv4 before IPv6 for a
 * null host), one result per socket type asked (SOCK_STREAM/tcp, then SOCK_DGRAM/udp, then
 * SOCK_RAW when no service was named). Each result is one allocation holding its socket
 * address and, on the first, the canonical name.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"
#include "netdb_local.h"

#define AI_KNOWN (AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_NUMERICSERV | AI_V4MAPPED | \
                  AI_ALL | AI_ADDRCONFIG)
#define MAX_ADDRS 16 /* addresses kept per name: more are dropped */

struct want {
    int family, flags;
    int n, n6; /* addresses found: all, IPv6 */
    struct { int af; unsigned char a[16]; } addr[MAX_ADDRS];
    char canon[256];
};

/* af -1: an IPv4 address kept aside for AI_V4MAPPED */
static void add(struct want *w, int af, const void *a)
{
    if (w->n == MAX_ADDRS)
        return;
    w->addr[w->n].af = af;
    memcpy(w->addr[w->n].a, a, af == AF_INET6 ? 16 : 4);
    w->n++;
    w->n6 += af == AF_INET6;
}

/* An IPv4 address as an IPv4-mapped IPv6 one (AI_V4MAPPED). */
static void add_mapped(struct want *w, const unsigned char *a4)
{
    unsigned char a[16] = { [10] = 0xff, [11] = 0xff };
    memcpy(a + 12, a4, 4);
    add(w, AF_INET6, a);
}

static int take(void *ctx, int af, const void *addr, const char *canon)
{
    struct want *w = ctx;
    if (!w->n && !w->canon[0])
        (void)snprintf(w->canon, sizeof w->canon, "%s", canon);
    if (w->family == AF_UNSPEC || w->family == af)
        add(w, af, addr);
    else if (w->family == AF_INET6 && af == AF_INET && (w->flags & AI_V4MAPPED))
        add(w, -1, addr); /* kept aside: mapped later if no IPv6 address (or AI_ALL) */
    return 0;
}

/* Addresses for `node` into w; 0 or an EAI_* code. */
static int resolve(const char *node, struct want *w)
{
    unsigned char a[16];
    if (!node) {
        static const unsigned char any4[4], lo4[4] = { 127, 0, 0, 1 };
        int passive = w->flags & AI_PASSIVE;
        if (w->family != AF_INET6)
            add(w, AF_INET, passive ? any4 : lo4);
        if (w->family != AF_INET)
            add(w, AF_INET6, passive ? &in6addr_any : &in6addr_loopback);
        return 0;
    }
    int af = inet_pton(AF_INET, node, a) == 1 ? AF_INET
           : inet_pton(AF_INET6, node, a) == 1 ? AF_INET6 : 0;
    if (af) {
        (void)snprintf(w->canon, sizeof w->canon, "%s", node);
        if (w->family == AF_UNSPEC || w->family == af)
            add(w, af, a);
        else if (af == AF_INET && w->family == AF_INET6 && (w->flags & AI_V4MAPPED))
            add_mapped(w, a);
        return w->n ? 0 : EAI_NONAME; /* the text names another family's address */
    }
    if (w->flags & AI_NUMERICHOST)
        return EAI_NONAME;
    (void)__bk_hosts_named(node, take, w);
    /* the IPv4 addresses kept aside for AI_V4MAPPED (af -1) become mapped ones, or go */
    int keep = 0, mapped = !w->n6 || (w->flags & AI_ALL);
    for (int i = 0; i < w->n; i++) {
        if (w->addr[i].af != -1)
            w->addr[keep++] = w->addr[i];
        else if (mapped) {
            unsigned char m[16] = { [10] = 0xff, [11] = 0xff };
            memcpy(m + 12, w->addr[i].a, 4);
            w->addr[keep].af = AF_INET6;
            memcpy(w->addr[keep++].a, m, 16);
        }
    }
    w->n = keep;
    return w->n ? 0 : EAI_NONAME;
}

/* The port of `service` for protocol `proto` ("tcp"/"udp"), network order; -1: none. */
static int port_of(const char *service, const char *proto, int numeric_only)
{
    if (!service)
        return 0;
    char *end;
    if (*service >= '0' && *service <= '9') {
        unsigned long p = strtoul(service, &end, 10);
        return *end || p > 65535 ? -1 : htons((uint16_t)p);
    }
    if (numeric_only)
        return -1;
    struct servent *s = getservbyname(service, proto);
    return s ? s->s_port : -1;
}

static struct addrinfo *result(int af, const unsigned char *a, int type, int proto, int port,
                               const char *canon)
{
    size_t len = af == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
    size_t clen = canon ? strlen(canon) + 1 : 0;
    struct addrinfo *ai = calloc(1, sizeof *ai + sizeof(struct sockaddr_in6) + clen);
    if (!ai)
        return NULL;
    ai->ai_family = af;
    ai->ai_socktype = type;
    ai->ai_protocol = proto;
    ai->ai_addrlen = (socklen_t)len;
    ai->ai_addr = (struct sockaddr *)(ai + 1);
    if (af == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)(void *)ai->ai_addr;
        in->sin_family = AF_INET;
        in->sin_port = (in_port_t)port;
        memcpy(&in->sin_addr, a, 4);
    } else {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)(void *)ai->ai_addr;
        in6->sin6_family = AF_INET6;
        in6->sin6_port = (in_port_t)port;
        memcpy(&in6->sin6_addr, a, 16);
    }
    if (canon) {
        ai->ai_canonname = (char *)ai->ai_addr + sizeof(struct sockaddr_in6);
        memcpy(ai->ai_canonname, canon, clen);
    }
    return ai;
}

void freeaddrinfo(struct addrinfo *ai)
{
    while (ai) {
        struct addrinfo *next = ai->ai_next;
        free(ai);
        ai = next;
    }
}

int getaddrinfo(const char *restrict node, const char *restrict service,
                const struct addrinfo *restrict hints, struct addrinfo **restrict res)
{
    static const struct { int type, proto; const char *name; } kinds[] = {
        { SOCK_STREAM, IPPROTO_TCP, "tcp" },
        { SOCK_DGRAM, IPPROTO_UDP, "udp" },
        { SOCK_RAW, 0, NULL },
    };
    int flags = hints ? hints->ai_flags : 0, family = hints ? hints->ai_family : AF_UNSPEC;
    int type = hints ? hints->ai_socktype : 0, proto = hints ? hints->ai_protocol : 0;
    if (flags & ~AI_KNOWN || ((flags & AI_CANONNAME) && !node))
        return EAI_BADFLAGS;
    if (!node && !service)
        return EAI_NONAME;
    if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6)
        return EAI_FAMILY;
    if (type != 0 && type != SOCK_STREAM && type != SOCK_DGRAM && type != SOCK_RAW)
        return EAI_SOCKTYPE;
    if ((!type && proto && proto != IPPROTO_TCP && proto != IPPROTO_UDP) ||
        (type == SOCK_STREAM && proto && proto != IPPROTO_TCP) ||
        (type == SOCK_DGRAM && proto && proto != IPPROTO_UDP))
        return EAI_SOCKTYPE;
    if (type == SOCK_RAW && service)
        return EAI_SERVICE; /* a raw socket has no ports */

    int e = errno;
    struct want w = { .family = family, .flags = flags };
    int rc = resolve(node, &w);
    struct addrinfo *head = NULL, **tail = &head;
    int any_port = 0;
    for (int i = 0; !rc && i < w.n; i++) {
        for (unsigned k = 0; !rc && k < sizeof kinds / sizeof kinds[0]; k++) {
            if (type ? kinds[k].type != type : kinds[k].type == SOCK_RAW)
                continue;
            if (proto && kinds[k].proto && proto != kinds[k].proto)
                continue;
            int port = port_of(service, kinds[k].name, flags & AI_NUMERICSERV);
            if (port < 0)
                continue;
            any_port = 1;
            struct addrinfo *ai = result(w.addr[i].af, w.addr[i].a, kinds[k].type,
                                         kinds[k].proto ? kinds[k].proto : proto, port,
                                         head || !(flags & AI_CANONNAME) ? NULL : w.canon);
            if (!ai)
                rc = EAI_MEMORY;
            else
                *tail = ai, tail = &ai->ai_next;
        }
    }
    if (!rc && !any_port) /* the service is not known for the socket types asked */
        rc = service && (flags & AI_NUMERICSERV) && !(*service >= '0' && *service <= '9')
             ? EAI_NONAME : EAI_SERVICE;
    errno = e;
    if (rc) {
        freeaddrinfo(head);
        return rc;
    }
    *res = head;
    return 0;
}

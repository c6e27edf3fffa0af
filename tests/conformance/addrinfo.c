/* getaddrinfo()/freeaddrinfo() over the local databases: numeric hosts (IPv4, IPv6, mapped),
 * the null host (loopback, or the wildcard with AI_PASSIVE), names from the hosts database
 * (built-in, then an /etc/hosts written into the app's file system), services by name and
 * number per socket type, AI_CANONNAME, AI_NUMERICHOST, AI_NUMERICSERV, AI_V4MAPPED/AI_ALL,
 * and the EAI_* errors. The conformance driver runs this as `conform addrinfo`. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conform.h"

static int count(const struct addrinfo *ai)
{
    int n = 0;
    for (; ai; ai = ai->ai_next)
        n++;
    return n;
}

/* The result is one IPv4 address `text` with port `port` (host order). */
static int is4(const struct addrinfo *ai, const char *text, int port)
{
    if (!ai || ai->ai_family != AF_INET || ai->ai_addrlen != sizeof(struct sockaddr_in))
        return 0;
    const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)ai->ai_addr;
    char buf[INET_ADDRSTRLEN];
    return in->sin_family == AF_INET && ntohs(in->sin_port) == port &&
           inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf) && !strcmp(buf, text);
}

static int is6(const struct addrinfo *ai, const char *text, int port)
{
    if (!ai || ai->ai_family != AF_INET6 || ai->ai_addrlen != sizeof(struct sockaddr_in6))
        return 0;
    const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)ai->ai_addr;
    char buf[INET6_ADDRSTRLEN];
    return in6->sin6_family == AF_INET6 && ntohs(in6->sin6_port) == port &&
           inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof buf) && !strcmp(buf, text);
}

static struct addrinfo hint(int flags, int family, int type, int proto)
{
    struct addrinfo h;
    memset(&h, 0, sizeof h);
    h.ai_flags = flags;
    h.ai_family = family;
    h.ai_socktype = type;
    h.ai_protocol = proto;
    return h;
}

static void numeric(void)
{
    struct addrinfo h = hint(0, AF_UNSPEC, SOCK_STREAM, 0), *r = NULL;
    CHECK(getaddrinfo("192.0.2.1", "80", &h, &r) == 0, "getaddrinfo: numeric IPv4 host and port");
    CHECK(count(r) == 1 && is4(r, "192.0.2.1", 80), "getaddrinfo: one result, 192.0.2.1 port 80");
    CHECK(r && r->ai_socktype == SOCK_STREAM && r->ai_protocol == IPPROTO_TCP,
          "getaddrinfo: SOCK_STREAM, IPPROTO_TCP");
    CHECK(r && r->ai_canonname == NULL, "getaddrinfo: no canonical name unless AI_CANONNAME");
    freeaddrinfo(r);
    r = NULL;
    CHECK(getaddrinfo("2001:db8::7", "443", &h, &r) == 0 && count(r) == 1 && is6(r, "2001:db8::7", 443),
          "getaddrinfo: numeric IPv6 host");
    freeaddrinfo(r);
    r = NULL;
    h = hint(0, AF_UNSPEC, 0, 0);
    CHECK(getaddrinfo("10.1.2.3", "7", &h, &r) == 0 && count(r) == 2, "getaddrinfo: no socket type: stream and datagram");
    CHECK(r && r->ai_socktype == SOCK_STREAM && r->ai_next && r->ai_next->ai_socktype == SOCK_DGRAM &&
          r->ai_next->ai_protocol == IPPROTO_UDP && is4(r->ai_next, "10.1.2.3", 7),
          "getaddrinfo: ... the second is SOCK_DGRAM/IPPROTO_UDP, same address");
    freeaddrinfo(r);
    r = NULL;
    h = hint(0, AF_INET6, SOCK_DGRAM, 0);
    CHECK(getaddrinfo("192.0.2.1", "53", &h, &r) == EAI_NONAME,
          "getaddrinfo: IPv4 text with AF_INET6: EAI_NONAME");
    h.ai_flags = AI_V4MAPPED;
    CHECK(getaddrinfo("192.0.2.1", "53", &h, &r) == 0 && count(r) == 1 && is6(r, "::ffff:192.0.2.1", 53),
          "getaddrinfo: AI_V4MAPPED: the IPv4-mapped address");
    freeaddrinfo(r);
    r = NULL;
    h = hint(0, AF_INET, SOCK_STREAM, 0);
    CHECK(getaddrinfo("::1", "80", &h, &r) == EAI_NONAME, "getaddrinfo: IPv6 text with AF_INET: EAI_NONAME");
    h = hint(AI_NUMERICHOST, AF_UNSPEC, SOCK_STREAM, 0);
    CHECK(getaddrinfo("localhost", "80", &h, &r) == EAI_NONAME, "getaddrinfo: AI_NUMERICHOST with a name: EAI_NONAME");
    CHECK(getaddrinfo("127.0.0.1", "80", &h, &r) == 0 && is4(r, "127.0.0.1", 80),
          "getaddrinfo: AI_NUMERICHOST with a number");
    freeaddrinfo(r);
    r = NULL;
    h = hint(AI_CANONNAME, AF_INET, SOCK_STREAM, 0);
    CHECK(getaddrinfo("198.51.100.4", NULL, &h, &r) == 0 && r && r->ai_canonname &&
          !strcmp(r->ai_canonname, "198.51.100.4") && is4(r, "198.51.100.4", 0),
          "getaddrinfo: AI_CANONNAME of a number is the number; no service: port 0");
    freeaddrinfo(r);
}

static void null_host(void)
{
    struct addrinfo h = hint(AI_PASSIVE, AF_INET, SOCK_STREAM, 0), *r = NULL;
    CHECK(getaddrinfo(NULL, "8080", &h, &r) == 0 && count(r) == 1 && is4(r, "0.0.0.0", 8080),
          "getaddrinfo: null host, AI_PASSIVE: INADDR_ANY");
    freeaddrinfo(r);
    r = NULL;
    h.ai_flags = 0;
    CHECK(getaddrinfo(NULL, "8080", &h, &r) == 0 && count(r) == 1 && is4(r, "127.0.0.1", 8080),
          "getaddrinfo: null host: the loopback address");
    freeaddrinfo(r);
    r = NULL;
    h = hint(AI_PASSIVE, AF_INET6, SOCK_STREAM, 0);
    CHECK(getaddrinfo(NULL, "8080", &h, &r) == 0 && count(r) == 1 && is6(r, "::", 8080),
          "getaddrinfo: null host, AI_PASSIVE, AF_INET6: in6addr_any");
    freeaddrinfo(r);
    r = NULL;
    h = hint(0, AF_UNSPEC, SOCK_STREAM, 0);
    CHECK(getaddrinfo(NULL, "8080", &h, &r) == 0 && count(r) == 2 && is4(r, "127.0.0.1", 8080) &&
          is6(r->ai_next, "::1", 8080), "getaddrinfo: null host, AF_UNSPEC: 127.0.0.1 then ::1");
    freeaddrinfo(r);
}

static void names(const char *when)
{
    char what[120];
    struct addrinfo h = hint(AI_CANONNAME, AF_INET, SOCK_STREAM, 0), *r = NULL;
    snprintf(what, sizeof what, "getaddrinfo: %s: localhost, AF_INET: 127.0.0.1, canonical localhost", when);
    CHECK(getaddrinfo("localhost", "http", &h, &r) == 0 && count(r) == 1 && is4(r, "127.0.0.1", 80) &&
          r->ai_canonname && !strcmp(r->ai_canonname, "localhost"), what);
    freeaddrinfo(r);
    r = NULL;
    h = hint(0, AF_INET6, SOCK_STREAM, 0);
    snprintf(what, sizeof what, "getaddrinfo: %s: localhost, AF_INET6: ::1", when);
    CHECK(getaddrinfo("LOCALHOST", "80", &h, &r) == 0 && count(r) == 1 && is6(r, "::1", 80), what);
    freeaddrinfo(r);
    r = NULL;
    h = hint(0, AF_UNSPEC, SOCK_STREAM, 0);
    snprintf(what, sizeof what, "getaddrinfo: %s: localhost, AF_UNSPEC: both addresses", when);
    CHECK(getaddrinfo("localhost", "80", &h, &r) == 0 && count(r) == 2, what);
    freeaddrinfo(r);
    r = NULL;
    snprintf(what, sizeof what, "getaddrinfo: %s: an unknown name: EAI_NONAME", when);
    CHECK(getaddrinfo("no-such-host.invalid", "80", &h, &r) == EAI_NONAME, what);
}

static void services(void)
{
    struct addrinfo h = hint(0, AF_INET, SOCK_DGRAM, 0), *r = NULL;
    CHECK(getaddrinfo("127.0.0.1", "domain", &h, &r) == 0 && count(r) == 1 && is4(r, "127.0.0.1", 53) &&
          r->ai_protocol == IPPROTO_UDP, "getaddrinfo: domain/udp is 53");
    freeaddrinfo(r);
    r = NULL;
    CHECK(getaddrinfo("127.0.0.1", "http", &h, &r) == EAI_SERVICE,
          "getaddrinfo: http has no udp port: EAI_SERVICE");
    h = hint(0, AF_INET, 0, 0);
    CHECK(getaddrinfo("127.0.0.1", "ntp", &h, &r) == 0 && count(r) == 1 && r->ai_socktype == SOCK_DGRAM,
          "getaddrinfo: ntp, any socket type: only its udp entry");
    freeaddrinfo(r);
    r = NULL;
    CHECK(getaddrinfo("127.0.0.1", "nonesuch", &h, &r) == EAI_SERVICE, "getaddrinfo: an unknown service: EAI_SERVICE");
    CHECK(getaddrinfo("127.0.0.1", "70000", &h, &r) == EAI_SERVICE, "getaddrinfo: port 70000: EAI_SERVICE");
    CHECK(getaddrinfo("127.0.0.1", "80x", &h, &r) == EAI_SERVICE, "getaddrinfo: \"80x\": EAI_SERVICE");
    h.ai_flags = AI_NUMERICSERV;
    CHECK(getaddrinfo("127.0.0.1", "http", &h, &r) == EAI_NONAME, "getaddrinfo: AI_NUMERICSERV with a name: EAI_NONAME");
    CHECK(getaddrinfo("127.0.0.1", "8000", &h, &r) == 0 && count(r) == 2, "getaddrinfo: AI_NUMERICSERV with a number");
    freeaddrinfo(r);
    r = NULL;
    h = hint(0, AF_INET, 0, IPPROTO_UDP);
    CHECK(getaddrinfo("127.0.0.1", "53", &h, &r) == 0 && count(r) == 1 && r->ai_socktype == SOCK_DGRAM,
          "getaddrinfo: IPPROTO_UDP alone picks SOCK_DGRAM");
    freeaddrinfo(r);
    r = NULL;
    h = hint(0, AF_INET, SOCK_RAW, 0);
    CHECK(getaddrinfo("127.0.0.1", NULL, &h, &r) == 0 && count(r) == 1 && r->ai_socktype == SOCK_RAW,
          "getaddrinfo: SOCK_RAW without a service");
    freeaddrinfo(r);
    CHECK(getaddrinfo("127.0.0.1", "80", &h, &r) == EAI_SERVICE, "getaddrinfo: SOCK_RAW with a service: EAI_SERVICE");
    r = NULL;
    CHECK(getaddrinfo("127.0.0.1", "80", NULL, &r) == 0 && count(r) == 2, "getaddrinfo: null hints: any family and type");
    freeaddrinfo(r);
    freeaddrinfo(NULL);
    CHECK(1, "freeaddrinfo: NULL is no list");
}

static void errors(void)
{
    struct addrinfo h = hint(0, AF_UNSPEC, SOCK_STREAM, 0), *r = (struct addrinfo *)0;
    CHECK(getaddrinfo(NULL, NULL, &h, &r) == EAI_NONAME, "getaddrinfo: neither host nor service: EAI_NONAME");
    h.ai_family = AF_UNIX;
    CHECK(getaddrinfo("127.0.0.1", "80", &h, &r) == EAI_FAMILY, "getaddrinfo: AF_UNIX: EAI_FAMILY");
    h.ai_family = 12345;
    CHECK(getaddrinfo("127.0.0.1", "80", &h, &r) == EAI_FAMILY, "getaddrinfo: an unknown family: EAI_FAMILY");
    h = hint(0, AF_INET, SOCK_SEQPACKET, 0);
    CHECK(getaddrinfo("127.0.0.1", "80", &h, &r) == EAI_SOCKTYPE, "getaddrinfo: SOCK_SEQPACKET: EAI_SOCKTYPE");
    h = hint(0, AF_INET, 999, 0);
    CHECK(getaddrinfo("127.0.0.1", "80", &h, &r) == EAI_SOCKTYPE, "getaddrinfo: socket type 999: EAI_SOCKTYPE");
    h = hint(0, AF_INET, SOCK_STREAM, IPPROTO_UDP);
    CHECK(getaddrinfo("127.0.0.1", "80", &h, &r) == EAI_SOCKTYPE,
          "getaddrinfo: SOCK_STREAM with IPPROTO_UDP: EAI_SOCKTYPE");
    h = hint(0x40000, AF_INET, SOCK_STREAM, 0);
    CHECK(getaddrinfo("127.0.0.1", "80", &h, &r) == EAI_BADFLAGS, "getaddrinfo: an unknown flag: EAI_BADFLAGS");
    h = hint(AI_CANONNAME, AF_INET, SOCK_STREAM, 0);
    CHECK(getaddrinfo(NULL, "80", &h, &r) == EAI_BADFLAGS, "getaddrinfo: AI_CANONNAME with a null host: EAI_BADFLAGS");
    CHECK(r == NULL, "getaddrinfo: *res untouched on failure");
    errno = 4321;
    h = hint(0, AF_INET, SOCK_STREAM, 0);
    (void)getaddrinfo("no-such-host.invalid", "80", &h, &r);
    CHECK(errno == 4321, "getaddrinfo: errno unchanged by a failed lookup");
}

static const char hosts_text[] =
    "# test hosts\n"
    "10.0.0.1 multi.example.org multi\n"
    "10.0.0.2 multi.example.org\n"
    "2001:db8::9 multi.example.org\n"
    "10.0.0.3 v4only.example.org v4only\n"
    "127.0.0.1 localhost\n"
    "::1 localhost\n";

static void from_file(void)
{
    CHECK((mkdir("/etc", 0755) == 0 || errno == EEXIST), "mkdir: /etc for the hosts file");
    int fd = open("/etc/hosts", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0 && write(fd, hosts_text, sizeof hosts_text - 1) == (ssize_t)(sizeof hosts_text - 1) &&
          close(fd) == 0, "open: /etc/hosts written");
    struct addrinfo h = hint(AI_CANONNAME, AF_UNSPEC, SOCK_STREAM, 0), *r = NULL;
    CHECK(getaddrinfo("multi", "22", &h, &r) == 0 && count(r) == 1 && is4(r, "10.0.0.1", 22) &&
          r->ai_canonname && !strcmp(r->ai_canonname, "multi.example.org"),
          "getaddrinfo: file: by the alias multi, canonical multi.example.org");
    freeaddrinfo(r);
    r = NULL;
    h.ai_flags = 0;
    CHECK(getaddrinfo("multi.example.org", "22", &h, &r) == 0 && count(r) == 3 && is4(r, "10.0.0.1", 22) &&
          is4(r->ai_next, "10.0.0.2", 22) && is6(r->ai_next->ai_next, "2001:db8::9", 22),
          "getaddrinfo: file: every address of the name, in file order");
    freeaddrinfo(r);
    r = NULL;
    h = hint(AI_V4MAPPED, AF_INET6, SOCK_STREAM, 0);
    CHECK(getaddrinfo("v4only", "22", &h, &r) == 0 && count(r) == 1 && is6(r, "::ffff:10.0.0.3", 22),
          "getaddrinfo: file: AI_V4MAPPED maps an IPv4-only name");
    freeaddrinfo(r);
    r = NULL;
    CHECK(getaddrinfo("multi.example.org", "22", &h, &r) == 0 && count(r) == 1 && is6(r, "2001:db8::9", 22),
          "getaddrinfo: file: AI_V4MAPPED, a name with IPv6: only that");
    freeaddrinfo(r);
    r = NULL;
    h.ai_flags = AI_V4MAPPED | AI_ALL;
    CHECK(getaddrinfo("multi.example.org", "22", &h, &r) == 0 && count(r) == 3 &&
          is6(r, "::ffff:10.0.0.1", 22) && is6(r->ai_next->ai_next, "2001:db8::9", 22),
          "getaddrinfo: file: AI_V4MAPPED|AI_ALL: mapped and IPv6, in file order");
    freeaddrinfo(r);
    r = NULL;
    h = hint(0, AF_INET6, SOCK_STREAM, 0);
    CHECK(getaddrinfo("v4only", "22", &h, &r) == EAI_NONAME, "getaddrinfo: file: AF_INET6 for an IPv4-only name: EAI_NONAME");
    names("file");
    CHECK(unlink("/etc/hosts") == 0, "unlink: /etc/hosts removed");
}

int main(void)
{
    (void)unlink("/etc/hosts"); /* the built-in table first */
    numeric();
    null_host();
    names("built-in");
    services();
    errors();
    from_file();
    CHECK(getaddrinfo("multi", "22", NULL, &(struct addrinfo *){ NULL }) == EAI_NONAME,
          "getaddrinfo: the file gone, its names are gone");
    CONFORM_DONE();
}

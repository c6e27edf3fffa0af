/* <arpa/inet.h>, <netinet/in.h>, <net/if.h> and the socket name calls: byte order both ways
 * (macro and function forms), inet_addr's numbers-and-dots forms, inet_pton/inet_ntop for
 * IPv4 and IPv6 (RFC 4291 input, RFC 5952 output: "::" compression, embedded IPv4, invalid
 * text answering 0, EAFNOSUPPORT, ENOSPC), the IN6_IS_ADDR_* classes, the loopback interface
 * "lo" (index 1), and getsockname/getpeername/sockatmark on a socket pair, a pipe and a bad
 * descriptor. The conformance driver runs this as `conform inet`. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conform.h"

static char what[160];

#define CHECKF(cond, ...)                                                                    \
    do {                                                                                     \
        snprintf(what, sizeof what, __VA_ARGS__);                                            \
        CHECK(cond, what);                                                                   \
    } while (0)

static void byte_order(void)
{
    uint32_t l = htonl(0x01020304u);
    uint16_t s = htons(0x0102u);
    const unsigned char *b = (const unsigned char *)&l, *c = (const unsigned char *)&s;
    CHECK(b[0] == 1 && b[1] == 2 && b[2] == 3 && b[3] == 4, "htonl: most significant byte first in memory");
    CHECK(c[0] == 1 && c[1] == 2, "htons: most significant byte first in memory");
    CHECK((htonl)(0x01020304u) == l, "htonl: the function agrees with the macro");
    CHECK((htons)(0x0102u) == s, "htons: the function agrees with the macro");
    CHECK((ntohl)(l) == 0x01020304u, "ntohl: the function undoes htonl");
    CHECK((ntohs)(s) == 0x0102u, "ntohs: the function undoes htons");
    uint32_t (*fl)(uint32_t) = &htonl;
    uint16_t (*fs)(uint16_t) = &ntohs;
    CHECK(fl(0xdeadbeefu) == htonl(0xdeadbeefu) && fs(htons(0xbeef)) == 0xbeef,
          "htonl: callable through a pointer (ntohs too)");
    static const uint32_t longs[] = { 0, 1, 0x80000000u, 0xffffffffu, 0x12345678u, 0x7f000001u };
    for (unsigned i = 0; i < sizeof longs / sizeof longs[0]; i++) {
        CHECKF(ntohl(htonl(longs[i])) == longs[i] && (ntohl)((htonl)(longs[i])) == longs[i],
               "ntohl: ntohl(htonl(0x%08lx)) round trip", (unsigned long)longs[i]);
        CHECKF((htonl)(longs[i]) == (ntohl)(longs[i]), "htonl: htonl(0x%08lx) == ntohl(same): a swap is its own inverse",
               (unsigned long)longs[i]);
    }
    static const uint16_t shorts[] = { 0, 1, 0x8000u, 0xffffu, 0x1234u };
    for (unsigned i = 0; i < sizeof shorts / sizeof shorts[0]; i++)
        CHECKF((ntohs)((htons)(shorts[i])) == shorts[i], "ntohs: ntohs(htons(0x%04x)) round trip",
               shorts[i]);
}

static const struct {
    const char *text;
    uint32_t host; /* host order; 0xffffffff: invalid */
} addrs[] = {
    { "1.2.3.4", 0x01020304u },
    { "127.0.0.1", 0x7f000001u },
    { "0.0.0.0", 0 },
    { "127.1", 0x7f000001u },        /* a.b: b fills the last three bytes */
    { "10.1.2", 0x0a010002u },       /* a.b.c: c fills the last two */
    { "3232235777", 0xc0a80101u },   /* one number: all four bytes */
    { "0x7f.0.0.1", 0x7f000001u },   /* hexadecimal part */
    { "0177.0.0.01", 0x7f000001u },  /* octal parts */
    { "0xC0.0xA8.1.1", 0xc0a80101u },
    { "1.2.3.4.5", 0xffffffffu },
    { "256.1.1.1", 0xffffffffu },
    { "1.2.3.256", 0xffffffffu },
    { "1.2.65536", 0xffffffffu },
    { "", 0xffffffffu },
    { "1..2.3", 0xffffffffu },
    { "1.2.3.", 0xffffffffu },
    { "a.b.c.d", 0xffffffffu },
    { "08.1.1.1", 0xffffffffu },     /* 8 is no octal digit */
    { "4294967296", 0xffffffffu },
};

static void numbers_and_dots(void)
{
    for (unsigned i = 0; i < sizeof addrs / sizeof addrs[0]; i++)
        CHECKF(inet_addr(addrs[i].text) == htonl(addrs[i].host), "inet_addr: \"%s\" -> 0x%08lx",
               addrs[i].text, (unsigned long)addrs[i].host);
    struct in_addr a = { htonl(0xc0a80001u) };
    CHECK(!strcmp(inet_ntoa(a), "192.168.0.1"), "inet_ntoa: 192.168.0.1");
    a.s_addr = htonl(0xffffffffu);
    CHECK(!strcmp(inet_ntoa(a), "255.255.255.255"), "inet_ntoa: 255.255.255.255");
    a.s_addr = INADDR_ANY;
    CHECK(!strcmp(inet_ntoa(a), "0.0.0.0"), "inet_ntoa: INADDR_ANY is 0.0.0.0");
    CHECK(INADDR_BROADCAST == 0xffffffffu, "netinet/in.h: INADDR_BROADCAST is all ones");
}

static const char *const bad4[] = {
    "", "1", "1.2.3", "1.2.3.4.5", "256.0.0.0", "1.2.3.-1", "01.2.3.4", "1.2.3.04", "0x1.2.3.4",
    " 1.2.3.4", "1.2.3.4 ", "1.2..4", "1.2.3.4.", "a.b.c.d", "1.2.3.4a", "127.1",
};

static void pton4_table(void)
{
    unsigned char b[4];
    CHECK(inet_pton(AF_INET, "192.0.2.33", b) == 1 && b[0] == 192 && b[1] == 0 && b[2] == 2 &&
          b[3] == 33, "inet_pton: AF_INET 192.0.2.33 in network order");
    CHECK(inet_pton(AF_INET, "255.255.255.255", b) == 1 && b[0] == 255 && b[3] == 255,
          "inet_pton: AF_INET 255.255.255.255");
    CHECK(inet_pton(AF_INET, "0.0.0.0", b) == 1 && !b[0] && !b[3], "inet_pton: AF_INET 0.0.0.0");
    for (unsigned i = 0; i < sizeof bad4 / sizeof bad4[0]; i++) {
        memset(b, 0xaa, sizeof b);
        CHECKF(inet_pton(AF_INET, bad4[i], b) == 0 && b[0] == 0xaa, "inet_pton: AF_INET \"%s\" is invalid: 0, buffer untouched",
               bad4[i]);
    }
}

static int hexval(char c)
{
    return c <= '9' ? c - '0' : (c | 32) - 'a' + 10;
}

/* 32 hex digits -> 16 bytes */
static void unhex(const char *h, unsigned char *out)
{
    for (int i = 0; i < 16; i++)
        out[i] = (unsigned char)(hexval(h[2 * i]) << 4 | hexval(h[2 * i + 1]));
}

static const struct {
    const char *in, *hex, *out; /* out: RFC 5952's form */
} six[] = {
    { "::", "00000000000000000000000000000000", "::" },
    { "::1", "00000000000000000000000000000001", "::1" },
    { "1::", "00010000000000000000000000000000", "1::" },
    { "2001:db8::1", "20010db8000000000000000000000001", "2001:db8::1" },
    { "2001:0db8:0000:0000:0000:0000:0000:0001", "20010db8000000000000000000000001", "2001:db8::1" },
    { "2001:DB8::ABCD", "20010db800000000000000000000abcd", "2001:db8::abcd" },
    { "2001:db8:0:0:1:0:0:1", "20010db8000000000001000000000001", "2001:db8::1:0:0:1" },
    { "2001:db8:0:1:1:1:1:1", "20010db8000000010001000100010001", "2001:db8:0:1:1:1:1:1" },
    { "1:0:0:2:0:0:0:3", "00010000000000020000000000000003", "1:0:0:2::3" },
    { "0:0:1:0:0:0:0:0", "00000000000100000000000000000000", "0:0:1::" },
    { "1:2:3:4:5:6:7:8", "00010002000300040005000600070008", "1:2:3:4:5:6:7:8" },
    { "1:2:3:4:5:6:7::", "00010002000300040005000600070000", "1:2:3:4:5:6:7:0" },
    { "::2:3:4:5:6:7:8", "00000002000300040005000600070008", "0:2:3:4:5:6:7:8" },
    { "fe80::1:2", "fe800000000000000000000000010002", "fe80::1:2" },
    { "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffffffffffffffffffffffffffffffff",
      "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },
    { "::ffff:192.0.2.1", "00000000000000000000ffffc0000201", "::ffff:192.0.2.1" },
    { "::FFFF:c000:0201", "00000000000000000000ffffc0000201", "::ffff:192.0.2.1" },
    { "64:ff9b::192.0.2.33", "0064ff9b0000000000000000c0000221", "64:ff9b::c000:221" },
    { "1:2:3:4:5:6:1.2.3.4", "00010002000300040005000601020304", "1:2:3:4:5:6:102:304" },
    { "::1.2.3.4", "00000000000000000000000001020304", "::102:304" },
    { "0001:0002::", "00010002000000000000000000000000", "1:2::" },
};

static const char *const bad6[] = {
    "", ":", ":::", "1:::2", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7",
    "1:2:3:4:5:6:7:8::", ":1::", "1::2:", "::g", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3",
    "::1.2.3.4.5", "::256.1.1.1", "1.2.3.4", "::1.2.3.4:5", " ::1", "::1 ", "0x1::",
};

static void six_table(void)
{
    for (unsigned i = 0; i < sizeof six / sizeof six[0]; i++) {
        unsigned char got[16], want[16];
        char text[INET6_ADDRSTRLEN];
        unhex(six[i].hex, want);
        CHECKF(inet_pton(AF_INET6, six[i].in, got) == 1 && !memcmp(got, want, 16),
               "inet_pton: AF_INET6 \"%s\"", six[i].in);
        CHECKF(inet_ntop(AF_INET6, want, text, sizeof text) == text && !strcmp(text, six[i].out),
               "inet_ntop: AF_INET6 %s -> \"%s\"", six[i].hex, six[i].out);
        CHECKF(inet_pton(AF_INET6, text, got) == 1 && !memcmp(got, want, 16),
               "inet_pton: AF_INET6 \"%s\" round trip", six[i].out);
    }
    for (unsigned i = 0; i < sizeof bad6 / sizeof bad6[0]; i++) {
        unsigned char b[16];
        memset(b, 0xaa, sizeof b);
        CHECKF(inet_pton(AF_INET6, bad6[i], b) == 0 && b[0] == 0xaa,
               "inet_pton: AF_INET6 \"%s\" is invalid: 0, buffer untouched", bad6[i]);
    }
}

static void ntop_errors(void)
{
    unsigned char v4[4] = { 1, 2, 3, 4 }, v6[16];
    char buf[INET6_ADDRSTRLEN];
    CHECK(inet_ntop(AF_INET, v4, buf, sizeof buf) == buf && !strcmp(buf, "1.2.3.4"), "inet_ntop: AF_INET 1.2.3.4");
    CHECK(inet_ntop(AF_INET, v4, buf, 8) == buf, "inet_ntop: AF_INET with exactly 8 bytes");
    memset(buf, 'x', sizeof buf);
    errno = 0;
    CHECK(inet_ntop(AF_INET, v4, buf, 7) == NULL && errno == ENOSPC && buf[0] == 'x',
          "inet_ntop: AF_INET with 7 bytes: NULL, ENOSPC");
    unsigned char w[4] = { 255, 255, 255, 255 };
    CHECK(inet_ntop(AF_INET, w, buf, INET_ADDRSTRLEN) == buf && strlen(buf) == INET_ADDRSTRLEN - 1,
          "inet_ntop: INET_ADDRSTRLEN fits the longest IPv4 text");
    memset(v6, 0xff, sizeof v6);
    CHECK(inet_ntop(AF_INET6, v6, buf, INET6_ADDRSTRLEN) == buf, "inet_ntop: INET6_ADDRSTRLEN fits the longest IPv6 text");
    errno = 0;
    CHECK(inet_ntop(AF_INET6, v6, buf, 39) == NULL && errno == ENOSPC,
          "inet_ntop: AF_INET6 39 characters in 39 bytes: ENOSPC");
    CHECK(inet_ntop(AF_INET6, v6, buf, 40) == buf, "inet_ntop: and in 40 bytes");
    errno = 0;
    CHECK(inet_ntop(AF_INET6, v6, buf, 0) == NULL && errno == ENOSPC, "inet_ntop: size 0: ENOSPC");
    errno = 0;
    CHECK(inet_ntop(AF_UNIX, v4, buf, sizeof buf) == NULL && errno == EAFNOSUPPORT,
          "inet_ntop: AF_UNIX: NULL, EAFNOSUPPORT");
    errno = 0;
    CHECK(inet_ntop(12345, v4, buf, sizeof buf) == NULL && errno == EAFNOSUPPORT,
          "inet_ntop: an unknown family: EAFNOSUPPORT");
    CHECK_ERR(inet_pton(AF_UNIX, "1.2.3.4", v4), EAFNOSUPPORT, "inet_pton: AF_UNIX: -1, EAFNOSUPPORT");
    CHECK_ERR(inet_pton(AF_UNSPEC, "::1", v6), EAFNOSUPPORT, "inet_pton: AF_UNSPEC: -1, EAFNOSUPPORT");
}

static void in_header(void)
{
    static const unsigned char zero[16], one[16] = { [15] = 1 };
    CHECK(!memcmp(in6addr_any.s6_addr, zero, 16), "in6addr_any: all zeros (::)");
    CHECK(!memcmp(in6addr_loopback.s6_addr, one, 16), "in6addr_loopback: ::1");
    char buf[INET6_ADDRSTRLEN];
    CHECK(inet_ntop(AF_INET6, &in6addr_loopback, buf, sizeof buf) && !strcmp(buf, "::1"),
          "in6addr_loopback: reads ::1");
    CHECK(INET_ADDRSTRLEN == 16 && INET6_ADDRSTRLEN == 46, "netinet/in.h: INET_ADDRSTRLEN 16, INET6_ADDRSTRLEN 46");
    CHECK(IPPROTO_IP == 0 && IPPROTO_ICMP == 1 && IPPROTO_TCP == 6 && IPPROTO_UDP == 17 &&
          IPPROTO_IPV6 == 41 && IPPROTO_RAW == 255, "netinet/in.h: IPPROTO_* are the assigned numbers");
    struct sockaddr_in sin;
    struct sockaddr_in6 sin6;
    CHECK(sizeof sin == 16 && sizeof sin.sin_port == 2 && sizeof sin.sin_addr == 4,
          "netinet/in.h: struct sockaddr_in is 16 bytes, port 2, address 4");
    CHECK((char *)&sin.sin_port - (char *)&sin == 2 && (char *)&sin.sin_addr - (char *)&sin == 4,
          "netinet/in.h: sockaddr_in's port at 2, address at 4 (Linux's layout)");
    CHECK(sizeof sin6 == 28 && (char *)&sin6.sin6_addr - (char *)&sin6 == 8 &&
          (char *)&sin6.sin6_scope_id - (char *)&sin6 == 24,
          "netinet/in.h: struct sockaddr_in6 is 28 bytes, address at 8, scope at 24");
    CHECK(sizeof(struct sockaddr_storage) >= sizeof sin6, "sys/socket.h: sockaddr_storage holds a sockaddr_in6");
}

enum { UNSPEC = 1, LOOP = 2, MC = 4, LL = 8, SL = 16, MAPPED = 32, COMPAT = 64, MC_NODE = 128,
       MC_LINK = 256, MC_SITE = 512, MC_ORG = 1024, MC_GLOBAL = 2048 };

/* Which IN6_IS_ADDR_* macros hold for a, as the bits above. */
static int classes(const struct in6_addr *a)
{
    return (IN6_IS_ADDR_UNSPECIFIED(a) ? UNSPEC : 0) | (IN6_IS_ADDR_LOOPBACK(a) ? LOOP : 0) |
           (IN6_IS_ADDR_MULTICAST(a) ? MC : 0) | (IN6_IS_ADDR_LINKLOCAL(a) ? LL : 0) |
           (IN6_IS_ADDR_SITELOCAL(a) ? SL : 0) | (IN6_IS_ADDR_V4MAPPED(a) ? MAPPED : 0) |
           (IN6_IS_ADDR_V4COMPAT(a) ? COMPAT : 0) | (IN6_IS_ADDR_MC_NODELOCAL(a) ? MC_NODE : 0) |
           (IN6_IS_ADDR_MC_LINKLOCAL(a) ? MC_LINK : 0) | (IN6_IS_ADDR_MC_SITELOCAL(a) ? MC_SITE : 0) |
           (IN6_IS_ADDR_MC_ORGLOCAL(a) ? MC_ORG : 0) | (IN6_IS_ADDR_MC_GLOBAL(a) ? MC_GLOBAL : 0);
}

static void address_classes(void)
{
    static const struct { const char *text; int want; } rows[] = {
        { "::", UNSPEC },
        { "::1", LOOP },
        { "::2", COMPAT },
        { "::1.2.3.4", COMPAT },
        { "::ffff:1.2.3.4", MAPPED },
        { "::fffe:1.2.3.4", 0 },
        { "fe80::1", LL },
        { "febf:ffff::1", LL },
        { "fec0::1", SL },
        { "feff::1", SL },
        { "fe40::1", 0 },
        { "ff01::1", MC | MC_NODE },
        { "ff02::1", MC | MC_LINK },
        { "ff12::1", MC | MC_LINK },
        { "ff05::2", MC | MC_SITE },
        { "ff08::3", MC | MC_ORG },
        { "ff0e::4", MC | MC_GLOBAL },
        { "ff03::5", MC },
        { "2001:db8::1", 0 },
        { "0:0:0:0:0:1:0:0", 0 },
    };
    for (unsigned i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct in6_addr a;
        int ok = inet_pton(AF_INET6, rows[i].text, &a) == 1, got = ok ? classes(&a) : -1;
        CHECKF(got == rows[i].want, "netinet/in.h: IN6_IS_ADDR_* of %s (want 0x%x, got 0x%x)",
               rows[i].text, rows[i].want, got);
    }
    CHECK(IN6_IS_ADDR_UNSPECIFIED(&in6addr_any) && IN6_IS_ADDR_LOOPBACK(&in6addr_loopback),
          "netinet/in.h: in6addr_any is unspecified, in6addr_loopback the loopback");
}

static void interfaces(void)
{
    char name[IF_NAMESIZE];
    CHECK(if_nametoindex("lo") == 1, "if_nametoindex: \"lo\" is 1");
    CHECK(if_nametoindex("eth0") == 0, "if_nametoindex: \"eth0\": 0 (none)");
    CHECK(if_nametoindex("") == 0, "if_nametoindex: \"\": 0");
    CHECK(if_nametoindex("LO") == 0, "if_nametoindex: names are case sensitive");
    memset(name, 'x', sizeof name);
    CHECK(if_indextoname(1, name) == name && !strcmp(name, "lo"), "if_indextoname: 1 is \"lo\"");
    errno = 0;
    CHECK(if_indextoname(2, name) == NULL && errno == ENXIO, "if_indextoname: 2: NULL, ENXIO");
    errno = 0;
    CHECK(if_indextoname(0, name) == NULL && errno == ENXIO, "if_indextoname: 0: NULL, ENXIO");
    struct if_nameindex *list = if_nameindex();
    CHECK(list != NULL, "if_nameindex: a list");
    if (list) {
        CHECK(list[0].if_index == 1 && list[0].if_name && !strcmp(list[0].if_name, "lo"),
              "if_nameindex: first lo, index 1");
        CHECK(list[1].if_index == 0 && list[1].if_name == NULL,
              "if_nameindex: ended by an entry with index 0 and a null name");
        CHECK(if_nametoindex(list[0].if_name) == list[0].if_index,
              "if_nameindex: agrees with if_nametoindex");
        if_freenameindex(list);
        CHECK(1, "if_freenameindex: frees the list");
    }
    struct if_nameindex *again = if_nameindex();
    CHECK(again && again[0].if_index == 1, "if_nameindex: a second list after freeing the first");
    if_freenameindex(again);
}

static void names(void)
{
    int sv[2], pfd[2];
    struct sockaddr_storage ss;
    socklen_t len;
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair: a pair for the name calls");
    memset(&ss, 0xaa, sizeof ss);
    len = sizeof ss;
    CHECK(getsockname(sv[0], (struct sockaddr *)&ss, &len) == 0, "getsockname: on a socket pair end: 0");
    CHECK(ss.ss_family == AF_UNIX, "getsockname: the family is AF_UNIX");
    CHECK(len == sizeof(sa_family_t), "getsockname: unnamed: the length is the family's alone");
    memset(&ss, 0xaa, sizeof ss);
    len = sizeof ss;
    CHECK(getpeername(sv[0], (struct sockaddr *)&ss, &len) == 0 && ss.ss_family == AF_UNIX &&
          len == sizeof(sa_family_t), "getpeername: on a socket pair end: the unnamed AF_UNIX peer");
    len = sizeof ss;
    CHECK(getpeername(sv[1], (struct sockaddr *)&ss, &len) == 0 && ss.ss_family == AF_UNIX,
          "getpeername: on the other end too");
    len = 1;
    memset(&ss, 0xaa, sizeof ss);
    CHECK(getsockname(sv[1], (struct sockaddr *)&ss, &len) == 0 && len == sizeof(sa_family_t) &&
          ((unsigned char *)&ss)[1] == 0xaa, "getsockname: a 1-byte buffer: cut to 1 byte, length the full size");
    len = 0;
    CHECK(getsockname(sv[1], (struct sockaddr *)&ss, &len) == 0 && len == sizeof(sa_family_t),
          "getsockname: a 0-byte buffer: nothing stored, the full size returned");
    CHECK(sockatmark(sv[0]) == 0, "sockatmark: a socket pair end is not at an out-of-band mark");
    CHECK(write(sv[1], "abc", 3) == 3 && sockatmark(sv[0]) == 0, "sockatmark: still 0 with data queued");

    CHECK(pipe(pfd) == 0, "pipe: a pipe for the non-socket checks");
    len = sizeof ss;
    CHECK_ERR(getsockname(pfd[0], (struct sockaddr *)&ss, &len), ENOTSOCK, "getsockname: a pipe: ENOTSOCK");
    CHECK_ERR(getpeername(pfd[1], (struct sockaddr *)&ss, &len), ENOTSOCK, "getpeername: a pipe: ENOTSOCK");
    CHECK_ERR(sockatmark(pfd[0]), ENOTTY, "sockatmark: a pipe: ENOTTY");
    CHECK_ERR(getsockname(1, (struct sockaddr *)&ss, &len), ENOTSOCK, "getsockname: standard output: ENOTSOCK");
    CHECK_ERR(getsockname(-1, (struct sockaddr *)&ss, &len), EBADF, "getsockname: -1: EBADF");
    CHECK_ERR(getpeername(-1, (struct sockaddr *)&ss, &len), EBADF, "getpeername: -1: EBADF");
    CHECK_ERR(sockatmark(-1), EBADF, "sockatmark: -1: EBADF");
    int closed = pfd[0];
    close(pfd[0]);
    close(pfd[1]);
    CHECK_ERR(getsockname(closed, (struct sockaddr *)&ss, &len), EBADF, "getsockname: a closed descriptor: EBADF");
    CHECK_ERR(getpeername(closed, (struct sockaddr *)&ss, &len), EBADF, "getpeername: a closed descriptor: EBADF");
    CHECK_ERR(sockatmark(closed), EBADF, "sockatmark: a closed descriptor: EBADF");
    CHECK_ERR(getsockname(200, (struct sockaddr *)&ss, &len), EBADF, "getsockname: descriptor 200: EBADF");

    CHECK(shutdown(sv[0], SHUT_RDWR) == 0, "shutdown: SHUT_RDWR on end 0");
    len = sizeof ss;
    CHECK_ERR(getpeername(sv[0], (struct sockaddr *)&ss, &len), EINVAL,
              "getpeername: after shutdown both ways: EINVAL");
    len = sizeof ss;
    CHECK(getsockname(sv[0], (struct sockaddr *)&ss, &len) == 0 && ss.ss_family == AF_UNIX,
          "getsockname: still names the shut down end");
    len = sizeof ss;
    CHECK(getpeername(sv[1], (struct sockaddr *)&ss, &len) == 0, "getpeername: the other end still has its peer");
    int s0 = sv[0];
    close(sv[0]);
    CHECK_ERR(getsockname(s0, (struct sockaddr *)&ss, &len), EBADF, "getsockname: a closed socket: EBADF");
    CHECK_ERR(sockatmark(s0), EBADF, "sockatmark: a closed socket: EBADF");
    close(sv[1]);
}

int main(void)
{
    byte_order();
    numbers_and_dots();
    pton4_table();
    six_table();
    ntop_errors();
    in_header();
    address_classes();
    interfaces();
    names();
    CONFORM_DONE();
}

/*
 * <arpa/inet.h>: byte order and the text forms of IPv4 and IPv6 addresses. picolibc's header
 * has only the byte-order macros; these are the functions behind them (for `&htonl` and
 * `(htonl)(x)`) and the address conversions, which need no network stack. Text out follows
 * RFC 5952 (lower case, no leading zeros, the longest run of two or more zero groups as "::",
 * the first on a tie, "::ffff:a.b.c.d" for IPv4-mapped addresses).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

/* picolibc's function-like macros would rename the definitions below. */
#undef htonl
#undef htons
#undef ntohl
#undef ntohs

const struct in6_addr in6addr_any = { { 0 } };
const struct in6_addr in6addr_loopback = { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } };

/* Network order is the byte order of memory, whatever the host's: built byte by byte. */
uint32_t htonl(uint32_t hostlong)
{
    unsigned char b[4] = { (unsigned char)(hostlong >> 24), (unsigned char)(hostlong >> 16),
                           (unsigned char)(hostlong >> 8), (unsigned char)hostlong };
    uint32_t r;
    memcpy(&r, b, sizeof r);
    return r;
}

uint16_t htons(uint16_t hostshort)
{
    unsigned char b[2] = { (unsigned char)(hostshort >> 8), (unsigned char)hostshort };
    uint16_t r;
    memcpy(&r, b, sizeof r);
    return r;
}

uint32_t ntohl(uint32_t netlong)
{
    unsigned char b[4];
    memcpy(b, &netlong, sizeof b);
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

uint16_t ntohs(uint16_t netshort)
{
    unsigned char b[2];
    memcpy(b, &netshort, sizeof b);
    return (uint16_t)(b[0] << 8 | b[1]);
}

static int digit_value(char c, unsigned base)
{
    unsigned v = c >= '0' && c <= '9' ? (unsigned)(c - '0')
               : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
               : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 99u;
    return v < base ? (int)v : -1;
}

/* The IPv4 "numbers and dots" of inet_addr(): 1 to 4 parts, each decimal, octal (leading 0)
 * or hexadecimal (0x); the last part fills the bytes the others left. Host order in *out. */
static int aton(const char *cp, uint32_t *out)
{
    uint32_t part[4];
    int n = 0;
    const char *s = cp;
    for (;;) {
        unsigned base = 10;
        if (*s == '0') {
            base = 8;
            if (s[1] == 'x' || s[1] == 'X')
                base = 16, s += 2;
        }
        uint64_t v = 0;
        int digits = base == 8; /* the leading 0 alone is the number 0 */
        for (int d; (d = digit_value(*s, base)) >= 0; s++, digits++) {
            v = v * base + (unsigned)d;
            if (v > 0xffffffffu)
                return 0;
        }
        if (!digits || n == 4)
            return 0;
        part[n++] = (uint32_t)v;
        if (*s != '.')
            break;
        s++;
    }
    /* white space ends the address, as in the BSD inet_aton() programs expect */
    if (*s != '\0' && *s != ' ' && (*s < '\t' || *s > '\r'))
        return 0;
    uint32_t addr = 0;
    for (int i = 0; i < n - 1; i++) {
        if (part[i] > 0xff)
            return 0;
        addr |= part[i] << (24 - 8 * i);
    }
    if (part[n - 1] > (0xffffffffu >> 8 * (n - 1)))
        return 0;
    *out = addr | part[n - 1];
    return 1;
}

in_addr_t inet_addr(const char *cp)
{
    uint32_t a;
    return cp && aton(cp, &a) ? htonl(a) : (in_addr_t)-1;
}

static int format4(const unsigned char *b, char *buf, size_t len)
{
    return snprintf(buf, len, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
}

char *inet_ntoa(struct in_addr in)
{
    static char text[INET_ADDRSTRLEN];
    (void)format4((const unsigned char *)&in.s_addr, text, sizeof text);
    return text;
}

/* Strict dotted decimal, as inet_pton() wants: four parts 0-255, no leading zeros. out is
 * written only for valid text. */
static int pton4(const char *s, unsigned char out[4])
{
    unsigned char b[4];
    for (int i = 0; i < 4; i++) {
        unsigned v = 0;
        int digits = 0;
        for (; *s >= '0' && *s <= '9'; s++, digits++) {
            if (digits && v == 0)
                return 0;
            v = v * 10 + (unsigned)(*s - '0');
            if (v > 255)
                return 0;
        }
        if (!digits || *s != (i < 3 ? '.' : '\0'))
            return 0;
        b[i] = (unsigned char)v;
        s++;
    }
    memcpy(out, b, sizeof b);
    return 1;
}

/* RFC 4291 section 2.2: eight groups of 1-4 hex digits, "::" once for one or more zero
 * groups, the last two groups possibly written as an IPv4 address. */
static int pton6(const char *s, unsigned char out[16])
{
    unsigned char a[16] = { 0 };
    int n = 0, gap = -1; /* bytes written; where "::" stands */
    if (*s == ':' && *++s != ':')
        return 0;
    while (*s) {
        if (*s == ':') {
            if (gap >= 0)
                return 0;
            gap = n;
            s++;
            continue;
        }
        const char *start = s;
        unsigned v = 0;
        int d;
        while ((d = digit_value(*s, 16)) >= 0 && s - start < 4)
            v = v << 4 | (unsigned)d, s++;
        if (*s == '.' && n <= 12 && s - start <= 3) {
            if (!pton4(start, a + n))
                return 0;
            n += 4;
            break;
        }
        if (s == start || n == 16)
            return 0;
        a[n++] = (unsigned char)(v >> 8);
        a[n++] = (unsigned char)v;
        if (*s == ':') {
            if (!*++s)
                return 0; /* a trailing single colon */
        } else if (*s) {
            return 0;
        }
    }
    if (gap < 0 ? n != 16 : n == 16)
        return 0;
    if (gap >= 0) {
        memmove(a + 16 - (n - gap), a + gap, (size_t)(n - gap));
        memset(a + gap, 0, (size_t)(16 - n));
    }
    memcpy(out, a, 16);
    return 1;
}

int inet_pton(int af, const char *restrict cp, void *restrict buf)
{
    if (af == AF_INET)
        return pton4(cp, buf);
    if (af == AF_INET6)
        return pton6(cp, buf);
    return bk_fail(EAFNOSUPPORT);
}

/* The RFC 5952 text of an IPv6 address; at most INET6_ADDRSTRLEN bytes with the NUL. */
static void ntop6(const unsigned char *a, char *text)
{
    static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
    if (!memcmp(a, mapped, 12)) {
        (void)snprintf(text, INET6_ADDRSTRLEN, "::ffff:");
        (void)format4(a + 12, text + 7, INET6_ADDRSTRLEN - 7);
        return;
    }
    unsigned g[8];
    int best = -1, best_len = 1; /* a single zero group is never compressed */
    for (int i = 0; i < 8; i++)
        g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && g[j] == 0)
            j++;
        if (j - i > best_len)
            best = i, best_len = j - i;
        i = j > i ? j : i + 1;
    }
    char *p = text;
    for (int i = 0; i < 8; i++) {
        if (i == best) {
            *p++ = ':';
            if (i == 0)
                *p++ = ':';
            i += best_len - 1;
            continue;
        }
        p += sprintf(p, "%x%s", g[i], i < 7 ? ":" : "");
    }
    *p = '\0';
}

const char *inet_ntop(int af, const void *restrict cp, char *restrict buf, socklen_t len)
{
    char text[INET6_ADDRSTRLEN];
    if (af == AF_INET)
        (void)format4(cp, text, sizeof text);
    else if (af == AF_INET6)
        ntop6(cp, text);
    else {
        errno = EAFNOSUPPORT;
        return NULL;
    }
    size_t n = strlen(text) + 1;
    if (n > len) {
        errno = ENOSPC;
        return NULL;
    }
    memcpy(buf, text, n);
    return buf;
}

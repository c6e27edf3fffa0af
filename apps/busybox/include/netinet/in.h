/* bkport compat for busybox: the generated sysroot's <netinet/in.h> declares only the types
 * the POSIX spec lists so far; libbb's len_and_sockaddr needs the IPv4/IPv6 socket addresses.
 * Linux layouts and values (what BlueKernel's socket calls take). Networking applets are not in
 * this port; the validation kernel answers ENOTSUP for sockets (enable_net is off). */
#ifndef BKPORT_BUSYBOX_NETINET_IN_H
#define BKPORT_BUSYBOX_NETINET_IN_H
#include_next <netinet/in.h>
#include <stdint.h>
#include <sys/socket.h>

struct in_addr { in_addr_t s_addr; };
struct sockaddr_in {
    sa_family_t sin_family;
    in_port_t sin_port;
    struct in_addr sin_addr;
    unsigned char sin_zero[8];
};
struct sockaddr_in6 {
    sa_family_t sin6_family;
    in_port_t sin6_port;
    uint32_t sin6_flowinfo;
    struct in6_addr sin6_addr;
    uint32_t sin6_scope_id;
};

#define INADDR_ANY ((in_addr_t)0x00000000)
#define INADDR_BROADCAST ((in_addr_t)0xffffffff)
#define INADDR_NONE ((in_addr_t)0xffffffff)
#define INADDR_LOOPBACK ((in_addr_t)0x7f000001)
#define INET_ADDRSTRLEN 16
#define INET6_ADDRSTRLEN 46
#define IPPROTO_IP 0
#define IPPROTO_ICMP 1
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define IPPROTO_IPV6 41
#define IPPROTO_RAW 255
#endif

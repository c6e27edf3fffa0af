/* bkport compat for busybox: the generated sysroot's <netinet/in.h> has the IPv4/IPv6 socket
 * addresses libbb's len_and_sockaddr needs (Linux layouts and values); busybox also uses two
 * addresses the spec does not list. Networking applets are not in this port; the validation
 * kernel answers ENOTSUP for sockets (enable_net is off). */
#ifndef BKPORT_BUSYBOX_NETINET_IN_H
#define BKPORT_BUSYBOX_NETINET_IN_H
#include_next <netinet/in.h>

#ifndef INADDR_NONE
#define INADDR_NONE ((in_addr_t)0xffffffff)
#endif
#ifndef INADDR_LOOPBACK
#define INADDR_LOOPBACK ((in_addr_t)0x7f000001)
#endif
#endif

/* bkport compat for busybox: picolibc's <arpa/inet.h> has only the byte-order macros; these
 * are the POSIX conversion functions libbb's (unlinked) networking helpers call. Declarations
 * only: nothing in this port defines them, so an applet that needs them fails to link. */
#ifndef BKPORT_BUSYBOX_ARPA_INET_H
#define BKPORT_BUSYBOX_ARPA_INET_H
#include_next <arpa/inet.h>
#include <netinet/in.h>
int inet_aton(const char *cp, struct in_addr *inp);
in_addr_t inet_addr(const char *cp);
char *inet_ntoa(struct in_addr in);
const char *inet_ntop(int af, const void *restrict src, char *restrict dst, socklen_t size);
int inet_pton(int af, const char *restrict src, void *restrict dst);
#endif

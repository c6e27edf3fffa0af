/* bkport compat for busybox: the legacy resolver calls libbb's networking helpers use
 * (gethostbyname, h_errno, hstrerror; removed from POSIX.1-2008). Declarations only: there is
 * no resolver on BlueOS and nothing in this port defines them. */
#ifndef BKPORT_BUSYBOX_NETDB_H
#define BKPORT_BUSYBOX_NETDB_H
#include_next <netdb.h>
extern int h_errno;
#define HOST_NOT_FOUND 1
#define TRY_AGAIN 2
#define NO_RECOVERY 3
#define NO_DATA 4
struct hostent *gethostbyname(const char *name);
const char *hstrerror(int err);
#endif

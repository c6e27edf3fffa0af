/* bkport compat for busybox: <sys/un.h>. The validation kernel is built without enable_net
 * (sockets answer ENOTSUP); libbb only needs the type. */
#ifndef BKPORT_BUSYBOX_SYS_UN_H
#define BKPORT_BUSYBOX_SYS_UN_H
#include <sys/socket.h>
struct sockaddr_un {
    sa_family_t sun_family;
    char sun_path[108];
};
#endif

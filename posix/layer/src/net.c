/*
 * <sys/socket.h> over the kernel's socket calls (Socket..Recvmsg), gated by BlueKernel's
 * `enable_net`. The validation kernel is built without it, so there every call fails with
 * ENOTSUP (the gate's answer, translated); on a BlueOS kernel with networking they pass
 * through. Address structures are Linux's on both sides (the generated <sys/socket.h>).
 */
#include <sys/socket.h>

#include <unistd.h>

#include "internal.h"


/* bkport: partial: needs the kernel's enable_net feature (ENOTSUP without it) */
int socket(int domain, int type, int protocol)
{
    return (int)bk_fix(bk_socket(domain, type, protocol));
}

/* bkport: partial: needs the kernel's enable_net feature (ENOTSUP without it) */
int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
    return (int)bk_fix(bk_bind(fd, addr, len));
}

/* bkport: partial: needs the kernel's enable_net feature (ENOTSUP without it) */
int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
    return (int)bk_fix(bk_connect(fd, addr, len));
}

/* bkport: partial: needs the kernel's enable_net feature (ENOTSUP without it) */
int listen(int fd, int n)
{
    return (int)bk_fix(bk_listen(fd, n));
}

/* bkport: partial: the peer address is not returned (kernel: Accept partial); needs enable_net */
int accept(int fd, struct sockaddr *restrict addr, socklen_t *restrict len)
{
    return (int)bk_fix(bk_accept(fd, addr, len));
}

/* bkport: partial: needs the kernel's enable_net feature (ENOTSUP without it) */
ssize_t send(int fd, const void *buf, size_t n, int flags)
{
    if (__bk_is_sock(fd))
        return __bk_sock_send(fd, buf, n, flags);
    return bk_fix(bk_send(fd, buf, n, flags));
}

/* bkport: partial: needs the kernel's enable_net feature (ENOTSUP without it) */
ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *addr,
               socklen_t len)
{
    return bk_fix(bk_sendto(fd, buf, n, flags, addr, len));
}

/* bkport: partial: needs the kernel's enable_net feature (ENOTSUP without it) */
ssize_t recv(int fd, void *buf, size_t n, int flags)
{
    if (__bk_is_sock(fd))
        return flags ? bk_fail(EOPNOTSUPP) : read(fd, buf, n);
    return bk_fix(bk_recv(fd, buf, n, flags));
}

/* bkport: partial: needs the kernel's enable_net feature (ENOTSUP without it) */
ssize_t recvfrom(int fd, void *restrict buf, size_t n, int flags,
                 struct sockaddr *restrict addr, socklen_t *restrict len)
{
    return bk_fix(bk_recvfrom(fd, buf, n, flags, addr, len));
}

/* bkport: partial: needs the kernel's enable_net feature (ENOTSUP without it) */
ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
    return bk_fix(bk_sendmsg(fd, msg, flags));
}

/* bkport: partial: needs the kernel's enable_net feature (ENOTSUP without it) */
ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
    return bk_fix(bk_recvmsg(fd, msg, flags));
}

/* bkport: partial: needs the kernel's enable_net feature (ENOTSUP without it) */
int shutdown(int fd, int how)
{
    if (__bk_is_sock(fd))
        return __bk_sock_shutdown(fd, how);
    return (int)bk_fix(bk_shutdown(fd, how));
}

/* bkport: partial: needs the kernel's enable_net feature (ENOTSUP without it) */
int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
    return (int)bk_fix(bk_setsockopt(fd, level, name, val, len));
}

/* bkport: partial: needs the kernel's enable_net feature (ENOTSUP without it) */
int getsockopt(int fd, int level, int name, void *restrict val, socklen_t *restrict len)
{
    return (int)bk_fix(bk_getsockopt(fd, level, name, val, len));
}

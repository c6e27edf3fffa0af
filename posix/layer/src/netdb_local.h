/*
 * Between netdb.c (the local databases) and addrinfo.c (getaddrinfo over them): the one way
 * addrinfo.c reads the hosts database, so the file format and the built-in table stay in
 * netdb.c alone.
 */
#ifndef BKPORT_LAYER_NETDB_LOCAL_H
#define BKPORT_LAYER_NETDB_LOCAL_H

/* Call each(ctx, family, address, canonical name) for every hosts entry whose name or alias is
 * `name` (ASCII case ignored, as host names are), in file order, until it returns nonzero;
 * that value, or 0. The strings live until the next call on the hosts database. */
int __bk_hosts_named(const char *name, int (*each)(void *ctx, int af, const void *addr,
                                                   const char *canon), void *ctx);

#endif

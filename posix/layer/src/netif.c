/*
 * <net/if.h>: the interfaces of a system without network devices. Only the loopback
 * interface "lo", index 1, exists (Linux's name and index for it), so programs that list
 * interfaces or resolve a scope name find the one every host has.
 */
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define LO_INDEX 1u
static const char lo_name[] = "lo";

struct if_nameindex *if_nameindex(void)
{
    /* one allocation: the array (lo, then the terminating zero entry) and lo's name */
    struct if_nameindex *list = malloc(2 * sizeof *list + sizeof lo_name);
    if (!list) {
        errno = ENOBUFS;
        return NULL;
    }
    char *name = (char *)(list + 2);
    memcpy(name, lo_name, sizeof lo_name);
    list[0].if_index = LO_INDEX;
    list[0].if_name = name;
    list[1].if_index = 0;
    list[1].if_name = NULL;
    return list;
}

void if_freenameindex(struct if_nameindex *ptr)
{
    free(ptr);
}

char *if_indextoname(unsigned int ifindex, char ifname[IF_NAMESIZE])
{
    if (ifindex != LO_INDEX) {
        errno = ENXIO;
        return NULL;
    }
    memcpy(ifname, lo_name, sizeof lo_name);
    return ifname;
}

unsigned int if_nametoindex(const char *ifname)
{
    return ifname && !strcmp(ifname, lo_name) ? LO_INDEX : 0;
}

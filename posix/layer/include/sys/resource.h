/* <sys/resource.h>: picolibc's has getrusage() and a two-field struct rusage only. The resource
 * limits (XSI) are added with Linux's RLIMIT_* numbering; resource.c keeps them in the layer
 * (the kernel enforces none of them, see there). */
#ifndef BKPORT_LAYER_SYS_RESOURCE_H
#define BKPORT_LAYER_SYS_RESOURCE_H

#include_next <sys/resource.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned long long rlim_t;

struct rlimit {
    rlim_t rlim_cur;
    rlim_t rlim_max;
};

#define RLIM_INFINITY (~(rlim_t)0)
#define RLIM_SAVED_MAX RLIM_INFINITY
#define RLIM_SAVED_CUR RLIM_INFINITY

#define RLIMIT_CPU 0
#define RLIMIT_FSIZE 1
#define RLIMIT_DATA 2
#define RLIMIT_STACK 3
#define RLIMIT_CORE 4
#define RLIMIT_NOFILE 7
#define RLIMIT_AS 9
#define RLIM_NLIMITS 16

#ifndef RUSAGE_THREAD
#define RUSAGE_THREAD 1
#endif

int getrlimit(int __resource, struct rlimit *__rlp);
int setrlimit(int __resource, const struct rlimit *__rlp);

#ifdef __cplusplus
}
#endif

#endif

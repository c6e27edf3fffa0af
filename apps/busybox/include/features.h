/* bkport compat for busybox: glibc's <features.h>. picolibc's feature macros live in
 * <sys/features.h> (the layer's wrapper adds the POSIX options it implements). */
#ifndef BKPORT_BUSYBOX_FEATURES_H
#define BKPORT_BUSYBOX_FEATURES_H
#include <sys/features.h>
#endif

/* <stdlib.h>: picolibc's, with strtod/strtof/strtold routed through the layer (strtod.c), which
 * gives hexadecimal subject sequences their C meaning before picolibc 1.8 parses them: "0x",
 * "0x." and "0x.p1" are the number 0 followed by "x...", and hex digits after the point count
 * in sixteenths even without a 'p' exponent. The names are macros (C allows a library function
 * to be one) so picolibc's own definitions stay callable from the layer; C++ keeps picolibc's. */
#ifndef BKPORT_LAYER_STDLIB_H
#define BKPORT_LAYER_STDLIB_H

#include_next <stdlib.h>

#ifndef __cplusplus
double __bk_strtod(const char *__restrict __nptr, char **__restrict __endptr);
float __bk_strtof(const char *__restrict __nptr, char **__restrict __endptr);
long double __bk_strtold(const char *__restrict __nptr, char **__restrict __endptr);
#ifndef BKPORT_LAYER_STRTOD_IMPL
#define strtod __bk_strtod
#define strtof __bk_strtof
#define strtold __bk_strtold
#endif
#endif

#endif

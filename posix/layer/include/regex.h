/* <regex.h>: picolibc's (the 4.4BSD regex library), with regcomp() routed through the layer
 * (regex.c) for two GNU behaviours that glibc-built programs rely on and the BSD library
 * rejects: `\|` alternation in a basic RE (sed 's/^a\|b//g') and the empty pattern, which
 * matches every string (grep -f EMPTY_FILE). Every other pattern reaches picolibc unchanged. */
#ifndef BKPORT_LAYER_REGEX_H
#define BKPORT_LAYER_REGEX_H

#include_next <regex.h>

#ifdef __cplusplus
extern "C" {
#endif

int __bk_regcomp(regex_t *restrict preg, const char *restrict pattern, int cflags);
#define regcomp(preg, pattern, cflags) __bk_regcomp(preg, pattern, cflags)

#ifdef __cplusplus
}
#endif

#endif

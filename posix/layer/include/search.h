/* <search.h>: picolibc's, plus lfind() and lsearch() (XSI), which it neither declares nor
 * defines (lsearch.c). */
#ifndef BKPORT_LAYER_SEARCH_H
#define BKPORT_LAYER_SEARCH_H

#include_next <search.h>

#ifdef __cplusplus
extern "C" {
#endif
void *lfind(const void *__key, const void *__base, size_t *__nelp, size_t __width,
            int (*__compar)(const void *, const void *));
void *lsearch(const void *__key, void *__base, size_t *__nelp, size_t __width,
              int (*__compar)(const void *, const void *));
#ifdef __cplusplus
}
#endif

#endif

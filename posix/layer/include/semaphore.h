/* <semaphore.h> for bkport: the generated declarations plus SEM_FAILED. */
#ifndef BKPORT_LAYER_SEMAPHORE_H
#define BKPORT_LAYER_SEMAPHORE_H

#include <fcntl.h>
#include <time.h>
#include_next <semaphore.h>

#ifndef SEM_FAILED
#define SEM_FAILED ((sem_t *)0)
#endif
#ifndef SEM_VALUE_MAX
#define SEM_VALUE_MAX 0x7fffffff
#endif

#endif

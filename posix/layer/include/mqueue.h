/* <mqueue.h> for bkport: the generated declarations plus <fcntl.h> (O_* for mq_open) and the
 * priority limit. */
#ifndef BKPORT_LAYER_MQUEUE_H
#define BKPORT_LAYER_MQUEUE_H

#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include_next <mqueue.h>

#ifndef MQ_PRIO_MAX
#define MQ_PRIO_MAX 32
#endif

#endif

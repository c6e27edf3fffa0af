#include <stdio.h>
#include "common.h"

void say(const char *what) { printf("%s%s\n", COMMON_PREFIX, what); }

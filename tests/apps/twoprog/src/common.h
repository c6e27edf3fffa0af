#ifndef COMMON_H
#define COMMON_H
void say(const char *what);
#endif

/*
 * The stdio additions POSIX asks for that picolibc leaves out: stream locking (flockfile and
 * friends), the *_unlocked character functions, and fgetpos/fsetpos (declared by picolibc's
 * <stdio.h> but not built). picolibc's tinystdio does not lock streams itself, so flockfile()
 * serialises only the code that uses it: a recursive lock per stream, from a small table
 * hashed by the FILE's address.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "internal.h"

#undef getc_unlocked
#undef getchar_unlocked
#undef putc_unlocked
#undef putchar_unlocked

#define SLOTS 16
static pthread_mutex_t locks[SLOTS];
static pthread_once_t locks_once = PTHREAD_ONCE_INIT;

static void init_locks(void)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    for (int i = 0; i < SLOTS; i++)
        pthread_mutex_init(&locks[i], &a);
}

static pthread_mutex_t *lock_of(FILE *f)
{
    pthread_once(&locks_once, init_locks);
    return &locks[((uintptr_t)f >> 4) % SLOTS];
}

void flockfile(FILE *f) { pthread_mutex_lock(lock_of(f)); }
int ftrylockfile(FILE *f) { return pthread_mutex_trylock(lock_of(f)) ? -1 : 0; }
void funlockfile(FILE *f) { pthread_mutex_unlock(lock_of(f)); }

int getc_unlocked(FILE *f) { return getc(f); }
int getchar_unlocked(void) { return getc(stdin); }
int putc_unlocked(int c, FILE *f) { return putc(c, f); }
int putchar_unlocked(int c) { return putc(c, stdout); }

int fgetpos(FILE *restrict f, fpos_t *restrict pos)
{
    long p = ftell(f);
    if (p < 0)
        return -1;
    *pos = p;
    return 0;
}

int fsetpos(FILE *f, fpos_t *pos)
{
    return fseek(f, (long)*pos, SEEK_SET);
}

/* Runs into memory the hardware guards (tests/kernel/test_memory_protection.py):
 * `guard_hit main|thread` fills a local array far bigger than the stack from its top down, with
 * no system call on the way, so the stack's lowest word (the canary) is never reached before
 * the guard below the stack fires; `guard_hit kernel ADDR` writes one word at ADDR (the test
 * passes an address inside the kernel's private memory, read from the image's symbols);
 * `guard_hit ok` touches its own data, heap and a thread's stack, and prints what it read. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile char *sink;

/* Writes downward from the top of a frame of `n` bytes: the first write below the stack's
 * usable part lands in its guard. Out of line so the frame is real. */
__attribute__((noinline)) static long fill_down(size_t n)
{
    volatile char big[n];
    for (size_t i = n; i-- > 0;)
        big[i] = (char)i;
    sink = big;
    return big[0] + big[n / 2];
}

static void *in_thread(void *arg)
{
    return (void *)fill_down((size_t)arg);
}

static int data_word = 5;
static int bss_word;

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "ok";
    if (strcmp(what, "kernel") == 0 && argc > 2) {
        volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)strtoull(argv[2], 0, 0);
        printf("writing %p\n", (void *)p);
        fflush(stdout);
        *p = 0xdeadbeef;
        printf("wrote kernel memory and came back\n");
        return 1;
    }
    if (strcmp(what, "main") == 0) {
        printf("came back: %ld\n", fill_down(68 * 1024));
        return 1;
    }
    if (strcmp(what, "thread") == 0) {
        pthread_attr_t a;
        pthread_t t;
        void *r;
        pthread_attr_init(&a);
        pthread_attr_setstacksize(&a, 16 * 1024);
        if (pthread_create(&t, &a, in_thread, (void *)(size_t)(20 * 1024)) != 0)
            return 2;
        pthread_join(t, &r);
        printf("the thread came back: %ld\n", (long)(size_t)r);
        return 1;
    }
    /* ok: the app's own memory stays writable: data, bss, heap, a thread's stack near its
     * guard (12 KiB of a 16 KiB stack). */
    data_word += 1;
    bss_word = 7;
    int *h = malloc(4096);
    h[1023] = 9;
    pthread_attr_t a;
    pthread_t t;
    void *r;
    pthread_attr_init(&a);
    pthread_attr_setstacksize(&a, 16 * 1024);
    if (pthread_create(&t, &a, in_thread, (void *)(size_t)(12 * 1024)) != 0)
        return 2;
    pthread_join(t, &r);
    printf("ok %d %d %d %ld\n", data_word, bss_word, h[1023], (long)(size_t)r);
    return 0;
}

/* What a resident QEMU must give every call afresh (tests/kernel/test_resident.py):
 *   resident_probe state STATUS  prints its .data and .bss counters (then bumps them), a heap
 *                                block's address, whether fresh heap memory reads as zero (then
 *                                marks it), the working directory, $PROBE, in.txt and stdin,
 *                                whether SIGUSR1 has its default action, a mutex is free and
 *                                no interval timer runs (then installs a handler, locks the
 *                                mutex, starts a 1 ms timer that has fired by the exit);
 *                                writes out.txt; leaves a thread running; exits STATUS
 *   resident_probe cat           copies stdin to stdout as it comes
 *   resident_probe environ       prints its environment
 *   resident_probe time          prints time(NULL)
 *   resident_probe yes           writes "y" lines until stopped
 *   resident_probe head N        prints the first N lines of stdin
 *   resident_probe fault | hang  an undefined instruction, an endless loop */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int data_counter = 7;
static int bss_counter;
static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;
static volatile sig_atomic_t alarms;

static void on_signal(int sig)
{
    if (sig == SIGALRM)
        alarms++;
}

static void *spin(void *arg)
{
    (void)arg;
    for (;;)
        sleep(1);
    return NULL;
}

static int state(int status)
{
    char buf[256];
    printf("data=%d bss=%d\n", data_counter, bss_counter);
    data_counter++;
    bss_counter++;
    void *block = malloc(100);
    printf("heap=%p\n", block);
    /* Memory the call never wrote reads as zero, as in a fresh QEMU; then leave a mark in it. */
    unsigned char *big = malloc(64 * 1024);
    size_t nonzero = 0;
    for (size_t i = 0; i < 64 * 1024; i++)
        nonzero += big[i] != 0;
    printf("fresh heap nonzero bytes=%zu\n", nonzero);
    memset(big, 0x55, 64 * 1024);
    printf("cwd=%s\n", getcwd(buf, sizeof buf) ? buf : "?");
    printf("env=%s\n", getenv("PROBE") ? getenv("PROBE") : "(none)");
    FILE *f = fopen("in.txt", "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    buf[n] = 0;
    printf("in=%s\n", f ? buf : "(none)");
    if (f)
        fclose(f);
    n = fread(buf, 1, sizeof buf - 1, stdin);
    buf[n] = 0;
    printf("stdin=%s\n", buf);
    /* What the last call left behind must be gone: its handler, its locked mutex, its timer
     * (still firing every millisecond when it exited). */
    struct sigaction old;
    sigaction(SIGUSR1, NULL, &old);
    printf("sigusr1=%s\n", old.sa_handler == SIG_DFL ? "default" : "handled");
    printf("mutex=%s\n", pthread_mutex_trylock(&held) == 0 ? "free" : "held");
    struct itimerval it;
    getitimer(ITIMER_REAL, &it);
    printf("itimer=%s\n", it.it_value.tv_sec || it.it_value.tv_usec ? "running" : "off");
    signal(SIGUSR1, on_signal);
    signal(SIGALRM, on_signal);
    struct itimerval ms = {{0, 1000}, {0, 1000}};
    setitimer(ITIMER_REAL, &ms, NULL);
    while (!alarms)
        ;
    f = fopen("out.txt", "w");
    fprintf(f, "written with status %d\n", status);
    fclose(f);
    pthread_t t;
    pthread_create(&t, NULL, spin, NULL); /* still running at exit: the reset ends it */
    fflush(stdout);
    return status;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "state"))
        return state(argc > 2 ? atoi(argv[2]) : 0);
    if (!strcmp(mode, "cat")) {
        char buf[512];
        ssize_t n;
        while ((n = read(0, buf, sizeof buf)) > 0)
            write(1, buf, (size_t)n);
        return 0;
    }
    if (!strcmp(mode, "time")) {
        printf("%lld\n", (long long)time(NULL));
        return 0;
    }
    if (!strcmp(mode, "environ")) {
        extern char **environ;
        for (char **e = environ; *e; e++)
            puts(*e);
        return 0;
    }
    if (!strcmp(mode, "yes")) {
        for (;;)
            if (write(1, "y\n", 2) != 2)
                return 1;
    }
    if (!strcmp(mode, "head")) {
        char line[256];
        for (int i = argc > 2 ? atoi(argv[2]) : 10; i > 0 && fgets(line, sizeof line, stdin); i--)
            fputs(line, stdout);
        return 0;
    }
    if (!strcmp(mode, "fault"))
        __builtin_trap(); /* an undefined instruction on every board (address 0 is memory on some) */
    if (!strcmp(mode, "hang"))
        for (;;)
            ;
    fprintf(stderr, "resident_probe: unknown mode '%s'\n", mode);
    return 2;
}

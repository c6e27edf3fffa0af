/* c_smoke: a freestanding C app using the generated <bk/syscall.h> wrappers (no libc), built with
 * clang and linked into the validation kernel. Proves the C user side of the syscall table. */
#define BK_NO_ERRNO
#include <bk/syscall.h>

static unsigned long len(const char *s)
{
    unsigned long n = 0;
    while (s[n])
        n++;
    return n;
}

static int fails;

static void say(const char *s)
{
    bk_write(1, (const unsigned char *)s, len(s));
}

static void check(const char *what, long got, long want)
{
    if (got != want) {
        fails++;
        say("FAIL ");
        say(what);
        say("\n");
    }
}

/* `c_smoke streams`: the console framing of stdout and stderr, and the starting directory. */
static int streams(void)
{
    char cwd[64];
    say("out1\n");
    bk_write(2, (const unsigned char *)"err1\n", 5);
    bk_write(1, (const unsigned char *)"dle\x10\x10!\n", 7);
    bk_write(2, (const unsigned char *)"err2\n", 5);
    if (bk_getcwd(cwd, sizeof cwd) > 0) {
        say(cwd);
        say("\n");
    }
    /* The console's file type: FIFO with BKPORT_CONSOLE=pipe, else a character device. */
    unsigned long long st[14];
    if (bk_fstat(1, (void *)st) == 0) {
        unsigned mode = ((unsigned *)st)[4] & 0170000;
        say(mode == 0010000 ? "console: fifo\n" : mode == 0020000 ? "console: chr\n" : "?\n");
    }
    bk_exit_process(0);
    return 0;
}

int app_main(int argc, char **argv, char **envp)
{
    (void)envp;
    char buf[16];
    if (argc == 2 && argv[1][0] == 's')
        return streams();
    check("echo", bk_echo(12345), 12345);
    /* Echo of a value in [-4095, -1] reads as an error through bk_ret: the raw trap sees it. */
    check("echo raw", bk_syscall6(BK_NR_echo, -5, 0, 0, 0, 0, 0), -5);
    check("argc", argc, 2);
    check("argv", argv[1][0], 'c');
    check("mkdir", bk_mkdir("/c", 0755), 0);
    int fd = bk_open("/c/file", 0102 /* O_CREAT|O_RDWR */, 0644);
    check("open", fd >= 0, 1);
    check("write", bk_write(fd, (const unsigned char *)"from C", 6), 6);
    check("lseek", bk_lseek(fd, 0, 0), 0);
    check("read", bk_read(fd, buf, sizeof buf), 6);
    check("content", buf[5], 'C');
    check("close", bk_close(fd), 0);
    check("rename", bk_rename("/c/file", "/c/renamed"), 0);
    check("bad fd is -1", bk_close(99), -1);
    check("bad nr", bk_syscall6(BK_NR_COUNT + 3, 0, 0, 0, 0, 0, 0), -38);
    say(fails ? "c_smoke: FAILED\n" : "c_smoke: ok\n");
    bk_exit_process(fails ? 3 : 0);
    return 99; /* not reached */
}

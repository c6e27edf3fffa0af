/*
 * <sys/signal.h> (and so <signal.h>): picolibc's, completed where POSIX needs more than its
 * bare-metal branch gives (signal.c implements all of it):
 * - `struct sigaction` with `sa_sigaction` beside `sa_handler` (a union, as glibc's) and a
 *   `siginfo_t` with POSIX's members; picolibc's own are renamed away while its header is read;
 * - the SA_* flags (Linux's values), SIG_HOLD, the realtime signals SIGRTMIN (32) to SIGRTMAX
 *   (64) with NSIG 65, over the layer's 64-bit sigset_t (sys/_sigset.h);
 * - sigaddset/sigdelset/sigismember/sigemptyset/sigfillset as the layer's functions: picolibc's
 *   macros skip POSIX's EINVAL check and shift 1 << sig in an int;
 * - the XSI sighold/sigrelse/sigignore/sigset;
 * - `struct sigevent` with POSIX's sigev_notify_function and sigev_notify_attributes
 *   (SIGEV_THREAD), which picolibc's leaves out;
 * - pthread_kill, which POSIX puts in <signal.h> and picolibc's leaves out.
 */
#ifndef BKPORT_LAYER_SYS_SIGNAL_H
#define BKPORT_LAYER_SYS_SIGNAL_H

/* picolibc's struct sigaction, siginfo_t and the two prototypes naming the latter are read
 * under other names and declared again below with the layer's types */
#define sigaction __bk_picolibc_sigaction
#define siginfo_t __bk_picolibc_siginfo_t
#define sigtimedwait __bk_picolibc_sigtimedwait
#define sigwaitinfo __bk_picolibc_sigwaitinfo
#define sigevent __bk_picolibc_sigevent
#include_next <sys/signal.h>
#undef sigevent
#undef sigaction
#undef siginfo_t
#undef sigtimedwait
#undef sigwaitinfo

#undef sigaddset
#undef sigdelset
#undef sigemptyset
#undef sigfillset
#undef sigismember

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    int si_signo;
    int si_code;
    int si_errno;
    pid_t si_pid;
    uid_t si_uid;
    void *si_addr;
    int si_status;
    long si_band;
    union sigval si_value;
} siginfo_t;

struct sigevent {
    int sigev_notify;
    int sigev_signo;
    union sigval sigev_value;
    void (*sigev_notify_function)(union sigval);
    /* a pthread_attr_t *: pthread_attr_t is <pthread.h>'s, which this header cannot include */
    void *sigev_notify_attributes;
};

struct sigaction {
    union {
        _sig_func_ptr __sa_handler;
        void (*__sa_sigaction)(int, siginfo_t *, void *);
    } __sa_u;
    sigset_t sa_mask;
    int sa_flags;
};
#define sa_handler __sa_u.__sa_handler
#define sa_sigaction __sa_u.__sa_sigaction

int sigaction(int __sig, const struct sigaction *__restrict __act,
              struct sigaction *__restrict __oact);
int sigwaitinfo(const sigset_t *__restrict __set, siginfo_t *__restrict __info);
int sigtimedwait(const sigset_t *__restrict __set, siginfo_t *__restrict __info,
                 const struct timespec *__restrict __timeout);

#ifndef SA_NOCLDSTOP
#define SA_NOCLDSTOP 0x00000001
#endif
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO 0x00000004
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND ((int)0x80000000u)

#define SIG_HOLD ((_sig_func_ptr)2)

#undef NSIG
#define NSIG 65
#undef SIGRTMIN
#undef SIGRTMAX
#define SIGRTMIN 32
#define SIGRTMAX 64

int sighold(int __sig);
int sigrelse(int __sig);
int sigignore(int __sig);
_sig_func_ptr sigset(int __sig, _sig_func_ptr __disp);
/* pthread_t is <pthread.h>'s (unsigned long, posix/spec/pthread.h.spec), which this header
 * cannot include; signal.c's definition with pthread_t fails to compile if the two part */
int pthread_kill(unsigned long __t, int __sig);

#ifdef __cplusplus
}
#endif

#endif

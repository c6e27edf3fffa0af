/* Every FP/SIMD register of a thread survives traps and context switches: two threads each
 * load all of them (AArch64: q0-q31, FPCR, FPSR; RISC-V: f0-f31, fcsr) with a pattern of their
 * own, then, without touching them, spin and trap into the kernel (a sched_yield system call
 * per round, the timer's interrupts while they spin), and store them back. Any register the
 * kernel or the other thread left changed is named. Inline assembly, because between the load
 * and the store no compiled code may run (it would use the registers itself).
 *
 * `fp_regs [ROUNDS [SPIN]]`: ROUNDS system calls per thread (default 60), SPIN loop iterations
 * before each (default 300000, a few milliseconds under QEMU, so the tick lands inside).
 * Prints one line per thread and the time taken; the exit status is the number of registers
 * found changed. AArch64 and RISC-V only (Cortex-M C is soft-float: no FP registers in use). */
#include <bk/syscall.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* AArch64: reg[2i], reg[2i+1] = q<i> (low, high); RISC-V: reg[i] = f<i>. ctrl/status: FPCR and
 * FPSR, or fcsr in ctrl. Offsets are fixed for the assembly: reg at 0, ctrl 512, status 520. */
struct fpstate {
    uint64_t reg[64];
    uint64_t ctrl, status;
};

#if defined(__aarch64__)
#define NREGS 64
/* what the Cortex-A53 keeps of FPCR (AHP, DN, FZ, RMode) and FPSR (QC, IDC, the five flags) */
#define CTRL_MASK 0x07c00000u
#define STATUS_MASK 0x0800009fu
static const uint64_t ctrl_of[2] = { (3u << 22) | (1u << 25),
                                     (1u << 22) | (1u << 24) | (1u << 26) };
static const uint64_t status_of[2] = { 0x1f, (1u << 27) | 0x80 | 0x01 };

static void soak(const struct fpstate *in, struct fpstate *out, long rounds, long spin)
{
    __asm__ volatile(
        "ldp q0, q1, [%[in], #0]\n\t"
        "ldp q2, q3, [%[in], #32]\n\t"
        "ldp q4, q5, [%[in], #64]\n\t"
        "ldp q6, q7, [%[in], #96]\n\t"
        "ldp q8, q9, [%[in], #128]\n\t"
        "ldp q10, q11, [%[in], #160]\n\t"
        "ldp q12, q13, [%[in], #192]\n\t"
        "ldp q14, q15, [%[in], #224]\n\t"
        "ldp q16, q17, [%[in], #256]\n\t"
        "ldp q18, q19, [%[in], #288]\n\t"
        "ldp q20, q21, [%[in], #320]\n\t"
        "ldp q22, q23, [%[in], #352]\n\t"
        "ldp q24, q25, [%[in], #384]\n\t"
        "ldp q26, q27, [%[in], #416]\n\t"
        "ldp q28, q29, [%[in], #448]\n\t"
        "ldp q30, q31, [%[in], #480]\n\t"
        "ldr x9, [%[in], #512]\n\t"
        "msr fpcr, x9\n\t"
        "ldr x9, [%[in], #520]\n\t"
        "msr fpsr, x9\n"
        "1:\n\t"
        "mov x10, %[spin]\n"
        "2:\n\t"
        "subs x10, x10, #1\n\t"
        "b.ne 2b\n\t"
        "mov x8, %[nr]\n\t"
        "svc #0\n\t"
        "subs %[rounds], %[rounds], #1\n\t"
        "b.ne 1b\n\t"
        "stp q0, q1, [%[out], #0]\n\t"
        "stp q2, q3, [%[out], #32]\n\t"
        "stp q4, q5, [%[out], #64]\n\t"
        "stp q6, q7, [%[out], #96]\n\t"
        "stp q8, q9, [%[out], #128]\n\t"
        "stp q10, q11, [%[out], #160]\n\t"
        "stp q12, q13, [%[out], #192]\n\t"
        "stp q14, q15, [%[out], #224]\n\t"
        "stp q16, q17, [%[out], #256]\n\t"
        "stp q18, q19, [%[out], #288]\n\t"
        "stp q20, q21, [%[out], #320]\n\t"
        "stp q22, q23, [%[out], #352]\n\t"
        "stp q24, q25, [%[out], #384]\n\t"
        "stp q26, q27, [%[out], #416]\n\t"
        "stp q28, q29, [%[out], #448]\n\t"
        "stp q30, q31, [%[out], #480]\n\t"
        "mrs x9, fpcr\n\t"
        "str x9, [%[out], #512]\n\t"
        "mrs x9, fpsr\n\t"
        "str x9, [%[out], #520]\n\t"
        /* the C around runs in the default mode again */
        "msr fpcr, xzr\n\t"
        "msr fpsr, xzr\n\t"
        : [rounds] "+r"(rounds)
        : [in] "r"(in), [out] "r"(out), [spin] "r"(spin), [nr] "r"((long)BK_NR_sched_yield)
        : "x0", "x8", "x9", "x10", "cc", "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6",
          "v7", "v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15", "v16", "v17", "v18", "v19",
          "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31");
}
#elif defined(__riscv)
#define NREGS 32
/* fcsr: frm (7:5), fflags (4:0) */
#define CTRL_MASK 0xffu
#define STATUS_MASK 0u
static const uint64_t ctrl_of[2] = { (1u << 5) | 0x1f, (3u << 5) | 0x05 };
static const uint64_t status_of[2] = { 0, 0 };

#define FLD(n) "fld f" #n ", " #n "*8(%[in])\n\t"
#define FSD(n) "fsd f" #n ", " #n "*8(%[out])\n\t"
#define ALL(X)                                                                                 \
    X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)     \
    X(16) X(17) X(18) X(19) X(20) X(21) X(22) X(23) X(24) X(25) X(26) X(27) X(28) X(29)      \
    X(30) X(31)

static void soak(const struct fpstate *in, struct fpstate *out, long rounds, long spin)
{
    __asm__ volatile(
        ALL(FLD)
        "ld t0, 512(%[in])\n\t"
        "fscsr t0\n"
        "1:\n\t"
        "mv t1, %[spin]\n"
        "2:\n\t"
        "addi t1, t1, -1\n\t"
        "bnez t1, 2b\n\t"
        "mv a7, %[nr]\n\t"
        "ecall\n\t"
        "addi %[rounds], %[rounds], -1\n\t"
        "bnez %[rounds], 1b\n\t"
        ALL(FSD)
        "frcsr t0\n\t"
        "sd t0, 512(%[out])\n\t"
        /* the C around runs in the default mode again */
        "fscsr zero\n\t"
        : [rounds] "+r"(rounds)
        : [in] "r"(in), [out] "r"(out), [spin] "r"(spin), [nr] "r"((long)BK_NR_sched_yield)
        : "a0", "a7", "t0", "t1", "memory", "f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8",
          "f9", "f10", "f11", "f12", "f13", "f14", "f15", "f16", "f17", "f18", "f19", "f20",
          "f21", "f22", "f23", "f24", "f25", "f26", "f27", "f28", "f29", "f30", "f31");
}
#else
#error "fp_regs: AArch64 and RISC-V only"
#endif

struct job {
    int id;
    long rounds, spin;
    struct fpstate in, out;
};

static void *run(void *arg)
{
    struct job *j = arg;
    soak(&j->in, &j->out, j->rounds, j->spin);
    return NULL;
}

static int compare(const struct job *j)
{
    int bad = 0;
    for (int i = 0; i < NREGS; i++) {
        if (j->out.reg[i] != j->in.reg[i]) {
            printf("thread %d: register word %d is %#llx, was %#llx\n", j->id, i,
                   (unsigned long long)j->out.reg[i], (unsigned long long)j->in.reg[i]);
            bad++;
        }
    }
    if ((j->out.ctrl & CTRL_MASK) != (j->in.ctrl & CTRL_MASK)) {
        printf("thread %d: control is %#llx, was %#llx\n", j->id,
               (unsigned long long)j->out.ctrl, (unsigned long long)j->in.ctrl);
        bad++;
    }
    if ((j->out.status & STATUS_MASK) != (j->in.status & STATUS_MASK)) {
        printf("thread %d: status is %#llx, was %#llx\n", j->id,
               (unsigned long long)j->out.status, (unsigned long long)j->in.status);
        bad++;
    }
    return bad;
}

int main(int argc, char **argv)
{
    static struct job jobs[2];
    long rounds = argc > 1 ? atol(argv[1]) : 60, spin = argc > 2 ? atol(argv[2]) : 300000;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pthread_t th[2];
    for (int t = 0; t < 2; t++) {
        struct job *j = &jobs[t];
        j->id = t;
        j->rounds = rounds;
        j->spin = spin;
        /* distinct in every word and between the threads */
        for (int i = 0; i < NREGS; i++)
            j->in.reg[i] = (0x0123456789abcdefull * (uint64_t)(2 * i + 1)) ^
                           ((uint64_t)(t + 1) << 56);
        j->in.ctrl = ctrl_of[t];
        j->in.status = status_of[t];
        if (pthread_create(&th[t], NULL, run, j) != 0) {
            printf("pthread_create failed\n");
            return 100;
        }
    }
    int bad = 0;
    for (int t = 0; t < 2; t++) {
        pthread_join(th[t], NULL);
        int b = compare(&jobs[t]);
        if (b == 0)
            printf("thread %d: all %d FP register words, control and status kept\n", t, NREGS);
        bad += b;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("%ld rounds per thread in %lld ms\n", rounds,
           ((long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec)) /
               1000000);
    return bad;
}

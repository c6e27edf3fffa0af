/*
 * Per-thread TLS blocks, thread pointers, and "which thread am I".
 *
 * picolibc keeps errno (and its other per-thread state) in TLS with the local-exec model, so
 * every thread needs its own TLS block and thread pointer:
 * - RISC-V (tp) and AArch64 (tpidr_el0): picolibc's _set_tls() writes the register and the
 *   kernel must keep it in the thread's context. RISC-V's tp is a general register (always
 *   saved). For AArch64 the layer checks once, at the first pthread_create, whether the kernel
 *   switches tpidr_el0 (a probe thread changes it and exits); if not, all threads share the
 *   main thread's block (errno is then shared between threads) instead of corrupting each
 *   other's pointers.
 * - Cortex-M: picolibc's __aeabi_read_tp() reads one global shared by all threads. The layer
 *   replaces it with a lookup of the caller's stack pointer.
 * The current thread's record is found the same way on every architecture: each thread's stack
 * range is registered by its creator before it starts; the main thread owns whatever matches
 * no registered range. This does not depend on TLS at all.
 */
#include <picolibc.h>
#include <picotls.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"
#include "tls.h"

/* The TLS template's layout, from the linker (porter/appbuild/data/tls.ld, as picolibc.ld names
 * them). The values are sizes and offsets, not addresses: code must not reach them with
 * PC-relative addressing (RISC-V's medany model cannot, from an image at 0x80000000), so they
 * are read through this table of absolute data relocations. */
extern char __tdata_source[], __tdata_size[], __tbss_offset[], __tbss_size[], __tls_size[],
    __tls_align[];
static char *const tls_layout[] = { __tdata_source, __tdata_size, __tbss_offset, __tbss_size,
                                    __tls_size, __tls_align };

/* Replaces picolibc's _init_tls (same job, through the table). */
void _init_tls(void *tls)
{
    char *const *volatile t = tls_layout; /* volatile: keep the loads going through the table */
    memcpy(tls, t[0], (size_t)(uintptr_t)t[1]);
    memset((char *)tls + (uintptr_t)t[2], 0, (size_t)(uintptr_t)t[3]);
}

void *__bk_tls_alloc(void)
{
    char *const *volatile t = tls_layout;
    size_t align = (size_t)(uintptr_t)t[5] > 16 ? (size_t)(uintptr_t)t[5] : 16;
    size_t size = (size_t)(uintptr_t)t[4] ? (size_t)(uintptr_t)t[4] : 1;
    void *tls = __bk_kalloc(size, align);
    if (tls)
        _init_tls(tls);
    return tls;
}

/* ---- stack ranges ---- */

struct slot {
    volatile uintptr_t lo, hi, tp;
    void *volatile thread;
};

static struct slot slots[BK_TLS_SLOTS];

static struct slot *slot_for(uintptr_t sp)
{
    for (int i = 0; i < BK_TLS_SLOTS; i++) {
        uintptr_t hi = __atomic_load_n(&slots[i].hi, __ATOMIC_ACQUIRE);
        if (hi && sp >= slots[i].lo && sp < hi)
            return &slots[i];
    }
    return NULL;
}

void *__bk_tls_thread(void)
{
    volatile char here; /* lives on the caller's stack */
    struct slot *s = slot_for((uintptr_t)&here);
    return s ? s->thread : NULL;
}

#if defined(__arm__)
extern char __arm32_tls_tcb_offset[];
static char *const tcb_offset[] = { __arm32_tls_tcb_offset };
static uintptr_t main_tp;

static uintptr_t tp_of(void *tls)
{
    char *const *volatile t = tcb_offset;
    return (uintptr_t)tls - (uintptr_t)t[0];
}
#else
static uintptr_t tp_of(void *tls)
{
    return (uintptr_t)tls;
}
#endif

int __bk_tls_register(void *stack_lo, size_t size, void *tls, void *thread)
{
    for (int i = 0; i < BK_TLS_SLOTS; i++) {
        uintptr_t expect = 0;
        /* Claim a free slot by its lo word, publish with hi last: readers skip hi == 0. */
        if (__atomic_compare_exchange_n(&slots[i].lo, &expect, (uintptr_t)stack_lo, 0,
                                        __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
            slots[i].tp = tp_of(tls);
            slots[i].thread = thread;
            __atomic_store_n(&slots[i].hi, (uintptr_t)stack_lo + size, __ATOMIC_RELEASE);
            return 0;
        }
    }
    return -1;
}

void __bk_tls_unregister(void *stack_lo)
{
    for (int i = 0; i < BK_TLS_SLOTS; i++) {
        if (slots[i].lo == (uintptr_t)stack_lo && slots[i].hi) {
            __atomic_store_n(&slots[i].hi, 0, __ATOMIC_RELEASE);
            slots[i].thread = NULL;
            __atomic_store_n(&slots[i].lo, 0, __ATOMIC_RELEASE);
            return;
        }
    }
}

#if defined(__arm__)

/* Called from __aeabi_read_tp with the caller's stack pointer. */
uintptr_t __bk_tp_for_sp(uintptr_t sp);
uintptr_t __bk_tp_for_sp(uintptr_t sp)
{
    struct slot *s = slot_for(sp);
    return s ? s->tp : main_tp;
}

/* __aeabi_read_tp may only change r0 (RTABI): save what the C lookup may clobber. */
__asm__(".syntax unified\n"
        ".thumb\n"
        ".global __aeabi_read_tp\n"
        ".type __aeabi_read_tp, %function\n"
        ".thumb_func\n"
        "__aeabi_read_tp:\n"
        "  push {r1, r2, r3, r4, r12, lr}\n"
        "  mov r0, sp\n"
        "  bl __bk_tp_for_sp\n"
        "  pop {r1, r2, r3, r4, r12, pc}\n");

/* Replaces picolibc's: only the main thread sets its pointer this way. */
void _set_tls(void *tls)
{
    main_tp = tp_of(tls);
}

void __bk_tls_probe(void)
{
}

void __bk_tls_enter(void *tls)
{
    (void)tls; /* registered by range before the thread started */
}

#elif defined(__aarch64__)

#define STR_(x) #x
#define STR(x) STR_(x)

/* The probe thread: changes tpidr_el0 and ends, touching neither memory nor TLS. */
__asm__(".global __bk_tls_probe_entry\n"
        ".type __bk_tls_probe_entry, %function\n"
        "__bk_tls_probe_entry:\n"
        "  mov x9, #0x5a5a\n"
        "  msr tpidr_el0, x9\n"
        "  mov x8, #" STR(BK_NR_exit_thread) "\n"
        "  svc 0\n"
        "  b .\n");
void __bk_tls_probe_entry(void);

static int shared_tls; /* 1: the kernel does not switch tpidr_el0 */

void __bk_tls_probe(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    uintptr_t before, after;
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(before));
    void *stack = __bk_kalloc(1024, 16);
    if (!stack)
        return;
    struct SpawnArgs sa = { 0, (unsigned long)stack, 1024,
                            (unsigned long)__bk_tls_probe_entry, 0, 0 };
    long tid = bk_syscall6(BK_NR_create_thread, (long)&sa, 0, 0, 0, 0, 0);
    if (bk_is_error(tid)) {
        __bk_kfree(stack);
        return;
    }
    for (;;) {
        long r = bk_syscall6(BK_NR_get_sched_param, tid, 0, 0, 0, 0, 0);
        if (bk_is_error(r) && -r == BK_ESRCH)
            break;
        (void)bk_syscall6(BK_NR_sched_yield, 0, 0, 0, 0, 0, 0);
    }
    __bk_kfree(stack);
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(after));
    if (after != before) {
        shared_tls = 1;
        __asm__ volatile("msr tpidr_el0, %0" : : "r"(before));
    }
}

void __bk_tls_enter(void *tls)
{
    if (!shared_tls)
        _set_tls(tls);
}

#else /* RISC-V: tp is a general register, always part of the saved context */

void __bk_tls_probe(void)
{
}

void __bk_tls_enter(void *tls)
{
    _set_tls(tls);
}

#endif

//! Board qemu_virt64_aarch64 (Cortex-A53): EL1 vectors, GICv2 + EL1 physical timer, PL011,
//! semihosting. Only moves registers: the trap entry hands a `TrapFrame` to `crate::trap`.
//!
//! Threads run at EL0 on SP_EL0; the kernel at EL1 on SP_EL1 with interrupts masked. The frame
//! holds every register a thread owns, and the scheduler switches the EL0 thread pointer
//! (`SwitchState`).
//!
//! FP/SIMD: apps use the standard AArch64 ABI (doubles in d-registers: picolibc, libm). `_start`
//! enables FP/SIMD at EL0 and EL1 (CPACR_EL1.FPEN = 0b11) before any thread exists, and every
//! trap saves q0-q31, FPCR and FPSR into the frame before the first kernel instruction that could
//! touch them, and restores them last: eagerly, because the kernel itself is not FP-free (its
//! Rust target, aarch64-unknown-none, is hard-float with NEON, and the compiler uses q-registers
//! for copies, memcpy and string scans). A context switch swaps whole frames, FP state included.
//! After saving, FPCR is reset so the kernel's own SIMD/FP code runs in the default mode
//! (round to nearest, no flush-to-zero) whatever the thread set.
use core::arch::{asm, global_asm};

use super::{Arch, Frame};

// The board's addresses: generated from kernel/boards.toml (`crate::board`). TIMER_IRQ: the EL1
// physical timer's PPI.
use crate::board::{
    CONSOLE_BASE as UART0, INTERRUPTS_CPU_INTERFACE as GICC, INTERRUPTS_DISTRIBUTOR as GICD,
    TIMER_IRQ,
};

#[repr(C, align(16))]
#[derive(Clone, Copy)]
pub struct TrapFrame {
    x: [u64; 31],
    sp_el0: u64,
    elr: u64,
    spsr: u64,
    fpcr: u64,
    fpsr: u64,
    q: [u128; 32],
}

impl Default for TrapFrame {
    fn default() -> Self {
        TrapFrame { x: [0; 31], sp_el0: 0, elr: 0, spsr: 0, fpcr: 0, fpsr: 0, q: [0; 32] }
    }
}

impl Frame for TrapFrame {
    fn nr(&self) -> usize {
        self.x[8] as usize
    }
    fn args(&self) -> [usize; 6] {
        let x = &self.x;
        [x[0] as usize, x[1] as usize, x[2] as usize, x[3] as usize, x[4] as usize, x[5] as usize]
    }
    fn set_ret(&mut self, v: usize) {
        self.x[0] = v as u64;
    }
    fn pc(&self) -> usize {
        self.elr as usize
    }
    fn sp(&self) -> usize {
        self.sp_el0 as usize
    }
    fn after_syscall(&mut self) {}
    fn new_thread(entry: usize, arg: usize, stack_top: usize, ret: usize) -> Self {
        let mut f = TrapFrame::default();
        f.x[0] = arg as u64;
        f.x[30] = ret as u64;
        f.sp_el0 = (stack_top & !15) as u64;
        f.elr = entry as u64;
        f.spsr = 0; // EL0t, interrupts unmasked
        f
    }
    /// The lowest stack address the thread uses (AAPCS64 has no red zone).
    fn stack_floor(&self) -> usize {
        self.sp_el0 as usize
    }
    /// Call `entry(arg)` on stack `sp`, returning into `ret`; x18 and tpidr_el0 stay the
    /// thread's, FPCR too (the entry runs in the thread's rounding mode).
    fn enter_handler(&mut self, entry: usize, arg: usize, sp: usize, ret: usize) -> bool {
        self.x[0] = arg as u64;
        self.x[30] = ret as u64;
        self.sp_el0 = (sp & !15) as u64;
        self.elr = entry as u64;
        self.spsr = 0;
        true
    }
}

/// A thread's user context as a signal saves it on its stack (`crate::signal`): the frame
/// already holds every register, FP/SIMD included; tpidr_el0 is not touched by the entry.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct UserContext {
    frame: TrapFrame,
}

const FRAME: usize = core::mem::size_of::<TrapFrame>();
const _: () = assert!(FRAME == 800);

global_asm!(
    r#"
    .section .text.bk_entry, "ax"
    .global _start
_start:
    ldr x30, =__kstack_top
    mov sp, x30
    // CPACR_EL1.FPEN = 0b11: FP/SIMD instructions do not trap at EL0 or EL1
    mov x0, #(3 << 20)
    msr cpacr_el1, x0
    ldr x0, =0x30d51800
    msr sctlr_el1, x0
    adr x0, bk_vectors
    msr vbar_el1, x0
    isb
    bl bk_kmain
1:  wfe
    b 1b

.macro VEC kind
    .balign 128
    sub sp, sp, #800
    stp x0, x1, [sp, #0]
    mov x0, #\kind
    b bk_trap_common
.endm

    .balign 2048
bk_vectors:
    VEC 0
    VEC 1
    VEC 1
    VEC 1
    VEC 0
    VEC 1
    VEC 1
    VEC 1
    VEC 2
    VEC 3
    VEC 1
    VEC 1
    VEC 1
    VEC 1
    VEC 1
    VEC 1

bk_trap_common:
    stp x2, x3, [sp, #16]
    stp x4, x5, [sp, #32]
    stp x6, x7, [sp, #48]
    stp x8, x9, [sp, #64]
    stp x10, x11, [sp, #80]
    stp x12, x13, [sp, #96]
    stp x14, x15, [sp, #112]
    stp x16, x17, [sp, #128]
    stp x18, x19, [sp, #144]
    stp x20, x21, [sp, #160]
    stp x22, x23, [sp, #176]
    stp x24, x25, [sp, #192]
    stp x26, x27, [sp, #208]
    stp x28, x29, [sp, #224]
    mrs x2, sp_el0
    stp x30, x2, [sp, #240]
    mrs x2, elr_el1
    mrs x3, spsr_el1
    stp x2, x3, [sp, #256]
    mrs x2, fpcr
    mrs x3, fpsr
    stp x2, x3, [sp, #272]
    add x2, sp, #288
    stp q0, q1, [x2, #0]
    stp q2, q3, [x2, #32]
    stp q4, q5, [x2, #64]
    stp q6, q7, [x2, #96]
    stp q8, q9, [x2, #128]
    stp q10, q11, [x2, #160]
    stp q12, q13, [x2, #192]
    stp q14, q15, [x2, #224]
    stp q16, q17, [x2, #256]
    stp q18, q19, [x2, #288]
    stp q20, q21, [x2, #320]
    stp q22, q23, [x2, #352]
    stp q24, q25, [x2, #384]
    stp q26, q27, [x2, #416]
    stp q28, q29, [x2, #448]
    stp q30, q31, [x2, #480]
    // the thread's FPCR is in the frame: the kernel runs in the default FP mode
    msr fpcr, xzr
    mov x1, sp
    mrs x2, esr_el1
    mrs x3, far_el1
    bl bk_trap_a64
    .global bk_trap_restore
bk_trap_restore:
    add x2, sp, #288
    ldp q0, q1, [x2, #0]
    ldp q2, q3, [x2, #32]
    ldp q4, q5, [x2, #64]
    ldp q6, q7, [x2, #96]
    ldp q8, q9, [x2, #128]
    ldp q10, q11, [x2, #160]
    ldp q12, q13, [x2, #192]
    ldp q14, q15, [x2, #224]
    ldp q16, q17, [x2, #256]
    ldp q18, q19, [x2, #288]
    ldp q20, q21, [x2, #320]
    ldp q22, q23, [x2, #352]
    ldp q24, q25, [x2, #384]
    ldp q26, q27, [x2, #416]
    ldp q28, q29, [x2, #448]
    ldp q30, q31, [x2, #480]
    ldp x2, x3, [sp, #272]
    msr fpcr, x2
    msr fpsr, x3
    ldp x2, x3, [sp, #256]
    msr elr_el1, x2
    msr spsr_el1, x3
    ldp x30, x2, [sp, #240]
    msr sp_el0, x2
    ldp x0, x1, [sp, #0]
    ldp x2, x3, [sp, #16]
    ldp x4, x5, [sp, #32]
    ldp x6, x7, [sp, #48]
    ldp x8, x9, [sp, #64]
    ldp x10, x11, [sp, #80]
    ldp x12, x13, [sp, #96]
    ldp x14, x15, [sp, #112]
    ldp x16, x17, [sp, #128]
    ldp x18, x19, [sp, #144]
    ldp x20, x21, [sp, #160]
    ldp x22, x23, [sp, #176]
    ldp x24, x25, [sp, #192]
    ldp x26, x27, [sp, #208]
    ldp x28, x29, [sp, #224]
    add sp, sp, #800
    eret

    .global bk_user_exit_trampoline
bk_user_exit_trampoline:
    bl bk_thread_returned
1:  b 1b
"#
);

/// kind: 0 = synchronous from EL1 (kernel fault), 1 = unexpected, 2 = sync from EL0, 3 = IRQ from EL0.
#[no_mangle]
extern "C" fn bk_trap_a64(kind: u64, frame: &mut TrapFrame, esr: u64, far: u64) {
    let ec = esr >> 26;
    match kind {
        2 if ec == 0x15 => crate::trap::on_syscall(frame),
        3 => {
            // SAFETY: GICC_IAR acknowledges the highest-priority pending interrupt.
            let iar = unsafe { ((GICC + 0x0C) as *const u32).read_volatile() };
            if iar & 0x3ff == TIMER_IRQ {
                crate::trap::on_timer_irq(frame);
            }
            if iar & 0x3ff < 1020 {
                // SAFETY: GICC_EOIR ends the interrupt acknowledged above.
                unsafe { ((GICC + 0x10) as *mut u32).write_volatile(iar) };
            }
            crate::trap::after_irq(frame);
        }
        _ => crate::trap::on_fault(
            kind == 2,
            Some(crate::trap::FaultInfo {
                sp: frame.sp_el0 as usize,
                pc: Some(frame.elr as usize),
                // data aborts (EC 0x24/0x25) have the address in FAR and WnR in ISS bit 6
                addr: matches!(ec, 0x24 | 0x25).then_some(far as usize),
                write: matches!(ec, 0x24 | 0x25).then_some(esr & (1 << 6) != 0),
            }),
            format_args!("exception kind={} esr={:#x} (ec={:#x}) far={:#x} elr={:#x} sp_el0={:#x}",
                         kind, esr, ec, far, frame.elr, frame.sp_el0),
        ),
    }
}

#[link_section = ".kdata"]
static mut PERIOD: u64 = 0;

fn cntfrq() -> u64 {
    let f: u64;
    // SAFETY: reading the counter frequency has no side effects.
    unsafe { asm!("mrs {}, cntfrq_el0", out(reg) f) };
    f
}

fn cntpct() -> u64 {
    let c: u64;
    // SAFETY: reading the physical counter has no side effects.
    unsafe { asm!("isb", "mrs {}, cntpct_el0", out(reg) c) };
    c
}

/// Registers switched only when the scheduler changes threads: the EL0 thread pointer
/// (`tpidr_el0`, which C runtimes use for TLS: errno, pthread_self). SIMD/FP registers are in
/// the trap frame already.
#[derive(Clone, Copy, Default)]
pub struct SwitchState {
    tpidr_el0: u64,
}

/// The Cortex-A53 at EL1: this file's side of `super::Arch`.
pub struct Aarch64;

impl Arch for Aarch64 {
    const NAME: &'static str = crate::board::NAME;
    const BOOT_BLOB: usize = crate::board::BOOT_BLOB;
    const BOOT_BLOB_MAX: usize = crate::board::BOOT_BLOB_MAX;
    type TrapFrame = TrapFrame;
    type SwitchState = SwitchState;
    type UserContext = UserContext;

    fn init() {}

    fn putc(b: u8) {
        // SAFETY: PL011 FR bit 5 = TX FIFO full; DR takes one byte.
        unsafe {
            while ((UART0 + 0x18) as *const u32).read_volatile() & (1 << 5) != 0 {}
            (UART0 as *mut u32).write_volatile(b as u32);
        }
    }

    fn semihost(op: usize, arg: usize) -> usize {
        let ret: usize;
        // SAFETY: `hlt 0xf000` is the A64 semihosting call; QEMU runs with -semihosting.
        unsafe { asm!("hlt #0xf000", inlateout("x0") op => ret, in("x1") arg, options(nostack)) };
        ret
    }

    /// Monotonic nanoseconds from the generic counter.
    fn now_ns() -> u64 {
        let (c, f) = (cntpct(), cntfrq());
        (c / f) * 1_000_000_000 + (c % f) * 1_000_000_000 / f
    }

    fn timer_start(period_ns: u64) {
        let w = |a: usize, v: u32| {
            // SAFETY: GICv2 distributor/CPU interface registers of QEMU virt.
            unsafe { (a as *mut u32).write_volatile(v) }
        };
        w(GICD, 1);
        w(GICD + 0x100, 1 << TIMER_IRQ);
        // SAFETY: byte-wide priority register of interrupt TIMER_IRQ.
        unsafe { ((GICD + 0x400 + TIMER_IRQ as usize) as *mut u8).write_volatile(0x80) };
        w(GICC + 0x4, 0xff);
        w(GICC, 1);
        let period = cntfrq() * period_ns / 1_000_000_000;
        // SAFETY: single-threaded boot; EL1 physical timer registers.
        unsafe {
            PERIOD = period;
            asm!("msr cntp_cval_el0, {}", "msr cntp_ctl_el0, {}", in(reg) cntpct() + period,
                 in(reg) 1u64);
        }
    }

    fn timer_pending() -> bool {
        let ctl: u64;
        // SAFETY: reading the timer control register (bit 2 = ISTATUS).
        unsafe { asm!("mrs {}, cntp_ctl_el0", out(reg) ctl) };
        ctl & 4 != 0
    }

    fn timer_ack() {
        // SAFETY: moving the compare value forward deasserts the timer line.
        unsafe {
            let cval: u64;
            asm!("mrs {}, cntp_cval_el0", out(reg) cval);
            let now = cntpct();
            let mut next = cval + PERIOD;
            if next <= now {
                next = now + PERIOD;
            }
            asm!("msr cntp_cval_el0, {}", in(reg) next);
        }
    }

    /// Make the tick due now (the tests' fault injection, `bk_test_boot_tick*`).
    #[cfg(any(bk_test_boot_tick, bk_test_boot_tick_late))]
    fn timer_force_pending() {
        // SAFETY: EL1 physical timer compare register; a compare value in the past raises the IRQ.
        unsafe { asm!("msr cntp_cval_el0, {}", "isb", in(reg) 0u64) };
    }

    fn idle_wait() {
        // SAFETY: wfi wakes on a pending interrupt even while IRQs are masked.
        unsafe { asm!("wfi") };
    }

    /// No guard: the kernel runs with the MMU off (SCTLR_EL1.M = 0, flat physical addresses), and
    /// without translation EL0 can reach all memory; the stack canary (sched.rs) is the floor here.
    fn set_stack_guard(_g: Option<(usize, usize)>) {}

    fn start_first(f: &TrapFrame) -> ! {
        extern "C" {
            static __kstack_top: u8;
        }
        // SAFETY: `f` lives in the kernel heap, not on the stack. sp moves to the top of the kernel
        // stack (the boot call chain is abandoned), the frame is copied there word by word and
        // restored as if returning from a trap.
        unsafe {
            let top = &__kstack_top as *const u8 as usize;
            asm!(
                "mov sp, x1",
                "mov x9, #0",
                "2: ldr x10, [x0, x9]",
                "str x10, [sp, x9]",
                "add x9, x9, #8",
                "cmp x9, #{size}",
                "b.lt 2b",
                "b bk_trap_restore",
                size = const FRAME,
                in("x0") f as *const TrapFrame, in("x1") top - FRAME,
                options(noreturn)
            )
        }
    }

    fn exit_trampoline() -> usize {
        extern "C" {
            fn bk_user_exit_trampoline();
        }
        bk_user_exit_trampoline as usize
    }

    fn user_syscall(nr: usize, a0: usize) -> usize {
        let ret: usize;
        // SAFETY: `svc 0` with the number in x8 is the syscall ABI.
        unsafe { asm!("svc 0", in("x8") nr, inlateout("x0") a0 => ret) };
        ret
    }

    fn switch_save(s: &mut SwitchState) {
        // SAFETY: reading the EL0 thread-pointer register has no side effects.
        unsafe { asm!("mrs {}, tpidr_el0", out(reg) s.tpidr_el0) };
    }

    fn switch_restore(s: &SwitchState) {
        // SAFETY: the register belongs to the thread about to run; the kernel never uses it.
        unsafe { asm!("msr tpidr_el0, {}", in(reg) s.tpidr_el0) };
    }

    fn save_context(f: &TrapFrame) -> UserContext {
        UserContext { frame: *f }
    }

    /// Put a saved context back; of SPSR only the condition flags come from the app (EL0t,
    /// interrupts unmasked), so no value can raise the thread's privilege or mask the tick.
    fn restore_context(f: &mut TrapFrame, c: &UserContext) -> bool {
        *f = c.frame;
        f.spsr &= 0xF000_0000;
        true
    }

    /// BOARD FACT (QEMU `virt` without EL2/EL3: PSCI through HVC): PSCI SYSTEM_RESET; QEMU resets
    /// the machine and reloads the image (resident.rs). The PL011 writes each byte synchronously.
    fn system_reset() -> ! {
        // SAFETY: PSCI 0.2 SYSTEM_RESET takes no arguments and does not return.
        unsafe { asm!("hvc #0", in("x0") 0x8400_0009usize, options(nostack)) };
        loop {
            Self::idle_wait();
        }
    }

    /// Back to the boot path without a machine reset (resident.rs): the timer off, the GIC's
    /// interfaces off with the timer's interrupt ended if a call ended inside it, every private
    /// interrupt disabled, not pending and not active (`timer_start` sets them up again), the EL0
    /// and exception registers and FP/SIMD as a reset leaves them, IRQs masked; then `_start`
    /// at EL1, which sets the stack, CPACR, SCTLR (MMU off) and the vectors as at any boot.
    fn restart() -> ! {
        let w = |a: usize, v: u32| {
            // SAFETY: GICv2 distributor/CPU interface registers of QEMU virt.
            unsafe { (a as *mut u32).write_volatile(v) }
        };
        // SAFETY: EL1 physical timer control, then reading GICD_ISACTIVER0.
        unsafe { asm!("msr cntp_ctl_el0, xzr", "isb") };
        let active = unsafe { ((GICD + 0x300) as *const u32).read_volatile() };
        if active & (1 << TIMER_IRQ) != 0 {
            w(GICC + 0x10, TIMER_IRQ);
        }
        w(GICC, 0);
        w(GICD, 0);
        w(GICD + 0x180, u32::MAX);
        w(GICD + 0x280, u32::MAX);
        w(GICD + 0x380, u32::MAX);
        // SAFETY: EL1 with the tick off; nothing runs after the jump but the boot path, which
        // rebuilds every kernel structure.
        unsafe {
            asm!(
                "msr daifset, #0xf",
                "msr tpidr_el0, xzr",
                "msr tpidrro_el0, xzr",
                "msr sp_el0, xzr",
                "msr elr_el1, xzr",
                "msr spsr_el1, xzr",
                "movi v0.2d, #0",
                "movi v1.2d, #0",
                "movi v2.2d, #0",
                "movi v3.2d, #0",
                "movi v4.2d, #0",
                "movi v5.2d, #0",
                "movi v6.2d, #0",
                "movi v7.2d, #0",
                "movi v8.2d, #0",
                "movi v9.2d, #0",
                "movi v10.2d, #0",
                "movi v11.2d, #0",
                "movi v12.2d, #0",
                "movi v13.2d, #0",
                "movi v14.2d, #0",
                "movi v15.2d, #0",
                "movi v16.2d, #0",
                "movi v17.2d, #0",
                "movi v18.2d, #0",
                "movi v19.2d, #0",
                "movi v20.2d, #0",
                "movi v21.2d, #0",
                "movi v22.2d, #0",
                "movi v23.2d, #0",
                "movi v24.2d, #0",
                "movi v25.2d, #0",
                "movi v26.2d, #0",
                "movi v27.2d, #0",
                "movi v28.2d, #0",
                "movi v29.2d, #0",
                "movi v30.2d, #0",
                "movi v31.2d, #0",
                "msr fpcr, xzr",
                "msr fpsr, xzr",
                "isb",
                "adrp x0, _start",
                "add x0, x0, :lo12:_start",
                "br x0",
                options(noreturn)
            )
        }
    }
}

//! Board qemu_riscv64 (RV64GC, virt): M-mode trap entry, CLINT timer, NS16550A, semihosting.
//! Only moves registers: the trap entry hands a `TrapFrame` to `crate::trap` and restores it.
//!
//! Threads run in U-mode; the kernel in M-mode with interrupts off (`mscratch` holds the kernel
//! stack top while a thread runs). Floating-point registers are switched by the scheduler only
//! when it changes threads (`SwitchState`: f0-f31 and fcsr): the kernel itself never uses them,
//! so a trap leaves them as the thread had them (tests/kernel/test_fp_state.py checks the image:
//! no FP instruction outside the switch). `tp` (x4) is in the trap frame.
use core::arch::{asm, global_asm};

use super::{Arch, Frame};

// The board's addresses and clock: generated from kernel/boards.toml (`crate::board`).
use crate::board::{
    CONSOLE_BASE as UART0, TIMER_HZ as MTIME_HZ, TIMER_MTIME as MTIME, TIMER_MTIMECMP as MTIMECMP,
};

#[repr(C, align(16))]
#[derive(Clone, Copy, Default)]
pub struct TrapFrame {
    /// x0..x31; slot 2 holds the thread's sp.
    x: [u64; 32],
    mepc: u64,
    _pad: u64,
}

impl Frame for TrapFrame {
    fn nr(&self) -> usize {
        self.x[17] as usize
    }
    fn args(&self) -> [usize; 6] {
        let x = &self.x;
        [x[10] as usize, x[11] as usize, x[12] as usize, x[13] as usize, x[14] as usize,
         x[15] as usize]
    }
    fn set_ret(&mut self, v: usize) {
        self.x[10] = v as u64;
    }
    fn pc(&self) -> usize {
        self.mepc as usize
    }
    fn sp(&self) -> usize {
        self.x[2] as usize
    }
    /// `ecall` leaves mepc on itself: step over it.
    fn after_syscall(&mut self) {
        self.mepc += 4;
    }
    fn new_thread(entry: usize, arg: usize, stack_top: usize, ret: usize) -> Self {
        let mut f = TrapFrame::default();
        f.x[1] = ret as u64;
        f.x[2] = (stack_top & !15) as u64;
        f.x[10] = arg as u64;
        f.mepc = entry as u64;
        f
    }
    /// The lowest stack address the thread uses (no red zone in the RISC-V psABI).
    fn stack_floor(&self) -> usize {
        self.x[2] as usize
    }
    /// Call `entry(arg)` on stack `sp`, returning into `ret`; gp and tp stay the thread's.
    fn enter_handler(&mut self, entry: usize, arg: usize, sp: usize, ret: usize) -> bool {
        self.x[1] = ret as u64;
        self.x[2] = (sp & !15) as u64;
        self.x[10] = arg as u64;
        self.mepc = entry as u64;
        true
    }
}

/// A thread's user context as a signal saves it on its stack (`crate::signal`): the trap frame
/// and the FP registers, which only a switch saves otherwise.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct UserContext {
    frame: TrapFrame,
    fp: SwitchState,
}

const FRAME: usize = core::mem::size_of::<TrapFrame>();
const _: () = assert!(FRAME == 272);

global_asm!(
    r#"
    .section .text.bk_entry, "ax"
    .global _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    la sp, __kstack_top
    la t0, bk_trap_entry
    csrw mtvec, t0
    // mstatus.FS = Initial: FP instructions are legal (U-mode apps, SwitchState)
    li t0, 0x2000
    csrs mstatus, t0
    li t0, -1
    csrw pmpaddr0, t0
    li t0, 0x1f
    csrw pmpcfg0, t0
    call bk_kmain
1:  wfi
    j 1b

    .balign 4
bk_trap_entry:
    csrrw sp, mscratch, sp
    addi sp, sp, -272
    sd x1, 8(sp)
    sd x3, 24(sp)
    sd x4, 32(sp)
    sd x5, 40(sp)
    sd x6, 48(sp)
    sd x7, 56(sp)
    sd x8, 64(sp)
    sd x9, 72(sp)
    sd x10, 80(sp)
    sd x11, 88(sp)
    sd x12, 96(sp)
    sd x13, 104(sp)
    sd x14, 112(sp)
    sd x15, 120(sp)
    sd x16, 128(sp)
    sd x17, 136(sp)
    sd x18, 144(sp)
    sd x19, 152(sp)
    sd x20, 160(sp)
    sd x21, 168(sp)
    sd x22, 176(sp)
    sd x23, 184(sp)
    sd x24, 192(sp)
    sd x25, 200(sp)
    sd x26, 208(sp)
    sd x27, 216(sp)
    sd x28, 224(sp)
    sd x29, 232(sp)
    sd x30, 240(sp)
    sd x31, 248(sp)
    csrr t0, mscratch
    sd t0, 16(sp)
    csrr t0, mepc
    sd t0, 256(sp)
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    mv a0, sp
    csrr a1, mcause
    csrr a2, mtval
    csrr a3, mstatus
    call bk_trap_rv
    .global bk_trap_restore
bk_trap_restore:
    ld t0, 256(sp)
    csrw mepc, t0
    li t0, 0x1800
    csrc mstatus, t0
    li t0, 0x80
    csrs mstatus, t0
    addi t0, sp, 272
    csrw mscratch, t0
    ld x1, 8(sp)
    ld x3, 24(sp)
    ld x4, 32(sp)
    ld x5, 40(sp)
    ld x6, 48(sp)
    ld x7, 56(sp)
    ld x8, 64(sp)
    ld x9, 72(sp)
    ld x10, 80(sp)
    ld x11, 88(sp)
    ld x12, 96(sp)
    ld x13, 104(sp)
    ld x14, 112(sp)
    ld x15, 120(sp)
    ld x16, 128(sp)
    ld x17, 136(sp)
    ld x18, 144(sp)
    ld x19, 152(sp)
    ld x20, 160(sp)
    ld x21, 168(sp)
    ld x22, 176(sp)
    ld x23, 184(sp)
    ld x24, 192(sp)
    ld x25, 200(sp)
    ld x26, 208(sp)
    ld x27, 216(sp)
    ld x28, 224(sp)
    ld x29, 232(sp)
    ld x30, 240(sp)
    ld x31, 248(sp)
    ld x2, 16(sp)
    mret

    .global bk_user_exit_trampoline
bk_user_exit_trampoline:
    call bk_thread_returned
1:  j 1b
"#
);

#[no_mangle]
extern "C" fn bk_trap_rv(frame: &mut TrapFrame, mcause: u64, mtval: u64, mstatus: u64) {
    let from_user = (mstatus >> 11) & 3 == 0;
    if mcause == (1 << 63) | 7 {
        crate::trap::on_timer_irq(frame);
        crate::trap::after_irq(frame);
    } else if mcause == 8 {
        crate::trap::on_syscall(frame);
    } else {
        // Access faults (1 fetch, 5 load, 7 store/AMO) carry the address in mtval.
        let info = crate::trap::FaultInfo {
            sp: frame.x[2] as usize,
            pc: Some(frame.mepc as usize),
            addr: matches!(mcause, 5 | 7).then_some(mtval as usize),
            write: matches!(mcause, 5 | 7).then_some(mcause == 7),
        };
        crate::trap::on_fault(
            from_user,
            Some(info),
            format_args!("exception mcause={:#x} mtval={:#x} mepc={:#x} sp={:#x}",
                         mcause, mtval, frame.mepc, frame.x[2]),
        );
    }
}

// Memory protection (PMP; M-mode, the kernel, is not bound by unlocked entries, U-mode apps are;
// the lowest-numbered matching entry decides):
//   0: OFF, its address the base of entry 1 (TOR)
//   1: TOR [kernel-private start, end): read-only for the app
//   2: NAPOT the current thread's stack guard: no access (OFF when the thread has none)
//   3: NAPOT everything: read, write, execute (what the app had before)
const PMP_R: u64 = 1;
const PMP_TOR: u64 = 1 << 3;
const PMP_NAPOT: u64 = 3 << 3;

fn pmpcfg(guard: bool) -> u64 {
    (PMP_TOR | PMP_R) << 8 | if guard { PMP_NAPOT << 16 } else { 0 } | (PMP_NAPOT | 7) << 24
}

/// BOARD FACT (QEMU `virt`: the SiFive test device at 0x10_0000): writing FINISHER_RESET
/// (0x7777) resets the machine, which reloads the image (resident.rs). LSR bit 6 (transmitter
/// empty) says QEMU has handed the last byte on.
const VIRT_TEST: usize = 0x10_0000;

#[link_section = ".kdata"]
static mut PERIOD: u64 = 0;

fn mtime() -> u64 {
    // SAFETY: the CLINT mtime register is always readable.
    unsafe { (MTIME as *const u64).read_volatile() }
}

/// Registers switched only when the scheduler changes threads: f0-f31 and fcsr (the kernel never
/// uses FP, so traps need not save them).
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct SwitchState {
    f: [u64; 32],
    fcsr: u64,
}

/// The RV64GC hart in M-mode: this file's side of `super::Arch`.
pub struct Riscv64;

impl Arch for Riscv64 {
    const NAME: &'static str = crate::board::NAME;
    const BOOT_BLOB: usize = crate::board::BOOT_BLOB;
    const BOOT_BLOB_MAX: usize = crate::board::BOOT_BLOB_MAX;
    type TrapFrame = TrapFrame;
    type SwitchState = SwitchState;
    type UserContext = UserContext;

    fn init() {
        let (ks, ke) = crate::trap::kernel_private();
        // SAFETY: PMP CSRs; M-mode itself is unaffected (no entry is locked).
        unsafe {
            asm!("csrw pmpaddr0, {}", in(reg) ks >> 2);
            asm!("csrw pmpaddr1, {}", in(reg) ke >> 2);
            asm!("csrw pmpaddr3, {}", in(reg) -1i64);
            asm!("csrw pmpcfg0, {}", in(reg) pmpcfg(false));
        }
    }

    fn putc(b: u8) {
        // SAFETY: NS16550A LSR bit 5 = THR empty; THR takes one byte.
        unsafe {
            while ((UART0 + 5) as *const u8).read_volatile() & (1 << 5) == 0 {}
            (UART0 as *mut u8).write_volatile(b);
        }
    }

    fn semihost(op: usize, arg: usize) -> usize {
        let ret: usize;
        // SAFETY: the RISC-V semihosting sequence (uncompressed, one page); QEMU has -semihosting.
        unsafe {
            asm!(
                ".balign 16",
                ".option push",
                ".option norvc",
                "slli x0, x0, 0x1f",
                "ebreak",
                "srai x0, x0, 7",
                ".option pop",
                inlateout("a0") op => ret, in("a1") arg, options(nostack)
            )
        };
        ret
    }

    fn now_ns() -> u64 {
        mtime() * (1_000_000_000 / MTIME_HZ)
    }

    fn timer_start(period_ns: u64) {
        // SAFETY: single-threaded boot; CLINT compare register of hart 0, then mie.MTIE.
        unsafe {
            PERIOD = MTIME_HZ * period_ns / 1_000_000_000;
            (MTIMECMP as *mut u64).write_volatile(mtime() + PERIOD);
            asm!("csrs mie, {}", in(reg) 1u64 << 7);
        }
    }

    fn timer_pending() -> bool {
        let mip: u64;
        // SAFETY: reading mip has no side effects.
        unsafe { asm!("csrr {}, mip", out(reg) mip) };
        mip & (1 << 7) != 0
    }

    fn timer_ack() {
        // SAFETY: moving mtimecmp forward clears the timer interrupt.
        unsafe {
            let cmp = (MTIMECMP as *const u64).read_volatile();
            let now = mtime();
            let mut next = cmp + PERIOD;
            if next <= now {
                next = now + PERIOD;
            }
            (MTIMECMP as *mut u64).write_volatile(next);
        }
    }

    /// Make the tick due now (the tests' fault injection, `bk_test_boot_tick*`).
    #[cfg(any(bk_test_boot_tick, bk_test_boot_tick_late))]
    fn timer_force_pending() {
        // SAFETY: CLINT compare register of hart 0; a compare value in the past raises MTIP.
        unsafe { (MTIMECMP as *mut u64).write_volatile(0) };
    }

    fn idle_wait() {
        // SAFETY: wfi in M-mode wakes on a pending enabled interrupt even with mstatus.MIE clear.
        unsafe { asm!("wfi") };
    }

    /// The guard [lo, hi) (a power of two aligned to itself, sched::guard_range) of the thread
    /// about to run: a U-mode access there faults at the access.
    fn set_stack_guard(g: Option<(usize, usize)>) {
        // SAFETY: PMP CSRs, as in `init`; entry 2 is the guard.
        unsafe {
            if let Some((lo, hi)) = g {
                asm!("csrw pmpaddr2, {}", in(reg) (lo >> 2) | ((hi - lo) / 8 - 1));
            }
            asm!("csrw pmpcfg0, {}", in(reg) pmpcfg(g.is_some()));
        }
    }

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
                "mv sp, a1",
                "li t1, 0",
                "li t4, {size}",
                "2: add t2, a0, t1",
                "ld t3, 0(t2)",
                "add t2, sp, t1",
                "sd t3, 0(t2)",
                "addi t1, t1, 8",
                "blt t1, t4, 2b",
                "j bk_trap_restore",
                size = const FRAME,
                in("a0") f as *const TrapFrame, in("a1") top - FRAME,
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
        // SAFETY: `ecall` with the number in a7 is the syscall ABI.
        unsafe { asm!("ecall", in("a7") nr, inlateout("a0") a0 => ret) };
        ret
    }

    // Not inlined: the scheduler and the signal frames (`save_context`, `restore_context`) share
    // one copy of the 32 loads and stores.
    #[inline(never)]
    fn switch_save(s: &mut SwitchState) {
        let p = s as *mut SwitchState;
        // SAFETY: `p` points to a whole SwitchState; FS is enabled at boot so FP instructions
        // are legal.
        unsafe {
            asm!(
                "fsd f0, 0({p})",
                "fsd f1, 8({p})",
                "fsd f2, 16({p})",
                "fsd f3, 24({p})",
                "fsd f4, 32({p})",
                "fsd f5, 40({p})",
                "fsd f6, 48({p})",
                "fsd f7, 56({p})",
                "fsd f8, 64({p})",
                "fsd f9, 72({p})",
                "fsd f10, 80({p})",
                "fsd f11, 88({p})",
                "fsd f12, 96({p})",
                "fsd f13, 104({p})",
                "fsd f14, 112({p})",
                "fsd f15, 120({p})",
                "fsd f16, 128({p})",
                "fsd f17, 136({p})",
                "fsd f18, 144({p})",
                "fsd f19, 152({p})",
                "fsd f20, 160({p})",
                "fsd f21, 168({p})",
                "fsd f22, 176({p})",
                "fsd f23, 184({p})",
                "fsd f24, 192({p})",
                "fsd f25, 200({p})",
                "fsd f26, 208({p})",
                "fsd f27, 216({p})",
                "fsd f28, 224({p})",
                "fsd f29, 232({p})",
                "fsd f30, 240({p})",
                "fsd f31, 248({p})",
                "frcsr {t}",
                "sd {t}, 256({p})",
                p = in(reg) p, t = out(reg) _,
            )
        }
    }

    #[inline(never)]
    fn switch_restore(s: &SwitchState) {
        let p = s as *const SwitchState;
        // SAFETY: as in switch_save.
        unsafe {
            asm!(
                "fld f0, 0({p})",
                "fld f1, 8({p})",
                "fld f2, 16({p})",
                "fld f3, 24({p})",
                "fld f4, 32({p})",
                "fld f5, 40({p})",
                "fld f6, 48({p})",
                "fld f7, 56({p})",
                "fld f8, 64({p})",
                "fld f9, 72({p})",
                "fld f10, 80({p})",
                "fld f11, 88({p})",
                "fld f12, 96({p})",
                "fld f13, 104({p})",
                "fld f14, 112({p})",
                "fld f15, 120({p})",
                "fld f16, 128({p})",
                "fld f17, 136({p})",
                "fld f18, 144({p})",
                "fld f19, 152({p})",
                "fld f20, 160({p})",
                "fld f21, 168({p})",
                "fld f22, 176({p})",
                "fld f23, 184({p})",
                "fld f24, 192({p})",
                "fld f25, 200({p})",
                "fld f26, 208({p})",
                "fld f27, 216({p})",
                "fld f28, 224({p})",
                "fld f29, 232({p})",
                "fld f30, 240({p})",
                "fld f31, 248({p})",
                "ld {t}, 256({p})",
                "fscsr {t}",
                p = in(reg) p, t = out(reg) _,
            )
        }
    }

    /// The context of the thread about to run: its FP registers are the live ones.
    fn save_context(f: &TrapFrame) -> UserContext {
        let mut c = UserContext { frame: *f, fp: SwitchState::default() };
        Self::switch_save(&mut c.fp);
        c
    }

    /// Put a saved context back. `mret` always returns to U-mode (`bk_trap_restore` clears MPP),
    /// so no register value can raise the thread's privilege.
    fn restore_context(f: &mut TrapFrame, c: &UserContext) -> bool {
        *f = c.frame;
        Self::switch_restore(&c.fp);
        true
    }

    fn system_reset() -> ! {
        // SAFETY: the UART's LSR, then the virt test device's finisher register.
        unsafe {
            while ((UART0 + 5) as *const u8).read_volatile() & (1 << 6) == 0 {}
            (VIRT_TEST as *mut u32).write_volatile(0x7777);
        }
        loop {
            Self::idle_wait();
        }
    }

    /// Back to the boot path without a machine reset (resident.rs): the timer quiet (MTIE off and
    /// the compare register at its maximum, so MTIP drops), the FP registers and the CSRs a reset
    /// clears cleared (mstatus, mscratch, the PMP entries `_start` and `init` set again), then
    /// `_start` in M-mode, which sets sp, gp, mtvec and the PMP as at any boot.
    fn restart() -> ! {
        // SAFETY: M-mode with interrupts off; the CLINT compare register of hart 0, then CSRs only.
        // Nothing runs after the jump but the boot path, which rebuilds every kernel structure.
        unsafe {
            asm!("csrw mie, zero");
            (MTIMECMP as *mut u64).write_volatile(u64::MAX);
        }
        // f0-f31 and fcsr zero, as out of reset, through the one place the kernel touches them
        // (tests/kernel/test_fp_state.py checks the image for FP instructions elsewhere).
        Self::switch_restore(&SwitchState::default());
        // SAFETY: as above.
        unsafe {
            asm!(
                "csrw mstatus, zero",
                "csrw mscratch, zero",
                "csrw pmpcfg0, zero",
                "csrw pmpaddr0, zero",
                "csrw pmpaddr1, zero",
                "csrw pmpaddr2, zero",
                "csrw pmpaddr3, zero",
                "la t0, _start",
                "jr t0",
                options(noreturn)
            )
        }
    }
}

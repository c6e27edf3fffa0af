//! Cortex-M boards (kernel/boards.toml: qemu_mps2_an385, Cortex-M3, ARMv7-M; qemu_mps3_an547,
//! Cortex-M55, ARMv8.1-M Mainline): vector table, SVC/SysTick entry, CMSDK UART, SysTick,
//! semihosting. Only moves registers: the trap entry hands a `TrapFrame` to `crate::trap` and
//! restores it. Addresses and the SysTick clock come from `crate::board`.
//!
//! Threads run unprivileged in thread mode on PSP; the kernel runs in handler mode on MSP. SVC and
//! SysTick share one priority, so the kernel is never re-entered. A `TrapFrame` is the callee-saved
//! registers plus PSP; the hardware-stacked r0-r3, r12, lr, pc, xPSR stay on the thread's stack,
//! so switching threads is swapping frames. The assembly is ARMv7-M, which ARMv8-M Mainline runs
//! unchanged: the M55 boots in Secure state and stays there (Secure exceptions from Secure code
//! stack the same eight words and return through the same EXC_RETURN bits). The kernel and apps
//! are soft-float and leave the FPU (and the M55's MVE) disabled, so no thread has FP state.
use core::arch::{asm, global_asm};

use super::{Arch, Frame};

// The board's addresses and clock: generated from kernel/boards.toml (`crate::board`).
use crate::board::{CONSOLE_BASE as UART0, TIMER_HZ};
const SYST_CSR: usize = 0xE000_E010;
const SYST_RVR: usize = 0xE000_E014;
const SYST_CVR: usize = 0xE000_E018;
const SCB_ICSR: usize = 0xE000_ED04;
const SCB_AIRCR: usize = 0xE000_ED0C;
const SCB_CFSR: usize = 0xE000_ED28;
const SCB_HFSR: usize = 0xE000_ED2C;
const SCB_MMFAR: usize = 0xE000_ED34;
const SCB_BFAR: usize = 0xE000_ED38;

#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct TrapFrame {
    /// r4..r11 (r7 carries the syscall number).
    r4_r11: [u32; 8],
    psp: u32,
}

impl TrapFrame {
    fn hw(&self) -> *mut u32 {
        self.psp as *mut u32
    }
}

impl Frame for TrapFrame {
    fn nr(&self) -> usize {
        self.r4_r11[3] as usize
    }
    fn args(&self) -> [usize; 6] {
        let hw = self.hw();
        // SAFETY: the hardware stacked eight words at PSP on exception entry.
        unsafe {
            [*hw as usize, *hw.add(1) as usize, *hw.add(2) as usize, *hw.add(3) as usize,
             self.r4_r11[0] as usize, self.r4_r11[1] as usize]
        }
    }
    fn set_ret(&mut self, v: usize) {
        // SAFETY: r0 of the stacked frame at PSP.
        unsafe { *self.hw() = v as u32 }
    }
    fn pc(&self) -> usize {
        // SAFETY: stacked pc is word 6 of the hardware frame.
        unsafe { *self.hw().add(6) as usize }
    }
    fn sp(&self) -> usize {
        self.psp as usize + 32
    }
    fn after_syscall(&mut self) {}
    /// A new thread that will start at `entry(arg)` on `stack_top` and return into `ret`.
    fn new_thread(entry: usize, arg: usize, stack_top: usize, ret: usize) -> Self {
        let psp = ((stack_top & !7) - 32) as *mut u32;
        let words = [arg as u32, 0, 0, 0, 0, (ret | 1) as u32, (entry & !1) as u32, 0x0100_0000];
        for (i, w) in words.iter().enumerate() {
            // SAFETY: the caller checked [stack_top - size, stack_top) is the thread's own stack.
            unsafe { psp.add(i).write_volatile(*w) };
        }
        TrapFrame { r4_r11: [0; 8], psp: psp as u32 }
    }
    /// The lowest stack address the thread uses: its hardware frame (AAPCS has no red zone).
    fn stack_floor(&self) -> usize {
        self.psp as usize
    }
    /// Call `entry(arg)` on stack `sp`, returning into `ret`: a fresh hardware frame below `sp`;
    /// r4-r11 stay the thread's (r9 may be its static base).
    fn enter_handler(&mut self, entry: usize, arg: usize, sp: usize, ret: usize) -> bool {
        let psp = (sp & !7) - 32;
        if !crate::uaccess::check_user(psp, 32, true) {
            return false;
        }
        let words = [arg as u32, 0, 0, 0, 0, (ret | 1) as u32, (entry & !1) as u32, 0x0100_0000];
        for (i, w) in words.iter().enumerate() {
            // SAFETY: checked app memory just above, the thread's own stack below its frame.
            unsafe { (psp as *mut u32).add(i).write_volatile(*w) };
        }
        self.psp = psp as u32;
        true
    }
}

/// A thread's user context as a signal saves it on its stack (`crate::signal`): r4-r11 and
/// PSP, and the hardware frame at PSP (r0-r3, r12, lr, pc, xPSR). No FP state: every thread is
/// soft-float with the FPU off.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct UserContext {
    frame: TrapFrame,
    hw: [u32; 8],
}

// Exceptions 0-15: initial SP, reset, NMI, HardFault, MemManage, BusFault, UsageFault,
// SecureFault (ARMv8-M; reserved on ARMv7-M), 3 reserved, SVCall, DebugMonitor, reserved, PendSV,
// SysTick.
global_asm!(
    r#"
    .section .vectors, "a"
    .global __bk_vectors
__bk_vectors:
    .word __kstack_top
    .word bk_reset
    .word bk_fault_entry
    .word bk_fault_entry
    .word bk_fault_entry
    .word bk_fault_entry
    .word bk_fault_entry
    .word bk_fault_entry
    .word 0, 0, 0
    .word bk_svc_entry
    .word bk_fault_entry
    .word 0
    .word bk_fault_entry
    .word bk_systick_entry

    .section .text.bk_entry, "ax"
    .syntax unified
    .thumb
    .global bk_reset
    .thumb_func
bk_reset:
    ldr r0, =__kstack_top
    mov sp, r0
    bl bk_kmain
1:  b 1b

    .thumb_func
bk_svc_entry:
    push {{lr}}
    mrs r0, psp
    push {{r0}}
    push {{r4-r11}}
    mov r0, sp
    bl bk_trap_svc
    b bk_trap_tail

    .thumb_func
bk_systick_entry:
    push {{lr}}
    mrs r0, psp
    push {{r0}}
    push {{r4-r11}}
    mov r0, sp
    mov r1, lr
    bl bk_trap_systick
    b bk_trap_tail

    .thumb_func
bk_fault_entry:
    push {{lr}}
    mrs r0, psp
    push {{r0}}
    push {{r4-r11}}
    mov r0, sp
    mov r1, lr
    mrs r2, ipsr
    bl bk_trap_fault
1:  b 1b

    .thumb_func
bk_trap_tail:
    pop {{r4-r11}}
    pop {{r0}}
    msr psp, r0
    pop {{pc}}

    .global bk_user_exit_trampoline
    .thumb_func
bk_user_exit_trampoline:
    bl bk_thread_returned
1:  b 1b
"#
);

#[no_mangle]
extern "C" fn bk_trap_svc(frame: &mut TrapFrame) {
    crate::trap::on_syscall(frame);
}

#[no_mangle]
extern "C" fn bk_trap_systick(frame: &mut TrapFrame, exc_return: u32) {
    crate::trap::on_timer_irq(frame);
    // Threads run on PSP; a tick that interrupted code on MSP interrupted the kernel's own boot
    // (SysTick runs from `timer_start` on, before the first thread exists or while
    // `start_first` enters it). That code is no thread: scheduling there saved the boot context
    // as thread 1's frame (app HardFault, psp=0xfffffff8) or found the thread table still empty
    // (panic in `after_trap`). The tick is counted; the switch waits for the first trap from a
    // thread.
    if exc_return & 4 != 0 {
        crate::trap::after_irq(frame);
    }
}

#[no_mangle]
extern "C" fn bk_trap_fault(frame: &mut TrapFrame, exc_return: u32, ipsr: u32) -> ! {
    let rd = |a: usize| {
        // SAFETY: System Control Block registers are always readable in handler mode.
        unsafe { (a as *const u32).read_volatile() }
    };
    let from_thread = exc_return & 4 != 0;
    let cfsr = rd(SCB_CFSR);
    // MSTKERR/BSTKERR: the fault came while the hardware stacked the thread's frame (its
    // stack pointer is in the guard): the words at PSP are not the thread's pc.
    let stacked = cfsr & ((1 << 4) | (1 << 12)) == 0;
    let pc = if from_thread && stacked { frame.pc() } else { 0 };
    let addr = if cfsr & (1 << 7) != 0 {
        Some(rd(SCB_MMFAR) as usize)
    } else if cfsr & (1 << 15) != 0 {
        Some(rd(SCB_BFAR) as usize)
    } else {
        None
    };
    // The kernel-private memory is read-only to threads under PMSAv7 (`protect_kernel`), so a
    // MemManage fault there was a write; PMSAv8 cannot grant that and makes it no-access.
    let write = match (addr, MPU_KIND.with(|k| *k)) {
        (Some(a), MpuKind::V7) if a >= crate::trap::kernel_private().0
            && a < crate::trap::kernel_private().1 => Some(true),
        _ => None,
    };
    let info = crate::trap::FaultInfo {
        sp: frame.psp as usize,
        pc: (from_thread && stacked).then_some(pc),
        addr,
        write,
    };
    crate::trap::on_fault(
        from_thread,
        Some(info),
        format_args!(
            "exception {} pc={:#x} cfsr={:#x} hfsr={:#x} mmfar={:#x} bfar={:#x} psp={:#x}",
            ipsr & 0x1ff, pc, cfsr, rd(SCB_HFSR), rd(SCB_MMFAR), rd(SCB_BFAR), frame.psp
        ),
    )
}

// ---------------------------------------------------------------------------------------------
// Memory protection. Threads run unprivileged; the kernel (handler mode) keeps the default memory
// map (PRIVDEFENA). Two MPU generations, told apart at boot by ID_MMFR0.PMSA:
// - PMSAv7 (Cortex-M3, qemu_mps2_an385): power-of-two regions, a higher number wins where they
//   overlap. Region 0 covers the whole address space read/write for threads; regions 1-4 make the
//   kernel-private memory read-only for them; region 7 is the current thread's stack guard, no
//   access for threads.
// - PMSAv8 (Cortex-M55, qemu_mps3_an547): base/limit regions on 32-byte granules that must not
//   overlap, and an unprivileged access outside every region faults. Threads get the image (read
//   only), the app memory below the current thread's guard and the app memory above it (and the
//   boot blob, which follows it); everything else, the kernel-private memory included, is the
//   kernel's alone.

const ID_MMFR0: usize = 0xE000_ED50;
const SCB_SHCSR: usize = 0xE000_ED24;
const MPU_TYPE: usize = 0xE000_ED90;
const MPU_CTRL: usize = 0xE000_ED94;
const MPU_RNR: usize = 0xE000_ED98;
const MPU_RBAR: usize = 0xE000_ED9C;
/// RASR (PMSAv7) and RLAR (PMSAv8) share the address.
const MPU_RASR: usize = 0xE000_EDA0;
const MPU_MAIR0: usize = 0xE000_EDC0;

#[derive(Clone, Copy, PartialEq, Eq)]
enum MpuKind {
    None,
    V7,
    V8,
}

#[link_section = ".kdata"]
static MPU_KIND: crate::global::Global<MpuKind> = crate::global::Global::new(MpuKind::None);

fn wr(a: usize, v: u32) {
    // SAFETY: System Control Space registers, written from handler mode or at boot.
    unsafe { (a as *mut u32).write_volatile(v) }
}

fn rd(a: usize) -> u32 {
    // SAFETY: System Control Space registers are always readable in privileged code.
    unsafe { (a as *const u32).read_volatile() }
}

fn barrier() {
    // SAFETY: barriers only: the new MPU setting applies to the next instruction.
    unsafe { asm!("dsb", "isb") };
}

extern "C" {
    static __user_start: u8;
    static __ram_end: u8;
}

fn sym(s: &u8) -> usize {
    s as *const u8 as usize
}

/// PMSAv7 RASR: region of 2^log2 bytes, access permissions `ap`, normal write-back memory.
fn v7_region(n: u32, base: usize, log2: u32, ap: u32, xn: bool) {
    wr(MPU_RNR, n);
    wr(MPU_RBAR, base as u32);
    let attrs = (1 << 19) | (1 << 17) | (1 << 16); // TEX=001 C=1 B=1: normal, write-back
    wr(MPU_RASR, ((xn as u32) << 28) | (ap << 24) | attrs | ((log2 - 1) << 1) | 1);
}

/// PMSAv8 region [base, limit) (both 32-byte aligned), read-only or read/write for any privilege.
fn v8_region(n: u32, base: usize, limit: usize, ro: bool) {
    wr(MPU_RNR, n);
    if limit <= base {
        wr(MPU_RASR, 0);
        return;
    }
    wr(MPU_RBAR, (base as u32 & !31) | (((ro as u32) << 1 | 1) << 1));
    wr(MPU_RASR, ((limit - 1) as u32 & !31) | 1); // AttrIndx 0, enabled
}

/// Make the kernel-private memory unwritable for threads and enable the MPU; the per-thread
/// guard follows at every switch (`set_stack_guard`).
fn protect_kernel() {
    let regions = (rd(MPU_TYPE) >> 8) & 0xff;
    let kind = match (rd(ID_MMFR0) >> 4) & 0xf {
        3 if regions >= 8 => MpuKind::V7,
        4 if regions >= 4 => MpuKind::V8,
        _ => return, // no MPU: the stack canary alone
    };
    MPU_KIND.with(|k| *k = kind);
    wr(MPU_CTRL, 0);
    barrier();
    let (ks, ke) = crate::trap::kernel_private();
    match kind {
        MpuKind::V7 => {
            // Full access (AP=011) everywhere, then the kernel's part privileged RW, unprivileged
            // RO (AP=010), in naturally aligned power-of-two blocks, largest first.
            v7_region(0, 0, 32, 0b011, false);
            let mut a = ks;
            let mut n = 1;
            while a < ke {
                let mut log2 = 5;
                while a & ((1 << (log2 + 1)) - 1) == 0 && a + (1 << (log2 + 1)) <= ke {
                    log2 += 1;
                }
                if n > 6 {
                    crate::trap::kernel_fault(format_args!("MPU: kernel memory needs over 6 regions"));
                }
                v7_region(n, a, log2, 0b010, false);
                a += 1 << log2;
                n += 1;
            }
        }
        MpuKind::V8 => {
            wr(MPU_MAIR0, 0xff); // attribute 0: normal memory, write-back
            let (is, len) = crate::board::IMAGE_REGION;
            v8_region(0, is, is + len, true);
        }
        MpuKind::None => {}
    }
    CortexM::set_stack_guard(None);
    wr(SCB_SHCSR, rd(SCB_SHCSR) | (1 << 16) | (1 << 17)); // MemManage and BusFault of their own
    wr(MPU_CTRL, (1 << 2) | 1); // PRIVDEFENA | ENABLE
    barrier();
}

#[link_section = ".kdata"]
static mut PERIOD_CYCLES: u32 = 0;
#[link_section = ".kdata"]
static mut PERIOD_NS: u64 = 0;
#[link_section = ".kdata"]
static mut TICKS: u64 = 0;
#[link_section = ".kdata"]
static mut LAST_NS: u64 = 0;

/// Nanoseconds into the current tick period.
fn ns_into_tick() -> u64 {
    // SAFETY: SysTick current value register.
    let (cvr, period) = unsafe { ((SYST_CVR as *const u32).read_volatile(), PERIOD_CYCLES) };
    if period == 0 {
        return 0;
    }
    (period.saturating_sub(cvr + 1) as u64) * 1_000_000_000 / TIMER_HZ
}

const NVIC_ICER: usize = 0xE000_E180;
const NVIC_ICPR: usize = 0xE000_E280;

/// Nothing beyond the trap frame to switch: no FPU, and no thread-pointer register.
#[derive(Clone, Copy, Default)]
pub struct SwitchState;

/// The Cortex-M CPUs (ARMv7-M, ARMv8-M Mainline): this file's side of `super::Arch`.
pub struct CortexM;

impl Arch for CortexM {
    const NAME: &'static str = crate::board::NAME;
    const BOOT_BLOB: usize = crate::board::BOOT_BLOB;
    const BOOT_BLOB_MAX: usize = crate::board::BOOT_BLOB_MAX;
    type TrapFrame = TrapFrame;
    type SwitchState = SwitchState;
    type UserContext = UserContext;

    fn init() {
        protect_kernel();
        // SAFETY: CMSDK UART0 registers: BAUDDIV then CTRL = TX enable.
        unsafe {
            ((UART0 + 0x10) as *mut u32).write_volatile(16);
            ((UART0 + 0x8) as *mut u32).write_volatile(1);
        }
    }

    fn putc(b: u8) {
        // SAFETY: UART0 STATE bit 0 = TX full; DATA takes one byte.
        unsafe {
            while ((UART0 + 0x4) as *const u32).read_volatile() & 1 != 0 {}
            (UART0 as *mut u32).write_volatile(b as u32);
        }
    }

    fn semihost(op: usize, arg: usize) -> usize {
        let ret: usize;
        // SAFETY: `bkpt 0xab` is the semihosting call; QEMU runs with -semihosting.
        unsafe { asm!("bkpt 0xab", inlateout("r0") op => ret, in("r1") arg, options(nostack)) };
        ret
    }

    /// Monotonic nanoseconds: handled ticks + a due tick + the position inside the period.
    fn now_ns() -> u64 {
        // SAFETY: the kernel runs with SysTick masked (same priority), so the statics are stable.
        unsafe {
            // A due tick not yet handled adds its period only once the counter shows the new
            // period: QEMU can raise the pending bit a little before the counter it reads back has
            // wrapped, and counting both made the clock jump a whole period ahead, then stand still
            // until time caught up (sleeps and timeouts ended up to a period early). The reverse
            // order (wrapped, not yet pending) reads as a step back, which LAST_NS holds.
            let into = ns_into_tick();
            let mut t = TICKS * PERIOD_NS + into;
            if Self::timer_pending() && into < PERIOD_NS / 2 {
                t += PERIOD_NS;
            }
            if t < LAST_NS {
                t = LAST_NS;
            }
            LAST_NS = t;
            t
        }
    }

    /// SysTick's reload value has 24 bits: periods of 40 ns to 671 ms at 25 MHz. The period the
    /// host may choose at boot (`BKPORT_TICK_US`) is clamped to 100 us..100 ms (boot.rs),
    /// inside it.
    fn timer_start(period_ns: u64) {
        let cycles = (TIMER_HZ * period_ns / 1_000_000_000) as u32;
        // SAFETY: single-threaded boot; SysTick registers.
        unsafe {
            PERIOD_CYCLES = cycles;
            PERIOD_NS = period_ns;
            (SYST_RVR as *mut u32).write_volatile(cycles - 1);
            (SYST_CVR as *mut u32).write_volatile(0);
            (SYST_CSR as *mut u32).write_volatile(0b111);
        }
    }

    /// True when a tick is due but not yet handled (polled by the idle loop).
    fn timer_pending() -> bool {
        // SAFETY: ICSR bit 26 = PENDSTSET (SysTick pending).
        unsafe { (SCB_ICSR as *const u32).read_volatile() & (1 << 26) != 0 }
    }

    /// Acknowledge the tick (the counter reloads by itself).
    fn timer_ack() {
        // SAFETY: ICSR bit 25 = PENDSTCLR; reading CSR clears COUNTFLAG.
        unsafe {
            (SCB_ICSR as *mut u32).write_volatile(1 << 25);
            let _ = (SYST_CSR as *const u32).read_volatile();
            TICKS += 1;
        }
    }

    /// Make the tick due now (the tests' fault injection, `bk_test_boot_tick`).
    #[cfg(any(bk_test_boot_tick, bk_test_boot_tick_late))]
    fn timer_force_pending() {
        // SAFETY: ICSR bit 26 = PENDSTSET.
        unsafe { (SCB_ICSR as *mut u32).write_volatile(1 << 26) };
        // SAFETY: barriers only: the pended exception is taken before the next instruction.
        unsafe { asm!("dsb", "isb") };
    }

    fn idle_wait() {
        core::hint::spin_loop();
    }

    /// The guard [lo, hi) of the thread about to run (GUARD-aligned, from sched::guard_range): no
    /// access for threads, so running into it faults at the access.
    fn set_stack_guard(g: Option<(usize, usize)>) {
        match MPU_KIND.with(|k| *k) {
            MpuKind::V7 => {
                match g {
                    Some((lo, hi)) => v7_region(7, lo, (hi - lo).trailing_zeros(), 0b001, true),
                    None => {
                        wr(MPU_RNR, 7);
                        wr(MPU_RASR, 0);
                    }
                }
            }
            MpuKind::V8 => {
                // SAFETY: linker-defined symbols; only their addresses are taken.
                let (us, ue) = unsafe { (sym(&__user_start), sym(&__ram_end)) };
                let top = (crate::board::BOOT_BLOB + crate::board::BOOT_BLOB_MAX + 31) & !31;
                match g {
                    Some((lo, hi)) if lo >= us && hi <= ue => {
                        v8_region(1, us, lo, false);
                        v8_region(2, hi, top, false);
                    }
                    _ => {
                        v8_region(1, us, top, false);
                        v8_region(2, 0, 0, false);
                    }
                }
            }
            MpuKind::None => {}
        }
        barrier();
    }

    /// Start the first thread: unprivileged thread mode on its own stack; does not return.
    fn start_first(f: &TrapFrame) -> ! {
        let hw = f.psp as *const u32;
        // SAFETY: `f` was made by `new_thread`, so its hardware frame holds arg, lr and pc.
        unsafe {
            let (arg, lr, pc) = (*hw, *hw.add(5), *hw.add(6) | 1);
            asm!(
                "msr psp, {sp}",
                "movs {sp}, #3",
                "msr control, {sp}",
                "isb",
                "mov lr, {lr}",
                "bx {pc}",
                sp = in(reg) f.psp + 32, lr = in(reg) lr, pc = in(reg) pc,
                in("r0") arg, options(noreturn)
            )
        }
    }

    /// Address of the code a returning thread lands in (it calls `ExitThread`/`ExitProcess`).
    fn exit_trampoline() -> usize {
        extern "C" {
            fn bk_user_exit_trampoline();
        }
        bk_user_exit_trampoline as usize
    }

    /// The trap as user code issues it (for the kernel's own user-side trampolines).
    fn user_syscall(nr: usize, a0: usize) -> usize {
        let ret: usize;
        // SAFETY: `svc 0` with the number in r7 is the syscall ABI; r7 is saved around it.
        unsafe {
            asm!("push {{r7}}", "mov r7, {nr}", "svc 0", "pop {{r7}}", nr = in(reg) nr,
                 inlateout("r0") a0 => ret)
        };
        ret
    }

    fn switch_save(_s: &mut SwitchState) {}

    fn switch_restore(_s: &SwitchState) {}

    fn save_context(f: &TrapFrame) -> UserContext {
        let mut hw = [0u32; 8];
        for (i, w) in hw.iter_mut().enumerate() {
            // SAFETY: the hardware stacked eight words at PSP when the thread entered the kernel.
            *w = unsafe { f.hw().add(i).read_volatile() };
        }
        UserContext { frame: *f, hw }
    }

    /// Put a saved context back: the hardware frame is rewritten at the saved PSP, so the exception
    /// return resumes the thread there, the stack-alignment pad (xPSR bit 9) and IT state included.
    /// The exception number bits of xPSR are cleared and the Thumb bit set (anything else faults at
    /// the return, in the kernel's handler mode).
    fn restore_context(f: &mut TrapFrame, c: &UserContext) -> bool {
        let psp = c.frame.psp as usize;
        if psp % 4 != 0 || !crate::uaccess::check_user(psp, 32, true) {
            return false;
        }
        let mut hw = c.hw;
        hw[6] &= !1;
        hw[7] = (hw[7] & !0x1ff) | 0x0100_0000;
        for (i, w) in hw.iter().enumerate() {
            // SAFETY: checked app memory above.
            unsafe { (psp as *mut u32).add(i).write_volatile(*w) };
        }
        *f = c.frame;
        true
    }

    /// BOARD FACT (ARMv7-M/ARMv8-M architecture, every Cortex-M board): AIRCR.SYSRESETREQ asks
    /// for a system reset; QEMU resets the machine and reloads the image (resident.rs). The UART's
    /// TX-full bit stays set while QEMU still holds a byte, so waiting for it keeps the last bytes.
    fn system_reset() -> ! {
        // SAFETY: CMSDK UART STATE, then the SCB's AIRCR with its write key.
        unsafe {
            while ((UART0 + 0x4) as *const u32).read_volatile() & 1 != 0 {}
            asm!("dsb");
            (SCB_AIRCR as *mut u32).write_volatile(0x05FA_0004);
            asm!("dsb", "isb");
        }
        loop {
            Self::idle_wait();
        }
    }

    /// Back to the boot path without a machine reset (resident.rs): SysTick stopped and not
    /// pending (nor PendSV), every NVIC interrupt disabled and not pending, the MPU off with every
    /// region cleared (`protect_kernel` sets it up again), the fault status cleared; then
    /// `bk_reset` in privileged thread mode on MSP, as out of reset. A call ends in the SVC
    /// handler (or SysTick's, which shares its priority), so that exception is left through an
    /// exception return whose frame resumes at `bk_reset`: returning deactivates it, and nothing
    /// else is active (faults end QEMU).
    fn restart() -> ! {
        extern "C" {
            fn bk_reset();
            static __kstack_top: u8;
        }
        wr(SYST_CSR, 0);
        wr(SYST_CVR, 0);
        wr(SCB_ICSR, (1 << 25) | (1 << 27)); // PENDSTCLR, PENDSVCLR
        for i in 0..16 {
            wr(NVIC_ICER + 4 * i, u32::MAX);
            wr(NVIC_ICPR + 4 * i, u32::MAX);
        }
        wr(MPU_CTRL, 0);
        barrier();
        for n in 0..(rd(MPU_TYPE) >> 8) & 0xff {
            wr(MPU_RNR, n);
            wr(MPU_RASR, 0);
        }
        wr(SCB_CFSR, u32::MAX);
        wr(SCB_HFSR, u32::MAX);
        let ipsr: u32;
        // SAFETY: reading IPSR has no side effects.
        unsafe { asm!("mrs {}, ipsr", out(reg) ipsr) };
        // SAFETY: linker-defined symbol; only its address is taken.
        let top = unsafe { &__kstack_top as *const u8 as usize };
        let entry = bk_reset as usize & !1;
        if ipsr & 0x1ff == 0 {
            // Thread mode (privileged: the kernel's boot path): straight to the entry on MSP.
            // SAFETY: nothing runs after the branch but the boot path.
            unsafe {
                asm!("msr msp, {top}", "msr control, {z}", "isb", "bx {pc}",
                     top = in(reg) top, z = in(reg) 0u32, pc = in(reg) entry | 1, options(noreturn))
            }
        }
        // The frame an exception return pops: r0-r3, r12, lr, pc, xPSR (Thumb bit only).
        let frame = (top - 32) as *mut u32;
        let words = [0, 0, 0, 0, 0, u32::MAX, entry as u32, 0x0100_0000];
        for (i, w) in words.iter().enumerate() {
            // SAFETY: the top of the kernel stack: the call chain below it is being abandoned, and
            // this function's own frame lies further down.
            unsafe { frame.add(i).write_volatile(*w) };
        }
        // SAFETY: CONTROL.nPRIV = 0 (thread mode privileged, as out of reset); EXC_RETURN
        // 0xFFFFFFF9 returns to thread mode on MSP with a basic frame (Secure state on ARMv8-M,
        // where the kernel runs).
        unsafe {
            asm!("msr msp, {f}", "msr control, {z}", "isb", "bx {r}",
                 f = in(reg) frame, z = in(reg) 0u32, r = in(reg) 0xFFFF_FFF9u32, options(noreturn))
        }
    }
}

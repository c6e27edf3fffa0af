//! The architecture contract: what the portable kernel needs from an ISA, as the traits `Arch`
//! (the CPU: console, semihosting, clock and tick, memory protection, entering threads, context
//! switches, restart) and `Frame` (a thread's registers as a trap saved them). Each ISA file
//! implements them for one zero-sized type (`CortexM`, `Aarch64`, `Riscv64`), and `Cpu` is the
//! one the board's `bk_arch` selects: portable code calls `Cpu::now_ns()`, `frame.nr()`, and
//! names types as `TrapFrame`, `SwitchState`, `UserContext` (below). An ISA file that lacks an
//! item or gives it another signature fails to compile at its `impl`, even for an item no
//! portable code calls yet, instead of at some call site of the one board that lacks it; and
//! tests/kernel/test_structure.py fails when portable code reaches into `arch` any other way.
//!
//! Left outside the traits, for the assembler and the linker: each ISA file's boot entry and
//! vectors (`global_asm!`, symbols the linker script and the vector table name), its
//! `#[no_mangle] extern "C"` trap handlers (called from that assembly by name), and its
//! `static`s (`.kdata` words the trap path reads).
//!
//! What every implementation may rely on: the kernel runs with interrupts masked (handler mode
//! with SysTick at the SVC priority, EL1 with DAIF.I, M-mode with MIE clear) and is never
//! re-entered; one hart/core; every item below is called from that kernel context, except
//! `user_syscall` and the code at `exit_trampoline`, which run in a thread.

#[cfg(bk_arch = "aarch64")]
mod aarch64;
#[cfg(bk_arch = "cortex-m")]
mod cortex_m;
#[cfg(bk_arch = "riscv64")]
mod riscv64;

/// The CPU of this build.
#[cfg(bk_arch = "aarch64")]
pub type Cpu = aarch64::Aarch64;
#[cfg(bk_arch = "cortex-m")]
pub type Cpu = cortex_m::CortexM;
#[cfg(bk_arch = "riscv64")]
pub type Cpu = riscv64::Riscv64;

/// Short names for the CPU's types (`sched::Thread` holds a `TrapFrame` and a `SwitchState`).
pub type TrapFrame = <Cpu as Arch>::TrapFrame;
pub type SwitchState = <Cpu as Arch>::SwitchState;
pub type UserContext = <Cpu as Arch>::UserContext;

/// A thread's registers as its trap into the kernel saved them; the trap's exit restores
/// whatever the kernel left in it (the scheduler swaps whole frames to switch threads).
pub trait Frame: Copy {
    /// The system call number register (r7, x8, a7).
    fn nr(&self) -> usize;
    /// The six argument registers of a system call, in order.
    fn args(&self) -> [usize; 6];
    /// Set the register a system call returns in.
    fn set_ret(&mut self, v: usize);
    /// The thread's code address at the trap (the instruction to resume at).
    fn pc(&self) -> usize;
    /// The thread's stack pointer as its code had it at the trap.
    fn sp(&self) -> usize;
    /// Step the resume address past the trap instruction, where the hardware leaves it on the
    /// instruction itself (RISC-V's `ecall`); a no-op elsewhere. Called once per system call,
    /// before the handler runs.
    fn after_syscall(&mut self);
    /// A frame that starts `entry(arg)` unprivileged, interrupts enabled, on the stack ending at
    /// `stack_top` (aligned down as the ABI asks), returning into `ret`. The caller checked that
    /// the stack is the thread's; the frame may already write to it (Cortex-M's hardware frame).
    fn new_thread(entry: usize, arg: usize, stack_top: usize, ret: usize) -> Self;
    /// The lowest stack address the thread's code may have used (no ABI here has a red zone):
    /// where the stack-overflow checks look.
    fn stack_floor(&self) -> usize;
    /// Divert the thread into `entry(arg)` on stack `sp`, returning into `ret` (a signal
    /// handler); registers the ABI reserves for the thread (static base, thread pointer) stay
    /// its own. False when `sp` cannot take what the entry needs (nothing is changed then).
    fn enter_handler(&mut self, entry: usize, arg: usize, sp: usize, ret: usize) -> bool;
}

/// One ISA's part of the kernel. See the module comment for what every item may rely on.
pub trait Arch {
    /// The board's name and where the host loads the boot blob (`crate::board`, read by the
    /// ISA file only, so portable code has one door to the hardware's facts).
    const NAME: &'static str;
    const BOOT_BLOB: usize;
    const BOOT_BLOB_MAX: usize;

    /// What a trap saves: `sched` keeps one per thread and swaps them to switch.
    type TrapFrame: Frame;
    /// A thread's registers that a trap does not save but a thread switch must (AArch64's
    /// `tpidr_el0`, RISC-V's f0-f31 and fcsr; nothing on Cortex-M).
    type SwitchState: Copy + Default;
    /// Everything that resumes a thread exactly where a trap stopped it (frame, plus what
    /// `SwitchState` holds and the frame does not): a signal saves it on the thread's stack.
    type UserContext: Copy;

    /// Once at boot, before the kernel heap exists (must not allocate): the console ready, and
    /// memory protection set up where the board has it (the kernel-private range of
    /// `trap::kernel_private` not writable by threads), the stack guard off.
    fn init();
    /// Send one byte on the console, waiting while its FIFO is full; usable on fault paths.
    fn putc(b: u8);
    /// One semihosting call (operation `op`, parameter block at `arg`); its result register.
    fn semihost(op: usize, arg: usize) -> usize;

    /// Nanoseconds since boot: monotonic (never smaller than a value returned before), also
    /// before `timer_start` and between ticks.
    fn now_ns() -> u64;
    /// Start the periodic tick, `period_ns` apart (the caller keeps it within 100 us..100 ms),
    /// interrupting threads only: the kernel takes it at its next return to a thread.
    fn timer_start(period_ns: u64);
    /// A tick is due and not yet acknowledged (polled by the idle loop, interrupts masked).
    fn timer_pending() -> bool;
    /// Acknowledge one tick: its interrupt drops, and the next comes a period later (a
    /// compare register moves on; SysTick reloads by itself).
    fn timer_ack();
    /// Make a tick due now (the tests' fault injection: a tick during boot).
    #[cfg(any(bk_test_boot_tick, bk_test_boot_tick_late))]
    fn timer_force_pending();
    /// Wait a little, or until an interrupt is pending, with interrupts still masked; returns
    /// either way (callers re-check what they wait for).
    fn idle_wait();

    /// The stack guard of the thread about to run: [lo, hi) (aligned to its size,
    /// `sched::guard_range`) faults at a thread's access; `None` removes it. A no-op where the
    /// board has no protection for it (AArch64 with the MMU off: the canary alone).
    fn set_stack_guard(g: Option<(usize, usize)>);
    /// Leave the boot path for the first thread, unprivileged, with `f`'s registers; the boot
    /// call chain is abandoned. Does not return.
    fn start_first(f: &Self::TrapFrame) -> !;
    /// Where a thread whose function returns lands: code that calls `bk_thread_returned`.
    fn exit_trampoline() -> usize;
    /// The system call trap as a thread issues it (the kernel's own user-side trampolines).
    fn user_syscall(nr: usize, a0: usize) -> usize;
    /// Save the outgoing thread's `SwitchState` registers, then `switch_restore` the incoming
    /// one's, inside a trap: the kernel itself never uses these registers in between.
    fn switch_save(s: &mut Self::SwitchState);
    fn switch_restore(s: &Self::SwitchState);
    /// The user context of the thread whose frame `f` is (its `SwitchState` registers are the
    /// live ones).
    fn save_context(f: &Self::TrapFrame) -> Self::UserContext;
    /// Put a saved context back into `f` and the live registers. The context came back through
    /// app memory: no value may raise the thread's privilege or mask its interrupts; false when
    /// it cannot be put back (`f` unchanged then).
    fn restore_context(f: &mut Self::TrapFrame, c: &Self::UserContext) -> bool;

    /// Reset the whole machine through the board's device (QEMU reloads the image), once the
    /// console has handed on its last byte. Does not return.
    fn system_reset() -> !;
    /// Back to the boot entry without a machine reset (resident.rs), from inside a trap: the
    /// tick stopped and not pending, the interrupt controller quiet, memory protection off,
    /// the registers a reset defines (privilege, stack, FP state, thread pointers) as a reset
    /// leaves them, and any exception being handled left. The boot path redoes everything
    /// else. Does not return.
    fn restart() -> !;
}

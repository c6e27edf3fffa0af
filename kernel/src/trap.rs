//! The shared trap paths every architecture calls: syscalls, timer interrupts, faults, and the
//! end of every trap (`after_trap`: stack check, signals, scheduling). The top of the trap
//! side: it calls the scheduler and the signal code, neither calls it.
use core::fmt;

use crate::arch::{Frame, TrapFrame};
use crate::global::Global;
use crate::syscall_table::{dispatch_syscall, Context};

pub struct Counters {
    pub syscalls: u64,
    pub ticks: u64,
}

#[link_section = ".kdata"]
pub static COUNTERS: Global<Counters> = Global::new(Counters { syscalls: 0, ticks: 0 });

pub fn on_syscall(frame: &mut TrapFrame) {
    let ctx = Context { nr: frame.nr(), args: frame.args() };
    frame.after_syscall();
    COUNTERS.with(|c| c.syscalls += 1);
    let ret = dispatch_syscall(&ctx);
    frame.set_ret(ret);
    after_trap(frame);
}

pub fn on_timer_irq(_frame: &mut TrapFrame) {
    COUNTERS.with(|c| c.ticks += 1);
    crate::sched::tick();
}

pub fn after_irq(frame: &mut TrapFrame) {
    after_trap(frame);
}

/// End of every trap: a thread past its stack ends the run; then a SignalReturn of this trap
/// puts the saved context back, a flagged thread about to block answers EINTR instead, the
/// scheduler switches if the current thread blocked, yielded or was preempted, and the thread
/// that will run is diverted into the layer's signal entry when a signal waits for it.
fn after_trap(frame: &mut TrapFrame) {
    if let Some(msg) = crate::sched::stack_overflow(Some(frame.sp()), Some(frame.pc()), None) {
        crate::halt::stack_fault(&msg);
    }
    let retry = crate::signal::before_schedule(frame);
    crate::signal::before_block(frame);
    crate::sched::schedule(frame);
    crate::signal::divert(frame, retry);
}

/// The architectures' fault paths end the run through here (their one way into the kernel).
pub use crate::halt::kernel_fault;

/// What the hardware says about a fault in a thread: its stack pointer, its code address (when
/// the frame holding it could be saved), and the data address it touched (when known) and
/// whether that access was a write (when the hardware says).
#[derive(Clone, Copy)]
pub struct FaultInfo {
    pub sp: usize,
    pub pc: Option<usize>,
    pub addr: Option<usize>,
    pub write: Option<bool>,
}

extern "C" {
    static __kprivate_start: u8;
    static __kheap_end: u8;
}

/// The kernel-private memory (.kdata, kernel stack, kernel heap with the thread table and the
/// file system's metadata): the app's threads may not write it (arch `protect_kernel`).
pub fn kernel_private() -> (usize, usize) {
    // SAFETY: linker-defined symbols; only their addresses are taken.
    unsafe { (&__kprivate_start as *const u8 as usize, &__kheap_end as *const u8 as usize) }
}

/// A fault in a thread or in the kernel: diagnose, hand back what we can, end the run.
pub fn on_fault(from_user: bool, info: Option<FaultInfo>, what: fmt::Arguments) -> ! {
    let tid = crate::sched::current_tid_for_fault();
    if from_user {
        // A thread that faults past its stack (or in its guard) is named as overflowing,
        // whatever the fault was: one line, no raw dump.
        let (sp, pc) = (info.map(|i| i.sp), info.and_then(|i| i.pc));
        if let Some(msg) = crate::sched::stack_overflow(sp, pc, info.and_then(|i| i.addr)) {
            // Cortex-M: the fault hit the hardware's stacking of the thread's registers at an
            // exception (a system call or the tick) with the stack pointer in the guard.
            crate::console::kprint(format_args!("\n[bkport-kernel] FAULT in app thread: {}", msg));
            if info.is_some() && pc.is_none() {
                crate::console::kprint(format_args!(
                    " (at an exception entry, which lost the code address: {})", what));
            }
            crate::console::kprint(format_args!("\n"));
            crate::halt::fault()
        }
        let (ks, ke) = kernel_private();
        if let Some(FaultInfo { addr: Some(a), pc, write, .. }) = info {
            if a >= ks && a < ke {
                let kind = match write {
                    Some(true) => "write to",
                    Some(false) => "read of",
                    None => "access to",
                };
                crate::console::kprint(format_args!(
                    "\n[bkport-kernel] FAULT in app thread: {} kernel memory at {:#x} from app thread {}",
                    kind, a, tid
                ));
                if let Some(pc) = pc {
                    crate::console::kprint(format_args!(", pc={:#x}", pc));
                }
                crate::console::kprint(format_args!(" ({})\n", what));
                crate::halt::fault()
            }
        }
    }
    let who = if from_user { "app thread" } else { "kernel" };
    crate::console::kprint(format_args!("\n[bkport-kernel] FAULT in {} (tid {}): {}\n", who, tid, what));
    crate::halt::fault()
}

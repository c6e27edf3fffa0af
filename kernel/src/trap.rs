//! The shared trap paths every architecture calls: syscalls, timer interrupts, faults.
use core::fmt;

use crate::arch::TrapFrame;
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
    COUNTERS.get().syscalls += 1;
    let ret = dispatch_syscall(&ctx);
    frame.set_ret(ret);
    crate::sched::after_trap(frame);
}

pub fn on_timer_irq(_frame: &mut TrapFrame) {
    COUNTERS.get().ticks += 1;
    crate::sched::tick();
}

pub fn after_irq(frame: &mut TrapFrame) {
    crate::sched::after_trap(frame);
}

/// A fault in a thread or in the kernel: diagnose, hand back what we can, end the run.
pub fn on_fault(from_user: bool, what: fmt::Arguments) -> ! {
    // A thread that faults past its stack is named as overflowing, whatever the fault was.
    if from_user {
        if let Some(msg) = crate::sched::stack_overflow(None) {
            crate::console::kprint(format_args!("\n[bkport-kernel] FAULT in app thread: {}", msg));
        }
    }
    let who = if from_user { "app thread" } else { "kernel" };
    crate::console::kprint(format_args!(
        "\n[bkport-kernel] FAULT in {} (tid {}): {}\n",
        who,
        crate::sched::sched().threads.get(crate::sched::sched().cur).map_or(0, |t| t.tid),
        what
    ));
    crate::exit::fault()
}

/// A thread found past its stack at a trap (`sched::after_trap`): end the run, naming it.
pub fn stack_fault(msg: &str) -> ! {
    crate::console::kprint(format_args!("\n[bkport-kernel] FAULT in app thread: {}\n", msg));
    crate::exit::fault()
}

pub fn kernel_fault(what: fmt::Arguments) -> ! {
    crate::console::kprint(format_args!("\n[bkport-kernel] FAULT in kernel: {}\n", what));
    crate::exit::fault()
}

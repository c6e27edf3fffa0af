//! bkport's validation kernel: a small kernel speaking BlueKernel's syscall ABI, built from the
//! generated syscall table (numbers, dispatch, user-pointer checks, errno stubs) so that every run
//! also proves the generator. Apps are linked into the image and enter through the trap.
//!
//! Layout: `arch/<arch>.rs` moves registers (boot, trap entry, timer, console, semihosting);
//! everything else is shared: `trap` (syscall/timer/fault paths), `sched` (threads, futex,
//! sleep), `fs` (RAM file system), `heap` (kernel + app heaps), `boot`/`exit` (argv, initial
//! files, results handed back to the host), `uaccess` (the user-pointer hook of the table).
#![no_std]
#![no_main]
#![feature(alloc_error_handler)]
#![feature(asm_const)]

extern crate alloc;
extern crate bkrt;

// The ISA the build's `bk_arch` names, behind the `Arch` contract (arch/mod.rs).
mod arch;
use arch::{Arch, Cpu};

// The host-tested core (kernel/core/mod.rs).
#[path = "../core/mod.rs"]
mod kcore;

mod abi;
mod boot;
mod console;
mod exit;
mod fs;
mod global;
mod halt;
mod heap;
mod resident;
mod run;
mod sched;
mod signal;
mod syscall_handlers;
mod trap;
mod uaccess;
mod user;

// The generated table and stubs (`syscall_table`, `stub_handlers`), mounted by the build from
// `bkport syscalls gen` output, and the board's constants (`board`: addresses, clocks, sizes),
// generated from kernel/boards.toml (porter/boards.py).
include!(env!("BK_GEN_MODS"));

/// Preemption tick, unless the host chooses another at boot (`BKPORT_TICK_US`, boot.rs).
pub const TICK_NS: u64 = 10_000_000;

#[no_mangle]
extern "C" fn bk_kmain() -> ! {
    // SAFETY: first thing at boot: nothing lives in .kdata, .data or .bss yet.
    unsafe { boot::init_ram() };
    let entry_ns = Cpu::now_ns();
    Cpu::init();
    heap::init();
    let start = boot::load();
    let entry_ns = if resident::active() { resident::taken_ns() } else { entry_ns };
    let tick_ns = run::with(|b| {
        b.entry_ns = entry_ns;
        b.tick_ns
    });
    Cpu::timer_start(tick_ns);
    sched::start(start)
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    halt::kernel_fault(format_args!("panic: {}", info))
}

#[alloc_error_handler]
fn alloc_error(layout: core::alloc::Layout) -> ! {
    halt::kernel_fault(format_args!("kernel heap exhausted ({} bytes)", layout.size()))
}

//! The end of a run at the bottom of the kernel: semihosting writes to the host and QEMU's exit,
//! and the fault paths (a kernel fault, a thread past its stack, a broken resident channel),
//! which any module may take. Nothing here calls up into the kernel, so the modules below
//! `exit` (which hands the files and the record back) can end a run without importing it.
use alloc::vec::Vec;
use core::fmt;

use crate::arch::{Arch, Cpu};
use crate::global::Global;

const SYS_OPEN: usize = 0x01;
const SYS_CLOSE: usize = 0x02;
const SYS_WRITE: usize = 0x05;
const SYS_EXIT_EXTENDED: usize = 0x20;
const ADP_STOPPED_APPLICATION_EXIT: usize = 0x20026;
/// QEMU's exit status when the kernel ends a run on a fault.
pub const FAULT_STATUS: usize = 125;

#[link_section = ".kdata"]
static EXITING: Global<bool> = Global::new(false);

/// Where a fault's one-line record goes (the boot blob's result path; boot.rs sets it).
#[link_section = ".kdata"]
static RESULT_PATH: Global<Vec<u8>> = Global::new(Vec::new());

pub fn set_result_path(p: Vec<u8>) {
    RESULT_PATH.with(|r| *r = p);
}

/// The run starts to end: true the first time, false when it is already ending (a fault
/// while handing the results back).
pub fn begin_exit() -> bool {
    !EXITING.with(|e| core::mem::replace(e, true))
}

pub fn host_write(path: &[u8], chunks: &[&[u8]]) {
    if path.is_empty() {
        return;
    }
    let mut name = Vec::from(path);
    name.push(0);
    let open = [name.as_ptr() as usize, 5 /* "wb" */, path.len()];
    let fd = Cpu::semihost(SYS_OPEN, open.as_ptr() as usize);
    if fd == usize::MAX {
        return;
    }
    for c in chunks {
        let w = [fd, c.as_ptr() as usize, c.len()];
        Cpu::semihost(SYS_WRITE, w.as_ptr() as usize);
    }
    Cpu::semihost(SYS_CLOSE, [fd].as_ptr() as usize);
}

pub fn quit(code: usize) -> ! {
    let block = [ADP_STOPPED_APPLICATION_EXIT, code];
    Cpu::semihost(SYS_EXIT_EXTENDED, block.as_ptr() as usize);
    loop {
        Cpu::idle_wait();
    }
}

/// End the run as a fault: the record says so, QEMU exits with FAULT_STATUS.
pub fn fault() -> ! {
    // The fault may come from code that holds the exit flag or the path: try_with.
    if EXITING.try_with(|e| core::mem::replace(e, true)) == Some(false) {
        if let Some(path) = RESULT_PATH.try_with(|p| p.clone()) {
            host_write(&path, &[b"fault\n"]);
        }
    }
    quit(FAULT_STATUS)
}

/// A thread found past its stack at a trap (`trap::after_trap`): end the run, naming it.
pub fn stack_fault(msg: &str) -> ! {
    crate::console::kprint(format_args!("\n[bkport-kernel] FAULT in app thread: {}\n", msg));
    fault()
}

pub fn kernel_fault(what: fmt::Arguments) -> ! {
    crate::console::kprint(format_args!("\n[bkport-kernel] FAULT in kernel: {}\n", what));
    fault()
}

/// The resident channel broke (no FIFO, a bad token, a call too large): end QEMU, so the host
/// starts a fresh one.
pub fn channel_lost() -> ! {
    crate::console::kprint(format_args!("\n[bkport-kernel] resident channel lost\n"));
    quit(FAULT_STATUS)
}

//! Ending a run: the self-check, the files handed back (a newc cpio archive written to the
//! host through semihosting), the result record, and the semihosting exit.
use alloc::format;
use alloc::vec::Vec;

use crate::arch;
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

fn host_write(path: &[u8], chunks: &[&[u8]]) {
    if path.is_empty() {
        return;
    }
    let mut name = Vec::from(path);
    name.push(0);
    let open = [name.as_ptr() as usize, 5 /* "wb" */, path.len()];
    let fd = arch::semihost(SYS_OPEN, open.as_ptr() as usize);
    if fd == usize::MAX {
        return;
    }
    for c in chunks {
        let w = [fd, c.as_ptr() as usize, c.len()];
        arch::semihost(SYS_WRITE, w.as_ptr() as usize);
    }
    arch::semihost(SYS_CLOSE, [fd].as_ptr() as usize);
}

fn quit(code: usize) -> ! {
    let block = [ADP_STOPPED_APPLICATION_EXIT, code];
    arch::semihost(SYS_EXIT_EXTENDED, block.as_ptr() as usize);
    loop {
        arch::idle_wait();
    }
}

/// Kernel invariants after the run (the fuzz app relies on this).
pub fn self_check() -> Result<(), &'static str> {
    crate::heap::check()?;
    crate::sched::check()?;
    crate::fs::check()?;
    Ok(())
}

/// The app ended with `status` (ExitProcess, or the last thread returned).
pub fn finish(status: i32) -> ! {
    if EXITING.with(|e| core::mem::replace(e, true)) {
        quit(FAULT_STATUS);
    }
    let check = self_check();
    let (out_path, result_path, entry_ns) =
        crate::boot::with(|b| (b.out_path.clone(), b.result_path.clone(), b.entry_ns));
    let archive = crate::fs::export();
    host_write(&out_path, &archive.parts());
    let (syscalls, ticks) = crate::trap::COUNTERS.with(|c| (c.syscalls, c.ticks));
    let h = crate::heap::stats();
    let mut record = format!(
        "exit {}\nselfcheck {}\nsyscalls {}\nticks {}\nswitches {}\nkheap_free {} {}\nuheap_free {} live {}\nuheap_peak {} {}\nboard {}\nkernel_ns {}\n",
        status,
        match check { Ok(()) => "ok", Err(e) => e },
        syscalls, ticks, crate::sched::with(|s| s.switches),
        h.kernel_free, h.kernel_size, h.user_free, h.user_live, h.user_peak, h.user_size,
        arch::NAME, arch::now_ns() - entry_ns,
    );
    if crate::resident::active() {
        record.push_str(&format!("resident_read_ns {}\n", crate::resident::read_ns()));
    }
    // One line per thread: `stack_<tid> <bytes used> <size>` (`bkport run --stats`).
    for (tid, used, size) in crate::sched::stack_marks() {
        record.push_str(&format!("stack_{} {} {}\n", tid, used, size));
    }
    host_write(&result_path, &[record.as_bytes()]);
    if let Err(e) = check {
        crate::console::kprint(format_args!("\n[bkport-kernel] SELF-CHECK FAILED: {}\n", e));
        quit(FAULT_STATUS);
    }
    if crate::resident::active() {
        // The results are on the host; the machine reset puts kernel and app back as a boot
        // finds them, and the next boot waits for the next call (resident.rs).
        crate::resident::stdin_close();
        crate::console::end_call();
        arch::system_reset()
    }
    quit(status as u8 as usize)
}

/// The resident channel broke (no FIFO, a bad token, a call too large): end QEMU, so the host
/// starts a fresh one.
pub fn channel_lost() -> ! {
    crate::console::kprint(format_args!("\n[bkport-kernel] resident channel lost\n"));
    quit(FAULT_STATUS)
}

pub fn fault() -> ! {
    // The fault may come from code that holds the exit flag or the boot record: try_with.
    if EXITING.try_with(|e| core::mem::replace(e, true)) == Some(false) {
        if let Some(path) = crate::boot::try_with(|b| b.result_path.clone()) {
            host_write(&path, &[b"fault\n"]);
        }
    }
    quit(FAULT_STATUS)
}

//! Ending a run: the self-check, the files handed back (a newc cpio archive written to the
//! host through semihosting), the result record, and the semihosting exit. The top of the
//! kernel's dependencies beside boot.rs: the handlers of ExitProcess and of the last thread's
//! ExitThread call it; the fault paths below it are `halt`.
use alloc::format;

use crate::arch::{Arch, Cpu};
use crate::halt::{host_write, quit, FAULT_STATUS};

/// Kernel invariants after the run (the fuzz app relies on this).
pub fn self_check() -> Result<(), &'static str> {
    crate::heap::check()?;
    crate::sched::check()?;
    crate::fs::check()?;
    Ok(())
}

/// The app ended with `status` (ExitProcess, or the last thread returned).
pub fn finish(status: i32) -> ! {
    if !crate::halt::begin_exit() {
        quit(FAULT_STATUS);
    }
    let check = self_check();
    let (out_path, result_path, entry_ns) =
        crate::run::with(|b| (b.out_path.clone(), b.result_path.clone(), b.entry_ns));
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
        Cpu::NAME, Cpu::now_ns() - entry_ns,
    );
    if crate::resident::active() {
        record.push_str(&crate::resident::record_lines());
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
        // The results are on the host; kernel and app go back to what a boot finds, and the
        // next boot waits for the next call (resident.rs).
        crate::resident::end_call()
    }
    quit(status as u8 as usize)
}

//! The run's parameters, as the boot blob gave them (boot.rs parses it): the host paths of the
//! results, stdin, the console's kind, the tick, the main stack, the time of day. A module of
//! its own below everything that reads them, so that the loader (boot.rs, which fills the file
//! system and builds the first thread) stays at the top of the kernel's dependencies.
use alloc::vec::Vec;

use crate::arch::{Arch, Cpu};
use crate::global::Global;

/// The main thread's stack unless the host asks for another (`BKPORT_STACK`).
pub const MAIN_STACK: usize = 64 * 1024;

pub struct BootInfo {
    pub out_path: Vec<u8>,
    pub result_path: Vec<u8>,
    pub stdin: &'static [u8],
    pub stdin_pos: usize,
    /// The kernel clock at kernel entry (boot-to-exit cost = clock at exit - this).
    pub entry_ns: u64,
    /// The console is a pipe, not a terminal (`BKPORT_CONSOLE=pipe`): stdin is fed from the
    /// blob and stdout is captured, so the app must not act as if a person were typing.
    pub console_pipe: bool,
    /// The host streams stdin through the resident channel (`BKPORT_STDIN=stream`) instead of
    /// putting it in the blob: read while the app runs, so `yes | head` ends when head does.
    pub stdin_stream: bool,
    /// The preemption tick (`BKPORT_TICK_US`, else `crate::TICK_NS`).
    pub tick_ns: u64,
    /// The main thread's stack in bytes (`BKPORT_STACK`, else `MAIN_STACK`).
    pub main_stack: usize,
    /// CLOCK_REALTIME at boot, ns since 1970 (the host's clock; 0 without a blob).
    pub epoch_ns: u64,
}

#[link_section = ".kdata"]
static INFO: Global<BootInfo> =
    Global::new(BootInfo {
        out_path: Vec::new(),
        result_path: Vec::new(),
        stdin: &[],
        stdin_pos: 0,
        entry_ns: 0,
        console_pipe: false,
        stdin_stream: false,
        tick_ns: crate::TICK_NS,
        main_stack: MAIN_STACK,
        epoch_ns: 0,
    });

/// The boot record for the length of `f` (`Global::with`).
#[track_caller]
pub fn with<R>(f: impl FnOnce(&mut BootInfo) -> R) -> R {
    INFO.with(f)
}

/// The app reads its stdin (the console, fd 0): from the blob, or streamed (resident.rs).
pub fn stdin_read(out: &mut [u8]) -> usize {
    if with(|b| b.stdin_stream) {
        return crate::resident::stdin_read(out);
    }
    with(|b| {
        let n = out.len().min(b.stdin.len() - b.stdin_pos);
        out[..n].copy_from_slice(&b.stdin[b.stdin_pos..b.stdin_pos + n]);
        b.stdin_pos += n;
        n
    })
}

/// Bytes of stdin readable without waiting (FIONREAD on the console).
pub fn stdin_ready() -> usize {
    if with(|b| b.stdin_stream) {
        return crate::resident::stdin_ready();
    }
    with(|b| b.stdin.len() - b.stdin_pos)
}

/// CLOCK_REALTIME now: the host's time of day at boot plus the monotonic clock since.
pub fn realtime() -> u64 {
    Cpu::now_ns().saturating_add(with(|b| b.epoch_ns))
}

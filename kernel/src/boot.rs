//! What a run starts with: argv, environment, stdin and initial files, from a boot blob the host
//! loads at a fixed address (`-device loader`). Layout (little-endian u32 words):
//!
//! | off | field |
//! |---|---|
//! | 0 | magic `BKBOOT01` |
//! | 8 | argc, 12 envc, 16 strings_off, 20 strings_len (argv then env, each NUL-terminated) |
//! | 24 | cpio_off, 28 cpio_len (newc archive of initial files) |
//! | 32 | stdin_off, 36 stdin_len |
//! | 40 | out_path_off, 44 result_path_off (NUL-terminated host paths; 0 = none) |
//! | 48 | epoch_lo, 52 epoch_hi: the host's time of day at boot, ns since 1970 (0 = unknown) |
//!
//! The app starts in the directory named by `PWD` in its environment when that directory
//! exists in the initial files, else in `/`. `BKPORT_CONSOLE=pipe` in the environment makes the
//! console a FIFO to fstat (not a terminal). `BKPORT_TICK_US=N` sets the preemption tick to N
//! microseconds (`TICK_MIN_US..=TICK_MAX_US`; a value outside is clamped, one that is not a
//! number is ignored), so the stress tier varies the timer phase without a rebuild.
//! `BKPORT_STACK=N` makes the main thread's stack N bytes (`STACK_MIN..=STACK_MAX`, clamped;
//! default `run::MAIN_STACK`).
//!
//! `BKPORT_STDIN=stream` (resident mode only) makes stdin a stream the host feeds while the app
//! runs (resident.rs) instead of the blob's bytes.
//!
//! A resident QEMU loads a stub (`BKRESID1`, resident.rs) instead: the kernel first reads the
//! call's blob, in this format, from the host into the region.
//!
//! Without a blob the app starts with argv = ["app"], no files and an empty stdin.
use alloc::vec::Vec;

use crate::arch::{Arch, Cpu, TrapFrame};
use crate::run::with;

extern "C" {
    static mut __kdata_start: u8;
    static __kdata_end: u8;
    static __kdata_load: u8;
    static mut __data_start: u8;
    static __data_end: u8;
    static __data_load: u8;
}

/// Copy `[dst, dst_end)` from `src`, word by word, without calling out.
///
/// # Safety
/// The ranges are linker-defined, 16-byte aligned and do not overlap.
unsafe fn copy_words(dst: *mut u8, dst_end: *const u8, src: *const u8) {
    let n = (dst_end as usize - dst as usize) / core::mem::size_of::<usize>();
    let (d, s) = (dst as *mut usize, src as *const usize);
    for i in 0..n {
        d.add(i).write_volatile(s.add(i).read_volatile());
    }
}

/// Put the kernel's and the app's writable data in their boot state: `.kdata` and `.data` from
/// their pristine copies in the image (the linker loads them there, common.ld.in), `.bss`
/// zeroed. At every boot, a fresh one or an in-place restart of a resident QEMU (resident.rs),
/// whose previous call wrote all three.
///
/// # Safety
/// Call once, first thing at boot: nothing may hold a reference into .kdata, .data or .bss.
pub unsafe fn init_ram() {
    copy_words(&mut __kdata_start, &__kdata_end, &__kdata_load);
    copy_words(&mut __data_start, &__data_end, &__data_load);
    crate::heap::zero_bss();
}

const MAGIC: &[u8; 8] = b"BKBOOT01";
/// The main-thread stacks the host may ask for (`BKPORT_STACK`, bytes): from what the start-up
/// code itself needs to what a board's RAM can give (the app heap answers when it cannot).
pub const STACK_MIN: usize = 4 * 1024;
pub const STACK_MAX: usize = 64 * 1024 * 1024;
/// The tick periods the host may choose. 100 us is 2,500 cycles of the Cortex-M3 at 25 MHz, a
/// few times what a tick and a switch cost: shorter, the threads would hardly run. Above 100 ms
/// sleeps and timeouts (woken on ticks) get too coarse to test anything.
pub const TICK_MIN_US: u64 = 100;
pub const TICK_MAX_US: u64 = 100_000;

fn word(b: &[u8], off: usize) -> usize {
    u32::from_le_bytes([b[off], b[off + 1], b[off + 2], b[off + 3]]) as usize
}

/// A decimal number (digits only, no sign); None for anything else or on overflow.
fn parse_u64(s: &[u8]) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    s.iter().try_fold(0u64, |n, &c| {
        if !c.is_ascii_digit() {
            return None;
        }
        n.checked_mul(10)?.checked_add((c - b'0') as u64)
    })
}

fn cstr_at(blob: &[u8], off: usize) -> Vec<u8> {
    if off == 0 || off >= blob.len() {
        return Vec::new();
    }
    blob[off..].iter().take_while(|&&c| c != 0).copied().collect()
}

/// Parse the blob, fill the file system, and build the first thread (the app's main).
pub fn load() -> TrapFrame {
    // SAFETY: the boot blob region [BOOT_BLOB, BOOT_BLOB + BOOT_BLOB_MAX) is RAM reserved for the
    // host's loader (outside every linker region); every offset read from it is bounds-checked.
    // SAFETY: as below; nothing else holds a reference into the region yet.
    crate::resident::take_call(unsafe {
        core::slice::from_raw_parts_mut(Cpu::BOOT_BLOB as *mut u8, Cpu::BOOT_BLOB_MAX)
    });
    let blob: &'static [u8] = unsafe {
        let base = Cpu::BOOT_BLOB as *const u8;
        if core::slice::from_raw_parts(base, 8) != MAGIC {
            &[]
        } else {
            core::slice::from_raw_parts(base, Cpu::BOOT_BLOB_MAX)
        }
    };
    let mut args: Vec<&[u8]> = Vec::new();
    let mut env: Vec<&[u8]> = Vec::new();
    // The time of day first: the system files and the initial files are stamped with it.
    if !blob.is_empty() {
        let epoch = (word(blob, 48) as u64) | ((word(blob, 52) as u64) << 32);
        // CLOCK_REALTIME is the kernel clock plus `epoch_ns`. A fresh QEMU's clock starts at 0
        // with the boot; a resident one's keeps counting across resets on some boards (the
        // AArch64 generic timer), so the host's time is taken as of the moment the call came.
        let base = if crate::resident::active() { crate::resident::taken_ns() } else { 0 };
        with(|b| b.epoch_ns = epoch.saturating_sub(base));
    }
    crate::fs::init();
    if blob.is_empty() {
        args.push(b"app");
    } else {
        let (argc, envc) = (word(blob, 8), word(blob, 12));
        let (so, sl) = (word(blob, 16), word(blob, 20));
        let strings = blob.get(so..so + sl).unwrap_or(&[]);
        let mut it = strings.split(|&c| c == 0);
        for _ in 0..argc {
            args.push(it.next().unwrap_or(b""));
        }
        for _ in 0..envc {
            env.push(it.next().unwrap_or(b""));
        }
        let (co, cl) = (word(blob, 24), word(blob, 28));
        let (io, il) = (word(blob, 32), word(blob, 36));
        let path_end = |off: usize| if off == 0 { 0 } else { off + cstr_at(blob, off).len() + 1 };
        let used = [so + sl, io + il, path_end(word(blob, 40)), path_end(word(blob, 44)), 56];
        let base = blob.as_ptr() as usize;
        let archive_end = if blob.get(co..co + cl).is_some() { co + cl } else { 0 };
        crate::heap::pool_init((base + co, base + archive_end),
                               base + used.iter().copied().max().unwrap_or(0).min(blob.len()));
        if let Some(archive) = blob.get(co..co + cl).filter(|a| !a.is_empty()) {
            if let Err(e) = crate::fs::unpack(archive) {
                crate::halt::kernel_fault(format_args!("initial files: {}", e));
            }
        }
        with(|i| {
            i.stdin = blob.get(io..io + il).unwrap_or(&[]);
            i.out_path = cstr_at(blob, word(blob, 40));
            i.result_path = cstr_at(blob, word(blob, 44));
            crate::halt::set_result_path(i.result_path.clone());
        });
    }
    crate::fs::with(|f| f.args = args.iter().map(|a| Vec::from(*a)).collect()); // for /proc/self
    // A shell starts a program in its working directory and says which in PWD; the host does
    // the same (`bkport run --cwd`), so the app starts where its initial files say it runs.
    if let Some(pwd) = env.iter().find_map(|e| e.strip_prefix(b"PWD=")) {
        let _ = crate::fs::with(|f| f.chdir(pwd));
    }
    // The host knows whether the run's stdin and stdout are a terminal (`bkport run`) or
    // a file and a capture (a test suite): fstat of the console then says FIFO, so isatty() is
    // false, as for a program in a shell pipeline.
    let stream = crate::resident::active() && env.iter().any(|e| *e == b"BKPORT_STDIN=stream");
    with(|b| {
        b.console_pipe = env.iter().any(|e| *e == b"BKPORT_CONSOLE=pipe");
        b.stdin_stream = stream;
    });
    // A switch of the resident channel, not the app's business: its environment is the one a
    // fresh boot gives it (`env` prints the same in both modes).
    env.retain(|e| !e.starts_with(b"BKPORT_STDIN="));
    // A loaded host delivers QEMU's wall-clock ticks at any phase of the guest's code; a tick
    // period chosen per run (`bkport run --env BKPORT_TICK_US=100`) moves those phases without
    // rebuilding the image. Clamped rather than refused: the run still tests something.
    let tick_us = env.iter().find_map(|e| e.strip_prefix(b"BKPORT_TICK_US="));
    if let Some(us) = tick_us.and_then(parse_u64) {
        with(|b| b.tick_ns = us.clamp(TICK_MIN_US, TICK_MAX_US) * 1000);
    }
    // Deep recursion (Lua's nested pcalls, a parser) needs more than the default main stack; the
    // app's recipe or `bkport run --stack` says how much.
    let stack = env.iter().find_map(|e| e.strip_prefix(b"BKPORT_STACK="));
    if let Some(n) = stack.and_then(parse_u64) {
        with(|b| b.main_stack = ((n as usize).clamp(STACK_MIN, STACK_MAX) + 15) & !15);
    }
    crate::user::main_thread(&args, &env)
}

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
//!
//! The app starts in the directory named by `PWD` in its environment when that directory
//! exists in the initial files, else in `/`. `BKPORT_CONSOLE=pipe` in the environment makes the
//! console a FIFO to fstat (not a terminal).
//!
//! Without a blob the app starts with argv = ["app"], no files and an empty stdin.
use alloc::vec::Vec;

use crate::arch::{self, TrapFrame};
use crate::global::Global;

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
    });

pub fn info() -> &'static mut BootInfo {
    INFO.get()
}

const MAGIC: &[u8; 8] = b"BKBOOT01";
pub const MAIN_STACK: usize = 64 * 1024;

fn word(b: &[u8], off: usize) -> usize {
    u32::from_le_bytes([b[off], b[off + 1], b[off + 2], b[off + 3]]) as usize
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
    let blob: &'static [u8] = unsafe {
        let base = arch::BOOT_BLOB as *const u8;
        if core::slice::from_raw_parts(base, 8) != MAGIC {
            &[]
        } else {
            core::slice::from_raw_parts(base, arch::BOOT_BLOB_MAX)
        }
    };
    let mut args: Vec<&[u8]> = Vec::new();
    let mut env: Vec<&[u8]> = Vec::new();
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
        if let Some(archive) = blob.get(co..co + cl).filter(|a| !a.is_empty()) {
            if let Err(e) = crate::cpio::unpack(archive) {
                crate::trap::kernel_fault(format_args!("initial files: {}", e));
            }
        }
        let (io, il) = (word(blob, 32), word(blob, 36));
        let i = info();
        i.stdin = blob.get(io..io + il).unwrap_or(&[]);
        i.out_path = cstr_at(blob, word(blob, 40));
        i.result_path = cstr_at(blob, word(blob, 44));
    }
    // A shell starts a program in its working directory and says which in PWD; the host does
    // the same (`bkport run --cwd`), so the app starts where its initial files say it runs.
    if let Some(pwd) = env.iter().find_map(|e| e.strip_prefix(b"PWD=")) {
        let _ = crate::fs::fs().chdir(pwd);
    }
    // The host knows whether the run's stdin and stdout are a terminal (`bkport run`) or
    // a file and a capture (a test suite): fstat of the console then says FIFO, so isatty() is
    // false, as for a program in a shell pipeline.
    info().console_pipe = env.iter().any(|e| *e == b"BKPORT_CONSOLE=pipe");
    crate::user::main_thread(&args, &env)
}

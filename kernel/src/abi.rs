//! Layouts the kernel and its apps share that the syscall table declares opaque (`extern struct`).
//! Included by the kernel and by the Rust test apps (`#[path = ".../abi.rs"] mod abi;`).
//! The C side must agree: see docs/kernel.md ("ABI layouts").
#![allow(dead_code, non_camel_case_types)]

/// `struct stat` as the validation kernel fills it (same on every arch: 112 bytes).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Stat {
    pub st_dev: u64,
    pub st_ino: u64,
    pub st_mode: u32,
    pub st_nlink: u32,
    pub st_uid: u32,
    pub st_gid: u32,
    pub st_rdev: u64,
    pub st_size: i64,
    pub st_blksize: i64,
    pub st_blocks: i64,
    pub st_atime: [i64; 2],
    pub st_mtime: [i64; 2],
    pub st_ctime: [i64; 2],
}

/// `struct statfs` (subset, 64 bytes).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct StatFs {
    pub f_type: u64,
    pub f_bsize: u64,
    pub f_blocks: u64,
    pub f_bfree: u64,
    pub f_bavail: u64,
    pub f_files: u64,
    pub f_ffree: u64,
    pub f_namelen: u64,
}

/// getdents records: Linux `struct linux_dirent64` (d_name NUL-terminated, records 8-aligned).
pub const DIRENT_HEADER: usize = 19;

// O_*, S_IF*, DT_*, SEEK_*, F_*, FD_CLOEXEC, CLOCK_*, TIMER_ABSTIME, POLL*: Linux's values from
// the one source the layer's translators also come from (posix/spec/ define lines);
// regenerate with `bkport posix gen --out build/sysroot --rust kernel/src/abi_linux.rs`.
include!("abi_linux.rs");

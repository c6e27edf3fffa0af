//! Permission bits of a file (proposed Chmod 78, Fchmod 79): the RAM file system keeps a mode
//! per inode (what stat reports); these calls replace its permission bits and keep its type.
//! File times (proposed SetFileTimes, FsetFileTimes): access and modification times as
//! given, to the nanosecond, or now, or left alone.
use crate::abi::S_IFMT;
use crate::fs::{with as fs_with, Kind};
use crate::syscall_table::{c_int, timespec, EINVAL};

type R = super::SysResult;

fn set_mode(i: usize, mode: u32) -> R {
    fs_with(|f| {
        let ino = f.inodes[i].as_mut().ok_or(EINVAL)?;
        ino.mode = (ino.mode & S_IFMT) | (mode & 0o7777);
        Ok(0)
    })
}

fn do_chmod(path: *const u8, mode: u32) -> R {
    let p = crate::uaccess::cstr(path)?;
    let i = fs_with(|f| f.resolve(&p))?;
    set_mode(i, mode)
}

fn do_fchmod(fd: c_int, mode: u32) -> R {
    match fs_with(|f| f.fd(fd).map(|o| o.kind))? {
        Kind::File(i) | Kind::Dir(i) => set_mode(i, mode),
        // pipes, the console and the devices opened by kind have no inode to hold a mode
        _ => Err(EINVAL),
    }
}

// Linux's tv_nsec values, as the layer's <sys/stat.h> has them.
const UTIME_NOW: i64 = (1 << 30) - 1;
const UTIME_OMIT: i64 = (1 << 30) - 2;

/// One time from the app: Some(ns) to store, None to leave the time as it is.
fn file_time(p: *const timespec, now: u64) -> Result<Option<u64>, c_int> {
    let t: timespec = crate::uaccess::get(p as usize)?;
    let (sec, ns) = (t.tv_sec as i64, t.tv_nsec as i64);
    match ns {
        UTIME_OMIT => Ok(None),
        UTIME_NOW => Ok(Some(now)),
        // Times before 1970 cannot be kept (the inode holds unsigned ns since the epoch).
        0..=999_999_999 if sec >= 0 => {
            Ok(Some((sec as u64).saturating_mul(1_000_000_000).saturating_add(ns as u64)))
        }
        _ => Err(EINVAL),
    }
}

fn set_times(i: usize, atime: *const timespec, mtime: *const timespec) -> R {
    let now = super::realtime();
    let (a, m) = (file_time(atime, now)?, file_time(mtime, now)?);
    fs_with(|f| {
        let ino = f.inodes[i].as_mut().ok_or(EINVAL)?;
        if let Some(a) = a {
            ino.atime = a;
        }
        if let Some(m) = m {
            ino.mtime = m;
        }
        if a.is_some() || m.is_some() {
            ino.ctime = now;
        }
        Ok(0)
    })
}

fn do_set_file_times(path: *const u8, atime: *const timespec, mtime: *const timespec) -> R {
    let p = crate::uaccess::cstr(path)?;
    let i = fs_with(|f| f.resolve(&p))?;
    set_times(i, atime, mtime)
}

fn do_fset_file_times(fd: c_int, atime: *const timespec, mtime: *const timespec) -> R {
    match fs_with(|f| f.fd(fd).map(|o| o.kind))? {
        Kind::File(i) | Kind::Dir(i) => set_times(i, atime, mtime),
        _ => Err(EINVAL),
    }
}

pub mod chmod {
    use crate::syscall_table::*;
    handler!(chmod(path: *const c_char, mode: mode_t) -> c_int {
        super::do_chmod(path as *const u8, mode as u32)
    });
}

pub mod fchmod {
    use crate::syscall_table::*;
    handler!(fchmod(fd: c_int, mode: mode_t) -> c_int {
        super::do_fchmod(fd, mode as u32)
    });
}

pub mod set_file_times {
    use crate::syscall_table::*;
    handler!(set_file_times(path: *const c_char, atime: *const timespec, mtime: *const timespec) -> c_int {
        super::do_set_file_times(path as *const u8, atime, mtime)
    });
}

pub mod fset_file_times {
    use crate::syscall_table::*;
    handler!(fset_file_times(fd: c_int, atime: *const timespec, mtime: *const timespec) -> c_int {
        super::do_fset_file_times(fd, atime, mtime)
    });
}

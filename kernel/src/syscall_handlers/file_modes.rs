//! Permission bits of a file (proposed Chmod 78, Fchmod 79): the RAM file system keeps a mode
//! per inode (what stat reports); these calls replace its permission bits and keep its type.
use crate::abi::S_IFMT;
use crate::fs::{fs, Kind};
use crate::syscall_table::{c_int, EINVAL};

type R = Result<isize, c_int>;

fn set_mode(i: usize, mode: u32) -> R {
    let ino = fs().inodes[i].as_mut().ok_or(EINVAL)?;
    ino.mode = (ino.mode & S_IFMT) | (mode & 0o7777);
    Ok(0)
}

fn do_chmod(path: *const u8, mode: u32) -> R {
    let p = crate::uaccess::cstr(path)?;
    let i = fs().resolve(&p)?;
    set_mode(i, mode)
}

fn do_fchmod(fd: c_int, mode: u32) -> R {
    match fs().fd(fd)?.kind {
        Kind::File(i) | Kind::Dir(i) => set_mode(i, mode),
        // pipes, the console and the devices opened by kind have no inode to hold a mode
        _ => Err(EINVAL),
    }
}

fn ret(r: R) -> c_int {
    match r {
        Ok(v) => v as c_int,
        Err(e) => -e,
    }
}

pub mod chmod {
    use crate::syscall_table::*;
    define_syscall_handler!(chmod(path: *const c_char, mode: mode_t) -> c_int {
        super::ret(super::do_chmod(path as *const u8, mode as u32))
    });
}

pub mod fchmod {
    use crate::syscall_table::*;
    define_syscall_handler!(fchmod(fd: c_int, mode: mode_t) -> c_int {
        super::ret(super::do_fchmod(fd, mode as u32))
    });
}

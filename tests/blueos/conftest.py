"""Small BlueKernel and librs trees, written by the tests (never upstream code)."""

import shutil
from pathlib import Path

import pytest
from bkport.blueos.facts import DATA

HEADER = """\
#![no_std]

pub mod syscalls {
    /* numbers are declaration order { not stable } */
    #[repr(usize)]
    #[derive(Copy, Clone)]
    pub enum NR {
        Nop = 0,
        Echo,
        Write, // the first file call
        Read,
        Socket,
        Bind,
        Ghost,
        LastNR,
    }
}
"""

HANDLERS = """\
use libc::{c_int, c_long};

// A macro definition is not a handler.
macro_rules! define_syscall_handler {
    ($handler:ident($($arg:ident: $argty:ty),*) -> $ret:ty $body:block) => ();
}

define_syscall_handler!(
nop() -> c_long {
    let s = "} not a brace {";
    0
});

#[cfg(enable_vfs)]
define_syscall_handler!(
    write(fd: c_int,
          buf: *const u8,
          size: usize,) -> c_long {
        if size == 0 { return 0; }
        '}' as c_long
    }
);

define_syscall_handler!(read(fd: c_int, buf: *mut c_void, count: size_t) -> isize {
    -1
});

define_syscall_handler!(
    socket(domain: c_int, type_: c_int, protocol: c_int) -> c_int { 0 }
);

#[cfg(feature = "net")]
define_syscall_handler!(bind(fd: c_int, addr: *const sockaddr, len: socklen_t) -> c_int { 0 });

#[cfg(enable_syscall)]
syscall_table! {
    (Nop, nop),
    (Echo, echo),
    #[cfg(enable_vfs)]
    (Write, write),
    (Read,read),
    #[cfg(enable_net)]
    (Socket, socket),
    (Bind, bind),
}
"""

ECHO = """\
define_syscall_handler!(echo(val: c_long) -> c_long {
    val
});
"""

LIB = """\
#![no_std]
mod syscall;

#[no_mangle]
pub unsafe extern "C" fn strlen(s: *const c_char) -> usize { 0 }

#[no_mangle]
#[linkage = "weak"]
pub extern "C" fn fflush(stream: *mut FILE) -> c_int {
    0
}

/// realpath, but only for Rust callers
#[no_mangle]
pub unsafe fn realpath(p: *const c_char, out: *mut c_char) -> *mut c_char { out }

#[cfg(target_arch = "arm")]
#[no_mangle]
#[linkage = "weak"]
pub extern "C" fn __aeabi_unwind_cpp_pr0() {}

#[no_mangle]
pub static mut stdout: *mut FILE = core::ptr::null_mut();

// #[no_mangle] pub extern "C" fn commented_out() {}
pub const DOC: &str = "#[no_mangle] in a string";

pub extern "C" fn not_exported() {}
"""

BACKEND = """\
use super::Syscall;

pub fn to_result(r: usize) -> Result<usize> {
    if r > 4095usize.wrapping_neg() { Err(Errno(r as i32)) } else { Ok(r) }
}

pub struct Sys;

impl Syscall for Sys {
    fn write(fd: c_int, buf: &[u8]) -> Result<usize> {
        to_result(bk_syscall!(Write, fd, buf.as_ptr(), buf.len()) as usize)
    }
    fn chmod(_path: CStr, _mode: mode_t) -> Result<()> {
        // nothing to change on this board
        Ok(())
    }
    fn nice(_inc: c_int) -> Result<c_int> {
        Ok(0)
    }
    unsafe fn mmap(_addr: *mut c_void, _len: usize) -> Result<*mut c_void> {
        // no MMU here
        Err(Errno(-1))
    }
    fn dup(_fd: c_int) -> Result<c_int> {
        Err(Errno(-1))
    }
    fn umask(mask: mode_t) -> mode_t {
        mask
    }
}
"""


def write_kernel(root: Path, header: str = HEADER, handlers: str = HANDLERS) -> Path:
    (root / "header/src").mkdir(parents=True)
    (root / "kernel/src/syscall_handlers").mkdir(parents=True)
    (root / "header/src/lib.rs").write_text(header)
    (root / "kernel/src/syscall_handlers/mod.rs").write_text(handlers)
    (root / "kernel/src/syscall_handlers/echo.rs").write_text(ECHO)
    return root


def write_librs(root: Path, backend: str = BACKEND) -> Path:
    (root / "src/syscall/blueos").mkdir(parents=True)
    (root / "src/lib.rs").write_text(LIB)
    (root / "src/syscall/blueos/mod.rs").write_text(backend)
    return root


@pytest.fixture
def kernel(tmp_path) -> Path:
    return write_kernel(tmp_path / "kernel")


@pytest.fixture
def librs(tmp_path) -> Path:
    return write_librs(tmp_path / "librs")


@pytest.fixture
def data(tmp_path) -> Path:
    """A copy of the shipped snapshot to import into."""
    out = tmp_path / "data"
    shutil.copytree(DATA, out)
    return out

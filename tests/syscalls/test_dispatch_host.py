"""The generated dispatcher behaves as the ABI says, run as a host Rust test program: unknown
numbers -ENOSYS, bad pointers -EFAULT, gated-off calls -ENOTSUP, stubs their errno, fakes 0, and
arguments (including a 64-bit value split over a Cortex-M register pair) decoded exactly."""

import subprocess

import pytest
from bkport.syscalls.gen import rust_kernel
from bkport.syscalls.loader import load_table
from bkport.toolchain.rust import RUSTC

from .test_golden import GOLDEN

pytestmark = pytest.mark.toolchain

HARNESS = r"""
#[path = "syscall_table.rs"]
mod syscall_table;
use syscall_table::*;

mod uaccess {
    // The app's memory for this test: [0x1000, 0x2000).
    pub fn check_user(addr: usize, len: usize, _write: bool) -> bool {
        addr >= 0x1000 && addr.checked_add(len).map_or(false, |end| end <= 0x2000)
    }
}

mod syscall_handlers {
    use crate::syscall_table::*;
    use core::sync::atomic::{AtomicI64, Ordering};
    pub static LAST: AtomicI64 = AtomicI64::new(0);
    pub mod nop {
        use crate::syscall_table::*;
        define_syscall_handler!(nop() -> c_long { 7 });
    }
    pub mod write {
        use crate::syscall_table::*;
        define_syscall_handler!(write(fd: c_int, buf: *const u8, size: usize) -> c_long {
            let _ = buf; (fd as c_long) * 1000 + size as c_long
        });
    }
    pub mod stat {
        use crate::syscall_table::*;
        define_syscall_handler!(stat(path: *const c_char, buf: *mut stat) -> c_int { 0 });
    }
    pub mod pread {
        use crate::syscall_table::*;
        define_syscall_handler!(pread(fd: c_int, buf: *mut c_void, count: usize, offset: i64) -> isize {
            super::LAST.store(offset, core::sync::atomic::Ordering::SeqCst); count as isize
        });
    }
    pub mod wide_only {
        use crate::syscall_table::*;
        define_syscall_handler!(wide_only(v: u64) -> usize { v as usize });
    }
    pub fn last() -> i64 { LAST.load(Ordering::SeqCst) }
}

fn call(nr: usize, args: [usize; 6]) -> isize {
    dispatch_syscall(&Context { nr, args }) as isize
}

#[test]
fn abi_behaviour() {
    assert_eq!(call(NR::Nop as usize, [0; 6]), 7);
    assert_eq!(call(NR::LastNR as usize, [0; 6]), -(ENOSYS as isize));
    assert_eq!(call(9999, [0; 6]), -(ENOSYS as isize));
    assert_eq!(call(usize::MAX, [0; 6]), -(ENOSYS as isize));
    // write(3, buf, 16): buffer inside the app's memory.
    let w = call(NR::Write as usize, [3, 0x1800, 16, 0, 0, 0]);
    if cfg!(feature = "enable_vfs") {
        assert_eq!(w, 3016);
        // Buffer runs past the end of the app's memory, or is NULL.
        assert_eq!(call(NR::Write as usize, [3, 0x1ff0, 0x20, 0, 0, 0]), -(EFAULT as isize));
        assert_eq!(call(NR::Write as usize, [3, 0, 1, 0, 0, 0]), -(EFAULT as isize));
        // Length overflow must not wrap around into a valid range.
        assert_eq!(call(NR::Write as usize, [3, 0x1800, usize::MAX, 0, 0, 0]), -(EFAULT as isize));
        // pread: the 64-bit offset comes from the r4:r5 pair on Cortex-M.
        let r = call(NR::Pread as usize, [1, 0x1000, 8, 0xdead, 0x89abcdef, 0x01234567]);
        assert_eq!(r, 8);
        assert_eq!(syscall_handlers::last(), 0x0123_4567_89ab_cdef);
    } else {
        assert_eq!(w, -(ENOTSUP as isize));
        assert_eq!(call(NR::Pread as usize, [0; 6]), -(ENOTSUP as isize));
    }
    // Stub answers its declared errno; fake answers 0; retired answers ENOSYS.
    assert_eq!(call(NR::Sleep as usize, [0x1000, 0, 0, 0, 0, 0]), -(EINTR as isize));
    assert_eq!(call(NR::Spawn as usize, [0; 6]), 0);
    assert_eq!(call(NR::Old as usize, [0; 6]), -(ENOSYS as isize));
    // A call that does not exist on this architecture (Cortex-M) answers ENOSYS.
    assert_eq!(call(NR::WideOnly as usize, [5, 0, 0, 0, 0, 0]), -(ENOSYS as isize));
}
"""


@pytest.mark.parametrize("gates", [False, True], ids=["gates-off", "gates-on"])
def test_dispatch_semantics_on_host(tmp_path, gates):
    table = load_table(GOLDEN / "mini.bksys", lock=None)
    (tmp_path / "syscall_table.rs").write_text(rust_kernel.render_table(table, "cortex-m"))
    (tmp_path / "main.rs").write_text(HARNESS)
    cfg = ["--cfg", 'feature="enable_vfs"'] if gates else []
    exe = tmp_path / "dispatch_test"
    build = subprocess.run([RUSTC, "--edition", "2021", "--test", "-A", "warnings", *cfg,
                            str(tmp_path / "main.rs"), "-o", str(exe)],
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    run = subprocess.run([str(exe)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout

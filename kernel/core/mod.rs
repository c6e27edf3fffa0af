//! The kernel's core: data structures and policies with no kernel state and no hardware, so the
//! same files build into the kernel (main.rs mounts this directory as `crate::kcore`) and into a
//! host crate (`host.rs`) whose unit tests run with the host's rustc (tests/kernel/test_core.py).
//!
//! Rule of the layer: files here use only `core`, `alloc` and each other (`super::`), never
//! `crate::`; the kernel adapts them to its state (heap.rs, sched.rs, fs/).
pub mod archive;
pub mod cpio;
pub mod filedata;
pub mod freelist;
pub mod fs;
pub mod pipe;
pub mod runq;

/// The errno values the core answers. They are Linux's numbers, which BlueKernel's ABI fixes on
/// every arch (posix/spec/errno.h.spec), so the core returns them as plain `i32`s the syscall
/// handlers pass on unchanged: an error enum mapped at every return would add a translation
/// with nothing to translate. The kernel asserts at compile time that each equals the generated
/// table's (kernel/src/fs/mod.rs), so a changed spec breaks the build, not the ABI.
pub mod errno {
    pub const EPERM: i32 = 1;
    pub const ENOENT: i32 = 2;
    pub const EBADF: i32 = 9;
    pub const EAGAIN: i32 = 11;
    pub const ENOMEM: i32 = 12;
    pub const EACCES: i32 = 13;
    pub const EBUSY: i32 = 16;
    pub const EEXIST: i32 = 17;
    pub const ENOTDIR: i32 = 20;
    pub const EISDIR: i32 = 21;
    pub const EINVAL: i32 = 22;
    pub const ENFILE: i32 = 23;
    pub const EMFILE: i32 = 24;
    pub const EFBIG: i32 = 27;
    pub const ENOSPC: i32 = 28;
    pub const EMLINK: i32 = 31;
    pub const EPIPE: i32 = 32;
    pub const ENAMETOOLONG: i32 = 36;
    pub const ENOTEMPTY: i32 = 39;
    pub const ELOOP: i32 = 40;
    pub const ENOTSUP: i32 = 95;
}

/// The Linux ABI flags and modes the file system reads and answers; checked against the
/// kernel's generated `abi_linux.rs` at compile time as `errno` is.
pub mod abi {
    pub const S_IFCHR: u32 = 0o20000;
    pub const S_IFDIR: u32 = 0o40000;
    pub const S_IFREG: u32 = 0o100000;
    pub const S_IFLNK: u32 = 0o120000;
    pub const S_IFMT: u32 = 0o170000;
    pub const O_RDONLY: i32 = 0;
    pub const O_WRONLY: i32 = 1;
    pub const O_ACCMODE: i32 = 3;
    pub const O_CREAT: i32 = 0o100;
    pub const O_EXCL: i32 = 0o200;
    pub const O_TRUNC: i32 = 0o1000;
    pub const O_APPEND: i32 = 0o2000;
    pub const O_NONBLOCK: i32 = 0o4000;
    pub const O_DSYNC: i32 = 0o10000;
    pub const O_DIRECTORY: i32 = 0o200000;
    pub const O_NOFOLLOW: i32 = 0o400000;
    pub const O_CLOEXEC: i32 = 0o2000000;
    pub const O_SYNC: i32 = 0o4010000;
    pub const POLLIN: u32 = 1;
    pub const POLLOUT: u32 = 4;
    pub const POLLERR: u32 = 8;
    pub const POLLHUP: u32 = 16;
    /// The longest path the kernel copies in (uaccess.rs); a longer link target is ENAMETOOLONG.
    pub const PATH_MAX: usize = 1024;
}

/// The kernel as the host tests stand it in: the global allocator with a budget (so tests can
/// run memory out), a clock that ticks per call, and a scheduler that records wakeups. State is
/// per thread: the test harness runs each test in a thread of its own.
#[cfg(test)]
pub mod testenv {
    extern crate std;

    use alloc::alloc::{alloc, dealloc, Layout};
    use alloc::vec::Vec;
    use core::cell::{Cell, RefCell};

    use super::filedata::{Home, Mem, ALIGN};
    use super::fs::{Env, Proc};
    use super::pipe::Sched;

    std::thread_local! {
        /// Bytes the data allocator may still hand out.
        pub static BUDGET: Cell<usize> = const { Cell::new(usize::MAX) };
        /// Bytes it has handed out and not had back.
        pub static LIVE: Cell<usize> = const { Cell::new(0) };
        pub static CLOCK: Cell<u64> = const { Cell::new(1) };
        pub static TID: Cell<usize> = const { Cell::new(1) };
        /// Every wake: (thread, result).
        pub static WOKEN: RefCell<Vec<(usize, Result<usize, i32>)>> = const { RefCell::new(Vec::new()) };
    }

    pub struct T;

    fn take(n: usize) -> Option<()> {
        let left = BUDGET.with(|b| b.get());
        if n > left {
            return None;
        }
        BUDGET.with(|b| b.set(left - n));
        LIVE.with(|l| l.set(l.get() + n));
        Some(())
    }

    fn give(n: usize) {
        BUDGET.with(|b| b.set(b.get().saturating_add(n)));
        LIVE.with(|l| l.set(l.get() - n));
    }

    pub fn live() -> usize {
        LIVE.with(|l| l.get())
    }

    pub fn set_budget(n: usize) {
        BUDGET.with(|b| b.set(n));
    }

    pub fn woken() -> Vec<(usize, Result<usize, i32>)> {
        WOKEN.with(|w| core::mem::take(&mut *w.borrow_mut()))
    }

    impl Mem for T {
        fn alloc(cap: usize) -> Option<(*mut u8, Home)> {
            take(cap)?;
            // SAFETY: cap > 0 (the core's contract).
            let p = unsafe { alloc(Layout::from_size_align(cap, ALIGN).unwrap()) };
            assert!(!p.is_null());
            Some((p, Home::Kernel))
        }

        fn alloc_app(size: usize) -> Option<usize> {
            take(size)?;
            // SAFETY: size > 0 (at least a page).
            let p = unsafe { alloc(Layout::from_size_align(size, ALIGN).unwrap()) };
            assert!(!p.is_null());
            Some(p as usize)
        }

        fn free(ptr: *mut u8, cap: usize, home: Home) {
            let (p, n) = match home {
                Home::Kernel => (ptr, cap),
                Home::App { base, size } => (base as *mut u8, size),
            };
            // SAFETY: allocated above with this size and alignment.
            unsafe { dealloc(p, Layout::from_size_align(n, ALIGN).unwrap()) };
            give(n);
        }
    }

    impl Sched for T {
        fn current_tid() -> usize {
            TID.with(|t| t.get())
        }

        fn wake(tid: usize, r: Result<usize, i32>) {
            WOKEN.with(|w| w.borrow_mut().push((tid, r)));
        }
    }

    impl Env for T {
        fn now() -> u64 {
            CLOCK.with(|c| {
                c.set(c.get() + 1);
                c.get()
            })
        }

        fn proc_text(p: Proc, args: &[Vec<u8>]) -> Vec<u8> {
            match p {
                Proc::Cmdline => args.join(&0u8),
                _ => Vec::from(&b"proc\n"[..]),
            }
        }

        fn link_room(n: usize) -> bool {
            BUDGET.with(|b| b.get()) >= n
        }
    }
}

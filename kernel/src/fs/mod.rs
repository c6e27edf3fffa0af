//! The RAM file system in the kernel: the adapter of the host-tested core (kernel/core/fs.rs,
//! filedata.rs, pipe.rs: the tree, path walks, links, rename, the descriptor table, file data in
//! chunks, pipe rings). This side holds the file system in its Global and supplies what the core
//! asks of the kernel (`Env` for `Kernel`): the time of day, /proc's contents, the heaps
//! (data.rs), waking threads (pipe.rs). What reads or writes user memory or kernel-only types
//! stays here too: `stat`, ioctl, the archives in and out, the waiters' check.
//!
//! Like upstream BlueKernel (devfs, procfs, a tmpfs root), the tree starts with `/dev` (null,
//! zero, console, tty), `/proc` (meminfo, uptime, and `self` -> `1` with cmdline and status,
//! made when read) and `/tmp`. These are the system's, not the run's: `export` leaves them out
//! (a `/tmp` the app wrote into goes back like any directory).
use alloc::vec::Vec;

use crate::abi::*;
use crate::global::Global;
use crate::kcore;
use crate::syscall_table::c_int;

pub use kcore::fs::{Dev, Fd, Kind, Map, Ofd, Proc, MAX_FDS, MAX_FILE, MAX_INODES, MAX_LINKS, NAME_MAX, ROOT};

/// The kernel as the core's file system sees it (`kcore::fs::Env`, `Mem`, `Sched`).
pub struct Kernel;

pub type Fs = kcore::fs::Fs<Kernel>;
pub type Node = kcore::fs::Node<Kernel>;

#[link_section = ".kdata"]
static FS: Global<Fs> = Global::new(Fs::new());

/// The file system for the length of `f` (`Global::with`: not from inside another `with`).
#[track_caller]
pub fn with<R>(f: impl FnOnce(&mut Fs) -> R) -> R {
    FS.with(f)
}

pub(crate) type R<T> = Result<T, c_int>;

pub fn init() {
    with(|f| f.init())
}

/// The core answers errno values and ABI flags as its own constants (kernel/core/mod.rs says
/// why): each must equal the generated one, checked when the kernel compiles.
macro_rules! same_as_generated {
    ($($name:ident),* ; $($flag:ident),*) => {
        $(const _: () = assert!(kcore::errno::$name == crate::syscall_table::$name);)*
        $(const _: () = assert!(kcore::abi::$flag == crate::abi::$flag);)*
    };
}
same_as_generated!(EPERM, ENOENT, EBADF, EAGAIN, ENOMEM, EACCES, EBUSY, EEXIST, ENOTDIR, EISDIR,
    EINVAL, ENFILE, EMFILE, EFBIG, ENOSPC, EMLINK, EPIPE, ENAMETOOLONG, ENOTEMPTY, ELOOP, ENOTSUP;
    S_IFCHR, S_IFDIR, S_IFREG, S_IFLNK, S_IFMT, O_RDONLY, O_WRONLY, O_ACCMODE,
    O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_NONBLOCK, O_DSYNC, O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC,
    O_SYNC, POLLIN, POLLOUT, POLLERR, POLLHUP);
const _: () = assert!(kcore::abi::PATH_MAX == crate::uaccess::PATH_MAX);

impl kcore::fs::Env for Kernel {
    /// File times are times of day (CLOCK_REALTIME), as the host's files have.
    fn now() -> u64 {
        crate::run::realtime()
    }

    /// The bytes of a /proc file, now.
    fn proc_text(p: Proc, args: &[Vec<u8>]) -> Vec<u8> {
        use core::fmt::Write;

        let mut s = alloc::string::String::new();
        match p {
            Proc::Meminfo => {
                let h = crate::heap::stats();
                let _ = write!(s, "MemTotal:       {:8} kB\nMemFree:        {:8} kB\n\
                                   MemAvailable:   {:8} kB\n",
                               h.user_size / 1024, h.user_free / 1024, h.user_free / 1024);
            }
            Proc::Uptime => {
                let ns = crate::sched::now(); // since boot (`now` is the time of day)
                let cs = ns / 10_000_000;
                let _ = write!(s, "{}.{:02} 0.00\n", cs / 100, cs % 100);
            }
            Proc::Cmdline => {
                for a in args {
                    s.push_str(core::str::from_utf8(a).unwrap_or("?"));
                    s.push('\0');
                }
            }
            Proc::Status => {
                let name = args.first().map(|a| {
                    let a = core::str::from_utf8(a).unwrap_or("?");
                    a.rsplit('/').next().unwrap_or(a)
                });
                let threads = crate::sched::with(|s| {
                    s.threads.iter().filter(|t| t.state != crate::sched::State::Dead).count()
                });
                let _ = write!(s, "Name:\t{}\nState:\tR (running)\nPid:\t1\nPPid:\t0\n\
                                   Threads:\t{}\n", name.unwrap_or("app"), threads);
            }
        }
        s.into_bytes()
    }

    /// Targets live in the kernel heap, within file data's share of it: 1024 links of 1 KiB
    /// would otherwise exhaust Cortex-M's 1 MiB kernel heap.
    fn link_room(n: usize) -> bool {
        data::kernel_room(n)
    }
}

impl Fs {
    pub fn stat(&mut self, i: usize) -> Stat {
        // /proc files have no size until read, as on Linux (readers read to the end).
        let size = match self.ino(i).node {
            Node::Proc(_) => 0,
            _ => self.file_len(i) as i64,
        };
        let n = self.ino(i);
        let rdev = match n.node {
            Node::Dev(d) => d.rdev(),
            _ => 0,
        };
        // A directory holds no data blocks, as tmpfs reports it (`du` counts its files only).
        let blocks = match n.node {
            Node::Dir { .. } => 0,
            _ => (size + 511) / 512,
        };
        let ts = |t: u64| [(t / 1_000_000_000) as i64, (t % 1_000_000_000) as i64];
        Stat {
            st_dev: 1,
            st_ino: i as u64 + 1,
            st_mode: n.mode,
            st_nlink: n.nlink,
            st_rdev: rdev,
            st_size: size,
            st_blksize: 512,
            st_blocks: blocks,
            st_atime: ts(n.atime),
            st_mtime: ts(n.mtime),
            st_ctime: ts(n.ctime),
            ..Stat::default()
        }
    }
}

mod archive;
mod check;
mod data;
mod ioctl;
pub mod pipe;

pub use archive::{export, unpack};
pub use check::check;
pub use kcore::filedata::PAGE;

/// (bytes, free bytes) for statfs: what file data holds plus what it could still take.
pub fn space() -> (usize, usize) {
    data::space(with(|f| f.bytes))
}

//! ktest: exercises every call the validation kernel implements, through the trap, including the
//! error paths (-ENOSYS, -EFAULT, -EBADF, ...) and futex wait/wake between threads under
//! preemption. Prints one line per failed check and a summary; the exit status is the number of
//! failed checks (0 = all passed).
//!
//! argv modes (for the runner's own tests): `exit42` returns 42, `fault` touches kernel memory
//! from the app, `hang` spins forever, `deadlock` blocks on a futex nobody wakes, `files` checks
//! the initial files and argv/env and leaves `/out/report.txt` for the host.
use core::sync::atomic::{AtomicUsize, Ordering};

use crate::abi::*;
use crate::bk_syscall::{syscall6, NR};

static FAILS: AtomicUsize = AtomicUsize::new(0);
static CHECKS: AtomicUsize = AtomicUsize::new(0);

fn sys(nr: NR, a: &[usize]) -> isize {
    let g = |i: usize| a.get(i).copied().unwrap_or(0);
    // SAFETY: every caller passes arguments valid for `nr`, or deliberately invalid ones that
    // the kernel must reject without touching them.
    unsafe { syscall6(nr as usize, g(0), g(1), g(2), g(3), g(4), g(5)) as isize }
}

fn raw(nr: usize) -> isize {
    // SAFETY: no arguments are dereferenced for an unknown number.
    unsafe { syscall6(nr, 0, 0, 0, 0, 0, 0) as isize }
}

fn out(s: &[u8]) {
    sys(NR::Write, &[1, s.as_ptr() as usize, s.len()]);
}

fn out_num(mut v: usize) {
    let mut b = [0u8; 24];
    let mut i = b.len();
    loop {
        i -= 1;
        b[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out(&b[i..]);
}

fn out_inum(v: isize) {
    if v < 0 {
        out(b"-");
    }
    out_num(v.unsigned_abs());
}

fn check(name: &[u8], got: isize, want: isize) {
    CHECKS.fetch_add(1, Ordering::Relaxed);
    if got != want {
        FAILS.fetch_add(1, Ordering::Relaxed);
        out(b"FAIL ");
        out(name);
        out(b": got ");
        out_inum(got);
        out(b" want ");
        out_inum(want);
        out(b"\n");
    }
}

fn ok(name: &[u8], cond: bool) {
    check(name, cond as isize, 1);
}

fn e(errno: i32) -> isize {
    -(errno as isize)
}

// errno values (Linux numbering, as the table declares them)
const ENOENT: i32 = 2;
const EBADF: i32 = 9;
const EAGAIN: i32 = 11;
const EFAULT: i32 = 14;
const EEXIST: i32 = 17;
const ENOTDIR: i32 = 20;
const EISDIR: i32 = 21;
const EINVAL: i32 = 22;
const ESPIPE: i32 = 29;
const EPIPE: i32 = 32;
const ERANGE: i32 = 34;
const ENOSYS: i32 = 38;
const ENOTEMPTY: i32 = 39;
const ELOOP: i32 = 40;
const ENOTSUP: i32 = 95;
const ETIMEDOUT: i32 = 110;

extern "C" {
    static __kprivate_start: u8;
}

fn kernel_ptr() -> usize {
    // SAFETY: only the address of the linker symbol is taken.
    unsafe { &__kprivate_start as *const u8 as usize + 64 }
}

fn c(s: &[u8]) -> usize {
    s.as_ptr() as usize
}

fn alloc(size: usize) -> usize {
    let mut p: usize = 0;
    let r = sys(NR::AllocMem, &[&mut p as *mut usize as usize, size, 16]);
    if r != 0 {
        return 0;
    }
    p
}

fn now_ns() -> u64 {
    let mut ts = [0isize; 2];
    sys(NR::ClockGetTime, &[1, ts.as_mut_ptr() as usize]);
    ts[0] as u64 * 1_000_000_000 + ts[1] as u64
}

fn test_basics() {
    check(b"nop", sys(NR::Nop, &[]), 0);
    check(b"echo", sys(NR::Echo, &[12345]), 12345);
    check(b"echo negative", sys(NR::Echo, &[(-7isize) as usize]), -7);
    check(b"get_tid main", sys(NR::GetTid, &[]), 1);
    check(b"unknown nr", raw(NR::LastNR as usize), e(ENOSYS));
    check(b"unknown nr large", raw(100_000), e(ENOSYS));
    check(b"unknown nr max", raw(usize::MAX), e(ENOSYS));
    check(b"sched_yield", sys(NR::SchedYield, &[]), 0);
    check(b"get_sched_param", sys(NR::GetSchedParam, &[1]), 0);
    check(b"set_sched_param", sys(NR::SetSchedParam, &[1, 5]), 0);
    check(b"get_sched_param after set", sys(NR::GetSchedParam, &[1]), 5);
    check(b"get_sched_param ESRCH", sys(NR::GetSchedParam, &[999]), e(3));
    check(b"set_sched_param EINVAL", sys(NR::SetSchedParam, &[1, 1000]), e(EINVAL));
    // Calls answered by the table's declarations, not by kernel code.
    check(b"socket gated off", sys(NR::Socket, &[2, 1, 0]), e(ENOTSUP));
    let mut tid = 0usize;
    check(b"timer_create stub", sys(NR::TimerCreate, &[0, 0, &mut tid as *mut usize as usize]), e(ENOSYS));
    check(b"timer_create checks ptr first", sys(NR::TimerCreate, &[0, 0, 0]), e(EFAULT));
}

fn test_console() {
    let m = b"ktest: console ok\n";
    check(b"write stdout", sys(NR::Write, &[1, c(m), m.len()]), m.len() as isize);
    check(b"write zero", sys(NR::Write, &[1, c(m), 0]), 0);
    check(b"write bad fd", sys(NR::Write, &[77, c(m), 1]), e(EBADF));
    check(b"write negative fd", sys(NR::Write, &[(-1isize) as usize, c(m), 1]), e(EBADF));
    check(b"write stdin", sys(NR::Write, &[0, c(m), 1]), e(EBADF));
    check(b"write NULL", sys(NR::Write, &[1, 0, 1]), e(EFAULT));
    check(b"write kernel ptr", sys(NR::Write, &[1, kernel_ptr(), 4]), e(EFAULT));
    check(b"write wrapping", sys(NR::Write, &[1, usize::MAX - 2, 16]), e(EFAULT));
    let mut b = [0u8; 8];
    check(b"read stdout", sys(NR::Read, &[1, b.as_mut_ptr() as usize, 8]), e(EBADF));
    check(b"read into kernel", sys(NR::Read, &[0, kernel_ptr(), 8]), e(EFAULT));
    check(b"read into rodata", sys(NR::Read, &[0, c(m), 1]), e(EFAULT));
    check(b"lseek console", sys(NR::Lseek, &[1, 0, 0]), e(ESPIPE));
    let mut st = Stat::default();
    check(b"fstat stdout", sys(NR::FStat, &[1, &mut st as *mut Stat as usize]), 0);
    check(b"fstat stdout mode", (st.st_mode & S_IFMT) as isize, S_IFCHR as isize);
    check(b"ioctl ENOTTY", sys(NR::Ioctl, &[1, 0x5401, 0]), e(25));
    check(b"ioctl EBADF", sys(NR::Ioctl, &[55, 0x5401, 0]), e(EBADF));
}

fn test_memory() {
    let mut p: usize = 0;
    let pp = &mut p as *mut usize as usize;
    check(b"alloc", sys(NR::AllocMem, &[pp, 1000, 64]), 0);
    ok(b"alloc aligned", p != 0 && p % 64 == 0);
    // SAFETY: p is a fresh 1000-byte allocation.
    unsafe {
        for i in 0..1000 {
            *((p + i) as *mut u8) = i as u8;
        }
    }
    let q = alloc(4096);
    ok(b"alloc disjoint", q != 0 && (q >= p + 1000 || q + 4096 <= p));
    check(b"free", sys(NR::FreeMem, &[p]), 0);
    check(b"double free", sys(NR::FreeMem, &[p]), e(EINVAL));
    check(b"free garbage", sys(NR::FreeMem, &[q + 8]), e(EINVAL));
    check(b"free NULL", sys(NR::FreeMem, &[0]), 0);
    check(b"free q", sys(NR::FreeMem, &[q]), 0);
    check(b"alloc out ptr kernel", sys(NR::AllocMem, &[kernel_ptr(), 16, 8]), e(EFAULT));
    check(b"alloc out ptr NULL", sys(NR::AllocMem, &[0, 16, 8]), e(EFAULT));
    check(b"alloc bad align", sys(NR::AllocMem, &[pp, 16, 3]), e(EINVAL));
    check(b"alloc huge", sys(NR::AllocMem, &[pp, 1 << 29, 16]), e(12));
    check(b"alloc zero", sys(NR::AllocMem, &[pp, 0, 16]), e(EINVAL));
}

fn test_files() {
    let mut buf = [0u8; 256];
    let bp = buf.as_mut_ptr() as usize;
    check(b"mkdir", sys(NR::Mkdir, &[c(b"/d\0"), 0o755]), 0);
    check(b"mkdir exists", sys(NR::Mkdir, &[c(b"/d\0"), 0o755]), e(EEXIST));
    check(b"mkdir no parent", sys(NR::Mkdir, &[c(b"/x/y\0"), 0o755]), e(ENOENT));
    check(b"mkdir bad ptr", sys(NR::Mkdir, &[kernel_ptr(), 0o755]), e(EFAULT));
    let fd = sys(NR::Open, &[c(b"/d/f\0"), (O_CREAT | O_RDWR) as usize, 0o644]);
    ok(b"open creat", fd >= 3);
    let fd = fd as usize;
    check(b"write file", sys(NR::Write, &[fd, c(b"hello world"), 11]), 11);
    check(b"lseek set", sys(NR::Lseek, &[fd, 6, SEEK_SET as usize]), 6);
    check(b"read file", sys(NR::Read, &[fd, bp, 100]), 5);
    ok(b"read content", &buf[..5] == b"world");
    check(b"read eof", sys(NR::Read, &[fd, bp, 100]), 0);
    check(b"lseek end", sys(NR::Lseek, &[fd, (-5isize) as usize, SEEK_END as usize]), 6);
    check(b"lseek cur", sys(NR::Lseek, &[fd, 2, SEEK_CUR as usize]), 8);
    check(b"lseek negative", sys(NR::Lseek, &[fd, (-100isize) as usize, SEEK_SET as usize]), e(EINVAL));
    check(b"lseek whence", sys(NR::Lseek, &[fd, 0, 9]), e(EINVAL));
    check(b"lseek past end", sys(NR::Lseek, &[fd, 20, SEEK_SET as usize]), 20);
    check(b"write hole", sys(NR::Write, &[fd, c(b"!"), 1]), 1);
    let mut st = Stat::default();
    let sp = &mut st as *mut Stat as usize;
    check(b"fstat", sys(NR::FStat, &[fd, sp]), 0);
    check(b"fstat size", st.st_size as isize, 21);
    ok(b"fstat regular", st.st_mode & S_IFMT == S_IFREG);
    check(b"fstat bad ptr", sys(NR::FStat, &[fd, kernel_ptr()]), e(EFAULT));
    check(b"fstat bad fd", sys(NR::FStat, &[40, sp]), e(EBADF));
    check(b"ftruncate", sys(NR::Ftruncate, &[fd, 4]), 0);
    check(b"stat", sys(NR::Stat, &[c(b"/d/f\0"), sp]), 0);
    check(b"stat size", st.st_size as isize, 4);
    check(b"stat nlink", st.st_nlink as isize, 1);
    check(b"ftruncate negative", sys(NR::Ftruncate, &[fd, (-1isize) as usize]), e(EINVAL));
    check(b"stat missing", sys(NR::Stat, &[c(b"/d/nope\0"), sp]), e(ENOENT));
    check(b"stat through file", sys(NR::Stat, &[c(b"/d/f/x\0"), sp]), e(ENOTDIR));
    check(b"stat NULL path", sys(NR::Stat, &[0, sp]), e(EFAULT));
    // fcntl
    let fd2 = sys(NR::Fcntl, &[fd, F_DUPFD as usize, 10]);
    check(b"fcntl dupfd", fd2, 10);
    check(b"fcntl getfl", sys(NR::Fcntl, &[fd, F_GETFL as usize, 0]) & O_ACCMODE as isize, O_RDWR as isize);
    check(b"fcntl setfl append", sys(NR::Fcntl, &[fd, F_SETFL as usize, O_APPEND as usize]), 0);
    check(b"fcntl getfl append", sys(NR::Fcntl, &[fd2 as usize, F_GETFL as usize, 0]) & O_APPEND as isize, O_APPEND as isize);
    check(b"append write", sys(NR::Write, &[fd2 as usize, c(b"XY"), 2]), 2);
    check(b"dup shares offset", sys(NR::Lseek, &[fd, 0, SEEK_CUR as usize]), 6);
    check(b"fcntl setfd", sys(NR::Fcntl, &[fd, F_SETFD as usize, 1]), 0);
    check(b"fcntl getfd", sys(NR::Fcntl, &[fd, F_GETFD as usize, 0]), 1);
    check(b"fcntl bad cmd", sys(NR::Fcntl, &[fd, 999, 0]), e(EINVAL));
    check(b"fcntl bad fd", sys(NR::Fcntl, &[33, F_GETFL as usize, 0]), e(EBADF));
    check(b"close dup", sys(NR::Close, &[fd2 as usize]), 0);
    check(b"close twice", sys(NR::Close, &[fd2 as usize]), e(EBADF));
    check(b"close", sys(NR::Close, &[fd]), 0);
    // open errors
    check(b"open missing", sys(NR::Open, &[c(b"/nope\0"), O_RDONLY as usize, 0]), e(ENOENT));
    check(b"open excl", sys(NR::Open, &[c(b"/d/f\0"), (O_CREAT | O_EXCL | O_WRONLY) as usize, 0]), e(EEXIST));
    check(b"open dir for write", sys(NR::Open, &[c(b"/d\0"), O_WRONLY as usize, 0]), e(EISDIR));
    check(b"open file as dir", sys(NR::Open, &[c(b"/d/f\0"), (O_RDONLY | O_DIRECTORY) as usize, 0]), e(ENOTDIR));
    check(b"open bad ptr", sys(NR::Open, &[kernel_ptr(), 0, 0]), e(EFAULT));
    let ro = sys(NR::Open, &[c(b"/d/f\0"), O_RDONLY as usize, 0]) as usize;
    check(b"write readonly", sys(NR::Write, &[ro, c(b"a"), 1]), e(EBADF));
    check(b"ftruncate readonly", sys(NR::Ftruncate, &[ro, 0]), e(EINVAL));
    check(b"read back", sys(NR::Read, &[ro, bp, 100]), 6);
    ok(b"read back content", &buf[..6] == b"hellXY");
    sys(NR::Close, &[ro]);
    // link / rename / unlink
    check(b"link", sys(NR::Link, &[c(b"/d/f\0"), c(b"/d/g\0")]), 0);
    check(b"link exists", sys(NR::Link, &[c(b"/d/f\0"), c(b"/d/g\0")]), e(EEXIST));
    check(b"link dir", sys(NR::Link, &[c(b"/d\0"), c(b"/e\0")]), e(1));
    sys(NR::Stat, &[c(b"/d/g\0"), sp]);
    check(b"link nlink", st.st_nlink as isize, 2);
    check(b"rename", sys(NR::Rename, &[c(b"/d/g\0"), c(b"/h\0")]), 0);
    check(b"rename missing", sys(NR::Rename, &[c(b"/d/g\0"), c(b"/i\0")]), e(ENOENT));
    check(b"rename dir into itself", sys(NR::Rename, &[c(b"/d\0"), c(b"/d/sub\0")]), e(EINVAL));
    check(b"unlink", sys(NR::Unlink, &[c(b"/h\0")]), 0);
    check(b"unlink missing", sys(NR::Unlink, &[c(b"/h\0")]), e(ENOENT));
    check(b"unlink dir", sys(NR::Unlink, &[c(b"/d\0")]), e(EISDIR));
    // unlinked while open: data stays readable
    let fo = sys(NR::Open, &[c(b"/d/f\0"), O_RDONLY as usize, 0]) as usize;
    check(b"unlink open file", sys(NR::Unlink, &[c(b"/d/f\0")]), 0);
    check(b"read unlinked", sys(NR::Read, &[fo, bp, 4]), 4);
    check(b"close unlinked", sys(NR::Close, &[fo]), 0);
    // directories
    sys(NR::Mkdir, &[c(b"/d/s1\0"), 0o755]);
    let f = sys(NR::Open, &[c(b"/d/a.txt\0"), (O_CREAT | O_WRONLY) as usize, 0o644]);
    sys(NR::Close, &[f as usize]);
    check(b"rmdir not empty", sys(NR::Rmdir, &[c(b"/d\0")]), e(ENOTEMPTY));
    check(b"rmdir file", sys(NR::Rmdir, &[c(b"/d/a.txt\0")]), e(ENOTDIR));
    let dfd = sys(NR::Open, &[c(b"/d\0"), (O_RDONLY | O_DIRECTORY) as usize, 0]);
    ok(b"open dir", dfd >= 0);
    let mut names = 0;
    let mut seen_a = false;
    loop {
        let n = sys(NR::GetDents, &[dfd as usize, bp, buf.len()]);
        if n <= 0 {
            check(b"getdents end", n, 0);
            break;
        }
        let mut off = 0usize;
        while off < n as usize {
            let reclen = u16::from_ne_bytes([buf[off + 16], buf[off + 17]]) as usize;
            let name = &buf[off + DIRENT_HEADER..off + reclen];
            let len = name.iter().position(|&b| b == 0).unwrap_or(name.len());
            if &name[..len] == b"a.txt" {
                seen_a = buf[off + 18] == DT_REG;
            }
            names += 1;
            off += reclen;
        }
    }
    check(b"getdents count", names, 4); // . .. s1 a.txt
    ok(b"getdents a.txt", seen_a);
    check(b"getdents small buf", sys(NR::Lseek, &[dfd as usize, 0, 0]), 0);
    check(b"getdents too small", sys(NR::GetDents, &[dfd as usize, bp, 8]), e(EINVAL));
    check(b"getdents on file", sys(NR::GetDents, &[1, bp, 64]), e(ENOTDIR));
    check(b"read dir", sys(NR::Read, &[dfd as usize, bp, 4]), e(EISDIR));
    sys(NR::Close, &[dfd as usize]);
    // cwd
    check(b"chdir", sys(NR::Chdir, &[c(b"/d/s1\0")]), 0);
    check(b"getcwd", sys(NR::Getcwd, &[bp, buf.len()]), 6);
    ok(b"getcwd path", &buf[..6] == b"/d/s1\0");
    check(b"getcwd ERANGE", sys(NR::Getcwd, &[bp, 3]), e(ERANGE));
    check(b"relative create", sys(NR::Mkdir, &[c(b"../s2\0"), 0o755]), 0);
    check(b"rmdir cwd busy", sys(NR::Rmdir, &[c(b"/d/s1\0")]), e(16));
    check(b"chdir file", sys(NR::Chdir, &[c(b"/d/a.txt\0")]), e(ENOTDIR));
    check(b"chdir back", sys(NR::Chdir, &[c(b"/\0")]), 0);
    check(b"rename dir", sys(NR::Rename, &[c(b"/d/s2\0"), c(b"/s3\0")]), 0);
    check(b"rmdir", sys(NR::Rmdir, &[c(b"/s3\0")]), 0);
    check(b"rmdir s1", sys(NR::Rmdir, &[c(b"/d/s1\0")]), 0);
    check(b"unlink a", sys(NR::Unlink, &[c(b"/d/a.txt\0")]), 0);
    check(b"rmdir d", sys(NR::Rmdir, &[c(b"/d\0")]), 0);
    // symbolic links: relative targets from the link's directory, lstat/readlink do not follow
    check(b"mkdir l", sys(NR::Mkdir, &[c(b"/l\0"), 0o755]), 0);
    let f = sys(NR::Open, &[c(b"/l/t\0"), (O_CREAT | O_WRONLY) as usize, 0o644]);
    check(b"write target", sys(NR::Write, &[f as usize, c(b"abc"), 3]), 3);
    sys(NR::Close, &[f as usize]);
    check(b"symlink", sys(NR::Symlink, &[c(b"t\0"), c(b"/l/s\0")]), 0);
    check(b"symlink exists", sys(NR::Symlink, &[c(b"t\0"), c(b"/l/s\0")]), e(EEXIST));
    check(b"readlink", sys(NR::Readlink, &[c(b"/l/s\0"), bp, buf.len()]), 1);
    ok(b"readlink content", buf[0] == b't');
    check(b"readlink file", sys(NR::Readlink, &[c(b"/l/t\0"), bp, buf.len()]), e(EINVAL));
    check(b"lstat link", sys(NR::Lstat, &[c(b"/l/s\0"), sp]), 0);
    ok(b"lstat S_IFLNK", st.st_mode & S_IFMT == S_IFLNK && st.st_size == 1);
    check(b"stat through link", sys(NR::Stat, &[c(b"/l/s\0"), sp]), 0);
    ok(b"stat target", st.st_mode & S_IFMT == S_IFREG && st.st_size == 3);
    check(b"symlink dir", sys(NR::Symlink, &[c(b"/l\0"), c(b"/ld\0")]), 0);
    check(b"stat via dir link", sys(NR::Stat, &[c(b"/ld/s\0"), sp]), 0);
    check(b"rmdir link", sys(NR::Rmdir, &[c(b"/ld\0")]), e(ENOTDIR));
    sys(NR::Symlink, &[c(b"/l/c2\0"), c(b"/l/c1\0")]);
    sys(NR::Symlink, &[c(b"/l/c1\0"), c(b"/l/c2\0")]);
    check(b"symlink loop", sys(NR::Stat, &[c(b"/l/c1\0"), sp]), e(ELOOP));
    check(b"dangling", sys(NR::Symlink, &[c(b"nowhere\0"), c(b"/l/dg\0")]), 0);
    check(b"stat dangling", sys(NR::Stat, &[c(b"/l/dg\0"), sp]), e(ENOENT));
    check(b"open nofollow", sys(NR::Open, &[c(b"/l/s\0"), (O_RDONLY | O_NOFOLLOW) as usize, 0]), e(ELOOP));
    for n in [&b"/l/s\0"[..], b"/l/c1\0", b"/l/c2\0", b"/l/dg\0", b"/ld\0", b"/l/t\0"] {
        check(b"unlink link", sys(NR::Unlink, &[c(n)]), 0);
    }
    check(b"rmdir l", sys(NR::Rmdir, &[c(b"/l\0")]), 0);
    let mut sf = StatFs::default();
    check(b"statfs", sys(NR::Statfs, &[c(b"/\0"), &mut sf as *mut StatFs as usize]), 0);
    ok(b"statfs namelen", sf.f_namelen == 255);
    check(b"fstatfs", sys(NR::FStatfs, &[1, &mut sf as *mut StatFs as usize]), 0);
    check(b"statfs bad ptr", sys(NR::Statfs, &[c(b"/\0"), kernel_ptr()]), e(EFAULT));
    test_pipes();
}

/// Pipes and Dup3 from one thread (never blocking: O_NONBLOCK); the conformance program
/// pipe_dup covers blocking between threads.
fn test_pipes() {
    let mut buf = [0u8; 16];
    let bp = buf.as_mut_ptr() as usize;
    let mut fds = [0i32; 2];
    let fp = fds.as_mut_ptr() as usize;
    check(b"pipe2", sys(NR::Pipe2, &[fp, O_NONBLOCK as usize]), 0);
    let (r, w) = (fds[0] as usize, fds[1] as usize);
    check(b"pipe2 bad flags", sys(NR::Pipe2, &[fp, 1]), e(EINVAL));
    check(b"pipe2 bad ptr", sys(NR::Pipe2, &[kernel_ptr(), 0]), e(EFAULT));
    check(b"pipe empty", sys(NR::Read, &[r, bp, 16]), e(EAGAIN));
    check(b"ready empty", sys(NR::FdReady, &[r]), 0);
    check(b"ready writable", sys(NR::FdReady, &[w]), POLLOUT as isize);
    check(b"pipe write", sys(NR::Write, &[w, c(b"abc"), 3]), 3);
    check(b"ready data", sys(NR::FdReady, &[r]), POLLIN as isize);
    check(b"pipe read", sys(NR::Read, &[r, bp, 16]), 3);
    ok(b"pipe bytes", &buf[..3] == b"abc");
    check(b"pipe lseek", sys(NR::Lseek, &[r, 0, SEEK_CUR as usize]), e(ESPIPE));
    check(b"dup3 same", sys(NR::Dup3, &[w, w, 0]), e(EINVAL));
    check(b"dup3 bad", sys(NR::Dup3, &[40, 41, 0]), e(EBADF));
    check(b"dup3", sys(NR::Dup3, &[w, 40, O_CLOEXEC as usize]), 40);
    check(b"dup3 cloexec", sys(NR::Fcntl, &[40, F_GETFD as usize, 0]), 1);
    check(b"close writer", sys(NR::Close, &[w]), 0);
    check(b"write via dup", sys(NR::Write, &[40, c(b"z"), 1]), 1);
    check(b"close last writer", sys(NR::Close, &[40]), 0);
    check(b"data before eof", sys(NR::Read, &[r, bp, 16]), 1);
    check(b"pipe eof", sys(NR::Read, &[r, bp, 16]), 0);
    check(b"ready hup", sys(NR::FdReady, &[r]), POLLHUP as isize);
    check(b"close reader", sys(NR::Close, &[r]), 0);
    check(b"pipe2 again", sys(NR::Pipe2, &[fp, 0]), 0);
    check(b"close reader 2", sys(NR::Close, &[fds[0] as usize]), 0);
    check(b"write no reader", sys(NR::Write, &[fds[1] as usize, c(b"x"), 1]), e(EPIPE));
    check(b"ready no reader", sys(NR::FdReady, &[fds[1] as usize]), (POLLOUT | POLLERR) as isize);
    check(b"close writer 2", sys(NR::Close, &[fds[1] as usize]), 0);
    check(b"ready closed", sys(NR::FdReady, &[fds[1] as usize]), e(EBADF));
}

fn test_time() {
    let mut ts = [0isize; 2];
    let tp = ts.as_mut_ptr() as usize;
    check(b"clock_gettime", sys(NR::ClockGetTime, &[1, tp]), 0);
    check(b"clock_gettime bad clock", sys(NR::ClockGetTime, &[99, tp]), e(EINVAL));
    check(b"clock_gettime bad ptr", sys(NR::ClockGetTime, &[1, kernel_ptr()]), e(EFAULT));
    let t0 = now_ns();
    let req = [0isize, 30_000_000];
    check(b"nanosleep", sys(NR::ClockNanoSleep, &[1, 0, req.as_ptr() as usize, 0]), 0);
    let dt = now_ns() - t0;
    ok(b"slept 30ms", dt >= 30_000_000);
    ok(b"slept < 1s", dt < 1_000_000_000);
    let bad = [0isize, 2_000_000_000];
    check(b"nanosleep EINVAL", sys(NR::ClockNanoSleep, &[1, 0, bad.as_ptr() as usize, 0]), e(EINVAL));
    check(b"nanosleep EFAULT", sys(NR::ClockNanoSleep, &[1, 0, kernel_ptr(), 0]), e(EFAULT));
    let past = [0isize, 1];
    check(b"nanosleep abs past", sys(NR::ClockNanoSleep, &[1, TIMER_ABSTIME as usize, past.as_ptr() as usize, 0]), 0);
    let t1 = now_ns();
    ok(b"monotonic", t1 >= t0);
}

// ---- threads ----

static LOCK: AtomicUsize = AtomicUsize::new(0);
static COUNTER: AtomicUsize = AtomicUsize::new(0);
static DONE: AtomicUsize = AtomicUsize::new(0);
static SPIN_FLAG: AtomicUsize = AtomicUsize::new(0);
static SEEN_TIDS: AtomicUsize = AtomicUsize::new(0);
const WORKERS: usize = 3;
const ITERS: usize = 300;

fn lock() {
    while LOCK.swap(1, Ordering::Acquire) != 0 {
        sys(NR::AtomicWait, &[&LOCK as *const AtomicUsize as usize, 1, 0]);
    }
}

fn unlock() {
    LOCK.store(0, Ordering::Release);
    let mut n: usize = 1;
    sys(NR::AtomicWake, &[&LOCK as *const AtomicUsize as usize, &mut n as *mut usize as usize]);
}

extern "C" fn worker(arg: usize) {
    let tid = sys(NR::GetTid, &[]) as usize;
    SEEN_TIDS.fetch_or(1 << (tid & 31), Ordering::Relaxed);
    for _ in 0..ITERS {
        lock();
        // A non-atomic read-modify-write with a busy gap: only the lock keeps it exact even when
        // the timer preempts inside the critical section.
        let v = COUNTER.load(Ordering::Relaxed);
        let mut x = 0usize;
        for k in 0..200 {
            x = x.wrapping_add(k ^ arg);
            // SAFETY: reading a local; volatile keeps the busy loop.
            unsafe { core::ptr::read_volatile(&x) };
        }
        COUNTER.store(v + 1, Ordering::Relaxed);
        unlock();
    }
    DONE.fetch_add(1, Ordering::Release);
    let mut n: usize = usize::MAX;
    sys(NR::AtomicWake, &[&DONE as *const AtomicUsize as usize, &mut n as *mut usize as usize]);
    // return: the kernel's trampoline ends the thread
}

/// Never yields: only preemption lets the main thread run again and set the flag.
extern "C" fn spinner(_arg: usize) {
    while SPIN_FLAG.load(Ordering::Acquire) == 0 {
        core::hint::spin_loop();
    }
    SPIN_FLAG.store(2, Ordering::Release);
    sys(NR::ExitThread, &[]);
}

fn spawn(entry: extern "C" fn(usize), arg: usize, stack: usize) -> isize {
    let sp = alloc(stack);
    let a = [0usize, sp, stack, entry as usize, arg, 0]; // SpawnArgs
    sys(NR::CreateThread, &[a.as_ptr() as usize])
}

fn test_threads() {
    // error paths
    check(b"create NULL", sys(NR::CreateThread, &[0]), e(EFAULT));
    check(b"create kernel ptr", sys(NR::CreateThread, &[kernel_ptr()]), e(EFAULT));
    let sp = alloc(4096);
    let bad_entry = [0usize, sp, 4096, sp, 0, 0];
    check(b"create entry not code", sys(NR::CreateThread, &[bad_entry.as_ptr() as usize]), e(EINVAL));
    let bad_stack = [0usize, kernel_ptr(), 4096, worker as usize, 0, 0];
    check(b"create stack kernel", sys(NR::CreateThread, &[bad_stack.as_ptr() as usize]), e(EFAULT));
    // futex basics
    let word = AtomicUsize::new(5);
    let wp = &word as *const AtomicUsize as usize;
    check(b"wait value differs", sys(NR::AtomicWait, &[wp, 4, 0]), e(EAGAIN));
    let to = [0isize, 20_000_000];
    let t0 = now_ns();
    check(b"wait timeout", sys(NR::AtomicWait, &[wp, 5, to.as_ptr() as usize]), e(ETIMEDOUT));
    ok(b"wait timeout elapsed", now_ns() - t0 >= 20_000_000);
    let badto = [0isize, -1];
    check(b"wait bad timeout", sys(NR::AtomicWait, &[wp, 5, badto.as_ptr() as usize]), e(EINVAL));
    check(b"wait unaligned", sys(NR::AtomicWait, &[wp + 1, 5, 0]), e(EINVAL));
    check(b"wait kernel addr", sys(NR::AtomicWait, &[kernel_ptr(), 0, 0]), e(EFAULT));
    let mut n: usize = 3;
    check(b"wake nobody", sys(NR::AtomicWake, &[wp, &mut n as *mut usize as usize]), 0);
    check(b"wake count out", n as isize, 0);
    check(b"wake bad count ptr", sys(NR::AtomicWake, &[wp, kernel_ptr()]), e(EFAULT));
    // preemption: a thread that never yields
    let t = spawn(spinner, 0, 4096);
    ok(b"spawn spinner", t > 1);
    sys(NR::SchedYield, &[]); // let it start spinning
    SPIN_FLAG.store(1, Ordering::Release);
    let t0 = now_ns();
    while SPIN_FLAG.load(Ordering::Acquire) != 2 && now_ns() - t0 < 2_000_000_000 {
        sys(NR::SchedYield, &[]);
    }
    check(b"preempted spinner finished", SPIN_FLAG.load(Ordering::Acquire) as isize, 2);
    // workers contend for a futex lock under preemption
    for i in 0..WORKERS {
        ok(b"spawn worker", spawn(worker, i, 8192) > 1);
    }
    loop {
        let d = DONE.load(Ordering::Acquire);
        if d == WORKERS {
            break;
        }
        sys(NR::AtomicWait, &[&DONE as *const AtomicUsize as usize, d, 0]);
    }
    check(b"futex counter", COUNTER.load(Ordering::Relaxed) as isize, (WORKERS * ITERS) as isize);
    ok(b"workers had distinct tids", SEEN_TIDS.load(Ordering::Relaxed).count_ones() as usize == WORKERS);
}

// ---- floating point under preemption ----

static FP_RESULT: [AtomicUsize; 2] = [AtomicUsize::new(0), AtomicUsize::new(0)];
static FP_DONE: AtomicUsize = AtomicUsize::new(0);
// Cortex-M3 has no FPU (and this runtime no soft-float helpers): the FP test runs on the others.
// Long enough that the 20 ms the check below asks for hold on a loaded host too (300,000 gave
// under 20 ms there now and then: ticks come late, and the threads finish in fewer of them).
const FP_ITERS: usize = 1_000_000;

/// Long enough to be preempted many times; keeps its state in FP registers.
#[cfg(not(target_arch = "arm"))]
fn fp_work(seed: f64) -> u64 {
    let (mut a, mut b, mut acc) = (seed, 1.0 / seed, 0.0f64);
    for i in 0..FP_ITERS {
        // SAFETY: volatile read of a local (keeps the loop from being folded).
        let x = unsafe { core::ptr::read_volatile(&i) } as f64;
        a = a * 1.000_001 + x * 1e-9;
        b = b * 0.999_999 - 1e-9;
        acc += a * b;
    }
    acc.to_bits()
}

static TP_KEPT: AtomicUsize = AtomicUsize::new(0);

/// The thread-pointer register a C runtime uses for TLS (errno, pthread_self).
#[cfg(target_arch = "aarch64")]
fn set_tp(v: usize) {
    // SAFETY: EL0 may write its own thread pointer.
    unsafe { core::arch::asm!("msr tpidr_el0, {}", in(reg) v) };
}
#[cfg(target_arch = "aarch64")]
fn get_tp() -> usize {
    let v: usize;
    // SAFETY: reading the thread pointer.
    unsafe { core::arch::asm!("mrs {}, tpidr_el0", out(reg) v) };
    v
}
#[cfg(target_arch = "riscv64")]
fn set_tp(v: usize) {
    // SAFETY: tp is this thread's to use (Rust code here does not use TLS).
    unsafe { core::arch::asm!("mv tp, {}", in(reg) v) };
}
#[cfg(target_arch = "riscv64")]
fn get_tp() -> usize {
    let v: usize;
    // SAFETY: reading tp.
    unsafe { core::arch::asm!("mv {}, tp", out(reg) v) };
    v
}

#[cfg(not(target_arch = "arm"))]
extern "C" fn fp_thread(i: usize) {
    set_tp(0x7000 + i * 16);
    let r = fp_work(3.0 + i as f64 * 4.0);
    if get_tp() == 0x7000 + i * 16 {
        TP_KEPT.fetch_add(1, Ordering::Relaxed);
    }
    FP_RESULT[i].store(r as usize, Ordering::Release);
    FP_DONE.fetch_add(1, Ordering::Release);
    let mut n: usize = usize::MAX;
    sys(NR::AtomicWake, &[&FP_DONE as *const AtomicUsize as usize, &mut n as *mut usize as usize]);
}

#[cfg(target_arch = "arm")]
fn test_fp_threads() {}

#[cfg(not(target_arch = "arm"))]
fn test_fp_threads() {
    let want = [fp_work(3.0) as usize, fp_work(7.0) as usize];
    let sw0 = now_ns();
    for i in 0..2 {
        ok(b"spawn fp thread", spawn(fp_thread, i, 8192) > 1);
    }
    loop {
        let d = FP_DONE.load(Ordering::Acquire);
        if d == 2 {
            break;
        }
        sys(NR::AtomicWait, &[&FP_DONE as *const AtomicUsize as usize, d, 0]);
    }
    ok(b"fp thread 0 exact", FP_RESULT[0].load(Ordering::Acquire) == want[0]);
    ok(b"fp thread 1 exact", FP_RESULT[1].load(Ordering::Acquire) == want[1]);
    ok(b"fp threads ran long enough to be preempted", now_ns() - sw0 > 20_000_000);
    check(b"thread pointer kept per thread", TP_KEPT.load(Ordering::Relaxed) as isize, 2);
}

fn arg_is(argc: isize, argv: *const *const u8, i: isize, want: &[u8]) -> bool {
    if i >= argc {
        return false;
    }
    // SAFETY: the kernel gives argc valid NUL-terminated strings.
    unsafe {
        let p = *argv.offset(i);
        let mut k = 0;
        while *p.add(k) != 0 {
            if k >= want.len() || *p.add(k) != want[k] {
                return false;
            }
            k += 1;
        }
        k == want.len()
    }
}

fn test_files_from_host(argc: isize, argv: *const *const u8, envp: *const *const u8) {
    let mut buf = [0u8; 128];
    let fd = sys(NR::Open, &[c(b"/in/data.txt\0"), O_RDONLY as usize, 0]);
    ok(b"initial file present", fd >= 0);
    let n = sys(NR::Read, &[fd as usize, buf.as_mut_ptr() as usize, buf.len()]);
    ok(b"initial file content", n == 14 && &buf[..14] == b"from the host\n");
    sys(NR::Close, &[fd as usize]);
    let n = sys(NR::Read, &[0, buf.as_mut_ptr() as usize, buf.len()]);
    ok(b"stdin content", n == 6 && &buf[..6] == b"input\n");
    check(b"stdin eof", sys(NR::Read, &[0, buf.as_mut_ptr() as usize, buf.len()]), 0);
    ok(b"argv[2]", arg_is(argc, argv, 2, b"two words"));
    // SAFETY: envp is a NULL-terminated vector from the kernel.
    let env0 = unsafe { *envp };
    ok(b"env present", !env0.is_null());
    sys(NR::Mkdir, &[c(b"/out\0"), 0o755]);
    let fd = sys(NR::Open, &[c(b"/out/report.txt\0"), (O_CREAT | O_WRONLY | O_TRUNC) as usize, 0o644]);
    sys(NR::Write, &[fd as usize, c(b"argc="), 5]);
    let d = [b'0' + argc as u8, b'\n'];
    sys(NR::Write, &[fd as usize, d.as_ptr() as usize, 2]);
    sys(NR::Close, &[fd as usize]);
    check(b"unlink initial", sys(NR::Unlink, &[c(b"/in/gone.txt\0")]), 0);
}

#[no_mangle]
pub extern "C" fn app_main(argc: isize, argv: *const *const u8, envp: *const *const u8) -> i32 {
    if arg_is(argc, argv, 1, b"exit42") {
        return 42;
    }
    if arg_is(argc, argv, 1, b"fault") {
        // SAFETY: deliberately an undefined instruction: the kernel must end the run with a fault.
        #[cfg(not(target_arch = "riscv64"))]
        unsafe { core::arch::asm!("udf #0") };
        // SAFETY: as above.
        #[cfg(target_arch = "riscv64")]
        unsafe { core::arch::asm!("unimp") };
        return 1;
    }
    if arg_is(argc, argv, 1, b"hang") {
        loop {
            core::hint::spin_loop();
        }
    }
    if arg_is(argc, argv, 1, b"deadlock") {
        let w = AtomicUsize::new(0);
        sys(NR::AtomicWait, &[&w as *const AtomicUsize as usize, 0, 0]);
        return 1;
    }
    if arg_is(argc, argv, 1, b"files") {
        test_files_from_host(argc, argv, envp);
    }
    test_basics();
    test_console();
    test_memory();
    test_files();
    test_time();
    test_threads();
    test_fp_threads();
    out(b"ktest: ");
    out_num(CHECKS.load(Ordering::Relaxed));
    out(b" checks, ");
    out_num(FAILS.load(Ordering::Relaxed));
    out(b" failed\n");
    FAILS.load(Ordering::Relaxed) as i32
}

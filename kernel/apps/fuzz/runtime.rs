//! Runtime of the generated fuzz app (the per-call argument generators are generated from the
//! syscall table by porter/kernel/fuzzgen.py). Arguments are random but well-typed: scalars from
//! interesting values, pointers into an arena with room for what the table says the kernel may
//! touch, lengths that fit, paths from a small namespace. Some pointers are deliberately bad
//! (NULL where not nullable, kernel memory, past the end of memory, read-only for out-params);
//! an implemented call given one must fail. Blocking calls always get short timeouts.
//!
//! At the end a short functional test proves the kernel still works; the kernel's own self-check
//! runs at exit. Exit status: the number of violations.
use core::sync::atomic::{AtomicUsize, Ordering};

use crate::bk_syscall::{is_error, syscall6, NR};

pub const ARENA: usize = 64 * 1024;
const CONSOLE: usize = 60;
const MAX_ALLOCS: usize = 64;

#[repr(C, align(16))]
pub struct Arena(pub [u8; ARENA]);
pub static mut ARENA_MEM: Arena = Arena([0; ARENA]);

pub struct Call {
    pub nr: usize,
    pub name: &'static str,
    pub implemented: bool,
    pub weight: u32,
    pub gen: fn(&mut Fz, &mut [usize; 6]),
}

pub struct Fz {
    state: u64,
    pub bad: bool,
    allocs: [usize; MAX_ALLOCS],
    nallocs: usize,
    threads: usize,
    last_alloc_out: usize,
}

extern "C" {
    static __kprivate_start: u8;
}

static THREAD_RUNS: AtomicUsize = AtomicUsize::new(0);

const PATHS: &[&[u8]] = &[
    b"/\0", b"/a\0", b"/b\0", b"/a/x\0", b"/a/y\0", b"/b/z\0", b"a\0", b"x\0", b"..\0", b".\0",
    b"/a/..\0", b"\0", b"/nope/q\0", b"/a/x/\0", b"//a//y\0", b"/b/z/w\0", b"/c\0", b"/a/c\0",
];

fn arena() -> usize {
    // SAFETY: only the address is taken; the arena is written by the kernel on our behalf.
    unsafe { core::ptr::addr_of_mut!(ARENA_MEM) as usize }
}

impl Fz {
    pub fn new(seed: u64) -> Self {
        Fz { state: seed | 1, bad: false, allocs: [0; MAX_ALLOCS], nallocs: 0, threads: 0,
             last_alloc_out: 0 }
    }

    pub fn next(&mut self) -> u64 {
        // xorshift64*
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }

    pub fn int(&mut self) -> usize {
        match self.below(10) {
            0 => 0,
            1 => 1,
            2 => usize::MAX, // -1
            3 => self.below(64) as usize,
            4 => self.next() as u32 as usize,
            5 => self.next() as usize,
            6 => i32::MAX as usize,
            7 => 1 << (self.below(usize::BITS as u64 - 1)),
            8 => (self.below(4096) as usize).wrapping_neg(),
            _ => self.below(8) as usize,
        }
    }

    pub fn fd(&mut self) -> usize {
        let v = match self.below(12) {
            0 => usize::MAX,
            1 => 1000,
            2 => 64,
            3 => self.next() as usize,
            _ => self.below(16) as usize,
        };
        if v == CONSOLE { 3 } else { v }
    }

    pub fn flags(&mut self) -> usize {
        // O_ACCMODE bits, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_NONBLOCK, O_DIRECTORY, O_CLOEXEC
        const BITS: [usize; 8] = [0o100, 0o200, 0o1000, 0o2000, 0o4000, 0o200000, 0o2000000, 0o10];
        let mut v = self.below(4) as usize;
        for b in BITS {
            if self.one_in(3) {
                v |= b;
            }
        }
        if self.one_in(20) { self.int() } else { v }
    }

    pub fn small(&mut self) -> usize {
        if self.one_in(10) { self.int() } else { self.below(8) as usize }
    }

    pub fn mode(&mut self) -> usize {
        if self.one_in(10) { self.int() } else { 0o644 }
    }

    /// A length for `elem`-byte elements that fits the arena.
    pub fn len(&mut self, elem: usize) -> usize {
        let max = ARENA / 2 / elem.max(1);
        match self.below(8) {
            0 => 0,
            1 => max,
            2 => self.below(max as u64 + 1) as usize,
            _ => self.below(64) as usize,
        }
    }

    /// A pointer with `room` bytes behind it, or (rarely) a bad one.
    pub fn ptr(&mut self, write: bool, nullable: bool, room: usize) -> usize {
        match self.below(24) {
            0 => {
                if !nullable {
                    self.bad = true;
                }
                0
            }
            1 => {
                self.bad = true;
                // SAFETY: only the address of the linker symbol is taken.
                unsafe { &__kprivate_start as *const u8 as usize + self.below(4096) as usize * 8 }
            }
            2 => {
                self.bad = true;
                usize::MAX - self.below(64) as usize
            }
            3 if write => {
                self.bad = true;
                PATHS[0].as_ptr() as usize // image rodata: readable, not writable
            }
            _ => {
                let room = room.min(ARENA);
                let mut off = self.below((ARENA - room) as u64 + 1) as usize;
                if !self.one_in(8) {
                    off &= !15;
                }
                arena() + off
            }
        }
    }

    pub fn path(&mut self, nullable: bool) -> usize {
        match self.below(20) {
            0 => self.ptr(false, nullable, 1),
            1 => {
                // a long name: ENAMETOOLONG territory (arena bytes up to a NUL we place)
                let a = arena() + ARENA - 2048;
                for i in 0..1500 {
                    // SAFETY: inside the arena.
                    unsafe { *((a + i) as *mut u8) = b'n' };
                }
                // SAFETY: inside the arena.
                unsafe { *((a + 1500) as *mut u8) = 0 };
                a
            }
            _ => PATHS[self.below(PATHS.len() as u64) as usize].as_ptr() as usize,
        }
    }

    /// A pointer the app got from AllocMem, or garbage.
    pub fn addr(&mut self) -> usize {
        if self.nallocs > 0 && !self.one_in(4) {
            let i = self.below(self.nallocs as u64) as usize;
            let a = self.allocs[i];
            self.allocs[i] = self.allocs[self.nallocs - 1];
            self.nallocs -= 1;
            return a;
        }
        match self.below(3) {
            0 => 0,
            1 => arena() + 16,
            _ => self.int(),
        }
    }

    pub fn alloc_out(&mut self) -> usize {
        let p = self.ptr(true, false, core::mem::size_of::<usize>());
        self.last_alloc_out = p;
        p
    }

    pub fn alloc_size(&mut self) -> usize {
        match self.below(6) {
            0 => 0,
            1 => self.int(),
            _ => self.below(8192) as usize + 1,
        }
    }

    pub fn align(&mut self) -> usize {
        match self.below(6) {
            0 => self.int(),
            _ => 1 << self.below(8),
        }
    }

    /// A relative time that never blocks long: zero, tiny, or malformed.
    pub fn timeout(&mut self, nullable: bool) -> usize {
        let t = arena() + ARENA - 64;
        let (sec, nsec): (isize, isize) = match self.below(40) {
            0 => (0, 1_000),            // blocks until the next tick
            1 => (0, 2_000_000_000),    // EINVAL
            2 => (-1, 0),               // EINVAL
            3 => {
                // a bad pointer (never arena bytes: they could mean a long sleep)
                self.bad = !nullable || !self.one_in(2);
                // SAFETY: only the address of the linker symbol is taken.
                return if self.bad { unsafe { &__kprivate_start as *const u8 as usize } } else { 0 };
            }
            _ => (0, 0),
        };
        // SAFETY: the last 64 bytes of the arena hold the timespec.
        unsafe {
            *(t as *mut isize) = sec;
            *((t + core::mem::size_of::<isize>()) as *mut isize) = nsec;
        }
        t
    }

    pub fn futex_addr(&mut self) -> usize {
        if self.one_in(10) {
            return self.ptr(false, false, 8);
        }
        arena() + (self.below(64) as usize) * 8
    }

    pub fn futex_val(&mut self, addr: usize) -> usize {
        if addr >= arena() && addr < arena() + ARENA - 8 && self.one_in(16) {
            // SAFETY: inside the arena: the current value, so the wait blocks (with a timeout).
            unsafe { core::ptr::read_volatile(addr as *const usize) }
        } else {
            self.int()
        }
    }

    /// A SpawnArgs block: mostly a real short-lived thread, sometimes a malformed one.
    pub fn spawn_args(&mut self) -> usize {
        let blk = arena() + ARENA - 256;
        let mut a = [0usize, 0, 2048, fuzz_thread as usize, 0, 0];
        if self.threads < 200 && !self.one_in(4) {
            let mut p = 0usize;
            // SAFETY: valid out-pointer; the stack is never freed (threads may still run).
            let r = unsafe { syscall6(NR::AllocMem as usize, &mut p as *mut usize as usize, 2048, 16, 0, 0, 0) };
            if r == 0 {
                a[1] = p;
                self.threads += 1;
            }
        }
        match self.below(8) {
            0 => a[3] = arena(),      // not code: EINVAL
            1 => a[2] = 16,           // stack too small: EINVAL
            2 => a[1] = 0,            // no stack: EFAULT
            _ => {}
        }
        if a[1] == 0 {
            // SAFETY: only the address of the linker symbol is taken.
            a[1] = unsafe { &__kprivate_start as *const u8 as usize };
            self.bad = true;
        }
        // SAFETY: the block lives in the arena.
        unsafe { core::ptr::copy_nonoverlapping(a.as_ptr(), blk as *mut usize, 6) };
        if self.one_in(16) { self.ptr(false, false, 48) } else { blk }
    }

    fn after(&mut self, nr: usize, args: &[usize; 6], ret: usize) {
        if nr == NR::AllocMem as usize && ret == 0 && self.last_alloc_out == args[0] {
            // SAFETY: the kernel wrote the block's address at args[0], inside the arena.
            let p = unsafe { (args[0] as *const usize).read_unaligned() };
            if self.nallocs < MAX_ALLOCS {
                self.allocs[self.nallocs] = p;
                self.nallocs += 1;
            } else {
                // SAFETY: plain FreeMem of a block we own.
                unsafe { syscall6(NR::FreeMem as usize, p, 0, 0, 0, 0, 0) };
            }
        }
    }
}

extern "C" fn fuzz_thread(_arg: usize) {
    THREAD_RUNS.fetch_add(1, Ordering::Relaxed);
    // SAFETY: no arguments.
    unsafe { syscall6(NR::SchedYield as usize, 0, 0, 0, 0, 0, 0) };
}

fn con(s: &[u8]) {
    // SAFETY: a readable buffer.
    unsafe { syscall6(NR::Write as usize, CONSOLE, s.as_ptr() as usize, s.len(), 0, 0, 0) };
}

fn con_num(mut v: usize) {
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
    con(&b[i..]);
}

fn word_arg(argc: isize, argv: *const *const u8, i: isize) -> Option<u64> {
    if i >= argc {
        return None;
    }
    let mut v: u64 = 0;
    // SAFETY: argv[i] is a NUL-terminated string from the kernel.
    unsafe {
        let p = *argv.offset(i);
        let mut k = 0;
        while *p.add(k) != 0 {
            let d = *p.add(k);
            if !d.is_ascii_digit() {
                return None;
            }
            v = v.wrapping_mul(10).wrapping_add((d - b'0') as u64);
            k += 1;
        }
    }
    Some(v)
}

/// After fuzzing: the kernel still does the basics right.
fn sanity() -> usize {
    let mut fails = 0;
    let s = |nr: NR, a: [usize; 3]| {
        // SAFETY: well-formed arguments below.
        unsafe { syscall6(nr as usize, a[0], a[1], a[2], 0, 0, 0) as isize }
    };
    s(NR::Chdir, [b"/\0".as_ptr() as usize, 0, 0]);
    s(NR::Mkdir, [b"/zz\0".as_ptr() as usize, 0o755, 0]);
    let fd = s(NR::Open, [b"/zz/check\0".as_ptr() as usize, 0o1102, 0o644]); // O_CREAT|O_TRUNC|O_RDWR
    if fd < 0 {
        // The file system may be full after fuzzing: that is a legitimate answer.
        if fd != -28 && fd != -24 {
            fails += 1;
        }
    } else {
        let fd = fd as usize;
        let w = s(NR::Write, [fd, b"sane".as_ptr() as usize, 4]);
        s(NR::Lseek, [fd, 0, 0]);
        let mut b = [0u8; 4];
        let r = s(NR::Read, [fd, b.as_mut_ptr() as usize, 4]);
        if w == 4 && (r != 4 || &b != b"sane") {
            fails += 1;
        }
        s(NR::Close, [fd, 0, 0]);
    }
    // SAFETY: no arguments.
    if unsafe { syscall6(NR::Echo as usize, 77, 0, 0, 0, 0, 0) } != 77 {
        fails += 1;
    }
    fails
}

pub fn run(argc: isize, argv: *const *const u8, calls: &[Call]) -> i32 {
    let iters = word_arg(argc, argv, 1).unwrap_or(100_000) as usize;
    let seed = word_arg(argc, argv, 2).unwrap_or(0x5eed_1234);
    // Keep the console out of reach: save it at fd 60, close 1 and 2.
    // SAFETY: plain descriptor calls.
    unsafe {
        syscall6(NR::Fcntl as usize, 1, 0 /* F_DUPFD */, CONSOLE, 0, 0, 0);
        syscall6(NR::Close as usize, 1, 0, 0, 0, 0, 0);
        syscall6(NR::Close as usize, 2, 0, 0, 0, 0, 0);
    }
    let total: u64 = calls.iter().map(|c| c.weight as u64).sum();
    let mut f = Fz::new(seed);
    let (mut violations, mut errors, mut bad_calls) = (0usize, 0usize, 0usize);
    for _ in 0..iters {
        let mut args = [0usize; 6];
        f.bad = false;
        let (nr, implemented, name) = if f.one_in(64) {
            let nr = NR::LastNR as usize + f.below(1 << 20) as usize;
            (nr, false, "unknown")
        } else {
            let mut pick = f.below(total);
            let mut idx = 0;
            while pick >= calls[idx].weight as u64 {
                pick -= calls[idx].weight as u64;
                idx += 1;
            }
            let c = &calls[idx];
            (c.gen)(&mut f, &mut args);
            (c.nr, c.implemented, c.name)
        };
        // SAFETY: arguments are well-typed for `nr` (or deliberately bad, which the kernel
        // must reject); every pointer either has room in the arena or is one the kernel refuses.
        let ret = unsafe { syscall6(nr, args[0], args[1], args[2], args[3], args[4], args[5]) };
        if is_error(ret) {
            errors += 1;
        }
        let wrong = if name == "unknown" {
            ret != (-38isize) as usize
        } else {
            f.bad && implemented && !is_error(ret)
        };
        if f.bad {
            bad_calls += 1;
        }
        if wrong {
            violations += 1;
            if violations <= 10 {
                con(b"fuzz: VIOLATION ");
                con(name.as_bytes());
                con(b" ret=");
                con_num(ret);
                con(b"\n");
            }
        }
        f.after(nr, &args, ret);
    }
    let sane = sanity();
    con(b"fuzz: ");
    con_num(iters);
    con(b" calls, ");
    con_num(errors);
    con(b" errors, ");
    con_num(bad_calls);
    con(b" with bad pointers, ");
    con_num(f.threads);
    con(b" threads (");
    con_num(THREAD_RUNS.load(Ordering::Relaxed));
    con(b" ran), ");
    con_num(violations);
    con(b" violations, sanity ");
    con(if sane == 0 { b"ok\n" } else { b"FAILED\n" });
    (violations + sane) as i32
}

//! bench: syscall round-trip cost. Run under QEMU `-icount shift=0`, where the virtual clock
//! advances 1 ns per guest instruction, so the CLOCK_MONOTONIC time of N calls is N calls'
//! instruction count. Prints `bench <name> <ns> <calls>` lines; an empty loop is the baseline.
use crate::bk_syscall::{syscall6, NR};

const N: usize = 20_000;

fn now() -> u64 {
    let mut ts = [0isize; 2];
    // SAFETY: ts is a writable timespec.
    unsafe { syscall6(NR::ClockGetTime as usize, 1, ts.as_mut_ptr() as usize, 0, 0, 0, 0) };
    ts[0] as u64 * 1_000_000_000 + ts[1] as u64
}

fn out(s: &[u8]) {
    // SAFETY: a readable buffer.
    unsafe { syscall6(NR::Write as usize, 1, s.as_ptr() as usize, s.len(), 0, 0, 0) };
}

fn num(mut v: u64) {
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

fn report(name: &[u8], ns: u64) {
    out(b"bench ");
    out(name);
    out(b" ");
    num(ns);
    out(b" ");
    num(N as u64);
    out(b"\n");
}

fn measure(name: &[u8], nr: usize, a: [usize; 3]) {
    let t0 = now();
    for _ in 0..N {
        // SAFETY: arguments valid for `nr` (see callers).
        unsafe { syscall6(opaque(nr), a[0], a[1], a[2], 0, 0, 0) };
    }
    report(name, now() - t0);
}

/// Keep the loop from being folded (volatile read of the value).
fn opaque(v: usize) -> usize {
    // SAFETY: reading a local through a volatile pointer.
    unsafe { ::core::ptr::read_volatile(&v) }
}

#[no_mangle]
pub extern "C" fn app_main(_argc: isize, _argv: *const *const u8, _envp: *const *const u8) -> i32 {
    let t0 = now();
    for i in 0..N {
        opaque(i);
    }
    report(b"empty_loop", now() - t0);
    measure(b"nop", NR::Nop as usize, [0, 0, 0]);
    measure(b"echo", NR::Echo as usize, [7, 0, 0]);
    measure(b"get_tid", NR::GetTid as usize, [0, 0, 0]);
    measure(b"write_len0", NR::Write as usize, [1, b"x".as_ptr() as usize, 0]);
    measure(b"bad_nr", NR::LastNR as usize + 1, [0, 0, 0]);
    let mut ts = [0isize; 2];
    measure(b"clock_gettime", NR::ClockGetTime as usize, [1, ts.as_mut_ptr() as usize, 0]);
    0
}

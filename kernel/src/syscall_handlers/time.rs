//! Clocks and sleeping: CLOCK_REALTIME settable (ClockSetRealtime), the CPU-time clocks from
//! the scheduler's accounting (ThreadCpuTime).
use crate::abi::{CLOCK_MONOTONIC, CLOCK_REALTIME, TIMER_ABSTIME};
use crate::syscall_table::{c_int, timespec, EINVAL};

/// A relative or absolute time from the app, in ns; EINVAL for a malformed one.
pub fn read_timespec(p: *const timespec) -> Result<u64, c_int> {
    let t: timespec = crate::uaccess::get(p as usize)?;
    if t.tv_sec < 0 || t.tv_nsec < 0 || t.tv_nsec >= 1_000_000_000 {
        return Err(EINVAL);
    }
    Ok((t.tv_sec as u64).saturating_mul(1_000_000_000).saturating_add(t.tv_nsec as u64))
}

/// CLOCK_REALTIME now: the host's time of day at boot plus the monotonic clock since.
pub fn realtime() -> u64 {
    crate::run::realtime()
}

fn valid_clock(c: c_int) -> bool {
    matches!(c, CLOCK_REALTIME | CLOCK_MONOTONIC | 4 | 7)
}

/// Linux's CLOCK_PROCESS_CPUTIME_ID and CLOCK_THREAD_CPUTIME_ID, and its encoding of a thread's
/// CPU clock (`pthread_getcpuclockid`): `(!tid << 3) | 6`, a negative id.
const CLOCK_PROCESS_CPUTIME_ID: c_int = 2;
const CLOCK_THREAD_CPUTIME_ID: c_int = 3;

/// The CPU time clock `c` reads now, None for an id that is no CPU clock (or a thread gone).
fn cpu_clock(c: c_int) -> Option<Option<u64>> {
    match c {
        CLOCK_PROCESS_CPUTIME_ID => Some(crate::sched::cpu_time(0)),
        CLOCK_THREAD_CPUTIME_ID => Some(crate::sched::cpu_time(crate::sched::current_tid())),
        c if c < 0 && c & 7 == 6 => Some(crate::sched::cpu_time((!(c >> 3)) as usize)),
        _ => None,
    }
}

pub mod clock_gettime {
    use crate::syscall_table::*;
    handler!(clock_gettime(clk_id: clockid_t, tp: *mut timespec) -> c_long {
        let ns = match super::cpu_clock(clk_id) {
            Some(ns) => ns.ok_or(EINVAL)?,
            None if !super::valid_clock(clk_id) => return Err(EINVAL),
            None if clk_id == super::CLOCK_REALTIME => super::realtime(),
            None => crate::sched::now(),
        };
        let t = timespec { tv_sec: (ns / 1_000_000_000) as c_long, tv_nsec: (ns % 1_000_000_000) as c_long };
        // SAFETY: the dispatcher checked `tp` writable for one timespec.
        unsafe { tp.write_unaligned(t) };
        Ok(0)
    });
}

pub mod clock_nanosleep {
    use crate::syscall_table::*;
    use crate::sched::{block, now, State};
    handler!(clock_nanosleep(clock_id: clockid_t, flags: c_int, rqtp: *const timespec, rmtp: *mut timespec) -> c_long {
        if !super::valid_clock(clock_id) {
            return Err(EINVAL);
        }
        let ns = super::read_timespec(rqtp)?;
        let t = now();
        // Deadlines are kept on the monotonic clock; a CLOCK_REALTIME one is moved onto it.
        let until = match (flags & super::TIMER_ABSTIME != 0, clock_id == super::CLOCK_REALTIME) {
            (true, true) => ns.saturating_sub(crate::run::with(|b| b.epoch_ns)),
            (true, false) => ns,
            (false, _) => t.saturating_add(ns),
        };
        if !rmtp.is_null() {
            // SAFETY: the dispatcher checked a non-NULL `rmtp` writable.
            unsafe { rmtp.write_unaligned(timespec::default()) };
        }
        if until > t {
            block(State::Sleep { until });
        }
        Ok(0)
    });
}

pub mod clock_set_realtime {
    use crate::syscall_table::*;
    handler!(clock_set_realtime(tp: *const timespec) -> c_int {
        let ns = super::read_timespec(tp)?;
        // CLOCK_REALTIME is the monotonic clock plus the boot's epoch: moving the epoch moves
        // the time of day alone. A time before the boot cannot be said that way: EINVAL.
        let now = crate::sched::now();
        if ns < now {
            return Err(EINVAL);
        }
        crate::run::with(|b| b.epoch_ns = ns - now);
        Ok(0)
    });
}

pub mod thread_cpu_time {
    use crate::syscall_table::*;
    handler!(thread_cpu_time(tid: usize, tp: *mut timespec) -> c_int {
        let ns = crate::sched::cpu_time(tid).ok_or(ESRCH)?;
        let t = timespec { tv_sec: (ns / 1_000_000_000) as c_long,
                           tv_nsec: (ns % 1_000_000_000) as c_long };
        // SAFETY: the dispatcher checked `tp` writable for one timespec.
        unsafe { tp.write_unaligned(t) };
        Ok(0)
    });
}

//! Clocks and sleeping.
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
    crate::sched::now().saturating_add(crate::boot::info().epoch_ns)
}

fn valid_clock(c: c_int) -> bool {
    matches!(c, CLOCK_REALTIME | CLOCK_MONOTONIC | 4 | 7)
}

pub mod clock_gettime {
    use crate::syscall_table::*;
    define_syscall_handler!(clock_gettime(clk_id: clockid_t, tp: *mut timespec) -> c_long {
        if !super::valid_clock(clk_id) {
            return -(EINVAL as c_long);
        }
        let ns = if clk_id == super::CLOCK_REALTIME { super::realtime() } else { crate::sched::now() };
        let t = timespec { tv_sec: (ns / 1_000_000_000) as c_long, tv_nsec: (ns % 1_000_000_000) as c_long };
        // SAFETY: the dispatcher checked `tp` writable for one timespec.
        unsafe { tp.write_unaligned(t) };
        0
    });
}

pub mod clock_nanosleep {
    use crate::syscall_table::*;
    use crate::sched::{block, now, State};
    define_syscall_handler!(clock_nanosleep(clock_id: clockid_t, flags: c_int, rqtp: *const timespec, rmtp: *mut timespec) -> c_long {
        if !super::valid_clock(clock_id) {
            return -(EINVAL as c_long);
        }
        let ns = match super::read_timespec(rqtp) {
            Ok(ns) => ns,
            Err(e) => return -(e as c_long),
        };
        let t = now();
        // Deadlines are kept on the monotonic clock; a CLOCK_REALTIME one is moved onto it.
        let until = match (flags & super::TIMER_ABSTIME != 0, clock_id == super::CLOCK_REALTIME) {
            (true, true) => ns.saturating_sub(crate::boot::info().epoch_ns),
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
        0
    });
}

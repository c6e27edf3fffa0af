//! Threads and futexes.

pub mod get_tid {
    use crate::syscall_table::*;
    define_syscall_handler!(get_tid() -> c_long { crate::sched::current_tid() as c_long });
}

pub mod get_sched_param {
    use crate::syscall_table::*;
    define_syscall_handler!(get_sched_param(tid: usize) -> c_long {
        match crate::sched::with_thread(tid, |t| t.prio) {
            Some(p) => p as c_long,
            None => -(ESRCH as c_long),
        }
    });
}

pub mod set_sched_param {
    use crate::syscall_table::*;
    define_syscall_handler!(set_sched_param(tid: usize, prio: c_int) -> c_long {
        if !(0..=255).contains(&prio) {
            return -(EINVAL as c_long);
        }
        match crate::sched::with_thread(tid, |t| t.prio = prio) {
            Some(()) => {
                crate::sched::reconsider();
                0
            }
            None => -(ESRCH as c_long),
        }
    });
}

pub mod create_thread {
    use crate::syscall_table::*;
    define_syscall_handler!(create_thread(spawn_args_ptr: *const SpawnArgs) -> c_long {
        let a: SpawnArgs = match crate::uaccess::get(spawn_args_ptr as usize) {
            Ok(a) => a,
            Err(e) => return -(e as c_long),
        };
        if a.stack_size < 512 || !crate::uaccess::is_code(a.entry) {
            return -(EINVAL as c_long);
        }
        if !crate::uaccess::check_user(a.stack_start, a.stack_size, true) {
            return -(EFAULT as c_long);
        }
        let top = a.stack_start + a.stack_size;
        let frame = crate::arch::TrapFrame::new_thread(a.entry, a.arg, top,
                                                       crate::arch::exit_trampoline());
        match crate::sched::spawn(frame, (a.stack_start, a.stack_size)) {
            Ok(tid) => tid as c_long,
            Err(e) => -(e as c_long),
        }
    });
}

pub mod exit_thread {
    use crate::syscall_table::*;
    define_syscall_handler!(exit_thread() -> c_long {
        crate::sched::exit_current();
        0
    });
}

pub mod sched_yield {
    use crate::syscall_table::*;
    define_syscall_handler!(sched_yield() -> c_long {
        crate::sched::yield_now();
        0
    });
}

pub mod atomic_wait {
    use crate::syscall_table::*;
    use crate::sched::{block, now, State};
    define_syscall_handler!(atomic_wait(addr: *const usize, val: usize, timeout: *const timespec) -> c_long {
        if addr as usize % core::mem::size_of::<usize>() != 0 {
            return -(EINVAL as c_long);
        }
        let until = if timeout.is_null() {
            None
        } else {
            match super::super::time::read_timespec(timeout) {
                Ok(ns) => Some(now().saturating_add(ns)),
                Err(e) => return -(e as c_long),
            }
        };
        // SAFETY: the dispatcher checked `addr` readable for one usize; alignment checked above.
        let cur = unsafe { core::ptr::read_volatile(addr) };
        if cur != val {
            return -(EAGAIN as c_long);
        }
        if let Some(u) = until {
            if u <= now() {
                return -(ETIMEDOUT as c_long);
            }
        }
        block(State::Futex { addr: addr as usize, until });
        0
    });
}

pub mod atomic_wake {
    use crate::syscall_table::*;
    define_syscall_handler!(atomic_wake(addr: *const usize, count: *mut usize) -> c_long {
        // SAFETY: the dispatcher checked `count` readable and writable for one usize.
        let n = unsafe { count.read_unaligned() };
        let woken = crate::sched::wake(addr as usize, n);
        // SAFETY: as above.
        unsafe { count.write_unaligned(woken) };
        0
    });
}

pub mod thread_interrupt {
    use crate::syscall_table::*;
    define_syscall_handler!(thread_interrupt(tid: usize) -> c_int {
        if crate::signal::interrupt(tid) { 0 } else { -ESRCH }
    });
}

pub mod signal_entry {
    use crate::syscall_table::*;
    define_syscall_handler!(signal_entry(entry: usize) -> c_int {
        match crate::signal::set_entry(entry) { Ok(()) => 0, Err(e) => -e }
    });
}

pub mod signal_return {
    use crate::syscall_table::*;
    define_syscall_handler!(signal_return(saved: usize, again: c_int) -> c_int {
        match crate::signal::sig_return(saved, again != 0) { Ok(()) => 0, Err(e) => -e }
    });
}

//! Threads and futexes.

pub mod get_tid {
    use crate::syscall_table::*;
    handler!(get_tid() -> c_long { Ok(crate::sched::current_tid()) });
}

pub mod get_sched_param {
    use crate::syscall_table::*;
    handler!(get_sched_param(tid: usize) -> c_long {
        crate::sched::with_thread(tid, |t| t.prio as usize).ok_or(ESRCH)
    });
}

pub mod set_sched_param {
    use crate::syscall_table::*;
    handler!(set_sched_param(tid: usize, prio: c_int) -> c_long {
        if !(0..=255).contains(&prio) {
            return Err(EINVAL);
        }
        crate::sched::with_thread(tid, |t| t.prio = prio).ok_or(ESRCH)?;
        crate::sched::reconsider();
        Ok(0)
    });
}

pub mod create_thread {
    use crate::arch::{Arch, Cpu, Frame, TrapFrame};
    use crate::syscall_table::*;
    handler!(create_thread(spawn_args_ptr: *const SpawnArgs) -> c_long {
        let a: SpawnArgs = crate::uaccess::get(spawn_args_ptr as usize)?;
        if a.stack_size < 512 || !crate::uaccess::is_code(a.entry) {
            return Err(EINVAL);
        }
        if !crate::uaccess::check_user(a.stack_start, a.stack_size, true) {
            return Err(EFAULT);
        }
        let top = a.stack_start + a.stack_size;
        let frame = TrapFrame::new_thread(a.entry, a.arg, top, Cpu::exit_trampoline());
        crate::sched::spawn(frame, (a.stack_start, a.stack_size))
    });
}

pub mod exit_thread {
    use crate::syscall_table::*;
    handler!(exit_thread() -> c_long {
        if crate::sched::exit_current() {
            crate::exit::finish(0);
        }
        Ok(0)
    });
}

pub mod sched_yield {
    use crate::syscall_table::*;
    handler!(sched_yield() -> c_long {
        crate::sched::yield_now();
        Ok(0)
    });
}

pub mod atomic_wait {
    use crate::syscall_table::*;
    use crate::sched::{block, now, State};
    handler!(atomic_wait(addr: *const usize, val: usize, timeout: *const timespec) -> c_long {
        if addr as usize % core::mem::size_of::<usize>() != 0 {
            return Err(EINVAL);
        }
        let until = if timeout.is_null() {
            None
        } else {
            Some(now().saturating_add(super::super::time::read_timespec(timeout)?))
        };
        // SAFETY: the dispatcher checked `addr` readable for one usize; alignment checked above.
        let cur = unsafe { core::ptr::read_volatile(addr) };
        if cur != val {
            return Err(EAGAIN);
        }
        if until.map_or(false, |u| u <= now()) {
            return Err(ETIMEDOUT);
        }
        block(State::Futex { addr: addr as usize, until });
        Ok(0)
    });
}

pub mod atomic_wake {
    use crate::syscall_table::*;
    handler!(atomic_wake(addr: *const usize, count: *mut usize) -> c_long {
        // SAFETY: the dispatcher checked `count` readable and writable for one usize.
        let n = unsafe { count.read_unaligned() };
        let woken = crate::sched::wake(addr as usize, n);
        // SAFETY: as above.
        unsafe { count.write_unaligned(woken) };
        Ok(0)
    });
}

pub mod thread_interrupt {
    use crate::syscall_table::*;
    handler!(thread_interrupt(tid: usize) -> c_int {
        if crate::signal::interrupt(tid) { Ok(0) } else { Err(ESRCH) }
    });
}

pub mod signal_entry {
    use crate::syscall_table::*;
    handler!(signal_entry(entry: usize) -> c_int {
        crate::signal::set_entry(entry).map(|()| 0)
    });
}

pub mod signal_return {
    use crate::syscall_table::*;
    handler!(signal_return(saved: usize, again: c_int) -> c_int {
        crate::signal::sig_return(saved, again != 0).map(|()| 0)
    });
}

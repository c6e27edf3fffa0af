//! The handlers the generated dispatcher calls: one module per call, BlueKernel's idiom. The
//! generated code has already decoded the words into typed values and checked every pointer the
//! table types (`in`/`out` ptr of a known size, cstr first byte); handlers re-check what the
//! table cannot size (opaque `stat`, strings, SpawnArgs' stack).
//!
//! Calls the validation kernel does not implement come from the generated stubs.
//!
//! One handler form: every handler is written with `handler!`, its body gives a `SysResult`
//! (`Err(errno)` by `?` or `return Err(..)`), and `encode` alone turns that into the ABI's word
//! (-errno for an error). No handler negates an errno itself.
use crate::syscall_table::c_int;

/// What a handler answers: the call's value, or the errno to report.
pub type SysResult = Result<usize, c_int>;

/// The ABI's encoding of a handler's result: the value, or -errno.
#[inline(always)]
pub fn encode(r: SysResult) -> isize {
    match r {
        Ok(v) => v as isize,
        Err(e) => -(e as isize),
    }
}

/// `define_syscall_handler!` (the generated signature, BlueKernel's idiom) with a body that
/// returns `SysResult`; the declared C return type is only the width the dispatcher reads.
macro_rules! handler {
    ($name:ident($($arg:ident: $argty:ty),* $(,)?) -> $ret:ty $body:block) => {
        crate::syscall_table::define_syscall_handler!($name($($arg: $argty),*) -> $ret {
            let r: crate::syscall_handlers::SysResult = (|| -> crate::syscall_handlers::SysResult { $body })();
            crate::syscall_handlers::encode(r) as $ret
        });
    };
}

pub use crate::stub_handlers::{
    accept, bind, connect, freeaddrinfo, getaddrinfo, getsockopt, listen, mount, mq_close,
    mq_getsetattr, mq_open, mq_timedreceive, mq_timedsend, mq_unlink, recv, recvfrom, recvmsg,
    send, sendmsg, sendto, setsockopt, shutdown, socket, timer_create, timer_delete,
    timer_getoverrun, timer_gettime, timer_settime, umount,
};

mod file_modes;
mod files;
mod mapping;
mod sched_policy;
mod threads;
mod time;

pub use file_modes::*;
pub use files::*;
pub use mapping::*;
pub use sched_policy::*;
pub use threads::*;
pub use time::*;

pub mod nop {
    use crate::syscall_table::*;
    handler!(nop() -> c_long { Ok(0) });
}

pub mod echo {
    use crate::syscall_table::*;
    handler!(echo(val: c_long) -> c_long { Ok(val as usize) });
}

pub mod alloc_mem {
    use crate::syscall_table::*;
    handler!(alloc_mem(ptr: *mut usize, size: usize, align: usize) -> c_long {
        if size == 0 || !align.is_power_of_two() {
            return Err(EINVAL);
        }
        let a = crate::heap::user_alloc(size, align).ok_or(ENOMEM)?;
        if let Err(e) = crate::uaccess::put(ptr as usize, a) {
            crate::heap::user_free(a);
            return Err(e);
        }
        Ok(0)
    });
}

pub mod free_mem {
    use crate::syscall_table::*;
    handler!(free_mem(ptr: usize) -> c_long {
        if ptr == 0 || crate::heap::user_free(ptr) { Ok(0) } else { Err(EINVAL) }
    });
}

pub mod exit_process {
    use crate::syscall_table::*;
    handler!(exit_process(status: c_int) -> c_long {
        crate::exit::finish(status)
    });
}

//! The handlers the generated dispatcher calls: one module per call, BlueKernel's idiom. The
//! generated code has already decoded the words into typed values and checked every pointer the
//! table types (`in`/`out` ptr of a known size, cstr first byte); handlers re-check what the
//! table cannot size (opaque `stat`, strings, SpawnArgs' stack).
//!
//! Calls the validation kernel does not implement come from the generated stubs.

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
    define_syscall_handler!(nop() -> c_long { 0 });
}

pub mod echo {
    use crate::syscall_table::*;
    define_syscall_handler!(echo(val: c_long) -> c_long { val });
}

pub mod alloc_mem {
    use crate::syscall_table::*;
    define_syscall_handler!(alloc_mem(ptr: *mut usize, size: usize, align: usize) -> c_long {
        if size == 0 || !align.is_power_of_two() {
            return -(EINVAL as c_long);
        }
        match crate::heap::user_alloc(size, align) {
            Some(a) => match crate::uaccess::put(ptr as usize, a) {
                Ok(()) => 0,
                Err(e) => {
                    crate::heap::user_free(a);
                    -(e as c_long)
                }
            },
            None => -(ENOMEM as c_long),
        }
    });
}

pub mod free_mem {
    use crate::syscall_table::*;
    define_syscall_handler!(free_mem(ptr: usize) -> c_long {
        if ptr == 0 || crate::heap::user_free(ptr) { 0 } else { -(EINVAL as c_long) }
    });
}

pub mod exit_process {
    use crate::syscall_table::*;
    define_syscall_handler!(exit_process(status: c_int) -> c_long {
        crate::exit::finish(status)
    });
}

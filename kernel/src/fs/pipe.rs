//! Pipes in the kernel: the core's rings and waiter queues (kernel/core/pipe.rs) with the
//! scheduler behind them. A caller the core queued sleeps in `sched::State::Pipe` until the
//! thread that moves its data wakes it with its result.
use super::{Kernel, R};
use crate::kcore::pipe::{self as core_pipe, Sched};
pub use crate::kcore::pipe::{get, Pipe, PIPE_BUF};

impl Sched for Kernel {
    fn current_tid() -> usize {
        crate::sched::current_tid()
    }

    fn wake(tid: usize, r: Result<usize, i32>) {
        let v = match r {
            Ok(n) => n,
            Err(e) => crate::syscall_table::err(e),
        };
        crate::sched::wake_tid(tid, v);
    }
}

/// read(2) of a pipe's read end. `Ok(None)`: the caller blocked; its result comes from whoever
/// wakes it. `buf` was checked writable app memory when the call trapped.
pub fn read(pipe: &mut Pipe, buf: usize, len: usize, nonblock: bool) -> R<Option<usize>> {
    let r = core_pipe::read::<Kernel>(pipe, buf, len, nonblock);
    if let Ok(None) = r {
        crate::sched::block(crate::sched::State::Pipe);
    }
    r
}

/// write(2) to a pipe's write end; as `read`, with `buf` checked readable.
pub fn write(pipe: &mut Pipe, buf: usize, len: usize, nonblock: bool) -> R<Option<usize>> {
    let r = core_pipe::write::<Kernel>(pipe, buf, len, nonblock);
    if let Ok(None) = r {
        crate::sched::block(crate::sched::State::Pipe);
    }
    r
}

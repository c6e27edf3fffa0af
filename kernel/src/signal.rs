//! Interrupting a thread's wait for a signal or a cancellation (ThreadInterrupt). The signals
//! themselves (masks, pending sets, handlers) live in the POSIX layer; the kernel only ends the
//! wait of the thread that must run the handler, so the layer runs it on that thread and its
//! interrupted call answers EINTR.
use alloc::vec::Vec;

use crate::global::Global;
use crate::sched::{self, State};
use crate::syscall_table::{err, EINTR};

/// Threads interrupted while not waiting: their next wait ends at once with EINTR.
#[link_section = ".kdata"]
static FLAGGED: Global<Vec<usize>> = Global::new(Vec::new());

fn interruptible(s: State) -> bool {
    matches!(s, State::Sleep { .. } | State::Futex { .. })
}

/// Interrupt thread `tid`; false if no such thread.
pub fn interrupt(tid: usize) -> bool {
    let cur = sched::current_tid();
    let t = match sched::find(tid) {
        Some(t) => t,
        None => return false,
    };
    if tid != cur && interruptible(t.state) {
        t.state = State::Ready;
        t.frame.set_ret(err(EINTR));
        return true;
    }
    let f = FLAGGED.get();
    if !f.contains(&tid) {
        // Threads that exited while flagged leave their ids behind: drop them first.
        f.retain(|&x| sched::find(x).is_some());
        f.push(tid);
    }
    true
}

/// Called as the current thread's trap ends with it blocked: a flagged thread does not sleep,
/// its call answers EINTR.
pub fn before_block(state: &mut State, tid: usize, frame: &mut crate::arch::TrapFrame) {
    if !interruptible(*state) {
        return;
    }
    let f = FLAGGED.get();
    if let Some(i) = f.iter().position(|&x| x == tid) {
        f.swap_remove(i);
        *state = State::Ready;
        frame.set_ret(err(EINTR));
    }
}

//! Interrupting a thread for a signal or a cancellation (ThreadInterrupt), and running the
//! layer's signal entry on a thread that was running user code (SignalEntry, SignalReturn).
//! The signals themselves (masks, pending sets, handlers) live in the POSIX layer; the kernel
//! only gets the target thread to the layer:
//! - a thread waiting in AtomicWait/ClockNanosleep is woken and its wait answers EINTR; the
//!   layer runs the handlers there before the call returns;
//! - a thread running or ready is diverted at the end of the next trap that returns to it (a
//!   tick, a call of its own, or being switched in): its whole user context is saved on its own
//!   stack and it enters the layer's entry with a pointer to it; the entry runs the handlers and
//!   gives the context back with SignalReturn, which resumes the thread where it was, every
//!   register (FP state and flags included) as it was. Its next wait still answers EINTR, so a
//!   signal sent between the layer's last check and that wait is never slept through.
use alloc::vec::Vec;

use crate::arch::{Arch, Cpu, Frame, TrapFrame, UserContext};
use crate::global::Global;
use crate::sched::{self, State};
use crate::syscall_table::{err, EFAULT, EINTR, EINVAL};

struct Signals {
    /// Threads interrupted while not waiting: their next wait ends at once with EINTR.
    flagged: Vec<usize>,
    /// Threads to divert into `entry` at the end of the next trap that returns to them.
    divert: Vec<usize>,
    /// The layer's entry (SignalEntry); 0: none, a running thread waits for its next wait.
    entry: usize,
    /// A SignalReturn of this trap: the context to resume, and whether the entry asked to be
    /// entered again at the thread's next trap (it could not run the handlers yet).
    ret: Option<(UserContext, bool)>,
    /// The contexts `divert` saved and SignalReturn has not given back: (tid, address), oldest
    /// first. SignalReturn takes only one of these, so a random or forged pointer answers
    /// EINVAL instead of loading registers from wherever it points.
    saved: Vec<(usize, usize)>,
}

/// Contexts kept per thread: handlers nested this deep (or left by longjmp without
/// SignalReturn) drop the oldest record.
const MAX_SAVED: usize = 32;

#[link_section = ".kdata"]
static SIG: Global<Signals> =
    Global::new(Signals { flagged: Vec::new(), divert: Vec::new(), entry: 0, ret: None, saved: Vec::new() });

fn interruptible(s: State) -> bool {
    matches!(s, State::Sleep { .. } | State::Futex { .. })
}

fn add(v: &mut Vec<usize>, tid: usize) {
    if !v.contains(&tid) {
        // Threads that exited while listed leave their ids behind: drop them first.
        v.retain(|&x| sched::alive(x));
        v.push(tid);
    }
}

fn take(v: &mut Vec<usize>, tid: usize) -> bool {
    match v.iter().position(|&x| x == tid) {
        Some(i) => {
            v.swap_remove(i);
            true
        }
        None => false,
    }
}

/// Interrupt thread `tid`; false if no such thread.
pub fn interrupt(tid: usize) -> bool {
    let cur = sched::current_tid();
    let woke = sched::with_thread(tid, |t| {
        if tid != cur && interruptible(t.state) {
            t.state = State::Ready;
            t.frame.set_ret(err(EINTR));
            return true;
        }
        false
    });
    match woke {
        None => return false,
        Some(true) => return true,
        Some(false) => {}
    }
    SIG.with(|s| {
        add(&mut s.flagged, tid);
        if s.entry != 0 {
            add(&mut s.divert, tid);
        }
    });
    true
}

/// Called as the current thread's trap ends, before the scheduler runs: a flagged thread does
/// not sleep, its call answers EINTR (and the layer runs the handlers there, so no diversion is
/// needed).
pub fn before_block(frame: &mut TrapFrame) {
    let (tid, state) = sched::current_state();
    if !interruptible(state) {
        return;
    }
    let flagged = SIG.with(|s| {
        let f = take(&mut s.flagged, tid);
        if f {
            take(&mut s.divert, tid);
        }
        f
    });
    if flagged {
        sched::unblock_current();
        frame.set_ret(err(EINTR));
    }
}

/// SignalEntry: the layer's entry, `entry(context)`, which never returns (SignalReturn).
pub fn set_entry(entry: usize) -> Result<(), i32> {
    if entry != 0 && !crate::uaccess::is_code(entry) {
        return Err(EINVAL);
    }
    SIG.with(|s| s.entry = entry);
    Ok(())
}

/// SignalReturn: resume the context the entry was given at `ctx`, at the end of this trap.
/// EINVAL unless `ctx` is a context the kernel saved for this thread and has not resumed yet.
pub fn sig_return(ctx: usize, again: bool) -> Result<(), i32> {
    let tid = sched::current_tid();
    SIG.with(|s| {
        let k = s.saved.iter().rposition(|&(t, a)| t == tid && a == ctx).ok_or(EINVAL)?;
        let c: UserContext = crate::uaccess::get(ctx).map_err(|_| EFAULT)?;
        // This context and the thread's later ones (handlers it left by longjmp) are done.
        let mut i = 0;
        s.saved.retain(|&(t, _)| {
            i += 1;
            i <= k || t != tid
        });
        s.ret = Some((c, again));
        Ok(())
    })
}

/// Start of the trap's end (`trap::after_trap`): a SignalReturn of this trap puts the saved
/// context back in place of the entry's, before the scheduler saves the frame. The thread that
/// asked to be entered again is answered (its tid) so `after_divert` lists it once this trap's
/// own diversion is past.
pub fn before_schedule(frame: &mut TrapFrame) -> Option<usize> {
    let (c, again) = SIG.with(|s| s.ret.take())?;
    if !Cpu::restore_context(frame, &c) {
        // The record was the kernel's, but the thread rewrote it into something that is not a
        // user context (Cortex-M: its stack pointer): the call fails, the thread carries on.
        frame.set_ret(err(EINVAL));
        return None;
    }
    again.then(sched::current_tid)
}

/// End of the trap, the thread to run chosen: divert it into the entry when it is listed.
pub fn divert(frame: &mut TrapFrame, retry: Option<usize>) {
    let tid = sched::current_tid();
    SIG.with(|s| divert_in(s, frame, tid, retry))
}

fn divert_in(s: &mut Signals, frame: &mut TrapFrame, tid: usize, retry: Option<usize>) {
    if s.entry != 0 && take(&mut s.divert, tid) {
        let c = Cpu::save_context(frame);
        let size = core::mem::size_of::<UserContext>();
        // Below everything the thread has on its stack, 16-byte aligned as every ABI here wants.
        let at = frame.stack_floor().wrapping_sub(size) & !15;
        // A stack that cannot take the context keeps the thread as it is: its next wait still
        // answers EINTR.
        if crate::uaccess::put(at, c).is_ok() {
            frame.enter_handler(s.entry, at, at, Cpu::exit_trampoline());
            s.saved.retain(|&(t, _)| sched::alive(t));
            let mine = s.saved.iter().filter(|&&(t, _)| t == tid).count();
            if mine >= MAX_SAVED {
                let oldest = s.saved.iter().position(|&(t, _)| t == tid).expect("counted above");
                s.saved.remove(oldest);
            }
            s.saved.push((tid, at));
        }
    }
    if let Some(t) = retry {
        add(&mut s.divert, t);
    }
}

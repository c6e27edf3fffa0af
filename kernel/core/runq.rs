//! The scheduler's queue policy (sched.rs keeps the threads, their frames and the switching):
//! which slot runs next (the highest priority, round robin among equals from the current one;
//! SCHED_FIFO keeps the CPU), which futex waiters a wake releases
//! (slot order, at most n), which sleepers a deadline releases, and which slot a new thread
//! takes. Generic over the slot type so the host tests drive it with plain states.

/// What a thread is doing; a slot whose thread exited is `Dead` and may be reused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum State {
    Ready,
    Sleep { until: u64 },
    Futex { addr: usize, until: Option<u64> },
    /// Waiting on a pipe (`fs::pipe`): the pipe's side that moves the data wakes it, with no
    /// deadline, so a pipe nobody will ever write or read ends as a deadlock.
    Pipe,
    Dead,
}

/// A thread slot as the queue policy sees it.
pub trait Slot {
    fn state(&self) -> State;
    fn set_state(&mut self, s: State);
    /// Higher runs first.
    fn prio(&self) -> i32 {
        0
    }
    /// SCHED_FIFO: not preempted by an equal, only by a higher priority or its own yield.
    fn fifo(&self) -> bool {
        false
    }
}

/// The next slot to run: the highest priority among the Ready ones, round robin among equals
/// from the one after `cur`; a Ready SCHED_FIFO `cur` keeps running unless it yielded.
/// A slot that yields while alone at its priority gives the CPU to the next Ready slot of any
/// priority once: waits that spin on sched_yield (a joined thread's exit, pthread_once, spin
/// locks) would otherwise never let a lower-priority thread finish.
pub fn pick<T: Slot>(slots: &[T], cur: usize, yielded: bool) -> Option<usize> {
    let n = slots.len();
    let best = slots.iter().filter(|t| t.state() == State::Ready).map(|t| t.prio()).max()?;
    let c = &slots[cur];
    if c.state() == State::Ready && c.prio() == best && c.fifo() && !yielded {
        return Some(cur);
    }
    let next = |want: &dyn Fn(&T) -> bool| {
        (1..=n).map(|k| (cur + k) % n).find(|&i| slots[i].state() == State::Ready && want(&slots[i]))
    };
    match next(&|t| t.prio() == best) {
        Some(i) if i == cur && yielded => next(&|_| true),
        other => other,
    }
}

/// Make up to `n` threads waiting on futex `addr` Ready, in slot order; `woke(i)` is called for
/// each (to hand it its result). Returns how many woke.
pub fn wake_futex<T: Slot>(slots: &mut [T], addr: usize, n: usize, mut woke: impl FnMut(&mut T, usize)) -> usize {
    let mut count = 0;
    for (i, t) in slots.iter_mut().enumerate() {
        if count >= n {
            break;
        }
        if let State::Futex { addr: a, .. } = t.state() {
            if a == addr {
                t.set_state(State::Ready);
                woke(t, i);
                count += 1;
            }
        }
    }
    count
}

/// Why `expire` released a thread.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Expired {
    /// A sleep ran its course (its call returns 0).
    Slept,
    /// A futex wait's timeout passed (its call returns ETIMEDOUT).
    TimedOut,
}

/// Make every sleeper and timed futex waiter whose deadline is at or before `now` Ready.
pub fn expire<T: Slot>(slots: &mut [T], now: u64, mut woke: impl FnMut(&mut T, Expired)) {
    for t in slots.iter_mut() {
        let why = match t.state() {
            State::Sleep { until } if until <= now => Expired::Slept,
            State::Futex { until: Some(until), .. } if until <= now => Expired::TimedOut,
            _ => continue,
        };
        t.set_state(State::Ready);
        woke(t, why);
    }
}

/// Whether some blocked thread will be released by time alone (else nothing runnable means
/// deadlock).
pub fn has_deadline<T: Slot>(slots: &[T]) -> bool {
    slots.iter().any(|t| matches!(t.state(), State::Sleep { .. } | State::Futex { until: Some(_), .. }))
}

/// Where a new thread goes: the first Dead slot, else a new slot at the end while fewer than
/// `max`; None when the table is full.
pub fn free_slot<T: Slot>(slots: &[T], max: usize) -> Option<usize> {
    match slots.iter().position(|t| t.state() == State::Dead) {
        Some(i) => Some(i),
        None if slots.len() < max => Some(slots.len()),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    impl Slot for State {
        fn state(&self) -> State {
            *self
        }
        fn set_state(&mut self, s: State) {
            *self = s;
        }
    }

    const F: State = State::Futex { addr: 0x100, until: None };

    /// A slot with a priority and a policy, for `pick`.
    #[derive(Clone, Copy)]
    struct P(State, i32, bool);

    impl Slot for P {
        fn state(&self) -> State {
            self.0
        }
        fn set_state(&mut self, s: State) {
            self.0 = s;
        }
        fn prio(&self) -> i32 {
            self.1
        }
        fn fifo(&self) -> bool {
            self.2
        }
    }

    const R: State = State::Ready;

    #[test]
    fn pick_runs_the_highest_priority_round_robin_among_equals() {
        let s = [P(R, 1, false), P(R, 5, false), P(F, 9, false), P(R, 5, false), P(R, 1, false)];
        // The blocked 9 does not count; the two 5s take turns, the 1s never run.
        assert_eq!(pick(&s, 1, false), Some(3));
        assert_eq!(pick(&s, 3, false), Some(1));
        assert_eq!(pick(&s, 0, false), Some(1));
        assert_eq!(pick(&s, 4, false), Some(1));
        // Equal priorities everywhere: plain round robin.
        let e = [P(R, 0, false); 3];
        assert_eq!(pick(&e, 2, false), Some(0));
        let none = [P(F, 3, false), P(State::Dead, 7, false)];
        assert_eq!(pick(&none, 0, false), None);
    }

    #[test]
    fn pick_keeps_a_fifo_thread_until_it_yields_or_blocks() {
        let mut s = [P(R, 5, true), P(R, 5, false), P(R, 2, false)];
        assert_eq!(pick(&s, 0, false), Some(0));
        // A yield lets its equal run; a round-robin thread is preempted by its equal anyway.
        assert_eq!(pick(&s, 0, true), Some(1));
        assert_eq!(pick(&s, 1, false), Some(0));
        // A higher priority preempts FIFO.
        s[2].1 = 6;
        assert_eq!(pick(&s, 0, false), Some(2));
        // Blocked: the next one at the best priority.
        s[2].1 = 2;
        s[0].0 = F;
        assert_eq!(pick(&s, 0, false), Some(1));
    }

    #[test]
    fn a_yield_alone_at_the_top_lets_a_lower_priority_thread_run_once() {
        let s = [P(R, 1, false), P(R, 8, false), P(State::Sleep { until: 3 }, 9, false)];
        assert_eq!(pick(&s, 1, false), Some(1));
        assert_eq!(pick(&s, 1, true), Some(0));
        // Without the yield the top thread keeps the CPU.
        assert_eq!(pick(&s, 1, false), Some(1));
    }

    #[test]
    fn round_robin_starts_after_current_and_wraps() {
        let s = [State::Ready, State::Pipe, State::Ready, State::Dead, State::Ready];
        assert_eq!(pick(&s, 0, false), Some(2));
        assert_eq!(pick(&s, 2, false), Some(4));
        assert_eq!(pick(&s, 4, false), Some(0));
        // Slot 1 is blocked: after it comes 2.
        assert_eq!(pick(&s, 1, false), Some(2));
    }

    #[test]
    fn current_runs_again_only_when_nothing_else_is_ready() {
        let s = [State::Dead, State::Ready, F];
        assert_eq!(pick(&s, 1, false), Some(1));
        let none = [State::Dead, F, State::Pipe, State::Sleep { until: 5 }];
        assert_eq!(pick(&none, 1, false), None);
        let empty: [State; 0] = [];
        assert_eq!(pick(&empty, 0, false), None);
    }

    #[test]
    fn every_ready_thread_gets_a_turn_in_order() {
        let s = [State::Ready; 5];
        let mut cur = 3;
        let mut order = Vec::new();
        for _ in 0..10 {
            cur = pick(&s, cur, false).unwrap();
            order.push(cur);
        }
        assert_eq!(order, [4, 0, 1, 2, 3, 4, 0, 1, 2, 3]);
    }

    #[test]
    fn futex_wake_releases_at_most_n_matching_in_slot_order() {
        let other = State::Futex { addr: 0x200, until: Some(9) };
        let mut s = [F, other, State::Ready, F, F];
        let mut woken = Vec::new();
        assert_eq!(wake_futex(&mut s, 0x100, 2, |_, i| woken.push(i)), 2);
        assert_eq!(woken, [0, 3]);
        assert_eq!(s, [State::Ready, other, State::Ready, State::Ready, F]);
        // The rest, then nobody is left.
        assert_eq!(wake_futex(&mut s, 0x100, usize::MAX, |_, _| ()), 1);
        assert_eq!(wake_futex(&mut s, 0x100, usize::MAX, |_, _| ()), 0);
        assert_eq!(s[1], other);
        assert_eq!(wake_futex(&mut s, 0x200, 0, |_, _| ()), 0);
        assert_eq!(s[1], other);
    }

    #[test]
    fn deadlines_release_sleepers_and_time_out_futex_waiters() {
        let mut s = [
            State::Sleep { until: 100 },
            State::Sleep { until: 101 },
            State::Futex { addr: 4, until: Some(100) },
            State::Futex { addr: 4, until: None },
            State::Pipe,
        ];
        let mut why = Vec::new();
        expire(&mut s, 100, |t, w| {
            assert_eq!(*t, State::Ready);
            why.push(w)
        });
        assert_eq!(why, [Expired::Slept, Expired::TimedOut]);
        assert_eq!(s[0], State::Ready);
        assert_eq!(s[1], State::Sleep { until: 101 });
        assert_eq!(s[2], State::Ready);
        assert!(has_deadline(&s));
        expire(&mut s, 101, |_, _| ());
        // Only an untimed futex wait and a pipe wait are left: time alone releases nobody.
        assert!(!has_deadline(&s));
        assert_eq!(pick(&s, 0, false), Some(1));
    }

    #[test]
    fn new_threads_reuse_dead_slots_then_grow_to_the_limit() {
        let mut s: Vec<State> = Vec::new();
        for k in 0..3 {
            assert_eq!(free_slot(&s, 3), Some(k));
            s.push(State::Ready);
        }
        assert_eq!(free_slot(&s, 3), None);
        s[1] = State::Dead;
        assert_eq!(free_slot(&s, 3), Some(1));
        s[0] = State::Dead;
        assert_eq!(free_slot(&s, 3), Some(0));
    }
}

//! The scheduler's queue policy (sched.rs keeps the threads, their frames and the switching):
//! which slot runs next (round robin from the current one), which futex waiters a wake releases
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
}

/// Round robin: the first Ready slot after `cur`, wrapping around, `cur` itself last.
pub fn next_ready<T: Slot>(slots: &[T], cur: usize) -> Option<usize> {
    let n = slots.len();
    (1..=n).map(|k| (cur + k) % n).find(|&i| slots[i].state() == State::Ready)
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

    #[test]
    fn round_robin_starts_after_current_and_wraps() {
        let s = [State::Ready, State::Pipe, State::Ready, State::Dead, State::Ready];
        assert_eq!(next_ready(&s, 0), Some(2));
        assert_eq!(next_ready(&s, 2), Some(4));
        assert_eq!(next_ready(&s, 4), Some(0));
        // Slot 1 is blocked: after it comes 2.
        assert_eq!(next_ready(&s, 1), Some(2));
    }

    #[test]
    fn current_runs_again_only_when_nothing_else_is_ready() {
        let s = [State::Dead, State::Ready, F];
        assert_eq!(next_ready(&s, 1), Some(1));
        let none = [State::Dead, F, State::Pipe, State::Sleep { until: 5 }];
        assert_eq!(next_ready(&none, 1), None);
        let empty: [State; 0] = [];
        assert_eq!(next_ready(&empty, 0), None);
    }

    #[test]
    fn every_ready_thread_gets_a_turn_in_order() {
        let s = [State::Ready; 5];
        let mut cur = 3;
        let mut order = Vec::new();
        for _ in 0..10 {
            cur = next_ready(&s, cur).unwrap();
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
        assert_eq!(next_ready(&s, 0), Some(1));
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

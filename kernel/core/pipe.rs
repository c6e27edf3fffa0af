//! Pipes: a bounded ring buffer between descriptors of a read end and a write end.
//!
//! A pipe counts the descriptors open on each end (dup'ed ones included), as POSIX defines
//! "no writer" and "no reader". A thread that must wait (a read of an empty pipe that still has a
//! writer, a write that does not fit) is queued with its user buffer and blocked (the kernel's
//! adapter, kernel/src/fs/pipe.rs, puts it in `sched::State::Pipe`); the thread that later
//! moves the data copies it straight into or out of the sleeper's buffer and writes the sleeper's result, the way a futex wake does. The app's
//! memory is one flat space the kernel can reach from any thread's trap, and a blocked thread's
//! buffer stays valid because its owner is asleep in the call.
//!
//! Writes of at most `PIPE_BUF` bytes are atomic: they go in whole or wait; longer ones may be
//! split between readers' reads (POSIX allows interleaving only for those).
use alloc::collections::VecDeque;
use alloc::vec::Vec;

use super::abi::{POLLERR, POLLHUP, POLLIN, POLLOUT};
use super::errno::{EAGAIN, ENFILE, EPIPE};

type R<T> = Result<T, i32>;

/// The scheduler as pipes see it: who is calling, and how a sleeper gets its result.
pub trait Sched {
    fn current_tid() -> usize;
    /// Thread `tid`, asleep in a read or write of a pipe, is done: wake it with `r`.
    fn wake(tid: usize, r: Result<usize, i32>);
}

/// POSIX's minimum, and the layer's `fpathconf(_PC_PIPE_BUF)`.
pub const PIPE_BUF: usize = 512;
/// The ring's size: a few atomic writes fit before a writer waits.
pub const PIPE_SIZE: usize = 4096;

/// A thread asleep in a read or write of this pipe, with the call's user buffer.
pub struct Waiter {
    pub tid: usize,
    pub buf: usize,
    pub len: usize,
    pub done: usize,
}

pub struct Pipe {
    pub data: VecDeque<u8>,
    pub readers: u32,
    pub writers: u32,
    /// Blocked readers, first come first served; only while `data` is empty.
    pub rq: VecDeque<Waiter>,
    /// Blocked writers, in the order they wrote (a later writer never overtakes them).
    pub wq: VecDeque<Waiter>,
}

impl Pipe {
    pub fn space(&self) -> usize {
        PIPE_SIZE - self.data.len()
    }

    /// Move bytes from `src` (user memory) into the ring.
    fn push(&mut self, src: usize, n: usize) {
        // SAFETY: `src..src+n` was checked readable app memory when its call trapped, and its
        // thread is either the current one or asleep in that call.
        let s = unsafe { core::slice::from_raw_parts(src as *const u8, n) };
        self.data.extend(s.iter().copied());
    }

    /// Move up to `n` bytes from the ring to `dst` (user memory); returns how many.
    fn pop(&mut self, dst: usize, n: usize) -> usize {
        let n = n.min(self.data.len());
        // SAFETY: as `push`, checked writable.
        let d = unsafe { core::slice::from_raw_parts_mut(dst as *mut u8, n) };
        for (o, b) in d.iter_mut().zip(self.data.drain(..n)) {
            *o = b;
        }
        n
    }

    /// Hand bytes to waiting readers and take bytes from waiting writers until neither can move.
    /// Each finished sleeper is woken with its result; the current thread's own result (when
    /// its request finished here, before it blocked) is returned instead.
    fn pump<S: Sched>(&mut self) -> Option<usize> {
        let me = S::current_tid();
        let mut mine = None;
        let mut finish = |tid: usize, v: usize| {
            if tid == me {
                mine = Some(v);
            } else {
                S::wake(tid, Ok(v));
            }
        };
        loop {
            let mut moved = false;
            while !self.data.is_empty() {
                let w = match self.rq.pop_front() {
                    Some(w) => w,
                    None => break,
                };
                let n = self.pop(w.buf, w.len);
                finish(w.tid, n);
                moved = true;
            }
            while let Some(w) = self.wq.front_mut() {
                let left = w.len - w.done;
                let n = if w.len <= PIPE_BUF {
                    if PIPE_SIZE - self.data.len() < left { 0 } else { left }
                } else {
                    left.min(PIPE_SIZE - self.data.len())
                };
                if n == 0 {
                    break;
                }
                let (src, total) = (w.buf + w.done, w.len);
                w.done += n;
                let full = w.done == total;
                self.push(src, n);
                moved = true;
                if full {
                    let w = self.wq.pop_front().unwrap();
                    finish(w.tid, total);
                }
            }
            if !moved {
                return mine;
            }
        }
    }
}

/// Free a pipe slot: the index of a new, empty pipe with no descriptors yet.
pub fn new_pipe(pipes: &mut Vec<Option<Pipe>>) -> R<usize> {
    let p = Pipe { data: VecDeque::new(), readers: 0, writers: 0, rq: VecDeque::new(), wq: VecDeque::new() };
    if let Some(i) = pipes.iter().position(|p| p.is_none()) {
        pipes[i] = Some(p);
        return Ok(i);
    }
    pipes.try_reserve(1).map_err(|_| ENFILE)?;
    pipes.push(Some(p));
    Ok(pipes.len() - 1)
}

/// The pipe an end's descriptor names (it lives while any descriptor does).
pub fn get(pipes: &mut [Option<Pipe>], p: usize) -> &mut Pipe {
    pipes[p].as_mut().expect("descriptor to a freed pipe")
}

impl Pipe {
    /// A descriptor of an end opened (open, dup, pipe2).
    pub fn opened(&mut self, read_end: bool) {
        if read_end {
            self.readers += 1;
        } else {
            self.writers += 1;
        }
    }

    /// A descriptor of an end closed: the last writer gives waiting readers end of file, the
    /// last reader gives waiting writers EPIPE (or the count they already wrote). True when no
    /// descriptor is left (the caller frees the slot).
    pub fn closed<S: Sched>(&mut self, read_end: bool) -> bool {
        if read_end {
            self.readers -= 1;
            if self.readers == 0 {
                for w in self.wq.drain(..) {
                    S::wake(w.tid, if w.done > 0 { Ok(w.done) } else { Err(EPIPE) });
                }
            }
        } else {
            self.writers -= 1;
            if self.writers == 0 {
                for w in self.rq.drain(..) {
                    S::wake(w.tid, Ok(0));
                }
            }
        }
        self.readers == 0 && self.writers == 0
    }

    /// poll(2)'s view of an end: POLLIN with data, POLLHUP with no writer left (read end);
    /// POLLOUT with room for an atomic write, POLLERR with no reader left (write end), as Linux.
    pub fn ready(&self, read_end: bool) -> u32 {
        if read_end {
            let mut m = if self.data.is_empty() { 0 } else { POLLIN };
            if self.writers == 0 {
                m |= POLLHUP;
            }
            m
        } else {
            let mut m = if self.space() >= PIPE_BUF && self.wq.is_empty() { POLLOUT } else { 0 };
            if self.readers == 0 {
                m |= POLLERR;
            }
            m
        }
    }
}

/// read(2) of a pipe's read end. `Ok(None)`: the caller is queued and must block; its result
/// comes from whoever wakes it. `buf..buf+len` must be memory the caller may write, and stay
/// so while it sleeps.
pub fn read<S: Sched>(pipe: &mut Pipe, buf: usize, len: usize, nonblock: bool) -> R<Option<usize>> {
    if len == 0 {
        return Ok(Some(0));
    }
    if !pipe.data.is_empty() {
        let n = pipe.pop(buf, len);
        pipe.pump::<S>(); // room was made: waiting writers go on
        return Ok(Some(n));
    }
    if pipe.writers == 0 {
        return Ok(Some(0));
    }
    if nonblock {
        return Err(EAGAIN);
    }
    pipe.rq.push_back(Waiter { tid: S::current_tid(), buf, len, done: 0 });
    Ok(None)
}

/// write(2) to a pipe's write end. EPIPE when no reader is left (the layer raises SIGPIPE).
/// `Ok(None)` and the buffer's contract: as `read`.
pub fn write<S: Sched>(pipe: &mut Pipe, buf: usize, len: usize, nonblock: bool) -> R<Option<usize>> {
    if pipe.readers == 0 {
        return Err(EPIPE);
    }
    if len == 0 {
        return Ok(Some(0));
    }
    if nonblock {
        // Never ahead of a blocked writer; a small write goes in whole or not at all.
        let space = pipe.space();
        if !pipe.wq.is_empty() || space == 0 || (len <= PIPE_BUF && space < len) {
            return Err(EAGAIN);
        }
        let n = len.min(space);
        pipe.push(buf, n);
        pipe.pump::<S>();
        return Ok(Some(n));
    }
    pipe.wq.push_back(Waiter { tid: S::current_tid(), buf, len, done: 0 });
    if let Some(n) = pipe.pump::<S>() {
        return Ok(Some(n));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use alloc::vec;
    use alloc::vec::Vec;

    use super::*;
    use super::super::testenv::{woken, T, TID};

    /// A pipe with one descriptor on each end.
    fn pipe() -> Pipe {
        let mut pipes = Vec::new();
        let p = new_pipe(&mut pipes).unwrap();
        let mut pipe = pipes[p].take().unwrap();
        pipe.opened(true);
        pipe.opened(false);
        pipe
    }

    fn put(p: &mut Pipe, data: &[u8]) -> R<Option<usize>> {
        write::<T>(p, data.as_ptr() as usize, data.len(), true)
    }

    fn take(p: &mut Pipe, n: usize) -> Vec<u8> {
        let mut out = vec![0u8; n];
        let got = read::<T>(p, out.as_mut_ptr() as usize, n, true).unwrap().unwrap();
        out.truncate(got);
        out
    }

    #[test]
    fn the_ring_wraps_around_in_order() {
        let mut p = pipe();
        let data: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        let mut out = Vec::new();
        let mut at = 0;
        // 3000 in, 2000 out, ...: the ring's contents wrap past its end many times.
        while out.len() < data.len() {
            let n = (data.len() - at).min(3000);
            if n > 0 {
                at += put(&mut p, &data[at..at + n]).unwrap().unwrap();
            }
            out.extend(take(&mut p, 2000));
        }
        assert_eq!(out, data);
        assert!(p.data.is_empty());
    }

    #[test]
    fn a_full_pipe_takes_no_more_and_small_writes_are_atomic() {
        let mut p = pipe();
        assert_eq!(p.ready(false), POLLOUT);
        assert_eq!(put(&mut p, &[1; PIPE_SIZE - 100]), Ok(Some(PIPE_SIZE - 100)));
        // 100 bytes of room: a 200-byte write (atomic, <= PIPE_BUF) does not go in part way...
        assert_eq!(put(&mut p, &[2; 200]), Err(EAGAIN));
        assert_eq!(p.ready(false), 0, "no room for an atomic write: not writable");
        // ...a long one does, as far as it fits.
        assert_eq!(put(&mut p, &[3; 1000]), Ok(Some(100)));
        assert_eq!(p.space(), 0);
        assert_eq!(put(&mut p, &[4; 1]), Err(EAGAIN));
        assert_eq!(take(&mut p, PIPE_SIZE).len(), PIPE_SIZE);
    }

    #[test]
    fn an_empty_pipe_waits_or_ends() {
        let mut p = pipe();
        assert_eq!(p.ready(true), 0);
        let mut buf = [0u8; 8];
        assert_eq!(read::<T>(&mut p, buf.as_mut_ptr() as usize, 8, true), Err(EAGAIN));
        assert_eq!(read::<T>(&mut p, buf.as_mut_ptr() as usize, 0, false), Ok(Some(0)));
        // A blocking reader is queued; a writer's bytes go straight into its buffer.
        TID.with(|t| t.set(7));
        assert_eq!(read::<T>(&mut p, buf.as_mut_ptr() as usize, 8, false), Ok(None));
        TID.with(|t| t.set(1));
        assert_eq!(write::<T>(&mut p, b"hi".as_ptr() as usize, 2, false), Ok(Some(2)));
        assert_eq!(woken(), [(7, Ok(2))]);
        assert_eq!(&buf[..2], b"hi");
        assert!(p.data.is_empty() && p.rq.is_empty());
        // The last writer gone: end of file for readers, and POLLHUP.
        assert!(!p.closed::<T>(false));
        assert_eq!(p.ready(true), POLLHUP);
        assert_eq!(read::<T>(&mut p, buf.as_mut_ptr() as usize, 8, true), Ok(Some(0)));
        assert!(p.closed::<T>(true), "no descriptor left");
    }

    #[test]
    fn the_last_writer_closing_wakes_readers_with_end_of_file() {
        let mut p = pipe();
        let mut buf = [0u8; 4];
        TID.with(|t| t.set(3));
        assert_eq!(read::<T>(&mut p, buf.as_mut_ptr() as usize, 4, false), Ok(None));
        assert!(!p.closed::<T>(false));
        assert_eq!(woken(), [(3, Ok(0))]);
    }

    #[test]
    fn no_reader_is_epipe_and_wakes_writers_with_what_they_wrote() {
        let mut p = pipe();
        let big = vec![9u8; PIPE_SIZE + 1000];
        let small = [1u8; 10];
        // A long blocking write fills the ring and sleeps with 1000 bytes to go; a small one
        // queues behind it.
        TID.with(|t| t.set(4));
        assert_eq!(write::<T>(&mut p, big.as_ptr() as usize, big.len(), false), Ok(None));
        TID.with(|t| t.set(5));
        assert_eq!(write::<T>(&mut p, small.as_ptr() as usize, 10, false), Ok(None));
        assert_eq!(put(&mut p, &small), Err(EAGAIN), "never ahead of a blocked writer");
        // A read makes room: the long writer goes on and finishes, the small one after it.
        TID.with(|t| t.set(1));
        assert_eq!(take(&mut p, 2000).len(), 2000);
        assert_eq!(woken(), [(4, Ok(big.len())), (5, Ok(10))]);
        // Fill again; with no reader left, a queued writer gets its count, a fresh one EPIPE.
        TID.with(|t| t.set(6));
        assert_eq!(write::<T>(&mut p, big.as_ptr() as usize, big.len(), false), Ok(None));
        assert!(!p.closed::<T>(true));
        let w = woken();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].0, 6);
        assert!(matches!(w[0].1, Ok(n) if n > 0 && n < big.len()), "{:?}", w[0].1);
        assert_eq!(put(&mut p, &small), Err(EPIPE));
        assert_eq!(p.ready(false) & POLLERR, POLLERR);
    }

    #[test]
    fn a_writer_refused_by_an_empty_reader_set_gets_epipe() {
        let mut p = pipe();
        let big = vec![1u8; PIPE_SIZE + 1];
        TID.with(|t| t.set(2));
        let _ = put(&mut p, &big[..PIPE_SIZE]);
        assert_eq!(write::<T>(&mut p, big.as_ptr() as usize, 1, false), Ok(None));
        assert!(!p.closed::<T>(true));
        assert_eq!(woken(), [(2, Err(EPIPE))]);
    }
}

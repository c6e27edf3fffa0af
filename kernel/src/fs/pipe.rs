//! Pipes: a bounded ring buffer between descriptors of a read end and a write end.
//!
//! A pipe counts the descriptors open on each end (dup'ed ones included), as POSIX defines
//! "no writer" and "no reader". A thread that must wait (a read of an empty pipe that still has a
//! writer, a write that does not fit) is queued with its user buffer and blocked in
//! `sched::State::Pipe`; the thread that later moves the data copies it straight into or out of
//! the sleeper's buffer and writes the sleeper's result, the way a futex wake does. The app's
//! memory is one flat space the kernel can reach from any thread's trap, and a blocked thread's
//! buffer stays valid because its owner is asleep in the call.
//!
//! Writes of at most `PIPE_BUF` bytes are atomic: they go in whole or wait; longer ones may be
//! split between readers' reads (POSIX allows interleaving only for those).
use alloc::collections::VecDeque;

use alloc::vec::Vec;

use super::{Kind, R};
use crate::syscall_table::{EAGAIN, EPIPE};

/// POSIX's minimum, and the layer's `fpathconf(_PC_PIPE_BUF)`.
pub const PIPE_BUF: usize = 512;
/// The ring's size: a few atomic writes fit before a writer waits.
pub const PIPE_SIZE: usize = 4096;

/// A thread asleep in a read or write of this pipe, with the call's user buffer.
pub struct Waiter {
    pub tid: usize,
    buf: usize,
    len: usize,
    done: usize,
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
    fn space(&self) -> usize {
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
    fn pump(&mut self) -> Option<usize> {
        let me = crate::sched::current_tid();
        let mut mine = None;
        let mut finish = |tid: usize, v: usize| {
            if tid == me {
                mine = Some(v);
            } else {
                crate::sched::wake_tid(tid, v);
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
    pipes.try_reserve(1).map_err(|_| crate::syscall_table::ENFILE)?;
    pipes.push(Some(p));
    Ok(pipes.len() - 1)
}

/// The pipe an end's descriptor names (it lives while any descriptor does).
pub fn get(pipes: &mut [Option<Pipe>], p: usize) -> &mut Pipe {
    pipes[p].as_mut().expect("descriptor to a freed pipe")
}

/// A descriptor of an end opened (open, dup, pipe2).
pub fn opened(pipes: &mut [Option<Pipe>], kind: Kind) {
    match kind {
        Kind::PipeRead(p) => get(pipes, p).readers += 1,
        Kind::PipeWrite(p) => get(pipes, p).writers += 1,
        _ => {}
    }
}

/// A descriptor of an end closed: the last writer gives waiting readers end of file, the last
/// reader gives waiting writers EPIPE (or the count they already wrote), and a pipe with no
/// descriptor left is freed.
pub fn closed(pipes: &mut [Option<Pipe>], kind: Kind) {
    let p = match kind {
        Kind::PipeRead(p) | Kind::PipeWrite(p) => p,
        _ => return,
    };
    let pipe = get(pipes, p);
    if let Kind::PipeRead(_) = kind {
        pipe.readers -= 1;
        if pipe.readers == 0 {
            for w in pipe.wq.drain(..) {
                let v = if w.done > 0 { w.done } else { crate::syscall_table::err(EPIPE) };
                crate::sched::wake_tid(w.tid, v);
            }
        }
    } else {
        pipe.writers -= 1;
        if pipe.writers == 0 {
            for w in pipe.rq.drain(..) {
                crate::sched::wake_tid(w.tid, 0);
            }
        }
    }
    if pipe.readers == 0 && pipe.writers == 0 {
        pipes[p] = None;
    }
}

/// read(2) of a pipe's read end. `Ok(None)`: the caller blocked; its result comes from whoever
/// wakes it.
pub fn read(pipe: &mut Pipe, buf: usize, len: usize, nonblock: bool) -> R<Option<usize>> {
    if len == 0 {
        return Ok(Some(0));
    }
    if !pipe.data.is_empty() {
        let n = pipe.pop(buf, len);
        pipe.pump(); // room was made: waiting writers go on
        return Ok(Some(n));
    }
    if pipe.writers == 0 {
        return Ok(Some(0));
    }
    if nonblock {
        return Err(EAGAIN);
    }
    pipe.rq.push_back(Waiter { tid: crate::sched::current_tid(), buf, len, done: 0 });
    crate::sched::block(crate::sched::State::Pipe);
    Ok(None)
}

/// write(2) to a pipe's write end. EPIPE when no reader is left (the layer raises SIGPIPE).
pub fn write(pipe: &mut Pipe, buf: usize, len: usize, nonblock: bool) -> R<Option<usize>> {
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
        pipe.pump();
        return Ok(Some(n));
    }
    pipe.wq.push_back(Waiter { tid: crate::sched::current_tid(), buf, len, done: 0 });
    if let Some(n) = pipe.pump() {
        return Ok(Some(n));
    }
    crate::sched::block(crate::sched::State::Pipe);
    Ok(None)
}

/// poll(2)'s view of a pipe end: POLLIN with data, POLLHUP with no writer left (read end);
/// POLLOUT with room for an atomic write, POLLERR with no reader left (write end), as Linux.
pub fn ready(pipes: &mut [Option<Pipe>], kind: Kind) -> u32 {
    use crate::abi::{POLLERR, POLLHUP, POLLIN, POLLOUT};
    match kind {
        Kind::PipeRead(p) => {
            let pipe = get(pipes, p);
            let mut m = if pipe.data.is_empty() { 0 } else { POLLIN };
            if pipe.writers == 0 {
                m |= POLLHUP;
            }
            m
        }
        Kind::PipeWrite(p) => {
            let pipe = get(pipes, p);
            let mut m = if pipe.space() >= PIPE_BUF && pipe.wq.is_empty() { POLLOUT } else { 0 };
            if pipe.readers == 0 {
                m |= POLLERR;
            }
            m
        }
        _ => 0,
    }
}

//! A regular file's contents: chunks of memory from wherever memory is left, so a file may be as
//! large as the board's free memory rather than a fixed budget.
//!
//! Chunks are `CHUNK` bytes except the last, which grows by doubling up to `CHUNK` (a small
//! file stays small). A large file therefore needs no contiguous block, and growing it never
//! copies what it already holds. A chunk comes from the kernel heap while half of that heap
//! stays free for the kernel's own structures (inodes, descriptors, pipes, and the app heap's
//! record of every malloc), then from the app heap (`heap::data_alloc`). ENOSPC means both are
//! exhausted.
use alloc::alloc::{alloc, dealloc, Layout};
use alloc::vec::Vec;

use super::R;
use crate::syscall_table::ENOSPC;

pub const CHUNK: usize = 16 * 1024;
/// The first chunk's size, and the least a last chunk shrinks to.
const MIN_CHUNK: usize = 64;
const ALIGN: usize = 16;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Home {
    Kernel,
    App,
}

struct Chunk {
    ptr: *mut u8,
    cap: usize,
    home: Home,
}

/// The kernel heap may hold `n` more bytes of file data: half of it stays free afterwards.
pub fn kernel_room(n: usize) -> bool {
    let h = crate::heap::stats();
    h.kernel_free >= n.saturating_add(h.kernel_size / 2)
}

/// (bytes file data could occupy in all, bytes it could still take): the kernel heap's share
/// and the app heap, for statfs.
pub fn space(used: usize) -> (usize, usize) {
    let h = crate::heap::stats();
    let kernel_free = h.kernel_free.saturating_sub(h.kernel_size / 2);
    let free = kernel_free + h.user_free;
    (used + free, free)
}

fn chunk_alloc(cap: usize) -> Option<Chunk> {
    if kernel_room(cap) {
        let layout = Layout::from_size_align(cap, ALIGN).ok()?;
        // SAFETY: `cap` is at least MIN_CHUNK, never zero. A null answer (no block that large
        // in a fragmented heap) falls through to the app heap.
        let p = unsafe { alloc(layout) };
        if !p.is_null() {
            return Some(Chunk { ptr: p, cap, home: Home::Kernel });
        }
    }
    crate::heap::data_alloc(cap).map(|a| Chunk { ptr: a as *mut u8, cap, home: Home::App })
}

fn chunk_free(c: &Chunk) {
    match c.home {
        // SAFETY: allocated by `chunk_alloc` with this size and alignment.
        Home::Kernel => unsafe { dealloc(c.ptr, Layout::from_size_align_unchecked(c.cap, ALIGN)) },
        Home::App => crate::heap::data_free(c.ptr as usize, c.cap),
    }
}

pub struct FileData {
    chunks: Vec<Chunk>,
    len: usize,
    cap: usize,
}

impl Drop for FileData {
    fn drop(&mut self) {
        for c in &self.chunks {
            chunk_free(c);
        }
    }
}

impl FileData {
    pub const fn new() -> Self {
        FileData { chunks: Vec::new(), len: 0, cap: 0 }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    /// Bytes of memory held (the file system's accounting).
    pub fn capacity(&self) -> usize {
        self.cap
    }

    /// The bytes of chunk `i` that hold file data.
    fn used(&self, i: usize) -> &[u8] {
        let c = &self.chunks[i];
        let n = self.len.saturating_sub(i * CHUNK).min(c.cap);
        // SAFETY: the chunk is `cap` bytes this file owns; bytes below `len` were written.
        unsafe { core::slice::from_raw_parts(c.ptr, n) }
    }

    /// The contents, in order, as slices of the chunks (`export` writes them out uncopied).
    pub fn slices(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.chunks.len()).map(|i| self.used(i)).filter(|s| !s.is_empty())
    }

    /// Call `f(chunk bytes)` for each piece of [off, off + n), which must lie within the
    /// chunks' capacity.
    fn for_range(&mut self, off: usize, n: usize, mut f: impl FnMut(&mut [u8], usize)) {
        let mut done = 0;
        while done < n {
            let pos = off + done;
            let c = &self.chunks[pos / CHUNK];
            let at = pos % CHUNK;
            let k = (c.cap - at).min(n - done);
            // SAFETY: [at, at + k) lies within the chunk, which this file owns.
            f(unsafe { core::slice::from_raw_parts_mut(c.ptr.add(at), k) }, done);
            done += k;
        }
    }

    /// Copy out what lies at `off` (up to `out.len()` bytes, less at the end); returns how many.
    pub fn read(&mut self, off: usize, out: &mut [u8]) -> usize {
        if off >= self.len {
            return 0;
        }
        let n = out.len().min(self.len - off);
        self.for_range(off, n, |src, at| out[at..at + src.len()].copy_from_slice(src));
        n
    }

    /// Overwrite [off, off + data.len()), which must lie within the file (`resize` first).
    pub fn write(&mut self, off: usize, data: &[u8]) {
        assert!(off + data.len() <= self.len, "write past the end of the file");
        self.for_range(off, data.len(), |dst, at| dst.copy_from_slice(&data[at..at + dst.len()]));
    }

    /// Grow (the new bytes read as zeros) or shrink to `len`. Growing is all or nothing: on
    /// ENOSPC the file keeps its length and contents.
    pub fn resize(&mut self, len: usize) -> R<()> {
        if len <= self.len {
            self.shrink(len);
            return Ok(());
        }
        if let Err(e) = self.reserve(len) {
            self.shrink(self.len); // give back what the attempt took
            return Err(e);
        }
        let old = self.len;
        self.len = len;
        self.for_range(old, len - old, |b, _| b.fill(0));
        Ok(())
    }

    /// Make the chunks hold at least `need` bytes.
    fn reserve(&mut self, need: usize) -> R<()> {
        while self.cap < need {
            let n = self.chunks.len();
            match self.chunks.last() {
                Some(last) if last.cap < CHUNK => {
                    let want = (need - (n - 1) * CHUNK).max(2 * last.cap).min(CHUNK);
                    self.regrow_last(want)?;
                }
                _ => {
                    let want = (need - n * CHUNK).max(MIN_CHUNK).min(CHUNK);
                    self.chunks.try_reserve(1).map_err(|_| ENOSPC)?;
                    let c = chunk_alloc(want).ok_or(ENOSPC)?;
                    self.cap += c.cap;
                    self.chunks.push(c);
                }
            }
        }
        Ok(())
    }

    /// Replace the last chunk by one of `want` bytes holding its data (as much as fits).
    fn regrow_last(&mut self, want: usize) -> R<()> {
        let i = self.chunks.len() - 1;
        let keep = self.used(i).len().min(want);
        let new = chunk_alloc(want).ok_or(ENOSPC)?;
        let old = core::mem::replace(&mut self.chunks[i], new);
        // SAFETY: two distinct live chunks, each at least `keep` bytes.
        unsafe { core::ptr::copy_nonoverlapping(old.ptr, self.chunks[i].ptr, keep) };
        chunk_free(&old);
        self.cap = self.cap - old.cap + want;
        Ok(())
    }

    /// Keep `len` bytes: chunks past them are freed, and a last chunk far larger than what it
    /// still holds is replaced by a smaller one (when memory allows).
    fn shrink(&mut self, len: usize) {
        self.len = len;
        let keep = (len + CHUNK - 1) / CHUNK;
        while self.chunks.len() > keep {
            let c = self.chunks.pop().unwrap();
            self.cap -= c.cap;
            chunk_free(&c);
        }
        if let Some(last) = self.chunks.last() {
            let used = len - (keep - 1) * CHUNK;
            if last.cap > 2 * used + MIN_CHUNK {
                let _ = self.regrow_last((used.max(MIN_CHUNK) + ALIGN - 1) & !(ALIGN - 1));
            }
        }
        if self.chunks.is_empty() {
            self.chunks = Vec::new(); // the index's memory too
        }
    }
}

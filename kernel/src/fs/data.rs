//! A regular file's contents: chunks of memory from wherever memory is left, so a file may be as
//! large as the board's free memory rather than a fixed budget.
//!
//! Chunks are `CHUNK` bytes except the last, which grows by doubling up to `CHUNK` (a small
//! file stays small). A large file therefore needs no contiguous block, and growing it never
//! copies what it already holds. A chunk comes from the kernel heap while half of that heap
//! stays free for the kernel's own structures (inodes, descriptors, pipes, and the app heap's
//! record of every malloc), then from the app heap (`heap::data_alloc`). ENOSPC means both are
//! exhausted.
//!
//! A shared mapping (`map`) is the file's own bytes: there is one address space, so the range
//! it covers is made one block (the chunks under it coalesced into a block of the app heap,
//! which the app may address) and pinned. A pinned block never moves and is never freed, so
//! read()/write() and the mapping touch the same bytes; growth past it adds chunks after it.
//! Each chunk therefore records the file offset it starts at (coalesced blocks are larger than
//! `CHUNK`). A range that would have to coalesce a block already pinned by another mapping
//! cannot be made contiguous: ENOTSUP.
use alloc::alloc::{alloc, dealloc, Layout};
use alloc::vec::Vec;

use super::R;
use crate::syscall_table::{ENOMEM, ENOSPC, ENOTSUP};

pub const CHUNK: usize = 16 * 1024;
/// The first chunk's size, and the least a last chunk shrinks to.
const MIN_CHUNK: usize = 64;
const ALIGN: usize = 16;
/// mmap answers page-aligned addresses: a mapped block sits so that every page-aligned file
/// offset in it has a page-aligned address.
pub const PAGE: usize = 4096;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Home {
    Kernel,
    /// The app heap: `base` and `size` are what `data_alloc` answered and was asked for (a
    /// mapped block is allocated a page larger so that `ptr` can be placed).
    App { base: usize, size: usize },
}

struct Chunk {
    /// The file offset of the chunk's first byte.
    start: usize,
    ptr: *mut u8,
    cap: usize,
    home: Home,
    /// Live mappings of this chunk: while any, it neither moves nor is freed.
    pins: u32,
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
    let free = kernel_free + h.user_free + h.pool_free;
    (used + free, free)
}

fn chunk_alloc(start: usize, cap: usize) -> Option<Chunk> {
    if kernel_room(cap) {
        let layout = Layout::from_size_align(cap, ALIGN).ok()?;
        // SAFETY: `cap` is at least MIN_CHUNK, never zero. A null answer (no block that large
        // in a fragmented heap) falls through to the app heap.
        let p = unsafe { alloc(layout) };
        if !p.is_null() {
            return Some(Chunk { start, ptr: p, cap, home: Home::Kernel, pins: 0 });
        }
    }
    let a = crate::heap::data_alloc(cap)?;
    Some(Chunk { start, ptr: a as *mut u8, cap, home: Home::App { base: a, size: cap }, pins: 0 })
}

/// A block for a mapping: from the app heap (the kernel heap is not the app's to address),
/// placed so that `ptr` and `start` are congruent modulo PAGE, and zeroed (a mapping shows the
/// bytes past the end of the file too).
fn mapped_alloc(start: usize, cap: usize) -> Option<Chunk> {
    let size = cap.checked_add(PAGE)?;
    let base = crate::heap::data_alloc(size)?;
    let ptr = base + (start.wrapping_sub(base) % PAGE);
    // SAFETY: [ptr, ptr + cap) lies within the `size` bytes just allocated.
    unsafe { core::ptr::write_bytes(ptr as *mut u8, 0, cap) };
    Some(Chunk { start, ptr: ptr as *mut u8, cap, home: Home::App { base, size }, pins: 0 })
}

fn chunk_free(c: &Chunk) {
    match c.home {
        // SAFETY: allocated by `chunk_alloc` with this size and alignment.
        Home::Kernel => unsafe { dealloc(c.ptr, Layout::from_size_align_unchecked(c.cap, ALIGN)) },
        Home::App { base, size } => crate::heap::data_free(base, size),
    }
}

impl Chunk {
    fn end(&self) -> usize {
        self.start + self.cap
    }

    /// A mapping of this chunk can be answered in place (an app-heap block placed for pages).
    fn mappable(&self) -> bool {
        matches!(self.home, Home::App { .. })
            && (self.ptr as usize).wrapping_sub(self.start) % PAGE == 0
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

    /// The chunk holding file offset `pos` (< cap).
    fn index(&self, pos: usize) -> usize {
        self.chunks.partition_point(|c| c.start <= pos) - 1
    }

    /// The bytes of chunk `i` that hold file data.
    fn used(&self, i: usize) -> &[u8] {
        let c = &self.chunks[i];
        let n = self.len.saturating_sub(c.start).min(c.cap);
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
        if n == 0 {
            return;
        }
        let mut done = 0;
        let mut i = self.index(off);
        while done < n {
            let c = &self.chunks[i];
            let at = off + done - c.start;
            let k = (c.cap - at).min(n - done);
            // SAFETY: [at, at + k) lies within the chunk, which this file owns.
            f(unsafe { core::slice::from_raw_parts_mut(c.ptr.add(at), k) }, done);
            done += k;
            i += 1;
        }
    }

    /// Copy out what lies at `off` (up to `out.len()` bytes, less at the end); returns how many.
    pub fn read(&mut self, off: usize, out: &mut [u8]) -> usize {
        if off >= self.len {
            return 0;
        }
        let n = out.len().min(self.len - off);
        let dst = out.as_mut_ptr();
        // A memmove, not copy_from_slice: `out` may be a shared mapping of this very file.
        // SAFETY: at + src.len() <= n <= out.len().
        self.for_range(off, n, |src, at| unsafe {
            core::ptr::copy(src.as_ptr(), dst.add(at), src.len())
        });
        n
    }

    /// Overwrite [off, off + data.len()), which must lie within the file (`resize` first).
    pub fn write(&mut self, off: usize, data: &[u8]) {
        assert!(off + data.len() <= self.len, "write past the end of the file");
        let src = data.as_ptr();
        // A memmove: `data` may be a shared mapping of this very file.
        // SAFETY: at + dst.len() <= data.len().
        self.for_range(off, data.len(), |dst, at| unsafe {
            core::ptr::copy(src.add(at), dst.as_mut_ptr(), dst.len())
        });
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

    /// Make the chunks hold at least `need` bytes. A pinned last chunk is not regrown (that
    /// would move it): a new chunk follows it.
    fn reserve(&mut self, need: usize) -> R<()> {
        while self.cap < need {
            match self.chunks.last() {
                Some(last) if last.cap < CHUNK && last.pins == 0 => {
                    let want = (need - last.start).max(2 * last.cap).min(CHUNK);
                    self.regrow_last(want)?;
                }
                _ => {
                    let want = (need - self.cap).max(MIN_CHUNK).min(CHUNK);
                    self.chunks.try_reserve(1).map_err(|_| ENOSPC)?;
                    let c = chunk_alloc(self.cap, want).ok_or(ENOSPC)?;
                    self.cap += c.cap;
                    self.chunks.push(c);
                }
            }
        }
        Ok(())
    }

    /// Replace the last chunk (not pinned) by one of `want` bytes holding its data (as much as
    /// fits).
    fn regrow_last(&mut self, want: usize) -> R<()> {
        let i = self.chunks.len() - 1;
        let keep = self.used(i).len().min(want);
        let new = chunk_alloc(self.chunks[i].start, want).ok_or(ENOSPC)?;
        let old = core::mem::replace(&mut self.chunks[i], new);
        // SAFETY: two distinct live chunks, each at least `keep` bytes.
        unsafe { core::ptr::copy_nonoverlapping(old.ptr, self.chunks[i].ptr, keep) };
        chunk_free(&old);
        self.cap = self.cap - old.cap + want;
        Ok(())
    }

    /// Keep `len` bytes: chunks past them are freed, and a last chunk far larger than what it
    /// still holds is replaced by a smaller one (when memory allows). Pinned chunks stay, with
    /// every chunk before them (a mapping past the end of the file keeps its memory).
    fn shrink(&mut self, len: usize) {
        self.len = len;
        while let Some(last) = self.chunks.last() {
            if last.pins > 0 || (last.start < len) {
                break;
            }
            let c = self.chunks.pop().unwrap();
            self.cap -= c.cap;
            chunk_free(&c);
        }
        if let Some(last) = self.chunks.last() {
            let used = len.saturating_sub(last.start);
            if last.pins == 0 && used > 0 && last.cap > 2 * used + MIN_CHUNK {
                // A block larger than CHUNK (a coalesced one) stays page-sized so that a
                // chunk added after it starts on a page, as mappings like.
                let want = if used >= CHUNK {
                    (used + PAGE - 1) & !(PAGE - 1)
                } else {
                    (used.max(MIN_CHUNK) + ALIGN - 1) & !(ALIGN - 1)
                };
                let _ = self.regrow_last(want);
            }
        }
        if self.chunks.is_empty() {
            self.chunks = Vec::new(); // the index's memory too
        }
    }

    /// Map [off, off + n) (n > 0) shared: the address of file offset `off`, in one block that
    /// stays put until `unmap`. The file's capacity grows to cover the range (its length does
    /// not: bytes past the end read as zeros and are not the file's). ENOMEM when memory is
    /// short, ENOTSUP when the range straddles a block another mapping pins.
    pub fn map(&mut self, off: usize, n: usize) -> R<*mut u8> {
        let r = self.pin(off, n);
        if r.is_err() {
            self.shrink(self.len); // give back what the attempt took
        }
        r
    }

    fn pin(&mut self, off: usize, n: usize) -> R<*mut u8> {
        let end = off.checked_add(n).ok_or(ENOMEM)?;
        self.reserve(end).map_err(|_| ENOMEM)?;
        let a = self.index(off);
        let b = self.index(end - 1);
        let c = &mut self.chunks[a];
        if a == b && (c.pins > 0 || c.mappable()) {
            c.pins += 1;
            // SAFETY: off - start < cap: the address lies within the chunk.
            return Ok(unsafe { c.ptr.add(off - c.start) });
        }
        if self.chunks[a..=b].iter().any(|c| c.pins > 0) {
            return Err(ENOTSUP);
        }
        let start = self.chunks[a].start;
        let cap = self.chunks[b].end() - start;
        let mut block = mapped_alloc(start, cap).ok_or(ENOMEM)?;
        for i in a..=b {
            let src = self.used(i);
            let at = self.chunks[i].start - start;
            // SAFETY: the source is a live chunk of this file, the destination the new block,
            // which covers every chunk from a to b.
            unsafe { core::ptr::copy_nonoverlapping(src.as_ptr(), block.ptr.add(at), src.len()) };
        }
        for c in self.chunks.drain(a..=b) {
            chunk_free(&c);
        }
        block.pins = 1;
        // SAFETY: off lies within [start, start + cap).
        let p = unsafe { block.ptr.add(off - start) };
        self.chunks.insert(a, block);
        Ok(p)
    }

    /// Drop the mapping whose address is `addr`; false when no pinned block holds it. Memory
    /// past the end of the file that only the mapping kept is given back.
    pub fn unmap(&mut self, addr: usize) -> bool {
        let held =
            |c: &Chunk| c.pins > 0 && addr >= c.ptr as usize && addr < c.ptr as usize + c.cap;
        match self.chunks.iter().position(held) {
            Some(i) => {
                self.chunks[i].pins -= 1;
                self.shrink(self.len);
                true
            }
            None => false,
        }
    }

    /// Self-check: the chunks tile [0, cap) in order, the file fits in them, and `pins`
    /// mappings pin them.
    pub fn check(&self, pins: u32) -> Result<(), &'static str> {
        let mut at = 0;
        for c in &self.chunks {
            if c.start != at || c.cap == 0 {
                return Err("fs: file chunks do not tile the file");
            }
            at += c.cap;
        }
        if at != self.cap || self.len > self.cap {
            return Err("fs: file capacity mismatch");
        }
        if self.chunks.iter().map(|c| c.pins).sum::<u32>() != pins {
            return Err("fs: mapping pin count mismatch");
        }
        Ok(())
    }
}

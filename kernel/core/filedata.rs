//! A regular file's contents: chunks of memory from wherever memory is left, so a file may be as
//! large as the board's free memory rather than a fixed budget.
//!
//! Chunks are `CHUNK` bytes except the last, which grows by doubling up to `CHUNK` (a small
//! file stays small). A large file therefore needs no contiguous block, and growing it never
//! copies what it already holds. Where a chunk comes from is the kernel's choice (`Mem`: in the
//! kernel, from the kernel heap while half of it stays free, then from the app heap;
//! kernel/src/fs/data.rs); when no memory answers, ENOSPC.
//!
//! A shared mapping (`map`) is the file's own bytes: there is one address space, so the range
//! it covers is made one block (the chunks under it coalesced into a block of the app heap,
//! which the app may address) and pinned. A pinned block never moves and is never freed, so
//! read()/write() and the mapping touch the same bytes; growth past it adds chunks after it.
//! Each chunk therefore records the file offset it starts at (coalesced blocks are larger than
//! `CHUNK`). A range that would have to coalesce a block already pinned by another mapping
//! cannot be made contiguous: ENOTSUP.
use alloc::vec::Vec;
use core::marker::PhantomData;

use super::errno::{ENOMEM, ENOSPC, ENOTSUP};

type R<T> = Result<T, i32>;

pub const CHUNK: usize = 16 * 1024;
/// The first chunk's size, and the least a last chunk shrinks to.
const MIN_CHUNK: usize = 64;
pub const ALIGN: usize = 16;
/// mmap answers page-aligned addresses: a mapped block sits so that every page-aligned file
/// offset in it has a page-aligned address.
pub const PAGE: usize = 4096;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Home {
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

/// Where chunks come from: the kernel's heaps, or the host tests' global allocator with a budget
/// (so they can run memory out). Associated functions, not methods: a file's chunks are freed
/// from `Drop`, which has nothing but the file.
pub trait Mem {
    /// A chunk of `cap` bytes (`cap` > 0, aligned to ALIGN); None when memory is used up.
    fn alloc(cap: usize) -> Option<(*mut u8, Home)>;
    /// `size` bytes the app may address (a mapping's block): their address, or None.
    fn alloc_app(size: usize) -> Option<usize>;
    /// Give back a chunk: `ptr` and `cap` as `alloc` answered, or an app block by its `home`.
    fn free(ptr: *mut u8, cap: usize, home: Home);
}

fn chunk_alloc<M: Mem>(start: usize, cap: usize) -> Option<Chunk> {
    let (ptr, home) = M::alloc(cap)?;
    Some(Chunk { start, ptr, cap, home, pins: 0 })
}

/// A block for a mapping: app memory, placed so that `ptr` and `start` are congruent modulo
/// PAGE, and zeroed (a mapping shows the bytes past the end of the file too).
fn mapped_alloc<M: Mem>(start: usize, cap: usize) -> Option<Chunk> {
    let size = cap.checked_add(PAGE)?;
    let base = M::alloc_app(size)?;
    let ptr = base + (start.wrapping_sub(base) % PAGE);
    // SAFETY: [ptr, ptr + cap) lies within the `size` bytes just allocated.
    unsafe { core::ptr::write_bytes(ptr as *mut u8, 0, cap) };
    Some(Chunk { start, ptr: ptr as *mut u8, cap, home: Home::App { base, size }, pins: 0 })
}

fn chunk_free<M: Mem>(c: &Chunk) {
    M::free(c.ptr, c.cap, c.home)
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

pub struct FileData<M: Mem> {
    chunks: Vec<Chunk>,
    len: usize,
    cap: usize,
    mem: PhantomData<M>,
}

impl<M: Mem> Drop for FileData<M> {
    fn drop(&mut self) {
        for c in &self.chunks {
            chunk_free::<M>(c);
        }
    }
}

impl<M: Mem> FileData<M> {
    pub const fn new() -> Self {
        FileData { chunks: Vec::new(), len: 0, cap: 0, mem: PhantomData }
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
                    let c = chunk_alloc::<M>(self.cap, want).ok_or(ENOSPC)?;
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
        let new = chunk_alloc::<M>(self.chunks[i].start, want).ok_or(ENOSPC)?;
        let old = core::mem::replace(&mut self.chunks[i], new);
        // SAFETY: two distinct live chunks, each at least `keep` bytes.
        unsafe { core::ptr::copy_nonoverlapping(old.ptr, self.chunks[i].ptr, keep) };
        chunk_free::<M>(&old);
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
            chunk_free::<M>(&c);
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
        let mut block = mapped_alloc::<M>(start, cap).ok_or(ENOMEM)?;
        for i in a..=b {
            let src = self.used(i);
            let at = self.chunks[i].start - start;
            // SAFETY: the source is a live chunk of this file, the destination the new block,
            // which covers every chunk from a to b.
            unsafe { core::ptr::copy_nonoverlapping(src.as_ptr(), block.ptr.add(at), src.len()) };
        }
        for c in self.chunks.drain(a..=b) {
            chunk_free::<M>(&c);
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

#[cfg(test)]
mod tests {
    use alloc::vec;
    use alloc::vec::Vec;

    use super::*;
    use super::super::testenv::{live, set_budget, T};

    fn pattern(n: usize, seed: u8) -> Vec<u8> {
        (0..n).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect()
    }

    fn contents(d: &mut FileData<T>) -> Vec<u8> {
        let mut out = vec![0xAA; d.len()];
        assert_eq!(d.read(0, &mut out), d.len());
        out
    }

    #[test]
    fn a_small_file_stays_small_and_grows_by_doubling() {
        let mut d = FileData::<T>::new();
        d.resize(10).unwrap();
        assert_eq!(d.capacity(), MIN_CHUNK);
        d.resize(100).unwrap();
        assert_eq!(d.capacity(), 128);
        d.resize(1000).unwrap();
        assert_eq!(d.capacity(), 1000); // asked for more than double: what was asked
        assert_eq!(live(), d.capacity());
        d.check(0).unwrap();
    }

    #[test]
    fn data_grows_across_chunks_and_reads_back_across_their_edges() {
        let mut d = FileData::<T>::new();
        let data = pattern(3 * CHUNK + 5, 7);
        // Written in pieces that straddle the chunk edges.
        for piece in data.chunks(CHUNK / 3 + 1).scan(0, |at, p| {
            let o = *at;
            *at += p.len();
            Some((o, p))
        }) {
            d.resize(piece.0 + piece.1.len()).unwrap();
            d.write(piece.0, piece.1);
        }
        assert_eq!(d.len(), data.len());
        assert_eq!(d.capacity(), 3 * CHUNK + MIN_CHUNK); // three full chunks and a small last one
        assert_eq!(contents(&mut d), data);
        let mut mid = [0u8; 10];
        assert_eq!(d.read(CHUNK - 5, &mut mid), 10);
        assert_eq!(&mid[..], &data[CHUNK - 5..CHUNK + 5]);
        assert_eq!(d.read(data.len() - 3, &mut mid), 3); // short at the end
        assert_eq!(d.read(data.len(), &mut mid), 0);
        let pieces: Vec<usize> = d.slices().map(|s| s.len()).collect();
        assert_eq!(pieces, [CHUNK, CHUNK, CHUNK, 5]);
        d.check(0).unwrap();
    }

    #[test]
    fn truncate_gives_memory_back_and_regrowth_reads_zeros() {
        let mut d = FileData::<T>::new();
        let data = pattern(2 * CHUNK + 100, 3);
        d.resize(data.len()).unwrap();
        d.write(0, &data);
        d.resize(CHUNK + 10).unwrap();
        assert_eq!(d.len(), CHUNK + 10);
        assert!(d.capacity() < CHUNK + CHUNK / 2, "the last chunk shrank: {}", d.capacity());
        assert_eq!(live(), d.capacity());
        // Sparse: growing again shows zeros where the old bytes were, not the old bytes.
        d.resize(2 * CHUNK + 100).unwrap();
        let now = contents(&mut d);
        assert_eq!(&now[..CHUNK + 10], &data[..CHUNK + 10]);
        assert!(now[CHUNK + 10..].iter().all(|&b| b == 0));
        d.resize(0).unwrap();
        assert_eq!((d.len(), d.capacity(), live()), (0, 0, 0));
        d.check(0).unwrap();
    }

    #[test]
    fn exhaustion_is_enospc_and_leaves_the_file_as_it_was() {
        let mut d = FileData::<T>::new();
        let data = pattern(CHUNK + 1000, 9);
        d.resize(data.len()).unwrap();
        d.write(0, &data);
        let held = live();
        set_budget(CHUNK / 2);
        assert_eq!(d.resize(4 * CHUNK), Err(ENOSPC));
        assert_eq!(d.len(), data.len());
        assert_eq!(contents(&mut d), data);
        assert_eq!(live(), held, "what the failed growth took was given back");
        d.check(0).unwrap();
        // Growth that fits the budget still works.
        d.resize(data.len() + 100).unwrap();
        assert_eq!(&contents(&mut d)[..data.len()], &data[..]);
    }

    #[test]
    fn dropping_a_file_frees_every_chunk() {
        {
            let mut d = FileData::<T>::new();
            d.resize(5 * CHUNK + 3).unwrap();
            assert!(live() >= 5 * CHUNK);
        }
        assert_eq!(live(), 0);
    }

    #[test]
    fn a_mapping_is_the_files_own_bytes_and_stays_put() {
        let mut d = FileData::<T>::new();
        let data = pattern(2 * CHUNK, 5);
        d.resize(data.len()).unwrap();
        d.write(0, &data);
        // Straddles two chunks: they are coalesced into one block, page-placed.
        let p = d.map(CHUNK - PAGE, 2 * PAGE).unwrap();
        assert_eq!(p as usize % PAGE, 0);
        // SAFETY: the mapping covers 2 pages from p.
        let m = unsafe { core::slice::from_raw_parts_mut(p, 2 * PAGE) };
        assert_eq!(&m[..], &data[CHUNK - PAGE..CHUNK + PAGE]);
        m[0] = 0xEE; // a store through the mapping is the file's byte
        let mut b = [0u8; 1];
        d.read(CHUNK - PAGE, &mut b);
        assert_eq!(b[0], 0xEE);
        d.write(CHUNK, &[0x11]); // and a write() shows in the mapping
        assert_eq!(m[PAGE], 0x11);
        d.check(1).unwrap();
        // Growth past a pinned block adds chunks after it; the block does not move.
        d.resize(4 * CHUNK).unwrap();
        assert_eq!(m[PAGE], 0x11);
        d.check(1).unwrap();
        assert!(d.unmap(p as usize));
        assert!(!d.unmap(p as usize));
        d.check(0).unwrap();
    }

    #[test]
    fn a_range_over_a_block_another_mapping_pins_is_enotsup() {
        let mut d = FileData::<T>::new();
        d.resize(3 * CHUNK).unwrap();
        let p = d.map(0, PAGE).unwrap();
        // [0, CHUNK) is pinned now; a range across it and the next chunk cannot be made one.
        assert_eq!(d.map(CHUNK - 10, 20), Err(ENOTSUP));
        d.check(1).unwrap();
        // Within the pinned block: the same block answers, pinned twice.
        let q = d.map(100, 10).unwrap();
        assert_eq!(q as usize, p as usize + 100);
        d.check(2).unwrap();
        set_budget(0);
        assert_eq!(d.map(2 * CHUNK, 2 * CHUNK), Err(ENOMEM));
        d.check(2).unwrap();
    }
}

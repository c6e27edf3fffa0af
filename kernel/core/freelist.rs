//! The first-fit free-list allocator under both heaps (heap.rs: the kernel's global allocator and
//! the app's AllocMem/FreeMem): address-ordered free ranges, coalesced on free, each range's
//! header stored in the range itself. It only ever touches the memory it was given in `init`, so
//! the host tests hand it a buffer of their own.

/// Every block starts and ends on this boundary (the largest alignment a C type needs).
pub const ALIGN: usize = 16;

pub fn round_up(v: usize, a: usize) -> Option<usize> {
    Some(v.checked_add(a - 1)? & !(a - 1))
}

/// Free list of address-ordered, coalesced ranges; each free range stores its header in itself.
struct Node {
    size: usize,
    next: usize,
}

pub struct FreeList {
    head: usize,
    /// The managed range [start, end), both ALIGN-aligned.
    pub start: usize,
    pub end: usize,
    /// Bytes in the free list now.
    pub free: usize,
}

impl FreeList {
    pub const fn empty() -> Self {
        FreeList { head: 0, start: 0, end: 0, free: 0 }
    }

    fn node(a: usize) -> *mut Node {
        a as *mut Node
    }

    pub fn init(&mut self, start: usize, end: usize) {
        let start = round_up(start, ALIGN).unwrap();
        let end = end & !(ALIGN - 1);
        *self = FreeList { head: start, start, end, free: end - start };
        // SAFETY: [start, end) is the unused heap region, 16-aligned and large enough.
        unsafe { Self::node(start).write(Node { size: end - start, next: 0 }) };
    }

    pub fn alloc(&mut self, size: usize, align: usize) -> Option<usize> {
        let size = round_up(size.max(ALIGN), ALIGN)?;
        let align = align.max(ALIGN);
        let (mut prev, mut cur) = (0usize, self.head);
        while cur != 0 {
            // SAFETY: every list node lies inside the heap and was written by this allocator.
            let n = unsafe { Self::node(cur).read() };
            let a = round_up(cur, align)?;
            if a.checked_add(size)? <= cur + n.size {
                let back = a + size;
                let back_size = cur + n.size - back;
                let mut next = n.next;
                if back_size > 0 {
                    // SAFETY: [back, back+back_size) is free memory of this node.
                    unsafe { Self::node(back).write(Node { size: back_size, next }) };
                    next = back;
                }
                if a > cur {
                    // SAFETY: the front gap [cur, a) stays a free node.
                    unsafe { Self::node(cur).write(Node { size: a - cur, next }) };
                } else if prev == 0 {
                    self.head = next;
                } else {
                    // SAFETY: prev is a live node.
                    unsafe { (*Self::node(prev)).next = next };
                }
                self.free -= size;
                return Some(a);
            }
            prev = cur;
            cur = n.next;
        }
        None
    }

    pub fn dealloc(&mut self, a: usize, size: usize) {
        let size = round_up(size.max(ALIGN), ALIGN).unwrap();
        let (mut prev, mut cur) = (0usize, self.head);
        while cur != 0 && cur < a {
            prev = cur;
            // SAFETY: live node.
            cur = unsafe { (*Self::node(cur)).next };
        }
        // SAFETY: a..a+size was handed out by `alloc`, so it is ours to turn into a node.
        unsafe {
            let mut size = size;
            let mut next = cur;
            if cur != 0 && a + size == cur {
                let n = Self::node(cur).read();
                size += n.size;
                next = n.next;
            }
            if prev != 0 && prev + (*Self::node(prev)).size == a {
                (*Self::node(prev)).size += size;
                (*Self::node(prev)).next = next;
            } else {
                Self::node(a).write(Node { size, next });
                if prev == 0 {
                    self.head = a;
                } else {
                    (*Self::node(prev)).next = a;
                }
            }
        }
        self.free += size;
    }

    /// Ordered, in bounds, coalesced, and the free bytes add up.
    pub fn check(&self) -> Result<(), &'static str> {
        let (mut cur, mut last_end, mut total, mut count) = (self.head, 0usize, 0usize, 0usize);
        while cur != 0 {
            if cur < self.start || cur >= self.end || cur % ALIGN != 0 {
                return Err("free node out of bounds");
            }
            // SAFETY: checked in bounds just above.
            let n = unsafe { Self::node(cur).read() };
            if n.size == 0 || n.size % ALIGN != 0 || cur + n.size > self.end {
                return Err("free node size corrupt");
            }
            if last_end != 0 && cur <= last_end {
                return Err("free list unordered or not coalesced");
            }
            last_end = cur + n.size;
            total += n.size;
            count += 1;
            if count > 1 << 20 {
                return Err("free list loops");
            }
            cur = n.next;
        }
        if total != self.free {
            return Err("free byte count mismatch");
        }
        Ok(())
    }
}


#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;

    /// A list over a buffer of our own: (the list, the buffer that must outlive it).
    fn heap(bytes: usize) -> (FreeList, Vec<u128>) {
        let mut buf = vec![0u128; bytes / 16];
        let start = buf.as_mut_ptr() as usize;
        let mut l = FreeList::empty();
        l.init(start, start + bytes);
        (l, buf)
    }

    /// The free ranges, in list order, relative to the heap's start.
    fn ranges(l: &FreeList) -> Vec<(usize, usize)> {
        let (mut out, mut cur) = (Vec::new(), l.head);
        while cur != 0 {
            // SAFETY: nodes of a list the test built.
            let n = unsafe { FreeList::node(cur).read() };
            out.push((cur - l.start, n.size));
            cur = n.next;
        }
        out
    }

    #[test]
    fn first_fit_rounds_to_16_and_frees_back_to_one_range() {
        let (mut l, _buf) = heap(4096);
        let a = l.alloc(1, 1).unwrap();
        let b = l.alloc(17, 8).unwrap();
        let c = l.alloc(100, 16).unwrap();
        assert_eq!((a - l.start, b - l.start, c - l.start), (0, 16, 48));
        assert_eq!(l.free, 4096 - 16 - 32 - 112);
        l.check().unwrap();
        // Free the middle one: a hole, then its neighbours coalesce with it.
        l.dealloc(b, 17);
        assert_eq!(ranges(&l), [(16, 32), (160, 4096 - 160)]);
        l.dealloc(a, 1);
        assert_eq!(ranges(&l), [(0, 48), (160, 4096 - 160)]);
        l.dealloc(c, 100);
        assert_eq!(ranges(&l), [(0, 4096)]);
        assert_eq!(l.free, 4096);
        l.check().unwrap();
    }

    #[test]
    fn fragmentation_can_refuse_what_the_free_total_would_hold() {
        let (mut l, _buf) = heap(1024);
        let blocks: Vec<usize> = (0..16).map(|_| l.alloc(64, 16).unwrap()).collect();
        assert_eq!(l.alloc(16, 16), None);
        for b in blocks.iter().step_by(2) {
            l.dealloc(*b, 64);
        }
        // 512 bytes free, but in 64-byte holes.
        assert_eq!(l.free, 512);
        assert_eq!(ranges(&l).len(), 8);
        assert_eq!(l.alloc(128, 16), None);
        assert_eq!(l.alloc(64, 16), Some(blocks[0]));
        // Freeing one neighbour makes a 192-byte range out of three blocks.
        l.dealloc(blocks[3], 64);
        assert_eq!(l.alloc(192, 16), Some(blocks[2]));
        l.check().unwrap();
    }

    #[test]
    fn large_alignment_leaves_the_gap_in_front_free() {
        let (mut l, _buf) = heap(8192);
        let small = l.alloc(16, 16).unwrap();
        let big = l.alloc(64, 1024).unwrap();
        assert_eq!(big % 1024, 0);
        assert!(big > small);
        // The gap between the two is still a free range the next small block takes.
        let gap = l.alloc(16, 16).unwrap();
        assert_eq!(gap, small + 16);
        l.check().unwrap();
        for (p, s) in [(big, 64), (small, 16), (gap, 16)] {
            l.dealloc(p, s);
        }
        assert_eq!(ranges(&l), [(0, 8192)]);
    }

    #[test]
    fn exhaustion_and_impossible_requests() {
        let (mut l, _buf) = heap(256);
        assert_eq!(l.alloc(257, 16), None);
        assert_eq!(l.alloc(usize::MAX - 4, 16), None);
        let all = l.alloc(256, 16).unwrap();
        assert_eq!(l.free, 0);
        assert_eq!(ranges(&l), []);
        assert_eq!(l.alloc(1, 1), None);
        l.dealloc(all, 256);
        assert_eq!(l.free, 256);
        l.check().unwrap();
    }

    #[test]
    fn check_finds_a_corrupted_list() {
        let (mut l, _buf) = heap(512);
        let a = l.alloc(32, 16).unwrap();
        let _b = l.alloc(32, 16).unwrap();
        l.dealloc(a, 32);
        l.check().unwrap();
        // What a stray write into a free range does to its header.
        // SAFETY: `a` is a free node of this test's heap.
        unsafe { (*FreeList::node(a)).size = 24 };
        assert_eq!(l.check(), Err("free node size corrupt"));
        unsafe { (*FreeList::node(a)).size = 32 };
        l.free += 16;
        assert_eq!(l.check(), Err("free byte count mismatch"));
    }

    /// Random allocate/free against a model of which bytes are live: no block overlaps another,
    /// every block is inside the heap and aligned, and freeing everything gives back one range.
    #[test]
    fn random_patterns_keep_blocks_disjoint_and_coalesce_fully() {
        const SIZE: usize = 64 * 1024;
        let (mut l, _buf) = heap(SIZE);
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut rand = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut live: Vec<(usize, usize)> = Vec::new();
        let (mut refused, mut done) = (0, 0);
        for _ in 0..20_000 {
            if live.is_empty() || rand(100) < 55 {
                let max = if rand(10) == 0 { 4096 } else { 200 };
                let size = 1 + rand(max);
                let align = 1 << (rand(8) + 1);
                match l.alloc(size, align) {
                    Some(p) => {
                        assert_eq!(p % align.max(ALIGN), 0);
                        assert!(p >= l.start && p + size <= l.end);
                        live.push((p, size));
                        done += 1;
                    }
                    None => refused += 1,
                }
            } else {
                let (p, size) = live.swap_remove(rand(live.len()));
                l.dealloc(p, size);
            }
            if done % 97 == 0 {
                l.check().unwrap();
                let mut v = live.clone();
                v.sort_unstable();
                for w in v.windows(2) {
                    assert!(w[0].0 + round_up(w[0].1, ALIGN).unwrap() <= w[1].0, "overlap");
                }
                let used: usize = v.iter().map(|&(_, s)| round_up(s, ALIGN).unwrap()).sum();
                assert_eq!(used + l.free, SIZE);
            }
        }
        assert!(done > 5_000 && refused > 0, "the pattern filled the heap ({done}, {refused})");
        for (p, size) in live.drain(..) {
            l.dealloc(p, size);
        }
        assert_eq!(ranges(&l), [(0, SIZE)]);
        l.check().unwrap();
    }
}

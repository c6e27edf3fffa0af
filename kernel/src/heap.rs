//! Memory: the kernel heap (Rust's global allocator, inside the kernel-private region) and the
//! app heap behind `AllocMem`/`FreeMem` (in the app's memory, book-kept on the kernel side so a
//! stray app write cannot corrupt the allocator).
use core::alloc::{GlobalAlloc, Layout};

use crate::global::Global;

extern "C" {
    static mut __bss_start: u8;
    static mut __bss_end: u8;
    static __kheap_start: u8;
    static __kheap_end: u8;
    static __uheap_start: u8;
    static __ram_end: u8;
}

fn sym(s: &u8) -> usize {
    s as *const u8 as usize
}

/// # Safety
/// Call once, first thing at boot.
pub unsafe fn zero_bss() {
    let (s, e) = (&mut __bss_start as *mut u8, &mut __bss_end as *mut u8);
    let n = e as usize - s as usize;
    for i in 0..n {
        // SAFETY: [__bss_start, __bss_end) is the linker-defined .bss, unused yet.
        s.add(i).write_volatile(0);
    }
}

use crate::kcore::freelist::{round_up, FreeList, ALIGN};

struct KernelAlloc;

#[link_section = ".kdata"]
static KHEAP: Global<FreeList> = Global::new(FreeList::empty());

// SAFETY: the kernel is single-core and non-reentrant (see `Global`).
unsafe impl GlobalAlloc for KernelAlloc {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        KHEAP.with(|h| h.alloc(l.size(), l.align())).unwrap_or(0) as *mut u8
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        KHEAP.with(|h| h.dealloc(p as usize, l.size()))
    }
}

#[global_allocator]
static ALLOC: KernelAlloc = KernelAlloc;

/// The app heap. Which ranges are handed out is kept in two bitmaps (a bit per 16-byte granule:
/// where a block starts, where it ends) laid out at the bottom of the app region itself: their
/// size is fixed at boot, so no number of `AllocMem`s can use up the kernel heap (a map of live
/// blocks in the kernel heap grew with every malloc, and many small ones exhausted it: a kernel
/// fault instead of ENOMEM). The free list's headers live in the app region already; the bitmaps
/// add nothing an app's stray write could not already break.
pub struct UserHeap {
    list: FreeList,
    /// `starts[g]`: a live block starts at granule g; `ends[g]`: one ends there (inclusive).
    starts: *mut u64,
    ends: *mut u64,
    words: usize,
    /// Live blocks, bytes handed out now (in granules' bytes), and the most at any time
    /// (`bkport run --stats`).
    live: usize,
    in_use: usize,
    peak: usize,
    /// Bytes of file data the RAM file system keeps here (`data_alloc`).
    data: usize,
    /// Nothing at or above this address has been handed out since boot. A fresh QEMU's RAM is
    /// zero there; after a resident reset (resident.rs) it holds the last call's data, so a
    /// block reaching above it is zeroed first: an app reading memory it never wrote sees what
    /// a fresh boot shows it.
    untouched: usize,
}

impl UserHeap {
    fn take(&mut self, a: usize, size: usize) {
        let end = a + size;
        if end > self.untouched {
            if crate::resident::active() {
                let from = a.max(self.untouched);
                // SAFETY: [from, end) is inside the block just handed out of the app heap.
                unsafe { core::ptr::write_bytes(from as *mut u8, 0, end - from) };
            }
            self.untouched = end;
        }
    }

    fn granule(&self, a: usize) -> usize {
        (a - self.list.start) / ALIGN
    }

    fn bit(map: *mut u64, g: usize) -> bool {
        // SAFETY: g is a granule of the heap, so its word lies inside the bitmap.
        unsafe { *map.add(g / 64) >> (g % 64) & 1 != 0 }
    }

    fn set(map: *mut u64, g: usize, v: bool) {
        // SAFETY: as `bit`.
        unsafe {
            let w = map.add(g / 64);
            if v { *w |= 1 << (g % 64) } else { *w &= !(1 << (g % 64)) }
        }
    }

    /// The granule where the block starting at granule g ends: the first end bit at or after
    /// g (blocks never overlap).
    fn end_of(&self, g: usize) -> Option<usize> {
        let mut w = g / 64;
        // SAFETY: w < words (checked in the loop), inside the bitmap.
        let mut bits = unsafe { *self.ends.add(w) } & (!0u64 << (g % 64));
        loop {
            if bits != 0 {
                return Some(w * 64 + bits.trailing_zeros() as usize);
            }
            w += 1;
            if w >= self.words {
                return None;
            }
            // SAFETY: as above.
            bits = unsafe { *self.ends.add(w) };
        }
    }
}

#[link_section = ".kdata"]
static UHEAP: Global<Option<UserHeap>> = Global::new(None);

pub fn init() {
    // SAFETY: linker-defined region bounds.
    let (ks, ke, us, ue) = unsafe {
        (sym(&__kheap_start), sym(&__kheap_end), sym(&__uheap_start), sym(&__ram_end))
    };
    KHEAP.with(|h| h.init(ks, ke));
    // Two bits per granule of what remains: solve words * 64 * 16 >= ue - (us + 16 * words).
    let words = (ue - us + ALIGN * 64 + 15) / (ALIGN * 64 + 16);
    let maps = round_up(us, ALIGN).unwrap();
    let (starts, ends) = (maps as *mut u64, (maps + words * 8) as *mut u64);
    // SAFETY: [maps, maps + 16 * words) is the bottom of the app region, not yet handed out;
    // zeroed here because a resident reset leaves the last call's bits behind.
    unsafe { core::ptr::write_bytes(starts as *mut u8, 0, words * 16) };
    let mut list = FreeList::empty();
    list.init(maps + words * 16, ue);
    let heap = Some(UserHeap { list, starts, ends, words, live: 0, in_use: 0, peak: 0,
                                   data: 0, untouched: maps + words * 16 });
    UHEAP.with(|h| *h = heap);
}

fn with_uheap<R>(f: impl FnOnce(&mut UserHeap) -> R) -> R {
    UHEAP.with(|h| f(h.as_mut().expect("user heap not initialised")))
}

/// `AllocMem`: None when out of memory or for an impossible request.
pub fn user_alloc(size: usize, align: usize) -> Option<usize> {
    if size == 0 || !align.is_power_of_two() || align > 1 << 20 || size > 1 << 30 {
        return None;
    }
    with_uheap(|h| {
        let a = h.list.alloc(size, align)?;
        let rounded = round_up(size.max(ALIGN), ALIGN)?;
        h.take(a, size);
        let g = h.granule(a);
        UserHeap::set(h.starts, g, true);
        UserHeap::set(h.ends, g + rounded / ALIGN - 1, true);
        h.live += 1;
        h.in_use += rounded;
        h.peak = h.peak.max(h.in_use);
        Some(a)
    })
}

/// `FreeMem`: false when `a` is not a live allocation.
pub fn user_free(a: usize) -> bool {
    with_uheap(|h| {
        if a < h.list.start || a >= h.list.end || a % ALIGN != 0 {
            return false;
        }
        let g = h.granule(a);
        if !UserHeap::bit(h.starts, g) {
            return false;
        }
        let e = match h.end_of(g) {
            Some(e) => e,
            None => return false,
        };
        UserHeap::set(h.starts, g, false);
        UserHeap::set(h.ends, e, false);
        let size = (e - g + 1) * ALIGN;
        h.live -= 1;
        h.in_use -= size;
        h.list.dealloc(a, size);
        true
    })
}

/// File data in the app's memory, for the RAM file system once its share of the kernel heap is
/// used (fs/data.rs): a file may be as large as the memory the board has. Taken from the app
/// heap's free list but not entered in `live`, so the app's FreeMem can never release it, and
/// not counted as the app's own (`in_use`, `peak`).
pub fn data_alloc(size: usize) -> Option<usize> {
    // The pool first: the app's own memory stays the app's for as long as possible.
    if let Some(a) = pool_alloc(size) {
        return Some(a);
    }
    with_uheap(|h| {
        let a = h.list.alloc(size, ALIGN)?;
        h.take(a, size);
        h.data += round_up(size.max(ALIGN), ALIGN)?;
        Some(a)
    })
}

/// Give back what `data_alloc(size)` returned.
pub fn data_free(a: usize, size: usize) {
    if POOL.with(|p| p.end != 0 && a >= p.start && a < p.end) {
        POOL.with(|p| p.dealloc(a, size));
        return;
    }
    with_uheap(|h| {
        h.list.dealloc(a, size);
        h.data -= round_up(size.max(ALIGN), ALIGN).unwrap();
    })
}

/// File data in the boot blob region, on a board whose table says `file_pool` (boards.toml):
/// QEMU's mps2-an385 has 3 MiB of app RAM but a 16 MiB PSRAM for the blob, so a file the size
/// of busybox's cp test (5 MiB) fits only there. What the call's blob leaves free past its end
/// is free from the start; the initial-files archive inside the blob joins entry by entry as
/// the file system copies it out (`pool_release_below`), so a call whose files fill most of
/// the blob still has room for them once unpacked. Empty (end 0) on other boards.
#[link_section = ".kdata"]
static POOL: Global<FreeList> = Global::new(FreeList::empty());
/// The part of the archive not handed to the pool yet: [next, limit).
#[link_section = ".kdata"]
static POOL_PENDING: Global<(usize, usize)> = Global::new((0, 0));

/// Set the pool up for this call: `archive` is the initial-files archive's range inside the
/// blob, `used_end` the end of everything else the blob holds (argv, stdin, host paths).
pub fn pool_init(archive: (usize, usize), used_end: usize) {
    if !crate::board::BOOT_BLOB_FILE_POOL {
        return;
    }
    let end = (crate::board::BOOT_BLOB + crate::board::BOOT_BLOB_MAX) & !(ALIGN - 1);
    let tail = round_up(used_end.max(archive.1), ALIGN).unwrap();
    if tail + ALIGN * 4 > end {
        return;
    }
    let (lo, hi) = (round_up(archive.0, ALIGN).unwrap(), archive.1 & !(ALIGN - 1));
    POOL.with(|p| {
        p.init(tail, end);
        if lo < hi {
            // The managed range starts at the archive, which `pool_release_below` frees later.
            p.start = lo;
        }
    });
    POOL_PENDING.with(|r| *r = if lo < hi { (lo, hi) } else { (0, 0) });
}

/// The archive's bytes below `addr` have been copied into the file system: they join the pool.
pub fn pool_release_below(addr: usize) {
    let (next, limit) = POOL_PENDING.with(|r| *r);
    let upto = addr.min(limit) & !(ALIGN - 1);
    if upto >= next + ALIGN {
        POOL.with(|p| p.dealloc(next, upto - next));
        POOL_PENDING.with(|r| r.0 = upto);
    }
}

fn pool_alloc(size: usize) -> Option<usize> {
    POOL.with(|p| if p.end == 0 { None } else { p.alloc(size, ALIGN) })
}

pub struct HeapStats {
    pub kernel_free: usize,
    pub kernel_size: usize,
    pub user_free: usize,
    pub user_size: usize,
    pub user_live: usize,
    pub user_peak: usize,
    /// Free bytes of the blob region's file-data pool (0 without one).
    pub pool_free: usize,
}

pub fn stats() -> HeapStats {
    let (kernel_free, kernel_size) = KHEAP.with(|k| (k.free, k.end - k.start));
    let pool_free = POOL.with(|p| p.free);
    with_uheap(|u| HeapStats {
        pool_free,
        kernel_free,
        kernel_size,
        user_free: u.list.free,
        user_size: u.list.end - u.list.start,
        user_live: u.live,
        user_peak: u.peak,
    })
}

/// Self-check of both heaps: every invariant of the free lists, and live app blocks disjoint.
pub fn check() -> Result<(), &'static str> {
    KHEAP.with(|k| k.check())?;
    POOL.with(|p| if p.end == 0 { Ok(()) } else { p.check() })?;
    with_uheap(check_user_heap)
}

fn check_user_heap(u: &mut UserHeap) -> Result<(), &'static str> {
    u.list.check()?;
    // Every start has its end before the next start, and the blocks add up.
    let (mut blocks, mut bytes, mut g) = (0, 0, 0);
    let granules = (u.list.end - u.list.start) / ALIGN;
    while g < granules {
        // SAFETY: g / 64 < words: the bitmaps cover every granule.
        if g % 64 == 0 && unsafe { *u.starts.add(g / 64) | *u.ends.add(g / 64) } == 0 {
            g += 64;
            continue;
        }
        if UserHeap::bit(u.starts, g) {
            let e = u.end_of(g).ok_or("app heap block without an end")?;
            if (g + 1..e).any(|x| UserHeap::bit(u.starts, x)) {
                return Err("app heap blocks overlap");
            }
            blocks += 1;
            bytes += (e - g + 1) * ALIGN;
            g = e + 1;
        } else {
            if UserHeap::bit(u.ends, g) {
                return Err("app heap block end without a start");
            }
            g += 1;
        }
    }
    if blocks != u.live || bytes != u.in_use {
        return Err("app heap accounting");
    }
    if u.in_use + u.data + u.list.free > u.list.end - u.list.start {
        return Err("app heap accounting");
    }
    Ok(())
}

//! Where file data lives in the kernel (`Mem` for the core's chunked files, kernel/core/
//! filedata.rs): a chunk comes from the kernel heap while half of that heap stays free for the
//! kernel's own structures (inodes, descriptors, pipes, and the app heap's record of every
//! malloc), then from the app heap (`heap::data_alloc`). ENOSPC means both are exhausted, so a
//! file may be as large as the board's free memory rather than a fixed budget. A mapping's block
//! comes from the app heap: the kernel heap is not the app's to address.
use alloc::alloc::{alloc, dealloc, Layout};

use super::Kernel;
use crate::kcore::filedata::{Home, Mem, ALIGN};

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

impl Mem for Kernel {
    fn alloc(cap: usize) -> Option<(*mut u8, Home)> {
        if kernel_room(cap) {
            let layout = Layout::from_size_align(cap, ALIGN).ok()?;
            // SAFETY: the core never asks for zero bytes. A null answer (no block that large in
            // a fragmented heap) falls through to the app heap.
            let p = unsafe { alloc(layout) };
            if !p.is_null() {
                return Some((p, Home::Kernel));
            }
        }
        let a = crate::heap::data_alloc(cap)?;
        Some((a as *mut u8, Home::App { base: a, size: cap }))
    }

    fn alloc_app(size: usize) -> Option<usize> {
        crate::heap::data_alloc(size)
    }

    fn free(ptr: *mut u8, cap: usize, home: Home) {
        match home {
            // SAFETY: allocated by `alloc` above with this size and alignment.
            Home::Kernel => unsafe { dealloc(ptr, Layout::from_size_align_unchecked(cap, ALIGN)) },
            Home::App { base, size } => crate::heap::data_free(base, size),
        }
    }
}

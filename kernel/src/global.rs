//! Kernel state lives in `Global`s placed in `.kdata`, outside the app's memory.
//! The kernel is single-core and never re-entered (traps run with interrupts masked), so a
//! `Global` is only ever touched by one trap at a time.
use core::cell::UnsafeCell;

pub struct Global<T>(UnsafeCell<T>);

// SAFETY: single core, non-reentrant kernel: no concurrent access exists.
unsafe impl<T> Sync for Global<T> {}

impl<T> Global<T> {
    pub const fn new(v: T) -> Self {
        Global(UnsafeCell::new(v))
    }
    /// Callers must not hold two results of `get` on the same Global at once.
    #[allow(clippy::mut_from_ref)]
    pub fn get(&self) -> &mut T {
        // SAFETY: see the type's comment; callers keep borrows short and never overlapping.
        unsafe { &mut *self.0.get() }
    }
}

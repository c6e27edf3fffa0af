//! Kernel state lives in `Global`s placed in `.kdata`, outside the app's memory.
//! The kernel is single-core and never re-entered (traps run with interrupts masked), so a
//! `Global` is only ever touched by one trap at a time. What is left to get wrong is the kernel
//! itself holding two `&mut` to one Global at once (a function that holds the scheduler calling
//! another that takes it again): `with` scopes the borrow to a closure, and a busy flag turns a
//! nested `with` on the same Global into a panic naming the state, where an aliasing `&mut`
//! would silently corrupt it. The flag is one byte load and store per access.
use core::cell::{Cell, UnsafeCell};

pub struct Global<T> {
    v: UnsafeCell<T>,
    busy: Cell<bool>,
}

// SAFETY: single core, non-reentrant kernel: no concurrent access exists; `busy` stops the
// kernel's own nested access.
unsafe impl<T> Sync for Global<T> {}

#[cold]
#[inline(never)]
#[track_caller]
fn nested(what: &'static str) -> ! {
    panic!("kernel state {} is already borrowed (nested Global::with)", what)
}

impl<T> Global<T> {
    pub const fn new(v: T) -> Self {
        Global { v: UnsafeCell::new(v), busy: Cell::new(false) }
    }

    /// Run `f` with the only `&mut` to the state; panics if the state is already borrowed.
    #[inline(always)]
    #[track_caller]
    pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        if self.busy.replace(true) {
            nested(core::any::type_name::<T>());
        }
        // SAFETY: `busy` was clear, so no other borrow of the value is live; it stays set
        // until `f` returns (a diverging `f` never gives the state back, which is the end of
        // the run).
        let r = f(unsafe { &mut *self.v.get() });
        self.busy.set(false);
        r
    }

    /// As `with`, or None when the state is borrowed: for the fault path, which may run while
    /// the code that failed still holds the state.
    #[inline(always)]
    pub fn try_with<R>(&self, f: impl FnOnce(&mut T) -> R) -> Option<R> {
        if self.busy.get() {
            return None;
        }
        Some(self.with(f))
    }
}

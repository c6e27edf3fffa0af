//! The kernel's core: data structures and policies with no kernel state and no hardware, so the
//! same files build into the kernel (main.rs mounts this directory as `crate::kcore`) and into a
//! host crate (`host.rs`) whose unit tests run with the host's rustc (tests/kernel/test_core.py).
//!
//! Rule of the layer: files here use only `core`, `alloc` and each other (`super::`), never
//! `crate::`; the kernel adapts them to its state (heap.rs, sched.rs, fs/archive.rs).
pub mod cpio;
pub mod freelist;
pub mod runq;

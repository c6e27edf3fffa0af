//! Crate root of the kernel core built for the host: `rustc --edition 2021 --test host.rs`
//! (tests/kernel/test_core.py) runs the unit tests of every module of `mod.rs`.
#![cfg_attr(not(test), no_std)]

extern crate alloc;

#[path = "mod.rs"]
pub mod kcore;

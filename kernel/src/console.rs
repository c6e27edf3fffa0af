//! Console output and kernel messages, all on the board UART.
//!
//! One serial line carries three streams: the app's stdout, its stderr and the kernel's own
//! messages. So the host can tell them apart without a second UART (QEMU's `virt` boards have
//! one), the line is framed with DLE (0x10): `DLE '1'`, `DLE '2'` and `DLE 'k'` switch to
//! stdout, stderr and kernel; a data byte 0x10 is sent as `DLE DLE`; `DLE 'e'` ends a resident call. The line starts on stdout, so
//! an app that only writes stdout (and no 0x10 byte) comes out unchanged.
//! `porter.toolchain.qemu.demux` undoes the framing.
use core::fmt::{self, Write};

use crate::arch::{Arch, Cpu};
use crate::global::Global;

const DLE: u8 = 0x10;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout = b'1' as isize,
    Stderr = b'2' as isize,
    Kernel = b'k' as isize,
}

#[link_section = ".kdata"]
static CURRENT: Global<Stream> = Global::new(Stream::Stdout);

fn put(stream: Stream, bytes: &[u8]) {
    // A panic while the stream switch is under way (a fault in putc) still gets its message
    // out: try_with, and a switch code sent anyway when the record is taken.
    let switch = CURRENT.try_with(|cur| core::mem::replace(cur, stream) != stream).unwrap_or(true);
    if switch {
        Cpu::putc(DLE);
        Cpu::putc(stream as u8);
    }
    for &b in bytes {
        if b == DLE {
            Cpu::putc(DLE);
        }
        Cpu::putc(b);
    }
}

pub struct Uart;

impl Write for Uart {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        put(Stream::Kernel, s.as_bytes());
        Ok(())
    }
}

/// App output on descriptor `fd` of the console (2 is stderr, anything else stdout).
pub fn write_fd(fd: u8, bytes: &[u8]) {
    put(if fd == 2 { Stream::Stderr } else { Stream::Stdout }, bytes);
}

/// The end of a resident call (resident.rs): `DLE 'e'`, after everything the call wrote. The
/// next call's line starts on stdout again (the reset restores `CURRENT`).
pub fn end_call() {
    Cpu::putc(DLE);
    Cpu::putc(b'e');
}

pub fn kprint(args: fmt::Arguments) {
    let _ = Uart.write_fmt(args);
}

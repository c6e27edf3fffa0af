//! Console output (stdout and stderr both go to the board UART) and kernel messages.
use core::fmt::{self, Write};

pub struct Uart;

impl Write for Uart {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for b in s.bytes() {
            crate::arch::putc(b);
        }
        Ok(())
    }
}

pub fn write_bytes(bytes: &[u8]) {
    for &b in bytes {
        crate::arch::putc(b);
    }
}

pub fn kprint(args: fmt::Arguments) {
    let _ = Uart.write_fmt(args);
}

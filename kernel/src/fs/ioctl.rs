//! ioctl(2): the two requests programs ask of any descriptor. Request numbers are Linux's (the
//! layer's `<sys/ioctl.h>` has the same values): FIONREAD, the bytes a read would return now, and
//! TIOCGWINSZ, the terminal's size. The board's console has no size of its own: it is what a
//! terminal reports when nothing says otherwise, 80 columns by 24 rows. Anything else is ENOTTY,
//! POSIX's answer for "not a device that takes this request".
use super::{pipe, Fs, Kind, R};
use crate::syscall_table::{c_int, ENOTTY};

pub const FIONREAD: usize = 0x541B;
pub const TIOCGWINSZ: usize = 0x5413;

/// `struct winsize` (Linux's and the layer's): rows, columns, then the unused pixel sizes.
#[derive(Clone, Copy)]
#[repr(C)]
struct Winsize {
    ws_row: u16,
    ws_col: u16,
    ws_xpixel: u16,
    ws_ypixel: u16,
}

impl Fs {
    pub fn ioctl(&mut self, fd: c_int, request: usize, out: usize) -> R<usize> {
        let ofd = self.fd(fd)?;
        // Linux takes the request as a 32-bit number; a caller that declared it `int` may leave
        // the upper half of the register undefined.
        match (request as u32 as usize, ofd.kind) {
            (FIONREAD, kind) => {
                let n = match kind {
                    Kind::File(i) => self.file_len(i).saturating_sub(ofd.off.get()),
                    Kind::PipeRead(p) | Kind::PipeWrite(p) => pipe::get(&mut self.pipes, p).data.len(),
                    Kind::Console(_) => crate::run::stdin_ready(),
                    Kind::Dir(_) | Kind::Null | Kind::Zero => return Err(ENOTTY),
                };
                crate::uaccess::put(out, n.min(c_int::MAX as usize) as c_int)?;
                Ok(0)
            }
            // A console the host made a pipe (BKPORT_CONSOLE=pipe) is no terminal (isatty).
            (TIOCGWINSZ, Kind::Console(_)) if !crate::run::with(|b| b.console_pipe) => {
                crate::uaccess::put(out, Winsize { ws_row: 24, ws_col: 80, ws_xpixel: 0, ws_ypixel: 0 })?;
                Ok(0)
            }
            _ => Err(ENOTTY),
        }
    }
}

//! The "newc" cpio format (what `cpio -H newc` and Linux initramfs use) for initial files in and
//! written files out.
use alloc::vec::Vec;

pub struct Entry<'a> {
    pub name: &'a [u8],
    pub mode: u32,
    pub data: &'a [u8],
}

fn hex(b: &[u8]) -> Option<u32> {
    let s = core::str::from_utf8(b).ok()?;
    u32::from_str_radix(s, 16).ok()
}

fn pad4(n: usize) -> usize {
    (n + 3) & !3
}

/// Iterate the entries of an archive, or say where it is malformed.
pub fn parse(a: &[u8], mut f: impl FnMut(Entry) -> Result<(), &'static str>) -> Result<(), &'static str> {
    let mut off = 0;
    loop {
        let h = a.get(off..off + 110).ok_or("truncated header")?;
        if &h[..6] != b"070701" {
            return Err("bad magic (want newc 070701)");
        }
        let field = |i: usize| hex(&h[6 + 8 * i..14 + 8 * i]).ok_or("bad hex field");
        let mode = field(1)?;
        let size = field(6)? as usize;
        let namesize = field(11)? as usize;
        let name = a.get(off + 110..off + 110 + namesize).ok_or("truncated name")?;
        let name = &name[..namesize.saturating_sub(1)];
        let data_off = pad4(off + 110 + namesize);
        let data = a.get(data_off..data_off + size).ok_or("truncated data")?;
        if name == b"TRAILER!!!" {
            return Ok(());
        }
        f(Entry { name, mode, data })?;
        off = pad4(data_off + size);
    }
}

pub fn unpack(a: &[u8]) -> Result<(), &'static str> {
    parse(a, |e| crate::fs::install(e.name, e.mode, e.data))
}

pub fn push_entry(out: &mut Vec<u8>, ino: u32, name: &[u8], mode: u32, nlink: u32, mtime: u32, data: &[u8]) {
    push_header(out, ino, name, mode, nlink, mtime, data.len());
    out.extend_from_slice(data);
    pad(out, data.len());
}

/// An entry's header and name, up to where its `size` bytes of data start; the data and
/// `pad(size)` follow (a writer may send the data from elsewhere, uncopied).
pub fn push_header(out: &mut Vec<u8>, ino: u32, name: &[u8], mode: u32, nlink: u32, mtime: u32, size: usize) {
    let fields = [ino, mode, 0, 0, nlink, mtime, size as u32, 0, 0, 0, 0,
                  name.len() as u32 + 1, 0];
    out.extend_from_slice(b"070701");
    for v in fields {
        for sh in (0..8).rev() {
            out.push(b"0123456789ABCDEF"[((v >> (sh * 4)) & 0xf) as usize]);
        }
    }
    out.extend_from_slice(name);
    out.push(0);
    // Entries start 4-aligned: the padding follows from the header's own length, not from
    // `out`'s (which need not hold the data of the entries before).
    pad(out, 110 + name.len() + 1);
}

/// The zeros that align the archive after `size` bytes of data.
pub fn pad(out: &mut Vec<u8>, size: usize) {
    out.resize(out.len() + (4 - size % 4) % 4, 0);
}

pub fn trailer(out: &mut Vec<u8>) {
    push_entry(out, 0, b"TRAILER!!!", 0, 1, 0, &[]);
}

//! The "newc" cpio format (what `cpio -H newc` and Linux initramfs use) for initial files in and
//! written files out. Pure byte work: no kernel state, tested on the host (`mod tests` below).
use alloc::vec::Vec;

pub struct Entry<'a> {
    pub name: &'a [u8],
    pub mode: u32,
    /// Names of one file share (`dev`, `ino`) and have `nlink` > 1; the data comes with one of
    /// them (GNU cpio's writer: the last), the others have none.
    pub ino: u32,
    pub dev: (u32, u32),
    pub nlink: u32,
    /// Seconds since 1970.
    pub mtime: u32,
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
        let ino = field(0)?;
        let mode = field(1)?;
        let nlink = field(4)?;
        let mtime = field(5)?;
        let dev = (field(7)?, field(8)?);
        let size = field(6)? as usize;
        let namesize = field(11)? as usize;
        let name = a.get(off + 110..off + 110 + namesize).ok_or("truncated name")?;
        let name = &name[..namesize.saturating_sub(1)];
        let data_off = pad4(off + 110 + namesize);
        let data = a.get(data_off..data_off + size).ok_or("truncated data")?;
        if name == b"TRAILER!!!" {
            return Ok(());
        }
        f(Entry { name, mode, ino, dev, nlink, mtime, data })?;
        off = pad4(data_off + size);
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn entries(a: &[u8]) -> Result<Vec<(Vec<u8>, u32, Vec<u8>)>, &'static str> {
        let mut out = Vec::new();
        parse(a, |e| {
            out.push((e.name.to_vec(), e.mode, e.data.to_vec()));
            Ok(())
        })?;
        Ok(out)
    }

    fn archive() -> Vec<u8> {
        let mut a = Vec::new();
        push_entry(&mut a, 1, b"d", 0o40755, 2, 0, &[]);
        push_entry(&mut a, 2, b"d/f", 0o100644, 1, 7, b"hello");
        push_entry(&mut a, 3, b"l", 0o120777, 1, 0, b"d/f");
        trailer(&mut a);
        a
    }

    #[test]
    fn written_entries_parse_back_aligned() {
        let a = archive();
        assert_eq!(a.len() % 4, 0);
        assert_eq!(entries(&a).unwrap(), [
            (b"d".to_vec(), 0o40755, Vec::new()),
            (b"d/f".to_vec(), 0o100644, b"hello".to_vec()),
            (b"l".to_vec(), 0o120777, b"d/f".to_vec()),
        ]);
        // The header of d/f as `cpio -H newc` writes it: size 5, namesize 4 (with the NUL).
        let h = &a[a.windows(6).rposition(|w| w == b"070701").unwrap()..];
        assert_eq!(&h[6..14], b"00000000"); // the trailer's inode
        let f = a.windows(4).position(|w| w == b"d/f\0").unwrap() - 110;
        assert_eq!(&a[f + 54..f + 62], b"00000005");
        assert_eq!(&a[f + 94..f + 102], b"00000004");
    }

    #[test]
    fn inode_links_and_time_parse_back() {
        let mut a = Vec::new();
        push_entry(&mut a, 7, b"one", 0o100640, 2, 1_000_000_000, &[]);
        push_entry(&mut a, 7, b"two", 0o100640, 2, 1_000_000_000, b"shared");
        trailer(&mut a);
        let mut seen = Vec::new();
        parse(&a, |e| {
            seen.push((e.name.to_vec(), e.ino, e.nlink, e.mtime, e.dev, e.data.len()));
            Ok(())
        }).unwrap();
        assert_eq!(seen, [(b"one".to_vec(), 7, 2, 1_000_000_000, (0, 0), 0),
                          (b"two".to_vec(), 7, 2, 1_000_000_000, (0, 0), 6)]);
    }

    #[test]
    fn header_then_data_from_elsewhere_equals_push_entry() {
        let data = b"0123456789";
        let (mut one, mut two) = (Vec::new(), Vec::new());
        push_entry(&mut one, 9, b"name", 0o100600, 1, 42, data);
        push_header(&mut two, 9, b"name", 0o100600, 1, 42, data.len());
        two.extend_from_slice(data);
        pad(&mut two, data.len());
        assert_eq!(one, two);
    }

    #[test]
    fn stops_at_the_trailer() {
        let mut a = archive();
        a.extend_from_slice(b"garbage after the trailer is never read");
        assert_eq!(entries(&a).unwrap().len(), 3);
    }

    #[test]
    fn malformed_archives_say_where() {
        let a = archive();
        assert_eq!(entries(&[]), Err("truncated header"));
        assert_eq!(entries(&a[..109]), Err("truncated header"));
        // No trailer: the walk runs off the end.
        let end = a.len() - 124;
        assert_eq!(entries(&a[..end]), Err("truncated header"));
        let mut bad = a.clone();
        bad[5] = b'2'; // 070702, the checksummed variant
        assert_eq!(entries(&bad), Err("bad magic (want newc 070701)"));
        let mut bad = a.clone();
        bad[14 + 3] = b'g'; // mode
        assert_eq!(entries(&bad), Err("bad hex field"));
        // A size past the end of the archive.
        let mut bad = a.clone();
        bad[54..62].copy_from_slice(b"7FFFFFFF");
        assert_eq!(entries(&bad), Err("truncated data"));
        let mut bad = a.clone();
        bad[94..102].copy_from_slice(b"00100000");
        assert_eq!(entries(&bad), Err("truncated name"));
        // A truncated second entry fails after the first was delivered.
        let second = a.windows(4).position(|w| w == b"d/f\0").unwrap();
        let mut seen = 0;
        assert_eq!(parse(&a[..second + 2], |_| { seen += 1; Ok(()) }), Err("truncated name"));
        assert_eq!(seen, 1);
    }

    #[test]
    fn huge_fields_do_not_overflow() {
        let mut bad = archive();
        bad[54..62].copy_from_slice(b"FFFFFFFF");
        bad[94..102].copy_from_slice(b"FFFFFFFF");
        assert!(entries(&bad).is_err());
    }

    #[test]
    fn the_callback_can_refuse() {
        assert_eq!(parse(&archive(), |e| if e.name == b"l" { Err("no links") } else { Ok(()) }),
                   Err("no links"));
    }
}

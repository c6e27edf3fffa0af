//! The file system and the host: initial files in, the whole tree out (newc cpio). A symbolic
//! link is an entry of mode S_IFLNK whose data is its target, as `cpio -H newc` writes it.
//! Hard links both ways as GNU cpio and Linux's initramfs have them: the names of one file
//! share an inode number with nlink > 1, and the data comes with one of them (the last, when
//! this kernel writes). Modification times travel in whole seconds (newc has no atime: a file
//! installed from an archive gets atime = mtime, as initramfs does); a time of 0 means none
//! was given, and the entry keeps the clock's time.
//!
//! The kernel's adapter (kernel/src/fs/archive.rs) runs these on its file system: unpack at
//! boot, export at exit.
use alloc::vec::Vec;

use super::abi::{O_CREAT, O_TRUNC, O_WRONLY, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG};
use super::cpio::{self, Entry};
use super::errno::EEXIST;
use super::fs::{Env, Fs, Kind, Node, ROOT};

/// What installing one archive remembers from entry to entry.
#[derive(Default)]
struct Unpacking {
    /// The first name of each hard-linked file met so far, by (dev, ino).
    links: Vec<((u32, u32), u32, Vec<u8>)>,
    /// Directories and their times, set once nothing more is added to them.
    dirs: Vec<(usize, u64)>,
}

/// Install every entry of the initial-files archive, or say where it is malformed.
pub fn unpack<E: Env>(f: &mut Fs<E>, archive: &[u8]) -> Result<(), &'static str> {
    unpack_each(f, archive, |_| {})
}

/// `unpack`, calling `installed` with each entry's data once its bytes are copied into the tree:
/// a board whose archive sits in memory that holds file data next (the AN385's blob file pool,
/// `heap::pool_release_below`) hands that memory back entry by entry.
pub fn unpack_each<E: Env>(
    f: &mut Fs<E>,
    archive: &[u8],
    mut installed: impl FnMut(&[u8]),
) -> Result<(), &'static str> {
    let mut u = Unpacking::default();
    cpio::parse(archive, |e| {
        install(f, &e, &mut u)?;
        installed(e.data);
        Ok(())
    })?;
    for (i, t) in u.dirs {
        let n = f.ino(i);
        n.atime = t;
        n.mtime = t;
    }
    Ok(())
}

/// Create a path from the initial-files archive (parents are created as needed).
fn install<E: Env>(f: &mut Fs<E>, e: &Entry, u: &mut Unpacking) -> Result<(), &'static str> {
    let name = e.name.strip_prefix(b"./").unwrap_or(e.name);
    if name.is_empty() || name == b"." {
        return Ok(());
    }
    let mut path = Vec::from(&b"/"[..]);
    path.extend_from_slice(name);
    let comps: Vec<&[u8]> = name.split(|&c| c == b'/').filter(|c| !c.is_empty()).collect();
    let mut prefix = Vec::new();
    for c in &comps[..comps.len().saturating_sub(1)] {
        prefix.push(b'/');
        prefix.extend_from_slice(c);
        if f.resolve(&prefix).is_err() {
            f.mkdir(&prefix, 0o755).map_err(|_| "cannot create directory")?;
        }
    }
    let time = e.mtime as u64 * 1_000_000_000;
    let mode = e.mode;
    if mode & S_IFMT == S_IFLNK {
        // Names of one link (`ln` of a symbolic link) each carry its target.
        match u.links.iter().find(|l| e.nlink > 1 && l.0 == e.dev && l.1 == e.ino) {
            Some((_, _, first)) => f.link(first, &path).map_err(|_| "cannot create hard link")?,
            None => {
                f.symlink(e.data, &path).map_err(|_| "cannot create symbolic link")?;
                if e.nlink > 1 {
                    u.links.push((e.dev, e.ino, path.clone()));
                }
            }
        }
    } else if mode & S_IFMT == S_IFDIR {
        match f.mkdir(&path, mode) {
            Ok(()) if time != 0 => {
                let i = f.resolve_nofollow(&path).map_err(|_| "cannot create directory")?;
                u.dirs.push((i, time));
                return Ok(());
            }
            // An existing directory (the system's /tmp) keeps its mode and times.
            Ok(()) | Err(EEXIST) => return Ok(()),
            Err(_) => return Err("cannot create directory"),
        }
    } else if mode & S_IFMT == S_IFREG && e.nlink > 1 {
        match u.links.iter().find(|l| l.0 == e.dev && l.1 == e.ino) {
            Some((_, _, first)) => {
                f.link(first, &path).map_err(|_| "cannot create hard link")?;
                // The name that carries the data, or one of those before it (empty).
                if !e.data.is_empty() {
                    write(f, &path, 0, e.data)?;
                }
            }
            None => {
                write(f, &path, mode, e.data)?;
                u.links.push((e.dev, e.ino, path.clone()));
            }
        }
    } else {
        write(f, &path, mode, e.data)?;
    }
    if time != 0 {
        let i = f.resolve_nofollow(&path).map_err(|_| "cannot create file")?;
        let n = f.ino(i);
        n.atime = time;
        n.mtime = time;
    }
    Ok(())
}

/// Make `path` hold `data` (created with `mode`'s permissions when new).
fn write<E: Env>(f: &mut Fs<E>, path: &[u8], mode: u32, data: &[u8]) -> Result<(), &'static str> {
    let fd = f.open(path, O_WRONLY | O_CREAT | O_TRUNC, mode & 0o7777).map_err(|_| "cannot create file")?;
    let ofd = f.fd(fd as i32).unwrap();
    let r = match ofd.kind {
        Kind::File(i) => f.write_file(i, 0, data).map(|_| ()).map_err(|_| "initial files exceed the file system"),
        _ => Err("cannot create file"),
    };
    let _ = f.close(fd as i32);
    r
}

/// The whole tree as a newc archive (paths relative to /), for the host. File contents are not
/// copied: the archive is its headers plus slices of the files' own memory, in order (a copy
/// of a file as large as the board's memory would not fit the kernel heap).
pub struct Archive {
    /// Headers, names and padding, back to back.
    meta: Vec<u8>,
    /// The archive in order: a range of `meta`, or a file's bytes.
    pieces: Vec<Piece>,
}

enum Piece {
    Meta(usize, usize),
    /// Where a file's bytes are: the file system lives as long as the kernel, and nothing
    /// changes it while the archive is written out at exit.
    Data(*const u8, usize),
}

impl Archive {
    /// The archive's bytes as consecutive slices, for a writer that takes several.
    pub fn parts(&self) -> Vec<&[u8]> {
        self.pieces.iter().map(|p| match *p {
            Piece::Meta(a, b) => &self.meta[a..b],
            // SAFETY: a live file's chunk (see `Piece::Data`).
            Piece::Data(p, n) => unsafe { core::slice::from_raw_parts(p, n) },
        }).collect()
    }

    /// Append to `meta` with `f`, then record what it added.
    fn meta(&mut self, f: impl FnOnce(&mut Vec<u8>)) {
        let start = self.meta.len();
        f(&mut self.meta);
        self.pieces.push(Piece::Meta(start, self.meta.len()));
    }
}

/// The tree as an archive; `f` must not change while the archive is in use (its file data is
/// referred to, not copied).
pub fn export<E: Env>(f: &mut Fs<E>) -> Archive {
    let mut out = Archive { meta: Vec::new(), pieces: Vec::new() };
    // Every name first (path, inode), in archive order: a hard-linked file's data goes with
    // its last name, and its nlink is its names in the archive.
    let mut names: Vec<(Vec<u8>, usize)> = Vec::new();
    let mut stack: Vec<(Vec<u8>, usize)> = Vec::from([(Vec::new(), ROOT)]);
    while let Some((prefix, d)) = stack.pop() {
        let entries = match &f.ino(d).node {
            Node::Dir { entries, .. } => entries.clone(),
            _ => continue,
        };
        for (name, i) in entries {
            // The system's /dev and /proc are not the run's files; its /tmp is, once written to.
            let [dev, proc_, tmp] = f.system;
            let empty = matches!(&f.ino(i).node, Node::Dir { entries, .. } if entries.is_empty());
            if d == ROOT && (i == dev || i == proc_ || (i == tmp && empty)) {
                continue;
            }
            // Device and /proc nodes a program made elsewhere (link, rename) stay behind.
            if matches!(f.ino(i).node, Node::Dev(_) | Node::Proc(_)) {
                continue;
            }
            let mut p = prefix.clone();
            if !p.is_empty() {
                p.push(b'/');
            }
            p.extend_from_slice(&name);
            if matches!(f.ino(i).node, Node::Dir { .. }) {
                stack.push((p.clone(), i));
            }
            names.push((p, i));
        }
    }
    // Per hard-linked file: (inode, its names here, names still to come).
    let mut links: Vec<(usize, u32, u32)> = Vec::new();
    for (_, i) in &names {
        if matches!(f.ino(*i).node, Node::File(_)) && f.ino(*i).nlink > 1 {
            match links.iter_mut().find(|l| l.0 == *i) {
                Some(l) => {
                    l.1 += 1;
                    l.2 += 1;
                }
                None => links.push((*i, 1, 1)),
            }
        }
    }
    for (p, i) in names {
        let n = f.ino(i);
        let mtime = (n.mtime / 1_000_000_000) as u32;
        let ino = i as u32 + 1;
        match &n.node {
            Node::File(data) => {
                let (nlink, last) = match links.iter_mut().find(|l| l.0 == i) {
                    Some(l) => {
                        l.2 -= 1;
                        (l.1, l.2 == 0)
                    }
                    None => (1, true),
                };
                let size = if last { data.len() } else { 0 };
                out.meta(|m| cpio::push_header(m, ino, &p, n.mode, nlink, mtime, size));
                if last {
                    out.pieces.extend(data.slices().map(|s| Piece::Data(s.as_ptr(), s.len())));
                }
                out.meta(|m| cpio::pad(m, size));
            }
            Node::Symlink(t) => {
                out.meta(|m| cpio::push_entry(m, ino, &p, n.mode, n.nlink, mtime, t));
            }
            Node::Dir { .. } => {
                out.meta(|m| cpio::push_entry(m, ino, &p, n.mode, n.nlink, mtime, &[]));
            }
            Node::Dev(_) | Node::Proc(_) => {}
        }
    }
    out.meta(cpio::trailer);
    out
}

#[cfg(test)]
mod tests {
    use alloc::vec;
    use alloc::vec::Vec;

    use super::super::testenv::T;
    use super::*;

    fn fs() -> Fs<T> {
        let mut f = Fs::new();
        f.init();
        f
    }

    fn bytes(a: &Archive) -> Vec<u8> {
        a.parts().concat()
    }

    fn read(f: &mut Fs<T>, path: &[u8]) -> Vec<u8> {
        let i = f.resolve(path).unwrap();
        let mut out = vec![0u8; f.file_len(i)];
        f.read_file(i, 0, &mut out);
        out
    }

    fn put(f: &mut Fs<T>, path: &[u8], data: &[u8]) {
        write(f, path, 0o640, data).unwrap();
    }

    #[test]
    fn a_tree_goes_out_and_comes_back_the_same() {
        let mut f = fs();
        f.mkdir(b"/d", 0o750).unwrap();
        f.mkdir(b"/d/e", 0o755).unwrap();
        let big: Vec<u8> = (0..50_000u32).map(|i| (i % 253) as u8).collect();
        put(&mut f, b"/d/big", &big);
        put(&mut f, b"/top", b"top\n");
        f.symlink(b"d/big", b"/ln").unwrap();
        let a = bytes(&export(&mut f));
        let mut g = fs();
        unpack(&mut g, &a).unwrap();
        assert_eq!(read(&mut g, b"/d/big"), big);
        assert_eq!(read(&mut g, b"/top"), b"top\n");
        assert_eq!(g.readlink(b"/ln").unwrap(), b"d/big");
        let d = g.resolve(b"/d").unwrap();
        assert_eq!(g.ino(d).mode, S_IFDIR | 0o750);
        let top = g.resolve(b"/top").unwrap();
        assert_eq!(g.ino(top).mode, S_IFREG | 0o640);
        g.check().unwrap();
        // And out again: the same entries (inode numbers may differ: made in another order).
        let entries = |a: &[u8]| {
            let mut v: Vec<(Vec<u8>, u32, u32, Vec<u8>)> = Vec::new();
            cpio::parse(a, |e| {
                v.push((Vec::from(e.name), e.mode, e.nlink, Vec::from(e.data)));
                Ok(())
            })
            .unwrap();
            v.sort();
            v
        };
        let (was, now) = (entries(&a), entries(&bytes(&export(&mut g))));
        assert_eq!(was.len(), 5);
        assert!(was == now, "the tree changed on its way back");
    }

    #[test]
    fn unpack_each_reports_every_entry_after_its_bytes_are_copied() {
        let mut f = fs();
        put(&mut f, b"/x", &[1; 5000]);
        put(&mut f, b"/y", b"why\n");
        let a = bytes(&export(&mut f));
        let mut g = fs();
        let (base, mut ends) = (a.as_ptr() as usize, Vec::new());
        unpack_each(&mut g, &a, |data| {
            let end = data.as_ptr() as usize + data.len();
            assert!(end >= base && end <= base + a.len(), "data outside the archive");
            ends.push(end - base);
        })
        .unwrap();
        // Once per entry (/, /x, /y and the trailer's none), in archive order: memory below an
        // end is never read again, which is what lets a board hand it back.
        assert!(ends.len() >= 2, "{ends:?}");
        assert!(ends.windows(2).all(|w| w[0] <= w[1]), "{ends:?}");
        assert_eq!(read(&mut g, b"/x"), [1; 5000]);
    }

    #[test]
    fn hard_links_travel_as_one_inode_with_its_data_once() {
        let mut f = fs();
        put(&mut f, b"/a", &[7; 3000]);
        f.link(b"/a", b"/b").unwrap();
        let a = bytes(&export(&mut f));
        assert!(a.len() < 2 * 3000, "the data goes once: {} bytes", a.len());
        let mut g = fs();
        unpack(&mut g, &a).unwrap();
        let (ia, ib) = (g.resolve(b"/a").unwrap(), g.resolve(b"/b").unwrap());
        assert_eq!(ia, ib);
        assert_eq!(g.ino(ia).nlink, 2);
        assert_eq!(read(&mut g, b"/b"), [7; 3000]);
        g.check().unwrap();
    }

    #[test]
    fn the_system_directories_stay_behind_unless_tmp_was_written() {
        let mut f = fs();
        let names = |a: &[u8]| {
            let mut v = Vec::new();
            cpio::parse(a, |e| {
                v.push(Vec::from(e.name));
                Ok(())
            })
            .unwrap();
            v
        };
        assert!(names(&bytes(&export(&mut f))).is_empty(), "a fresh tree exports nothing");
        put(&mut f, b"/tmp/x", b"1");
        assert_eq!(names(&bytes(&export(&mut f))), [&b"tmp"[..], b"tmp/x"]);
        // Unpacking onto the system's /tmp keeps it (its sticky mode).
        let mut g = fs();
        unpack(&mut g, &bytes(&export(&mut f))).unwrap();
        let t = g.resolve(b"/tmp").unwrap();
        assert_eq!(g.ino(t).mode, S_IFDIR | 0o1777);
        assert_eq!(read(&mut g, b"/tmp/x"), b"1");
    }

    #[test]
    fn parents_are_made_times_kept_and_bad_archives_named() {
        let mut a = Vec::new();
        cpio::push_entry(&mut a, 1, b"./x/y/file", S_IFREG | 0o600, 1, 1_000, b"hello");
        cpio::trailer(&mut a);
        let mut g = fs();
        unpack(&mut g, &a).unwrap();
        assert_eq!(read(&mut g, b"/x/y/file"), b"hello");
        let i = g.resolve(b"/x/y/file").unwrap();
        assert_eq!(g.ino(i).mtime, 1_000 * 1_000_000_000);
        let n = g.ino(i);
        assert_eq!(n.atime, n.mtime);
        g.check().unwrap();
        assert!(unpack(&mut fs(), &a[..a.len() / 2]).is_err());
        assert!(unpack(&mut fs(), b"garbage that is no cpio archive at all, long enough").is_err());
    }
}

//! The file system and the host: initial files in, the whole tree out (newc cpio). A symbolic
//! link is an entry of mode S_IFLNK whose data is its target, as `cpio -H newc` writes it.
use alloc::vec::Vec;

use super::{fs, Kind, Node, ROOT};
use crate::abi::{O_CREAT, O_TRUNC, O_WRONLY, S_IFDIR, S_IFLNK, S_IFMT};
use crate::syscall_table::{c_int, EEXIST};

/// Install every entry of the initial-files archive, or say where it is malformed.
pub fn unpack(archive: &[u8]) -> Result<(), &'static str> {
    crate::cpio::parse(archive, |e| install(e.name, e.mode, e.data))
}

/// Create a path from the initial-files archive (parents are created as needed).
pub fn install(name: &[u8], mode: u32, data: &[u8]) -> Result<(), &'static str> {
    let f = fs();
    let name = name.strip_prefix(b"./").unwrap_or(name);
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
    if mode & S_IFMT == S_IFLNK {
        f.symlink(data, &path).map_err(|_| "cannot create symbolic link")
    } else if mode & S_IFMT == S_IFDIR {
        match f.mkdir(&path, mode) {
            Ok(()) | Err(EEXIST) => Ok(()),
            Err(_) => Err("cannot create directory"),
        }
    } else {
        let fd = f.open(&path, O_WRONLY | O_CREAT | O_TRUNC, mode & 0o7777).map_err(|_| "cannot create file")?;
        let ofd = f.fd(fd as c_int).unwrap();
        if let Kind::File(i) = ofd.kind {
            f.write_file(i, 0, data).map_err(|_| "initial files exceed the file system")?;
        }
        let _ = f.close(fd as c_int);
        Ok(())
    }
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

pub fn export() -> Archive {
    let f = fs();
    let mut out = Archive { meta: Vec::new(), pieces: Vec::new() };
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
            let mut p = prefix.clone();
            if !p.is_empty() {
                p.push(b'/');
            }
            p.extend_from_slice(&name);
            let n = f.ino(i);
            let mtime = (n.mtime / 1_000_000_000) as u32;
            let ino = i as u32 + 1;
            match &n.node {
                Node::File(data) => {
                    let size = data.len();
                    out.meta(|m| crate::cpio::push_header(m, ino, &p, n.mode, n.nlink, mtime, size));
                    out.pieces.extend(data.slices().map(|s| Piece::Data(s.as_ptr(), s.len())));
                    out.meta(|m| crate::cpio::pad(m, size));
                }
                Node::Symlink(t) => {
                    out.meta(|m| crate::cpio::push_entry(m, ino, &p, n.mode, n.nlink, mtime, t));
                }
                Node::Dir { .. } => {
                    out.meta(|m| crate::cpio::push_entry(m, ino, &p, n.mode, n.nlink, mtime, &[]));
                    stack.push((p, i));
                }
                // Device and /proc nodes a program made elsewhere (link, rename) stay behind.
                Node::Dev(_) | Node::Proc(_) => {}
            }
        }
    }
    out.meta(crate::cpio::trailer);
    out
}

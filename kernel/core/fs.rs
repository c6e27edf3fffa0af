//! The RAM file system and the descriptor table.
//!
//! Inodes live in a table (index = inode number - 1); directories hold (name, inode) entries and
//! their parent. Descriptors point to shared open-file descriptions (`Ofd`: offset and status
//! flags, shared by dup'ed descriptors). Symbolic links are nodes holding their target bytes;
//! path walks follow them (at most `MAX_LINKS` per resolution). Limits (inodes, descriptors)
//! answer ENOSPC / EMFILE; a file's contents grow in chunks from whatever memory is left
//! (`filedata.rs`; in the kernel, the kernel heap's share, then the app heap), so ENOSPC for
//! data means the board's memory is used up. Link targets stay within the room `Env` allows.
//!
//! Like upstream BlueKernel (devfs, procfs, a tmpfs root), the tree starts with `/dev` (null,
//! zero, console, tty), `/proc` (meminfo, uptime, and `self` -> `1` with cmdline and status,
//! made when read) and `/tmp`. These are the system's, not the run's: `export` leaves them out
//! (a `/tmp` the app wrote into goes back like any directory).
//!
//! Pipes (`pipe.rs`) are open files with no inode: a descriptor names one end of a ring buffer.
//!
//! What needs the kernel (time, the heaps, /proc's contents, waking threads) comes through `Env`;
//! the kernel's adapter (kernel/src/fs/) supplies it, holds the file system in its Global, and
//! adds what touches user memory (stat, ioctl, archives); the host tests supply a clock and the
//! global allocator with a budget.
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::Cell;

use super::abi::*;
use super::errno::{
    EACCES, EBADF, EBUSY, EEXIST, EFBIG, EINVAL, EISDIR, ELOOP, EMFILE, EMLINK, ENAMETOOLONG, ENOENT,
    ENOSPC, ENOTDIR, ENOTEMPTY, EPERM,
};
use super::filedata::{FileData, Mem};
use super::pipe::{self, Pipe, Sched};

/// The kernel as the file system sees it (associated functions: no state to carry).
pub trait Env: Mem + Sched + Sized {
    /// The time of day in nanoseconds, for file times.
    fn now() -> u64;
    /// The bytes of a /proc file, now.
    fn proc_text(p: Proc, args: &[Vec<u8>]) -> Vec<u8>;
    /// Whether a link target of `n` more bytes may be held (in the kernel, within file data's
    /// share of the kernel heap).
    fn link_room(n: usize) -> bool;
}

pub const MAX_INODES: usize = 1024;
pub const MAX_FDS: usize = 64;
pub const NAME_MAX: usize = 255;
/// The largest file: the largest offset Lseek can answer (an int). Past it, EFBIG.
pub const MAX_FILE: usize = i32::MAX as usize;
pub const ROOT: usize = 0;
/// Links followed in one resolution before ELOOP (POSIX's SYMLOOP_MAX minimum is 8).
pub const MAX_LINKS: u32 = 8;

pub enum Node<E: Env> {
    File(FileData<E>),
    Dir { entries: Vec<(Vec<u8>, usize)>, parent: usize },
    Symlink(Vec<u8>),
    Dev(Dev),
    Proc(Proc),
}

/// The character devices of `/dev`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Dev {
    Null,
    Zero,
    Console,
    Tty,
}

impl Dev {
    /// Linux's device numbers, so `ls -l` and `stat` show what a porter expects.
    pub fn rdev(self) -> u64 {
        let (major, minor) = match self {
            Dev::Null => (1, 3),
            Dev::Zero => (1, 5),
            Dev::Console => (5, 1),
            Dev::Tty => (5, 0),
        };
        (major << 8) | minor
    }
}

/// The files of `/proc`: their bytes are made each time they are read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Proc {
    Meminfo,
    Uptime,
    Cmdline,
    Status,
}

pub struct Inode<E: Env> {
    pub node: Node<E>,
    pub nlink: u32,
    pub mode: u32,
    /// Times of day in nanoseconds. Reads leave `atime` alone (as a `noatime` mount does):
    /// it changes when the inode is made and through SetFileTimes.
    pub atime: u64,
    pub mtime: u64,
    pub ctime: u64,
    pub opens: u32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Console(u8),
    File(usize),
    Dir(usize),
    /// `/dev/null`: reads end at once, writes vanish.
    Null,
    /// `/dev/zero`: reads give zeros, writes vanish.
    Zero,
    /// The read end of pipe number n (`Fs::pipes`).
    PipeRead(usize),
    /// The write end of pipe number n.
    PipeWrite(usize),
}

pub struct Ofd {
    pub kind: Kind,
    pub off: Cell<usize>,
    pub flags: Cell<i32>,
}

#[derive(Clone)]
pub struct Fd {
    pub ofd: Rc<Ofd>,
    pub cloexec: bool,
}

pub struct Fs<E: Env> {
    pub inodes: Vec<Option<Inode<E>>>,
    pub fds: Vec<Option<Fd>>,
    pub cwd: usize,
    pub bytes: usize,
    /// The system's directories (`/dev`, `/proc`, `/tmp`), which `export` leaves out.
    pub system: [usize; 3],
    /// The run's argv, for `/proc/self/cmdline` and `status`.
    pub args: Vec<Vec<u8>>,
    /// Pipes by number; a slot is freed when no descriptor of either end remains.
    pub pipes: Vec<Option<Pipe>>,
    /// Live shared mappings (FileMap, syscall_handlers/mapping.rs): each holds its inode open.
    pub maps: Vec<Map>,
}

/// A mapping of a file's bytes at `addr` (a pinned block of its data).
pub struct Map {
    pub addr: usize,
    pub ino: usize,
}

pub type R<T> = Result<T, i32>;

impl<E: Env> Default for Fs<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Env> Fs<E> {
    /// An empty file system (no root yet: `init` makes it).
    pub const fn new() -> Self {
        Fs { inodes: Vec::new(), fds: Vec::new(), cwd: ROOT, bytes: 0, system: [ROOT; 3],
             args: Vec::new(), pipes: Vec::new(), maps: Vec::new() }
    }

    /// The root, descriptors 0-2 on the console, and the system's directories.
    pub fn init(&mut self) {
        self.inodes.push(Some(Inode {
            node: Node::Dir { entries: Vec::new(), parent: ROOT },
            nlink: 2,
            mode: S_IFDIR | 0o755,
            atime: 0,
            mtime: 0,
            ctime: 0,
            opens: 0,
        }));
        for (i, flags) in [(0u8, O_RDONLY), (1, O_WRONLY), (2, O_WRONLY)] {
            let ofd = Rc::new(Ofd { kind: Kind::Console(i), off: Cell::new(0), flags: Cell::new(flags) });
            self.fds.push(Some(Fd { ofd, cloexec: false }));
        }
        self.system_tree().expect("the system directories fit an empty file system");
    }

    /// `/dev`, `/proc` and `/tmp`, made at boot before the run's own files.
    pub fn system_tree(&mut self) -> R<()> {
        self.mkdir(b"/dev", 0o755)?;
        for (name, d) in [(&b"null"[..], Dev::Null), (b"zero", Dev::Zero),
                          (b"console", Dev::Console), (b"tty", Dev::Tty)] {
            self.add_node(b"/dev", name, Node::Dev(d), S_IFCHR | 0o666)?;
        }
        self.mkdir(b"/proc", 0o555)?;
        self.add_node(b"/proc", b"meminfo", Node::Proc(Proc::Meminfo), S_IFREG | 0o444)?;
        self.add_node(b"/proc", b"uptime", Node::Proc(Proc::Uptime), S_IFREG | 0o444)?;
        // One process, pid 1 (getpid's answer): /proc/self is a link to it, as on Linux.
        self.mkdir(b"/proc/1", 0o555)?;
        self.add_node(b"/proc/1", b"cmdline", Node::Proc(Proc::Cmdline), S_IFREG | 0o444)?;
        self.add_node(b"/proc/1", b"status", Node::Proc(Proc::Status), S_IFREG | 0o444)?;
        self.symlink(b"1", b"/proc/self")?;
        self.mkdir(b"/tmp", 0o777)?;
        let tmp = self.resolve(b"/tmp")?;
        self.ino(tmp).mode = S_IFDIR | 0o1777; // sticky, as every Unix has it
        self.system = [self.resolve(b"/dev")?, self.resolve(b"/proc")?, tmp];
        Ok(())
    }

    pub fn add_node(&mut self, dir: &[u8], name: &[u8], node: Node<E>, mode: u32) -> R<()> {
        let d = self.resolve(dir)?;
        let i = self.new_inode(node, mode)?;
        self.add_entry(d, name, i)
    }

    pub fn ino(&mut self, i: usize) -> &mut Inode<E> {
        self.inodes[i].as_mut().expect("dangling inode")
    }

    pub fn lookup(&mut self, dir: usize, name: &[u8]) -> R<Option<usize>> {
        match &self.ino(dir).node {
            Node::Dir { entries, parent } => Ok(match name {
                b"." => Some(dir),
                b".." => Some(*parent),
                _ => entries.iter().find(|(n, _)| n == name).map(|(_, i)| *i),
            }),
            _ => Err(ENOTDIR),
        }
    }

    pub fn is_dir(&mut self, i: usize) -> bool {
        matches!(self.ino(i).node, Node::Dir { .. })
    }

    pub fn link_target(&mut self, i: usize) -> Option<Vec<u8>> {
        match &self.ino(i).node {
            Node::Symlink(t) => Some(t.clone()),
            _ => None,
        }
    }

    /// Resolve a whole path to an inode, following every symbolic link.
    pub fn resolve(&mut self, path: &[u8]) -> R<usize> {
        let mut links = 0;
        self.walk(self.cwd, path, true, &mut links)
    }

    /// Resolve a path without following a final symbolic link (lstat, readlink).
    pub fn resolve_nofollow(&mut self, path: &[u8]) -> R<usize> {
        let mut links = 0;
        self.walk(self.cwd, path, false, &mut links)
    }

    /// Walk `path` from `start` (relative paths; a link's target starts from the link's
    /// directory). `links` counts across nested targets so a cycle ends in ELOOP. A trailing
    /// slash asks for a directory, so it follows a final link even when `follow` is false.
    pub fn walk(&mut self, start: usize, path: &[u8], follow: bool, links: &mut u32) -> R<usize> {
        if path.is_empty() {
            return Err(ENOENT);
        }
        let mut cur = if path[0] == b'/' { ROOT } else { start };
        let comps: Vec<&[u8]> = path.split(|&c| c == b'/').filter(|c| !c.is_empty()).collect();
        let slash = path.ends_with(b"/");
        for (k, comp) in comps.iter().enumerate() {
            if comp.len() > NAME_MAX {
                return Err(ENAMETOOLONG);
            }
            let next = self.lookup(cur, comp)?.ok_or(ENOENT)?;
            let last = k + 1 == comps.len();
            cur = match self.link_target(next) {
                Some(t) if !last || follow || slash => {
                    *links += 1;
                    if *links > MAX_LINKS {
                        return Err(ELOOP);
                    }
                    self.walk(cur, &t, true, links)?
                }
                _ => next,
            };
        }
        if slash && !self.is_dir(cur) {
            return Err(ENOTDIR);
        }
        Ok(cur)
    }

    /// Resolve all but the last component: (directory, last name).
    pub fn parent<'a>(&mut self, path: &'a [u8]) -> R<(usize, &'a [u8])> {
        self.parent_at(self.cwd, path)
    }

    /// As `parent`, with relative paths taken from `start`.
    pub fn parent_at<'a>(&mut self, start: usize, path: &'a [u8]) -> R<(usize, &'a [u8])> {
        let trimmed = {
            let mut p = path;
            while p.len() > 1 && p.ends_with(b"/") {
                p = &p[..p.len() - 1];
            }
            p
        };
        if trimmed.is_empty() {
            return Err(ENOENT);
        }
        let (dir_part, name) = match trimmed.iter().rposition(|&c| c == b'/') {
            Some(i) => (&trimmed[..i + 1], &trimmed[i + 1..]),
            None => (&b""[..], trimmed),
        };
        if name.is_empty() {
            return Err(EBUSY); // the root itself
        }
        if name.len() > NAME_MAX {
            return Err(ENAMETOOLONG);
        }
        let dir = if dir_part.is_empty() {
            start
        } else {
            let mut links = 0;
            self.walk(start, dir_part, true, &mut links)?
        };
        if !self.is_dir(dir) {
            return Err(ENOTDIR);
        }
        Ok((dir, name))
    }

    pub fn new_inode(&mut self, node: Node<E>, mode: u32) -> R<usize> {
        let t = E::now();
        let ino = Inode { node, nlink: 1, mode, atime: t, mtime: t, ctime: t, opens: 0 };
        if let Some(i) = self.inodes.iter().position(|i| i.is_none()) {
            self.inodes[i] = Some(ino);
            return Ok(i);
        }
        if self.inodes.len() >= MAX_INODES {
            return Err(ENOSPC);
        }
        self.inodes.try_reserve(1).map_err(|_| ENOSPC)?;
        self.inodes.push(Some(ino));
        Ok(self.inodes.len() - 1)
    }

    pub fn add_entry(&mut self, dir: usize, name: &[u8], ino: usize) -> R<()> {
        let t = E::now();
        let d = self.ino(dir);
        d.mtime = t;
        d.ctime = t;
        if let Node::Dir { entries, .. } = &mut d.node {
            entries.try_reserve(1).map_err(|_| ENOSPC)?;
            entries.push((Vec::from(name), ino));
        }
        Ok(())
    }

    pub fn remove_entry(&mut self, dir: usize, name: &[u8]) {
        let t = E::now();
        let d = self.ino(dir);
        d.mtime = t;
        d.ctime = t;
        if let Node::Dir { entries, .. } = &mut d.node {
            entries.retain(|(n, _)| n != name);
        }
    }

    /// Drop one link; free the inode when no link and no descriptor remain.
    pub fn unref(&mut self, i: usize) {
        let n = self.ino(i);
        n.nlink = n.nlink.saturating_sub(1);
        self.maybe_free(i);
    }

    pub fn maybe_free(&mut self, i: usize) {
        let n = self.ino(i);
        let dir = matches!(n.node, Node::Dir { .. });
        if (n.nlink == 0 || (dir && n.nlink <= 1)) && n.opens == 0 {
            match &n.node {
                Node::File(d) => self.bytes -= d.capacity(),
                Node::Symlink(t) => self.bytes -= t.capacity(),
                _ => {}
            }
            self.inodes[i] = None;
        }
    }

    pub fn mkdir(&mut self, path: &[u8], mode: u32) -> R<()> {
        let (dir, name) = self.parent(path)?;
        if self.lookup(dir, name)?.is_some() {
            return Err(EEXIST);
        }
        let i = self.new_inode(Node::Dir { entries: Vec::new(), parent: dir }, S_IFDIR | (mode & 0o7777))?;
        self.ino(i).nlink = 2;
        if let Err(e) = self.add_entry(dir, name, i) {
            self.inodes[i] = None;
            return Err(e);
        }
        self.ino(dir).nlink += 1;
        Ok(())
    }

    pub fn rmdir(&mut self, path: &[u8]) -> R<()> {
        let (dir, name) = self.parent(path)?;
        if name == b"." {
            return Err(EINVAL);
        }
        if name == b".." {
            return Err(ENOTEMPTY);
        }
        let i = self.lookup(dir, name)?.ok_or(ENOENT)?;
        match &self.ino(i).node {
            Node::Dir { entries, .. } if !entries.is_empty() => return Err(ENOTEMPTY),
            Node::Dir { .. } => {}
            _ => return Err(ENOTDIR),
        }
        if i == ROOT || i == self.cwd {
            return Err(EBUSY);
        }
        self.remove_entry(dir, name);
        self.ino(dir).nlink -= 1;
        self.ino(i).nlink = 0;
        self.maybe_free(i);
        Ok(())
    }

    pub fn unlink(&mut self, path: &[u8]) -> R<()> {
        let (dir, name) = self.parent(path)?;
        let i = self.lookup(dir, name)?.ok_or(ENOENT)?;
        if self.is_dir(i) {
            return Err(EISDIR);
        }
        self.remove_entry(dir, name);
        self.unref(i);
        Ok(())
    }

    /// link(2): as Linux, a final symbolic link in `old` is not followed (the new name is a
    /// second name of the link itself).
    pub fn link(&mut self, old: &[u8], new: &[u8]) -> R<()> {
        let i = self.resolve_nofollow(old)?;
        if self.is_dir(i) {
            return Err(EPERM);
        }
        let (dir, name) = self.parent(new)?;
        if self.lookup(dir, name)?.is_some() {
            return Err(EEXIST);
        }
        if self.ino(i).nlink >= 1000 {
            return Err(EMLINK);
        }
        self.add_entry(dir, name, i)?;
        self.ino(i).nlink += 1;
        Ok(())
    }

    pub fn symlink(&mut self, target: &[u8], linkpath: &[u8]) -> R<()> {
        if target.is_empty() {
            return Err(ENOENT);
        }
        if target.len() > PATH_MAX {
            return Err(ENAMETOOLONG);
        }
        let (dir, name) = self.parent(linkpath)?;
        if self.lookup(dir, name)?.is_some() {
            return Err(EEXIST);
        }
        // Targets live in the kernel heap, within file data's share of it: 1024 links of 1 KiB
        // would otherwise exhaust Cortex-M's 1 MiB kernel heap.
        if !E::link_room(target.len()) {
            return Err(ENOSPC);
        }
        let mut t = Vec::new();
        t.try_reserve_exact(target.len()).map_err(|_| ENOSPC)?;
        t.extend_from_slice(target);
        let cap = t.capacity();
        let i = self.new_inode(Node::Symlink(t), S_IFLNK | 0o777)?;
        if let Err(e) = self.add_entry(dir, name, i) {
            self.inodes[i] = None;
            return Err(e);
        }
        self.bytes += cap;
        Ok(())
    }

    /// The target of the link at `path`; EINVAL when it is not a link.
    pub fn readlink(&mut self, path: &[u8]) -> R<Vec<u8>> {
        let i = self.resolve_nofollow(path)?;
        self.link_target(i).ok_or(EINVAL)
    }

    pub fn is_ancestor(&mut self, a: usize, mut d: usize) -> bool {
        loop {
            if d == a {
                return true;
            }
            if d == ROOT {
                return false;
            }
            d = match &self.ino(d).node {
                Node::Dir { parent, .. } => *parent,
                _ => return false,
            };
        }
    }

    pub fn rename(&mut self, old: &[u8], new: &[u8]) -> R<()> {
        let (od, oname) = self.parent(old)?;
        let (nd, nname) = self.parent(new)?;
        if matches!(oname, b"." | b"..") || matches!(nname, b"." | b"..") {
            return Err(EINVAL);
        }
        let i = self.lookup(od, oname)?.ok_or(ENOENT)?;
        let src_dir = self.is_dir(i);
        if src_dir && self.is_ancestor(i, nd) {
            return Err(EINVAL);
        }
        if let Some(t) = self.lookup(nd, nname)? {
            if t == i {
                return Ok(());
            }
            match (src_dir, self.is_dir(t)) {
                (false, true) => return Err(EISDIR),
                (true, false) => return Err(ENOTDIR),
                (true, true) => {
                    if let Node::Dir { entries, .. } = &self.ino(t).node {
                        if !entries.is_empty() {
                            return Err(ENOTEMPTY);
                        }
                    }
                    if t == self.cwd {
                        return Err(EBUSY);
                    }
                    self.remove_entry(nd, nname);
                    self.ino(nd).nlink -= 1;
                    self.ino(t).nlink = 0;
                    self.maybe_free(t);
                }
                (false, false) => {
                    self.remove_entry(nd, nname);
                    self.unref(t);
                }
            }
        }
        self.add_entry(nd, nname, i)?;
        self.remove_entry(od, oname);
        if src_dir {
            if let Node::Dir { parent, .. } = &mut self.ino(i).node {
                *parent = nd;
            }
            self.ino(od).nlink -= 1;
            self.ino(nd).nlink += 1;
        }
        Ok(())
    }

    pub fn alloc_fd(&mut self, from: usize, fd: Fd) -> R<usize> {
        for i in from..MAX_FDS {
            while i >= self.fds.len() {
                self.fds.push(None);
            }
            if self.fds[i].is_none() {
                if let Kind::File(n) | Kind::Dir(n) = fd.ofd.kind {
                    self.ino(n).opens += 1;
                }
                self.pipe_opened(fd.ofd.kind);
                self.fds[i] = Some(fd);
                return Ok(i);
            }
        }
        Err(EMFILE)
    }

    pub fn fd(&mut self, fd: i32) -> R<Rc<Ofd>> {
        if fd < 0 {
            return Err(EBADF);
        }
        match self.fds.get(fd as usize) {
            Some(Some(f)) => Ok(f.ofd.clone()),
            _ => Err(EBADF),
        }
    }

    pub fn open(&mut self, path: &[u8], flags: i32, mode: u32) -> R<usize> {
        let acc = flags & O_ACCMODE;
        if acc == 3 {
            return Err(EINVAL);
        }
        let i = if flags & O_CREAT != 0 {
            let (mut dir, mut name) = self.parent(path)?;
            let mut owned;
            let mut links = 0;
            loop {
                // O_CREAT follows a final link, creating a dangling link's target (as Linux);
                // O_EXCL and O_NOFOLLOW do not follow it.
                let t = match self.lookup(dir, name)? {
                    Some(i) if flags & O_EXCL == 0 && flags & O_NOFOLLOW == 0 => self.link_target(i),
                    _ => None,
                };
                let t = match t {
                    Some(t) => t,
                    None => break,
                };
                links += 1;
                if links > MAX_LINKS {
                    return Err(ELOOP);
                }
                owned = t;
                let (d, n) = self.parent_at(dir, &owned)?;
                dir = d;
                name = n;
            }
            match self.lookup(dir, name)? {
                Some(_) if flags & O_EXCL != 0 => return Err(EEXIST),
                Some(i) if flags & O_NOFOLLOW != 0 && self.link_target(i).is_some() => return Err(ELOOP),
                Some(i) => i,
                None => {
                    if path.ends_with(b"/") {
                        return Err(EISDIR);
                    }
                    let i = self.new_inode(Node::File(FileData::new()), S_IFREG | (mode & 0o7777))?;
                    if let Err(e) = self.add_entry(dir, name, i) {
                        self.inodes[i] = None;
                        return Err(e);
                    }
                    i
                }
            }
        } else if flags & O_NOFOLLOW != 0 {
            let i = self.resolve_nofollow(path)?;
            if self.link_target(i).is_some() {
                return Err(ELOOP);
            }
            i
        } else {
            self.resolve(path)?
        };
        match self.ino(i).node {
            Node::Dev(d) => {
                let kind = match d {
                    Dev::Null => Kind::Null,
                    Dev::Zero => Kind::Zero,
                    // The board has one console: its input is the run's stdin, its output
                    // the run's stdout.
                    Dev::Console | Dev::Tty => Kind::Console(1),
                };
                let keep = O_ACCMODE | O_APPEND | O_NONBLOCK | O_DSYNC | O_SYNC;
                let ofd = Rc::new(Ofd { kind, off: Cell::new(0), flags: Cell::new(flags & keep) });
                return self.alloc_fd(0, Fd { ofd, cloexec: flags & O_CLOEXEC != 0 });
            }
            Node::Proc(_) if acc != O_RDONLY => return Err(EACCES),
            _ => {}
        }
        let dir = self.is_dir(i);
        if dir && acc != O_RDONLY {
            return Err(EISDIR);
        }
        if !dir && flags & O_DIRECTORY != 0 {
            return Err(ENOTDIR);
        }
        if !dir && flags & O_TRUNC != 0 && acc != O_RDONLY {
            self.truncate(i, 0)?;
        }
        let kind = if dir { Kind::Dir(i) } else { Kind::File(i) };
        let keep = O_ACCMODE | O_APPEND | O_NONBLOCK | O_DSYNC | O_SYNC;
        let ofd = Rc::new(Ofd { kind, off: Cell::new(0), flags: Cell::new(flags & keep) });
        self.alloc_fd(0, Fd { ofd, cloexec: flags & O_CLOEXEC != 0 })
    }

    pub fn close(&mut self, fd: i32) -> R<()> {
        self.fd(fd)?;
        let f = self.fds[fd as usize].take().unwrap();
        if let Kind::File(n) | Kind::Dir(n) = f.ofd.kind {
            self.ino(n).opens -= 1;
            self.maybe_free(n);
        }
        self.pipe_closed(f.ofd.kind);
        Ok(())
    }

    /// dup3(2): `new` (closed first when open) refers to `old`'s open file description.
    pub fn dup3(&mut self, old: i32, new: i32, flags: i32) -> R<usize> {
        self.fd(old)?;
        if new < 0 || new as usize >= MAX_FDS {
            return Err(EBADF);
        }
        if old == new || flags & !O_CLOEXEC != 0 {
            return Err(EINVAL);
        }
        let ofd = self.fds[old as usize].as_ref().unwrap().ofd.clone();
        if self.fd(new).is_ok() {
            self.close(new)?;
        }
        // The slot is free now, and the kernel is not re-entered before it is filled: no other
        // thread can take it (what makes the layer's dup2 atomic).
        self.alloc_fd(new as usize, Fd { ofd, cloexec: flags & O_CLOEXEC != 0 })
    }

    /// pipe2(2): (read descriptor, write descriptor).
    pub fn pipe(&mut self, flags: i32) -> R<(usize, usize)> {
        if flags & !(O_NONBLOCK | O_CLOEXEC) != 0 {
            return Err(EINVAL);
        }
        let p = pipe::new_pipe(&mut self.pipes)?;
        let end = |kind, acc| Fd {
            ofd: Rc::new(Ofd { kind, off: Cell::new(0), flags: Cell::new(acc | (flags & O_NONBLOCK)) }),
            cloexec: flags & O_CLOEXEC != 0,
        };
        let r = match self.alloc_fd(0, end(Kind::PipeRead(p), O_RDONLY)) {
            Ok(r) => r,
            Err(e) => {
                self.pipes[p] = None; // no descriptor was made
                return Err(e);
            }
        };
        match self.alloc_fd(0, end(Kind::PipeWrite(p), O_WRONLY)) {
            Ok(w) => Ok((r, w)),
            Err(e) => {
                self.close(r as i32)?; // frees the pipe with its only descriptor
                Err(e)
            }
        }
    }

    pub fn dup(&mut self, fd: i32, from: usize) -> R<usize> {
        self.fd(fd)?;
        let f = self.fds[fd as usize].clone().unwrap();
        self.alloc_fd(from, Fd { ofd: f.ofd, cloexec: false })
    }

    pub fn set_cloexec(&mut self, fd: i32, v: bool) -> R<bool> {
        self.fd(fd)?;
        let f = self.fds[fd as usize].as_mut().unwrap();
        let old = f.cloexec;
        f.cloexec = v;
        Ok(old)
    }

    pub fn truncate(&mut self, i: usize, len: usize) -> R<()> {
        let used = self.bytes;
        let t = E::now();
        let n = self.ino(i);
        let d = match &mut n.node {
            Node::File(d) => d,
            Node::Dir { .. } => return Err(EISDIR),
            Node::Symlink(_) | Node::Dev(_) => return Err(EINVAL),
            Node::Proc(_) => return Err(EACCES),
        };
        if len > MAX_FILE {
            return Err(EFBIG);
        }
        let before = d.capacity();
        // A failed resize may still have moved memory (a last chunk regrown, then given back).
        let r = d.resize(len);
        let after = d.capacity();
        if r.is_ok() {
            n.mtime = t;
            n.ctime = t;
        }
        self.bytes = used + after - before;
        r
    }

    pub fn read_file(&mut self, i: usize, off: usize, out: &mut [u8]) -> usize {
        // A /proc file's bytes are made before its inode is borrowed (making them reads the
        // file system's own state).
        let made = match self.ino(i).node {
            Node::Proc(p) => E::proc_text(p, &self.args),
            _ => Vec::new(),
        };
        let d = match &mut self.ino(i).node {
            Node::File(d) => return d.read(off, out),
            Node::Proc(_) => &made,
            _ => return 0,
        };
        if off >= d.len() {
            return 0;
        }
        let n = out.len().min(d.len() - off);
        out[..n].copy_from_slice(&d[off..off + n]);
        n
    }

    pub fn write_file(&mut self, i: usize, off: usize, data: &[u8]) -> R<usize> {
        let end = off.checked_add(data.len()).ok_or(EFBIG)?;
        let len = self.file_len(i);
        if end > len {
            self.truncate(i, end)?;
        }
        let t = E::now();
        let n = self.ino(i);
        n.mtime = t;
        n.ctime = t;
        if let Node::File(d) = &mut n.node {
            d.write(off, data);
        }
        Ok(data.len())
    }

    pub fn file_len(&mut self, i: usize) -> usize {
        if let Node::Proc(p) = self.ino(i).node {
            return E::proc_text(p, &self.args).len();
        }
        match &self.ino(i).node {
            Node::File(d) => d.len(),
            Node::Dir { entries, .. } => entries.len(),
            Node::Symlink(t) => t.len(),
            Node::Dev(_) | Node::Proc(_) => 0,
        }
    }

    /// Directory entry number `pos` ("." and ".." first): (name, inode).
    pub fn dirent(&mut self, dir: usize, pos: usize) -> Option<(Vec<u8>, usize)> {
        match &self.ino(dir).node {
            Node::Dir { entries, parent } => match pos {
                0 => Some((Vec::from(&b"."[..]), dir)),
                1 => Some((Vec::from(&b".."[..]), *parent)),
                _ => entries.get(pos - 2).map(|(n, i)| (n.clone(), *i)),
            },
            _ => None,
        }
    }

    pub fn chdir(&mut self, path: &[u8]) -> R<()> {
        let i = self.resolve(path)?;
        if !self.is_dir(i) {
            return Err(ENOTDIR);
        }
        self.cwd = i;
        Ok(())
    }

    /// Absolute path of a directory.
    pub fn path_of(&mut self, mut d: usize) -> Vec<u8> {
        let mut parts: Vec<Vec<u8>> = Vec::new();
        while d != ROOT {
            let parent = match &self.ino(d).node {
                Node::Dir { parent, .. } => *parent,
                _ => break,
            };
            let name = match &self.ino(parent).node {
                Node::Dir { entries, .. } => entries.iter().find(|(_, i)| *i == d).map(|(n, _)| n.clone()),
                _ => None,
            };
            parts.push(name.unwrap_or_default());
            d = parent;
        }
        let mut out = Vec::new();
        for p in parts.iter().rev() {
            out.push(b'/');
            out.extend_from_slice(p);
        }
        if out.is_empty() {
            out.push(b'/');
        }
        out
    }

    /// The pipe and end a descriptor of `kind` names.
    fn pipe_end(kind: Kind) -> Option<(usize, bool)> {
        match kind {
            Kind::PipeRead(p) => Some((p, true)),
            Kind::PipeWrite(p) => Some((p, false)),
            _ => None,
        }
    }

    fn pipe_opened(&mut self, kind: Kind) {
        if let Some((p, read_end)) = Self::pipe_end(kind) {
            pipe::get(&mut self.pipes, p).opened(read_end);
        }
    }

    /// A pipe with no descriptor of either end left is freed.
    fn pipe_closed(&mut self, kind: Kind) {
        if let Some((p, read_end)) = Self::pipe_end(kind) {
            if pipe::get(&mut self.pipes, p).closed::<E>(read_end) {
                self.pipes[p] = None;
            }
        }
    }

    /// poll(2)'s events for a pipe end's descriptor (0 for other kinds).
    pub fn pipe_ready(&mut self, kind: Kind) -> u32 {
        match Self::pipe_end(kind) {
            Some((p, read_end)) => pipe::get(&mut self.pipes, p).ready(read_end),
            None => 0,
        }
    }

    /// Self-check: every entry points to a live inode, link counts match, byte accounting adds
    /// up, file chunks tile their files; pipes: end counts match their descriptors, no pipe
    /// outlives them, no reader sleeps beside data. (Whether waiters are asleep is the
    /// kernel's to check.)
    pub fn check(&self) -> Result<(), &'static str> {
        let f = self;
        let n = f.inodes.len();
        let mut links = alloc::vec![0u32; n];
        let mut opens = alloc::vec![0u32; n];
        let mut ends = alloc::vec![(0u32, 0u32); f.pipes.len()];
        let mut bytes = 0;
        for (i, ino) in f.inodes.iter().enumerate() {
            let ino = match ino {
                Some(x) => x,
                None => continue,
            };
            match &ino.node {
                Node::Dir { entries, parent } => {
                    if ino.nlink != 0 && (*parent >= n || f.inodes[*parent].is_none()) {
                        return Err("fs: directory with a dead parent");
                    }
                    links[i] += 1; // "."
                    for (name, e) in entries {
                        if *e >= n || f.inodes[*e].is_none() {
                            return Err("fs: entry to a dead inode");
                        }
                        if name.is_empty() || name.len() > NAME_MAX || name.contains(&b'/') {
                            return Err("fs: bad entry name");
                        }
                        links[*e] += 1;
                        if let Some(Inode { node: Node::Dir { .. }, .. }) = &f.inodes[*e] {
                            links[i] += 1; // the child's ".."
                        }
                    }
                }
                Node::File(d) => {
                    let pins = f.maps.iter().filter(|m| m.ino == i).count();
                    d.check(pins as u32)?;
                    bytes += d.capacity();
                }
                Node::Symlink(t) => {
                    if t.is_empty() || ino.mode & S_IFMT != S_IFLNK {
                        return Err("fs: bad symbolic link");
                    }
                    bytes += t.capacity();
                }
                Node::Dev(_) | Node::Proc(_) => {}
            }
        }
        links[ROOT] += 1; // the root's own entry
        for fd in f.fds.iter().flatten() {
            if let Kind::File(i) | Kind::Dir(i) = fd.ofd.kind {
                if i >= n || f.inodes[i].is_none() {
                    return Err("fs: descriptor to a dead inode");
                }
                opens[i] += 1;
            }
            match fd.ofd.kind {
                Kind::PipeRead(p) | Kind::PipeWrite(p) if p >= ends.len() || f.pipes[p].is_none() => {
                    return Err("fs: descriptor to a freed pipe");
                }
                Kind::PipeRead(p) => ends[p].0 += 1,
                Kind::PipeWrite(p) => ends[p].1 += 1,
                _ => {}
            }
        }
        for (p, pipe) in f.pipes.iter().enumerate() {
            let pipe = match pipe {
                Some(x) => x,
                None => continue,
            };
            if (pipe.readers, pipe.writers) != ends[p] || ends[p] == (0, 0) {
                return Err("fs: pipe end count mismatch");
            }
            if pipe.data.len() > pipe::PIPE_SIZE || (!pipe.rq.is_empty() && !pipe.data.is_empty()) {
                return Err("fs: pipe buffer overrun or a reader asleep beside data");
            }
        }
        for i in f.maps.iter().map(|m| m.ino) {
            opens[i] += 1; // a mapping holds its file open
        }
        for (i, ino) in f.inodes.iter().enumerate() {
            if let Some(ino) = ino {
                if ino.nlink != links[i] && ino.nlink != 0 {
                    return Err("fs: link count mismatch");
                }
                if ino.opens != opens[i] {
                    return Err("fs: open count mismatch");
                }
            }
        }
        if bytes != f.bytes {
            return Err("fs: byte accounting mismatch");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use alloc::vec;
    use alloc::vec::Vec;

    use super::*;
    use super::super::testenv::{live, set_budget, T};

    const O_RDWR: i32 = 2;

    /// A booted file system (root, /dev, /proc, /tmp, descriptors 0-2).
    fn fs() -> Fs<T> {
        let mut f = Fs::new();
        f.init();
        f.check().unwrap();
        f
    }

    fn create(f: &mut Fs<T>, path: &[u8], data: &[u8]) -> usize {
        let fd = f.open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644).unwrap();
        let i = f.resolve(path).unwrap();
        f.write_file(i, 0, data).unwrap();
        f.close(fd as i32).unwrap();
        i
    }

    fn contents(f: &mut Fs<T>, i: usize) -> Vec<u8> {
        let mut out = vec![0u8; f.file_len(i)];
        let n = f.read_file(i, 0, &mut out);
        out.truncate(n);
        out
    }

    /// What the file system counts beyond file data: link targets (from the global allocator
    /// here, not the data allocator's budget).
    fn link_bytes(f: &Fs<T>) -> usize {
        let links = f.inodes.iter().flatten().filter_map(|i| match &i.node {
            Node::Symlink(t) => Some(t.capacity()),
            _ => None,
        });
        links.sum()
    }

    fn live_inodes(f: &Fs<T>) -> usize {
        f.inodes.iter().filter(|i| i.is_some()).count()
    }

    #[test]
    fn dot_and_dotdot_resolve_from_root_and_cwd() {
        let mut f = fs();
        f.mkdir(b"/a", 0o755).unwrap();
        f.mkdir(b"/a/b", 0o755).unwrap();
        let b = f.resolve(b"/a/b").unwrap();
        assert_eq!(f.resolve(b"/a/b/../b/./").unwrap(), b);
        assert_eq!(f.resolve(b"//a///b").unwrap(), b);
        assert_eq!(f.resolve(b"/..").unwrap(), ROOT, "the root is its own parent");
        f.chdir(b"/a").unwrap();
        assert_eq!(f.resolve(b"b").unwrap(), b);
        assert_eq!(f.resolve(b"..").unwrap(), ROOT);
        assert_eq!(f.path_of(b), b"/a/b");
        assert_eq!(f.resolve(b""), Err(ENOENT));
        assert_eq!(f.resolve(b"/a/nope"), Err(ENOENT));
        f.check().unwrap();
    }

    #[test]
    fn symbolic_links_are_followed_and_loops_end_in_eloop() {
        let mut f = fs();
        f.mkdir(b"/d", 0o755).unwrap();
        let file = create(&mut f, b"/d/file", b"x");
        f.symlink(b"file", b"/d/rel").unwrap(); // relative to the link's directory
        assert_eq!(f.resolve(b"/d/rel").unwrap(), file);
        let link = f.resolve_nofollow(b"/d/rel").unwrap();
        assert_ne!(link, file);
        assert_eq!(f.readlink(b"/d/rel").unwrap(), b"file");
        assert_eq!(f.readlink(b"/d/file"), Err(EINVAL));
        // A chain of MAX_LINKS links resolves; one more is ELOOP.
        let mut prev: Vec<u8> = Vec::from(&b"/d/file"[..]);
        for k in 0..=MAX_LINKS {
            let name = alloc::format!("/l{k}").into_bytes();
            f.symlink(&prev, &name).unwrap();
            let r = f.resolve(&name);
            if k + 1 <= MAX_LINKS {
                assert_eq!(r, Ok(file), "chain of {}", k + 1);
            } else {
                assert_eq!(r, Err(ELOOP), "chain of {}", k + 1);
            }
            prev = name;
        }
        // A cycle, and a link to itself.
        f.symlink(b"/y", b"/x").unwrap();
        f.symlink(b"/x", b"/y").unwrap();
        f.symlink(b"/self", b"/self").unwrap();
        assert_eq!(f.resolve(b"/x"), Err(ELOOP));
        assert_eq!(f.resolve(b"/self/z"), Err(ELOOP));
        assert!(f.resolve_nofollow(b"/x").is_ok(), "lstat sees the link itself");
        assert_eq!(f.open(b"/x", O_RDONLY, 0), Err(ELOOP));
        f.check().unwrap();
    }

    #[test]
    fn a_trailing_slash_asks_for_a_directory() {
        let mut f = fs();
        create(&mut f, b"/f", b"");
        f.mkdir(b"/d", 0o755).unwrap();
        f.symlink(b"/d", b"/ld").unwrap();
        assert_eq!(f.resolve(b"/f/"), Err(ENOTDIR));
        assert_eq!(f.resolve(b"/f/x"), Err(ENOTDIR));
        assert_eq!(f.mkdir(b"/f/x", 0o755), Err(ENOTDIR));
        let d = f.resolve(b"/d").unwrap();
        // lstat("ld/") follows the link: the slash asks for what it names.
        assert_eq!(f.resolve_nofollow(b"/ld/").unwrap(), d);
        assert_ne!(f.resolve_nofollow(b"/ld").unwrap(), d);
        assert_eq!(f.open(b"/new/", O_WRONLY | O_CREAT, 0o644), Err(EISDIR));
        f.mkdir(b"/e/", 0o755).unwrap();
        assert!(f.resolve(b"/e").is_ok());
        f.check().unwrap();
    }

    #[test]
    fn names_longer_than_name_max_are_enametoolong() {
        let mut f = fs();
        let ok = vec![b'n'; NAME_MAX];
        let long = vec![b'n'; NAME_MAX + 1];
        let path = |n: &[u8]| [&b"/tmp/"[..], n].concat();
        f.mkdir(&path(&ok), 0o755).unwrap();
        assert_eq!(f.mkdir(&path(&long), 0o755), Err(ENAMETOOLONG));
        assert_eq!(f.resolve(&path(&long)), Err(ENAMETOOLONG));
        assert_eq!(f.open(&path(&long), O_WRONLY | O_CREAT, 0o644), Err(ENAMETOOLONG));
        assert_eq!(f.symlink(&vec![b'/'; PATH_MAX + 1], b"/l"), Err(ENAMETOOLONG));
        assert_eq!(f.symlink(b"", b"/l"), Err(ENOENT));
        f.check().unwrap();
    }

    #[test]
    fn hard_links_share_the_inode_and_count_its_names() {
        let mut f = fs();
        let i = create(&mut f, b"/a", b"data");
        f.link(b"/a", b"/b").unwrap();
        assert_eq!(f.resolve(b"/b").unwrap(), i);
        assert_eq!(f.ino(i).nlink, 2);
        assert_eq!(f.link(b"/a", b"/b"), Err(EEXIST));
        assert_eq!(f.link(b"/tmp", b"/t2"), Err(EPERM));
        f.unlink(b"/a").unwrap();
        assert_eq!(f.ino(i).nlink, 1);
        assert_eq!(contents(&mut f, i), b"data");
        f.check().unwrap();
        f.unlink(b"/b").unwrap();
        assert!(f.inodes[i].is_none(), "the last name gone: the inode is freed");
        assert_eq!((f.bytes - link_bytes(&f), live()), (0, 0));
        // link(2) does not follow a final symbolic link: the new name is the link's.
        f.symlink(b"/nowhere", b"/s").unwrap();
        f.link(b"/s", b"/s2").unwrap();
        assert_eq!(f.readlink(b"/s2").unwrap(), b"/nowhere");
        // Directories count "." and their children's "..".
        let root_links = f.ino(ROOT).nlink;
        f.mkdir(b"/d", 0o755).unwrap();
        f.mkdir(b"/d/e", 0o755).unwrap();
        let d = f.resolve(b"/d").unwrap();
        assert_eq!((f.ino(ROOT).nlink, f.ino(d).nlink), (root_links + 1, 3));
        f.check().unwrap();
    }

    #[test]
    fn rename_replaces_refuses_and_moves_directories() {
        let mut f = fs();
        let a = create(&mut f, b"/a", b"A");
        let b = create(&mut f, b"/b", b"B");
        let n = live_inodes(&f);
        f.rename(b"/a", b"/b").unwrap();
        assert_eq!(f.resolve(b"/b").unwrap(), a);
        assert_eq!(f.resolve(b"/a"), Err(ENOENT));
        assert!(f.inodes[b].is_none(), "the replaced file is freed");
        assert_eq!(live_inodes(&f), n - 1);
        f.rename(b"/b", b"/b").unwrap(); // onto itself: nothing happens
        f.mkdir(b"/d", 0o755).unwrap();
        f.mkdir(b"/d/sub", 0o755).unwrap();
        f.mkdir(b"/full", 0o755).unwrap();
        create(&mut f, b"/full/x", b"");
        f.mkdir(b"/empty", 0o755).unwrap();
        assert_eq!(f.rename(b"/d", b"/d/sub/d"), Err(EINVAL), "into its own subdirectory");
        assert_eq!(f.rename(b"/d", b"/d/x"), Err(EINVAL));
        assert_eq!(f.rename(b"/d", b"/full"), Err(ENOTEMPTY));
        assert_eq!(f.rename(b"/b", b"/empty"), Err(EISDIR));
        assert_eq!(f.rename(b"/d", b"/b"), Err(ENOTDIR));
        assert_eq!(f.rename(b"/d/.", b"/q"), Err(EINVAL));
        assert_eq!(f.rename(b"/nope", b"/q"), Err(ENOENT));
        // A directory over an empty one, into another parent: link counts follow.
        let d = f.resolve(b"/d").unwrap();
        let full = f.resolve(b"/full").unwrap();
        let root_links = f.ino(ROOT).nlink;
        f.rename(b"/d", b"/full/d").unwrap();
        assert_eq!(f.resolve(b"/full/d/sub/..").unwrap(), f.resolve(b"/full/d").unwrap());
        assert_eq!(f.ino(full).nlink, 3);
        assert_eq!(f.ino(ROOT).nlink, root_links - 1);
        assert_eq!(f.path_of(d), b"/full/d");
        f.rename(b"/full/d", b"/empty").unwrap();
        assert_eq!(f.resolve(b"/empty").unwrap(), d);
        f.check().unwrap();
    }

    #[test]
    fn an_unlinked_open_file_lives_until_its_last_descriptor_closes() {
        let mut f = fs();
        let i = create(&mut f, b"/f", &[7; 5000]);
        let fd = f.open(b"/f", O_RDWR, 0).unwrap() as i32;
        let dup = f.dup(fd, 0).unwrap() as i32;
        f.unlink(b"/f").unwrap();
        assert_eq!(f.resolve(b"/f"), Err(ENOENT));
        assert_eq!(f.ino(i).nlink, 0);
        f.write_file(i, 5000, b"more").unwrap();
        assert_eq!(f.file_len(i), 5004);
        f.check().unwrap();
        f.close(fd).unwrap();
        assert!(f.inodes[i].is_some(), "the dup still holds it");
        f.close(dup).unwrap();
        assert!(f.inodes[i].is_none());
        assert_eq!((f.bytes - link_bytes(&f), live()), (0, 0), "its data is given back");
        assert_eq!(f.close(dup), Err(EBADF));
        f.check().unwrap();
    }

    #[test]
    fn rmdir_removes_only_empty_directories() {
        let mut f = fs();
        f.mkdir(b"/d", 0o755).unwrap();
        create(&mut f, b"/d/f", b"");
        assert_eq!(f.rmdir(b"/d"), Err(ENOTEMPTY));
        assert_eq!(f.rmdir(b"/d/f"), Err(ENOTDIR));
        assert_eq!(f.rmdir(b"/d/."), Err(EINVAL));
        assert_eq!(f.rmdir(b"/d/.."), Err(ENOTEMPTY));
        assert_eq!(f.rmdir(b"/"), Err(EBUSY));
        assert_eq!(f.unlink(b"/d"), Err(EISDIR));
        f.unlink(b"/d/f").unwrap();
        f.chdir(b"/d").unwrap();
        assert_eq!(f.rmdir(b"/d"), Err(EBUSY), "the working directory");
        f.chdir(b"/").unwrap();
        let n = live_inodes(&f);
        f.rmdir(b"/d").unwrap();
        assert_eq!(live_inodes(&f), n - 1);
        assert_eq!(f.resolve(b"/d"), Err(ENOENT));
        f.check().unwrap();
    }

    #[test]
    fn running_out_of_inodes_is_enospc_until_one_is_freed() {
        let mut f = fs();
        let free = MAX_INODES - live_inodes(&f);
        for k in 0..free {
            f.mkdir(alloc::format!("/d{k}").as_bytes(), 0o755).unwrap();
        }
        assert_eq!(f.mkdir(b"/one-more", 0o755), Err(ENOSPC));
        assert_eq!(f.open(b"/one-more", O_WRONLY | O_CREAT, 0o644), Err(ENOSPC));
        assert_eq!(f.symlink(b"/x", b"/one-more"), Err(ENOSPC));
        assert_eq!(f.resolve(b"/one-more"), Err(ENOENT), "a failed create leaves no name");
        f.check().unwrap();
        f.rmdir(b"/d0").unwrap();
        f.open(b"/one-more", O_WRONLY | O_CREAT, 0o644).unwrap();
        f.check().unwrap();
    }

    #[test]
    fn descriptors_run_out_at_max_fds_with_emfile() {
        let mut f = fs();
        create(&mut f, b"/f", b"");
        let mut fds = Vec::new();
        loop {
            match f.open(b"/f", O_RDONLY, 0) {
                Ok(fd) => fds.push(fd),
                Err(e) => {
                    assert_eq!(e, EMFILE);
                    break;
                }
            }
        }
        assert_eq!(fds.len(), MAX_FDS - 3);
        assert_eq!(f.dup(0, 0), Err(EMFILE));
        assert_eq!(f.pipe(0), Err(EMFILE));
        assert!(f.pipes.iter().all(|p| p.is_none()), "a failed pipe2 leaves no pipe");
        f.close(fds[10] as i32).unwrap();
        assert_eq!(f.open(b"/f", O_RDONLY, 0), Ok(fds[10]), "the lowest free descriptor");
        assert_eq!(f.dup3(0, MAX_FDS as i32, 0), Err(EBADF));
        f.check().unwrap();
    }

    #[test]
    fn dup_shares_the_offset_and_flags_but_not_cloexec() {
        let mut f = fs();
        create(&mut f, b"/f", b"0123456789");
        let fd = f.open(b"/f", O_RDONLY | O_CLOEXEC, 0).unwrap() as i32;
        let d = f.dup(fd, 0).unwrap() as i32;
        let ofd = f.fd(fd).unwrap();
        ofd.off.set(4);
        assert_eq!(f.fd(d).unwrap().off.get(), 4);
        assert!(Rc::ptr_eq(&ofd, &f.fd(d).unwrap()));
        assert_eq!(f.set_cloexec(d, true), Ok(false), "dup clears close-on-exec");
        assert_eq!(f.set_cloexec(fd, false), Ok(true));
        // dup3 closes the target first; onto itself is EINVAL.
        let other = f.open(b"/f", O_RDONLY, 0).unwrap() as i32;
        assert_eq!(f.dup3(fd, other, O_CLOEXEC), Ok(other as usize));
        assert_eq!(f.fd(other).unwrap().off.get(), 4);
        assert_eq!(f.dup3(fd, fd, 0), Err(EINVAL));
        assert_eq!(f.dup3(99, 5, 0), Err(EBADF));
        f.check().unwrap();
    }

    #[test]
    fn open_flags_create_follow_and_refuse_as_posix_says() {
        let mut f = fs();
        f.symlink(b"/target", b"/dangling").unwrap();
        // O_CREAT through a dangling link creates its target.
        f.open(b"/dangling", O_WRONLY | O_CREAT, 0o600).unwrap();
        let t = f.resolve(b"/target").unwrap();
        assert_eq!(f.ino(t).mode, S_IFREG | 0o600);
        assert_eq!(f.open(b"/target", O_WRONLY | O_CREAT | O_EXCL, 0o600), Err(EEXIST));
        assert_eq!(f.open(b"/dangling", O_WRONLY | O_CREAT | O_EXCL, 0o600), Err(EEXIST));
        assert_eq!(f.open(b"/dangling", O_RDONLY | O_NOFOLLOW, 0), Err(ELOOP));
        assert_eq!(f.open(b"/target", O_RDONLY | O_DIRECTORY, 0), Err(ENOTDIR));
        assert_eq!(f.open(b"/tmp", O_WRONLY, 0), Err(EISDIR));
        assert_eq!(f.open(b"/target", 3, 0), Err(EINVAL));
        assert_eq!(f.open(b"/proc/uptime", O_WRONLY, 0), Err(EACCES));
        assert!(f.open(b"/tmp", O_RDONLY | O_DIRECTORY, 0).is_ok());
        let null = f.open(b"/dev/null", O_RDWR, 0).unwrap() as i32;
        assert!(f.fd(null).unwrap().kind == Kind::Null);
        // O_TRUNC empties a file opened for writing.
        f.write_file(t, 0, b"abc").unwrap();
        f.open(b"/target", O_RDONLY | O_TRUNC, 0).unwrap();
        assert_eq!(f.file_len(t), 3, "not when opened read-only");
        f.open(b"/target", O_WRONLY | O_TRUNC, 0).unwrap();
        assert_eq!(f.file_len(t), 0);
        f.args = vec![Vec::from(&b"app"[..]), Vec::from(&b"-v"[..])];
        let c = f.resolve(b"/proc/self/cmdline").unwrap();
        assert_eq!(contents(&mut f, c), b"app\0-v");
        f.check().unwrap();
    }

    #[test]
    fn file_data_grows_sparse_and_truncates_with_its_accounting() {
        let mut f = fs();
        let i = create(&mut f, b"/f", b"head");
        // A write far past the end: the hole reads as zeros.
        f.write_file(i, 100_000, b"tail").unwrap();
        let all = contents(&mut f, i);
        assert_eq!(all.len(), 100_004);
        assert_eq!(&all[..4], b"head");
        assert!(all[4..100_000].iter().all(|&b| b == 0));
        assert_eq!(&all[100_000..], b"tail");
        assert_eq!(f.bytes - link_bytes(&f), live(), "the file system counts what file data holds");
        f.check().unwrap();
        f.truncate(i, 2).unwrap();
        assert_eq!(contents(&mut f, i), b"he");
        f.truncate(i, 6).unwrap();
        assert_eq!(contents(&mut f, i), b"he\0\0\0\0");
        assert_eq!(f.truncate(i, MAX_FILE + 1), Err(EFBIG));
        assert_eq!(f.write_file(i, usize::MAX, b"x"), Err(EFBIG));
        let d = f.resolve(b"/tmp").unwrap();
        assert_eq!(f.truncate(d, 0), Err(EISDIR));
        f.check().unwrap();
    }

    #[test]
    fn running_data_memory_out_is_enospc_and_keeps_the_file() {
        let mut f = fs();
        let i = create(&mut f, b"/f", &[5; 3000]);
        set_budget(10_000);
        assert_eq!(f.write_file(i, 3000, &[6; 100_000]), Err(ENOSPC));
        assert_eq!(contents(&mut f, i), [5; 3000]);
        assert_eq!(f.bytes - link_bytes(&f), live());
        set_budget(1000);
        assert_eq!(f.symlink(&[b'x'; 1010], b"/l"), Err(ENOSPC), "link targets count too");
        f.check().unwrap();
        // What fits still goes in (regrowing the last chunk to 6000 bytes).
        set_budget(10_000);
        f.write_file(i, 3000, &[6; 500]).unwrap();
        assert_eq!(f.file_len(i), 3500);
        f.check().unwrap();
    }

    #[test]
    fn pipe_descriptors_count_their_ends_and_free_the_pipe() {
        let mut f = fs();
        let (r, w) = f.pipe(O_NONBLOCK).unwrap();
        assert_eq!(f.pipe(0o1), Err(EINVAL));
        let w2 = f.dup(w as i32, 0).unwrap();
        let p = match f.fd(r as i32).unwrap().kind {
            Kind::PipeRead(p) => p,
            _ => panic!("not a pipe's read end"),
        };
        assert_eq!((f.pipes[p].as_ref().unwrap().readers, f.pipes[p].as_ref().unwrap().writers), (1, 2));
        f.check().unwrap();
        f.close(w as i32).unwrap();
        assert_eq!(f.pipe_ready(Kind::PipeRead(p)), 0, "a writer is left");
        f.close(w2 as i32).unwrap();
        assert_eq!(f.pipe_ready(Kind::PipeRead(p)), POLLHUP);
        f.check().unwrap();
        f.close(r as i32).unwrap();
        assert!(f.pipes[p].is_none());
        f.check().unwrap();
    }

    #[test]
    fn a_mapped_file_keeps_its_pins_through_the_check() {
        let mut f = fs();
        let i = create(&mut f, b"/f", &[1; 40_000]);
        let cap = |f: &mut Fs<T>| match &f.ino(i).node {
            Node::File(d) => d.capacity(),
            _ => unreachable!(),
        };
        let before = cap(&mut f);
        let p = match &mut f.ino(i).node {
            Node::File(d) => d.map(0, 4096).unwrap(),
            _ => unreachable!(),
        };
        assert_eq!(f.check(), Err("fs: mapping pin count mismatch"), "an unrecorded mapping");
        f.maps.push(Map { addr: p as usize, ino: i });
        f.ino(i).opens += 1;
        f.bytes = f.bytes - before + cap(&mut f);
        f.check().unwrap();
    }
}

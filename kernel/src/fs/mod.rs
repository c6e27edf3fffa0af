//! The RAM file system and the descriptor table.
//!
//! Inodes live in a table (index = inode number - 1); directories hold (name, inode) entries and
//! their parent. Descriptors point to shared open-file descriptions (`Ofd`: offset and status
//! flags, shared by dup'ed descriptors). Symbolic links are nodes holding their target bytes;
//! path walks follow them (at most `MAX_LINKS` per resolution). Limits (inodes, descriptors)
//! answer ENOSPC / EMFILE; a file's contents grow in chunks from whatever memory is left
//! (`data.rs`: the kernel heap's share, then the app heap), so ENOSPC for data means the board's
//! memory is used up. Link targets stay within the kernel heap's share.
//!
//! Like upstream BlueKernel (devfs, procfs, a tmpfs root), the tree starts with `/dev` (null,
//! zero, console, tty), `/proc` (meminfo, uptime, and `self` -> `1` with cmdline and status,
//! made when read) and `/tmp`. These are the system's, not the run's: `export` leaves them out
//! (a `/tmp` the app wrote into goes back like any directory).
//!
//! Pipes (`pipe.rs`) are open files with no inode: a descriptor names one end of a ring buffer.
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::Cell;

use crate::abi::*;
use crate::global::Global;
use crate::syscall_table::{
    c_int, EACCES, EBADF, EBUSY, EEXIST, EFBIG, EINVAL, EISDIR, ELOOP, EMFILE, EMLINK, ENAMETOOLONG, ENOENT,
    ENOSPC, ENOTDIR, ENOTEMPTY, EPERM,
};

pub const MAX_INODES: usize = 1024;
pub const MAX_FDS: usize = 64;
pub const NAME_MAX: usize = 255;
/// The largest file: the largest offset Lseek can answer (an int). Past it, EFBIG.
pub const MAX_FILE: usize = i32::MAX as usize;
const ROOT: usize = 0;
/// Links followed in one resolution before ELOOP (POSIX's SYMLOOP_MAX minimum is 8).
pub const MAX_LINKS: u32 = 8;

pub enum Node {
    File(FileData),
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

pub struct Inode {
    pub node: Node,
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
    pub flags: Cell<c_int>,
}

#[derive(Clone)]
pub struct Fd {
    pub ofd: Rc<Ofd>,
    pub cloexec: bool,
}

pub struct Fs {
    pub inodes: Vec<Option<Inode>>,
    pub fds: Vec<Option<Fd>>,
    pub cwd: usize,
    pub bytes: usize,
    /// The system's directories (`/dev`, `/proc`, `/tmp`), which `export` leaves out.
    pub system: [usize; 3],
    /// The run's argv, for `/proc/self/cmdline` and `status`.
    pub args: Vec<Vec<u8>>,
    /// Pipes by number; a slot is freed when no descriptor of either end remains.
    pub pipes: Vec<Option<pipe::Pipe>>,
    /// Live shared mappings (FileMap, syscall_handlers/mapping.rs): each holds its inode open.
    pub maps: Vec<Map>,
}

/// A mapping of a file's bytes at `addr` (a pinned block of its data).
pub struct Map {
    pub addr: usize,
    pub ino: usize,
}

#[link_section = ".kdata"]
static FS: Global<Fs> =
    Global::new(Fs { inodes: Vec::new(), fds: Vec::new(), cwd: ROOT, bytes: 0, system: [ROOT; 3],
                     args: Vec::new(), pipes: Vec::new(), maps: Vec::new() });

/// The file system for the length of `f` (`Global::with`: not from inside another `with`).
#[track_caller]
pub fn with<R>(f: impl FnOnce(&mut Fs) -> R) -> R {
    FS.with(f)
}

pub(crate) type R<T> = Result<T, c_int>;

/// File times are times of day (CLOCK_REALTIME), as the host's files have.
fn now() -> u64 {
    crate::run::realtime()
}

pub fn init() {
    with(init_in)
}

fn init_in(f: &mut Fs) {
    f.inodes.push(Some(Inode {
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
        f.fds.push(Some(Fd { ofd, cloexec: false }));
    }
    f.system_tree().expect("the system directories fit an empty file system");
}

impl Fs {
    /// `/dev`, `/proc` and `/tmp`, made at boot before the run's own files.
    fn system_tree(&mut self) -> R<()> {
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

    fn add_node(&mut self, dir: &[u8], name: &[u8], node: Node, mode: u32) -> R<()> {
        let d = self.resolve(dir)?;
        let i = self.new_inode(node, mode)?;
        self.add_entry(d, name, i)
    }

    fn ino(&mut self, i: usize) -> &mut Inode {
        self.inodes[i].as_mut().expect("dangling inode")
    }

    fn lookup(&mut self, dir: usize, name: &[u8]) -> R<Option<usize>> {
        match &self.ino(dir).node {
            Node::Dir { entries, parent } => Ok(match name {
                b"." => Some(dir),
                b".." => Some(*parent),
                _ => entries.iter().find(|(n, _)| n == name).map(|(_, i)| *i),
            }),
            _ => Err(ENOTDIR),
        }
    }

    fn is_dir(&mut self, i: usize) -> bool {
        matches!(self.ino(i).node, Node::Dir { .. })
    }

    fn link_target(&mut self, i: usize) -> Option<Vec<u8>> {
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
    fn walk(&mut self, start: usize, path: &[u8], follow: bool, links: &mut u32) -> R<usize> {
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
    fn parent<'a>(&mut self, path: &'a [u8]) -> R<(usize, &'a [u8])> {
        self.parent_at(self.cwd, path)
    }

    /// As `parent`, with relative paths taken from `start`.
    fn parent_at<'a>(&mut self, start: usize, path: &'a [u8]) -> R<(usize, &'a [u8])> {
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

    fn new_inode(&mut self, node: Node, mode: u32) -> R<usize> {
        let t = now();
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

    fn add_entry(&mut self, dir: usize, name: &[u8], ino: usize) -> R<()> {
        let t = now();
        let d = self.ino(dir);
        d.mtime = t;
        d.ctime = t;
        if let Node::Dir { entries, .. } = &mut d.node {
            entries.try_reserve(1).map_err(|_| ENOSPC)?;
            entries.push((Vec::from(name), ino));
        }
        Ok(())
    }

    fn remove_entry(&mut self, dir: usize, name: &[u8]) {
        let t = now();
        let d = self.ino(dir);
        d.mtime = t;
        d.ctime = t;
        if let Node::Dir { entries, .. } = &mut d.node {
            entries.retain(|(n, _)| n != name);
        }
    }

    /// Drop one link; free the inode when no link and no descriptor remain.
    fn unref(&mut self, i: usize) {
        let n = self.ino(i);
        n.nlink = n.nlink.saturating_sub(1);
        self.maybe_free(i);
    }

    pub(crate) fn maybe_free(&mut self, i: usize) {
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
        if target.len() > crate::uaccess::PATH_MAX {
            return Err(ENAMETOOLONG);
        }
        let (dir, name) = self.parent(linkpath)?;
        if self.lookup(dir, name)?.is_some() {
            return Err(EEXIST);
        }
        // Targets live in the kernel heap, within file data's share of it: 1024 links of 1 KiB
        // would otherwise exhaust Cortex-M's 1 MiB kernel heap.
        if !data::kernel_room(target.len()) {
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

    fn is_ancestor(&mut self, a: usize, mut d: usize) -> bool {
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

    fn alloc_fd(&mut self, from: usize, fd: Fd) -> R<usize> {
        for i in from..MAX_FDS {
            while i >= self.fds.len() {
                self.fds.push(None);
            }
            if self.fds[i].is_none() {
                if let Kind::File(n) | Kind::Dir(n) = fd.ofd.kind {
                    self.ino(n).opens += 1;
                }
                pipe::opened(&mut self.pipes, fd.ofd.kind);
                self.fds[i] = Some(fd);
                return Ok(i);
            }
        }
        Err(EMFILE)
    }

    pub fn fd(&mut self, fd: c_int) -> R<Rc<Ofd>> {
        if fd < 0 {
            return Err(EBADF);
        }
        match self.fds.get(fd as usize) {
            Some(Some(f)) => Ok(f.ofd.clone()),
            _ => Err(EBADF),
        }
    }

    pub fn open(&mut self, path: &[u8], flags: c_int, mode: u32) -> R<usize> {
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

    pub fn close(&mut self, fd: c_int) -> R<()> {
        self.fd(fd)?;
        let f = self.fds[fd as usize].take().unwrap();
        if let Kind::File(n) | Kind::Dir(n) = f.ofd.kind {
            self.ino(n).opens -= 1;
            self.maybe_free(n);
        }
        pipe::closed(&mut self.pipes, f.ofd.kind);
        Ok(())
    }

    /// dup3(2): `new` (closed first when open) refers to `old`'s open file description.
    pub fn dup3(&mut self, old: c_int, new: c_int, flags: c_int) -> R<usize> {
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
    pub fn pipe(&mut self, flags: c_int) -> R<(usize, usize)> {
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
                self.close(r as c_int)?; // frees the pipe with its only descriptor
                Err(e)
            }
        }
    }

    pub fn dup(&mut self, fd: c_int, from: usize) -> R<usize> {
        self.fd(fd)?;
        let f = self.fds[fd as usize].clone().unwrap();
        self.alloc_fd(from, Fd { ofd: f.ofd, cloexec: false })
    }

    pub fn set_cloexec(&mut self, fd: c_int, v: bool) -> R<bool> {
        self.fd(fd)?;
        let f = self.fds[fd as usize].as_mut().unwrap();
        let old = f.cloexec;
        f.cloexec = v;
        Ok(old)
    }

    pub fn truncate(&mut self, i: usize, len: usize) -> R<()> {
        let used = self.bytes;
        let t = now();
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
            Node::Proc(p) => proc_text(p, &self.args),
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
        let t = now();
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
            return proc_text(p, &self.args).len();
        }
        match &self.ino(i).node {
            Node::File(d) => d.len(),
            Node::Dir { entries, .. } => entries.len(),
            Node::Symlink(t) => t.len(),
            Node::Dev(_) | Node::Proc(_) => 0,
        }
    }

    pub fn stat(&mut self, i: usize) -> Stat {
        // /proc files have no size until read, as on Linux (readers read to the end).
        let size = match self.ino(i).node {
            Node::Proc(_) => 0,
            _ => self.file_len(i) as i64,
        };
        let n = self.ino(i);
        let rdev = match n.node {
            Node::Dev(d) => d.rdev(),
            _ => 0,
        };
        // A directory holds no data blocks, as tmpfs reports it (`du` counts its files only).
        let blocks = match n.node {
            Node::Dir { .. } => 0,
            _ => (size + 511) / 512,
        };
        let ts = |t: u64| [(t / 1_000_000_000) as i64, (t % 1_000_000_000) as i64];
        Stat {
            st_dev: 1,
            st_ino: i as u64 + 1,
            st_mode: n.mode,
            st_nlink: n.nlink,
            st_rdev: rdev,
            st_size: size,
            st_blksize: 512,
            st_blocks: blocks,
            st_atime: ts(n.atime),
            st_mtime: ts(n.mtime),
            st_ctime: ts(n.ctime),
            ..Stat::default()
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
}

/// The bytes of a /proc file, now.
fn proc_text(p: Proc, args: &[Vec<u8>]) -> Vec<u8> {
    use core::fmt::Write;

    let mut s = alloc::string::String::new();
    match p {
        Proc::Meminfo => {
            let h = crate::heap::stats();
            let _ = write!(s, "MemTotal:       {:8} kB\nMemFree:        {:8} kB\n\
                               MemAvailable:   {:8} kB\n",
                           h.user_size / 1024, h.user_free / 1024, h.user_free / 1024);
        }
        Proc::Uptime => {
            let ns = crate::sched::now(); // since boot (`now` is the time of day)
            let cs = ns / 10_000_000;
            let _ = write!(s, "{}.{:02} 0.00\n", cs / 100, cs % 100);
        }
        Proc::Cmdline => {
            for a in args {
                s.push_str(core::str::from_utf8(a).unwrap_or("?"));
                s.push('\0');
            }
        }
        Proc::Status => {
            let name = args.first().map(|a| {
                let a = core::str::from_utf8(a).unwrap_or("?");
                a.rsplit('/').next().unwrap_or(a)
            });
            let threads = crate::sched::with(|s| {
                s.threads.iter().filter(|t| t.state != crate::sched::State::Dead).count()
            });
            let _ = write!(s, "Name:\t{}\nState:\tR (running)\nPid:\t1\nPPid:\t0\n\
                               Threads:\t{}\n", name.unwrap_or("app"), threads);
        }
    }
    s.into_bytes()
}

mod archive;
mod check;
mod data;
mod ioctl;
pub mod pipe;

pub use archive::{export, unpack};
pub use check::check;
pub use data::{FileData, PAGE};

/// (bytes, free bytes) for statfs: what file data holds plus what it could still take.
pub fn space() -> (usize, usize) {
    data::space(with(|f| f.bytes))
}

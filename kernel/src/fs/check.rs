//! The file system's self-check (run at exit; the fuzz app relies on it).
use super::{Fs, Inode, Kind, Node, NAME_MAX, ROOT};

/// Self-check: every entry points to a live inode, link counts match, byte accounting adds up;
/// pipes: end counts match their descriptors, no pipe outlives them, waiters are asleep.
pub fn check() -> Result<(), &'static str> {
    super::with(|f| check_in(f))
}

fn check_in(f: &mut Fs) -> Result<(), &'static str> {
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
                if t.is_empty() || ino.mode & crate::abi::S_IFMT != crate::abi::S_IFLNK {
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
        if pipe.data.len() > super::pipe::PIPE_SIZE || (!pipe.rq.is_empty() && !pipe.data.is_empty()) {
            return Err("fs: pipe buffer overrun or a reader asleep beside data");
        }
        let asleep = |tid: usize| {
            crate::sched::with_thread(tid, |t| t.state == crate::sched::State::Pipe) == Some(true)
        };
        if !pipe.rq.iter().chain(pipe.wq.iter()).all(|w| asleep(w.tid)) {
            return Err("fs: pipe waiter that is not asleep");
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

//! Shared mappings of regular files (proposed FileMap 80, FileUnmap 81). There is one address
//! space, so a MAP_SHARED mapping is the file's own bytes (`fs/data.rs` coalesces the range into
//! one pinned block): read()/write() and the mapping see each other with nothing written back.
//! A mapping counts as an open of its inode, so the file outlives close() and unlink() while
//! mapped, as POSIX requires.
use crate::abi::*;
use crate::fs::{Kind, Map, Node, PAGE};
use crate::syscall_table::{c_int, EACCES, EINVAL, ENODEV, ENOMEM};

const PROT_WRITE: c_int = 2;

type R = super::SysResult;

fn do_map(fd: c_int, off: usize, len: usize, prot: c_int) -> R {
    crate::fs::with(|f| -> R {
        let ofd = f.fd(fd)?;
        let i = match ofd.kind {
            Kind::File(i) => i,
            _ => return Err(ENODEV),
        };
        // Reading the mapping needs a readable descriptor, writing it a writable one too.
        let acc = ofd.flags.get() & O_ACCMODE;
        if acc == O_WRONLY || (prot & PROT_WRITE != 0 && acc != O_RDWR) {
            return Err(EACCES);
        }
        if len == 0 || off % PAGE != 0 {
            return Err(EINVAL);
        }
        if off.checked_add(len).map_or(true, |e| e > crate::fs::MAX_FILE) {
            return Err(ENOMEM);
        }
        f.maps.try_reserve(1).map_err(|_| ENOMEM)?;
        let used = f.bytes;
        let ino = f.inodes[i].as_mut().ok_or(EINVAL)?;
        let d = match &mut ino.node {
            Node::File(d) => d,
            _ => return Err(ENODEV), // /proc files are made when read: nothing to map
        };
        let before = d.capacity();
        let r = d.map(off, len);
        let after = d.capacity();
        f.bytes = used + after - before;
        let addr = r? as usize;
        ino.opens += 1;
        f.maps.push(Map { addr, ino: i });
        Ok(addr)
    })
}

fn do_unmap(addr: usize) -> R {
    crate::fs::with(|f| -> R {
        let k = f.maps.iter().position(|m| m.addr == addr).ok_or(EINVAL)?;
        let m = f.maps.swap_remove(k);
        let used = f.bytes;
        let ino = f.inodes[m.ino].as_mut().expect("a mapped inode stays while mapped");
        if let Node::File(d) = &mut ino.node {
            let before = d.capacity();
            d.unmap(addr);
            f.bytes = used + d.capacity() - before;
        }
        ino.opens -= 1;
        f.maybe_free(m.ino);
        Ok(0)
    })
}

pub mod file_map {
    use crate::syscall_table::*;
    handler!(file_map(fd: c_int, off: usize, len: usize, prot: c_int, addr: *mut usize) -> c_int {
        let a = super::do_map(fd, off, len, prot)?;
        if let Err(e) = crate::uaccess::put(addr as usize, a) {
            let _ = super::do_unmap(a);
            return Err(e);
        }
        Ok(0)
    });
}

pub mod file_unmap {
    use crate::syscall_table::*;
    handler!(file_unmap(addr: usize) -> c_int {
        super::do_unmap(addr)
    });
}

//! Descriptors and the RAM file system.
use crate::abi::*;
use crate::fs::{pipe, Kind};
use crate::syscall_table::{c_int, EBADF, EINVAL, EISDIR, EOVERFLOW, ERANGE, ESPIPE};

type R = super::SysResult;

fn path(p: *const u8) -> Result<alloc::vec::Vec<u8>, c_int> {
    crate::uaccess::cstr(p)
}

fn do_read(fd: c_int, buf: *mut u8, count: usize) -> R {
    crate::fs::with(|f| -> R {
        let ofd = f.fd(fd)?;
        if ofd.flags.get() & O_ACCMODE == O_WRONLY {
            return Err(EBADF);
        }
        // SAFETY: the dispatcher checked [buf, buf+count) writable app memory (disjoint from the
        // kernel heap where file data lives).
        let out = unsafe { core::slice::from_raw_parts_mut(buf, count) };
        match ofd.kind {
            Kind::Console(_) => Ok(crate::run::stdin_read(out) as usize),
            Kind::File(i) => {
                let n = f.read_file(i, ofd.off.get(), out);
                ofd.off.set(ofd.off.get() + n);
                Ok(n as usize)
            }
            Kind::Dir(_) => Err(EISDIR),
            Kind::Null => Ok(0),
            Kind::Zero => {
                out.fill(0);
                Ok(count as usize)
            }
            // A blocked reader's result is written by the thread that wakes it.
            Kind::PipeRead(p) => {
                let nonblock = ofd.flags.get() & O_NONBLOCK != 0;
                Ok(pipe::read(pipe::get(&mut f.pipes, p), buf as usize, count, nonblock)?.unwrap_or(0) as usize)
            }
            Kind::PipeWrite(_) => Err(EBADF),
        }
    })
}

fn do_write(fd: c_int, buf: *const u8, size: usize) -> R {
    crate::fs::with(|f| -> R {
        let ofd = f.fd(fd)?;
        if ofd.flags.get() & O_ACCMODE == O_RDONLY {
            return Err(EBADF);
        }
        // SAFETY: the dispatcher checked [buf, buf+size) readable app memory.
        let data = unsafe { core::slice::from_raw_parts(buf, size) };
        match ofd.kind {
            Kind::Console(i) => {
                crate::console::write_fd(i, data);
                Ok(size as usize)
            }
            Kind::File(i) => {
                let off = if ofd.flags.get() & O_APPEND != 0 { f.file_len(i) } else { ofd.off.get() };
                let n = f.write_file(i, off, data)?;
                ofd.off.set(off + n);
                Ok(n as usize)
            }
            Kind::Dir(_) => Err(EBADF),
            Kind::Null | Kind::Zero => Ok(size as usize),
            Kind::PipeWrite(p) => {
                let nonblock = ofd.flags.get() & O_NONBLOCK != 0;
                Ok(pipe::write(pipe::get(&mut f.pipes, p), buf as usize, size, nonblock)?.unwrap_or(0) as usize)
            }
            Kind::PipeRead(_) => Err(EBADF),
        }
    })
}

fn do_lseek(fd: c_int, offset: usize, whence: c_int) -> R {
    crate::fs::with(|f| -> R {
        let ofd = f.fd(fd)?;
        let off = offset as isize;
        let base = match (ofd.kind, whence) {
            (Kind::Console(_) | Kind::PipeRead(_) | Kind::PipeWrite(_), _) => return Err(ESPIPE),
            (Kind::Null | Kind::Zero, _) => return Ok(0), // as Linux: a seek that goes nowhere
            (Kind::Dir(_), SEEK_SET) => 0,
            (Kind::Dir(_), _) => return Err(EINVAL),
            (_, SEEK_SET) => 0,
            (_, SEEK_CUR) => ofd.off.get() as isize,
            (Kind::File(i), SEEK_END) => f.file_len(i) as isize,
            _ => return Err(EINVAL),
        };
        let new = base.checked_add(off).ok_or(EOVERFLOW)?;
        if new < 0 {
            return Err(EINVAL);
        }
        if new > i32::MAX as isize {
            return Err(EOVERFLOW);
        }
        ofd.off.set(new as usize);
        Ok(new as usize)
    })
}

fn do_fcntl(fd: c_int, cmd: c_int, arg: usize) -> R {
    crate::fs::with(|f| -> R {
        let ofd = f.fd(fd)?;
        match cmd {
            F_DUPFD => {
                if arg >= crate::fs::MAX_FDS {
                    return Err(EINVAL);
                }
                Ok(f.dup(fd, arg)? as usize)
            }
            F_GETFD => {
                let old = f.set_cloexec(fd, false)?;
                f.set_cloexec(fd, old)?;
                Ok(old as usize)
            }
            F_SETFD => f.set_cloexec(fd, arg & FD_CLOEXEC != 0).map(|_| 0),
            F_GETFL => Ok(ofd.flags.get() as usize),
            F_SETFL => {
                let keep = ofd.flags.get() & !(O_APPEND | O_NONBLOCK);
                ofd.flags.set(keep | (arg as c_int & (O_APPEND | O_NONBLOCK)));
                Ok(0)
            }
            _ => Err(EINVAL),
        }
    })
}

fn put_stat(buf: usize, st: Stat) -> R {
    crate::uaccess::put(buf, st)?;
    Ok(0)
}

fn do_fstat(fd: c_int, buf: usize) -> R {
    crate::fs::with(|f| -> R {
        let ofd = f.fd(fd)?;
        match ofd.kind {
            Kind::Console(i) => {
                let mode = if crate::run::with(|b| b.console_pipe) { S_IFIFO | 0o600 } else { S_IFCHR | 0o620 };
                put_stat(buf, Stat { st_mode: mode, st_nlink: 1, st_rdev: i as u64, st_blksize: 1, ..Stat::default() })
            }
            Kind::File(i) | Kind::Dir(i) => put_stat(buf, f.stat(i)),
            Kind::PipeRead(_) | Kind::PipeWrite(_) => {
                put_stat(buf, Stat { st_mode: S_IFIFO | 0o600, st_nlink: 1, st_blksize: pipe::PIPE_BUF as i64, ..Stat::default() })
            }
            Kind::Null | Kind::Zero => {
                let d = if ofd.kind == Kind::Null { crate::fs::Dev::Null } else { crate::fs::Dev::Zero };
                put_stat(buf, Stat { st_mode: S_IFCHR | 0o666, st_nlink: 1, st_rdev: d.rdev(), st_blksize: 4096, ..Stat::default() })
            }
        }
    })
}

/// poll(2)'s events for one descriptor. Everything but a pipe is always ready, as POSIX says of
/// regular files; the console's input is a finite stdin, so a read never waits (EOF at its end).
fn do_fd_ready(fd: c_int) -> R {
    crate::fs::with(|f| -> R {
        let ofd = f.fd(fd)?;
        let acc = ofd.flags.get() & O_ACCMODE;
        let m = match ofd.kind {
            Kind::PipeRead(_) | Kind::PipeWrite(_) => f.pipe_ready(ofd.kind),
            _ => {
                let r = if acc != O_WRONLY { POLLIN } else { 0 };
                let w = if acc != O_RDONLY { POLLOUT } else { 0 };
                r | w
            }
        };
        Ok(m as usize)
    })
}

fn statfs_now() -> StatFs {
    let (bytes, free) = crate::fs::space();
    crate::fs::with(|f| {
        let used_inodes = f.inodes.iter().filter(|i| i.is_some()).count() as u64;
        StatFs {
            f_type: 0x8584_58f6,
            f_bsize: 512,
            f_blocks: (bytes / 512) as u64,
            f_bfree: (free / 512) as u64,
            f_bavail: (free / 512) as u64,
            f_files: crate::fs::MAX_INODES as u64,
            f_ffree: crate::fs::MAX_INODES as u64 - used_inodes,
            f_namelen: crate::fs::NAME_MAX as u64,
        }
    })
}

fn do_getdents(fd: c_int, buf: usize, size: usize) -> R {
    crate::fs::with(|f| -> R {
        let ofd = f.fd(fd)?;
        let d = match ofd.kind {
            Kind::Dir(d) => d,
            _ => return Err(crate::syscall_table::ENOTDIR),
        };
        let mut used = 0;
        let mut pos = ofd.off.get();
        let mut rec = alloc::vec::Vec::new();
        while let Some((name, ino)) = f.dirent(d, pos) {
            let reclen = (DIRENT_HEADER + name.len() + 1 + 7) & !7;
            if used + reclen > size {
                if used == 0 {
                    return Err(EINVAL);
                }
                break;
            }
            let typ = match f.inodes.get(ino) {
                Some(Some(i)) if i.mode & S_IFMT == S_IFDIR => DT_DIR,
                Some(Some(i)) if i.mode & S_IFMT == S_IFLNK => DT_LNK,
                Some(Some(i)) if i.mode & S_IFMT == S_IFCHR => DT_CHR,
                _ => DT_REG,
            };
            rec.clear();
            rec.extend_from_slice(&(ino as u64 + 1).to_ne_bytes());
            rec.extend_from_slice(&(pos as i64 + 1).to_ne_bytes());
            rec.extend_from_slice(&(reclen as u16).to_ne_bytes());
            rec.push(typ);
            rec.extend_from_slice(&name);
            rec.resize(reclen, 0);
            crate::uaccess::copy_out(buf + used, &rec)?;
            used += reclen;
            pos += 1;
        }
        ofd.off.set(pos);
        Ok(used as usize)
    })
}

pub mod read {
    use crate::syscall_table::*;
    handler!(read(fd: c_int, buf: *mut c_void, count: usize) -> isize {
        super::do_read(fd, buf as *mut u8, count)
    });
}

pub mod write {
    use crate::syscall_table::*;
    handler!(write(fd: c_int, buf: *const u8, size: usize) -> c_long {
        super::do_write(fd, buf, size)
    });
}

pub mod open {
    use crate::syscall_table::*;
    handler!(open(path: *const c_char, flags: c_int, mode: mode_t) -> c_int {
        super::path(path).and_then(|p| crate::fs::with(|f| f.open(&p, flags, mode))).map(|v| v as usize)
    });
}

pub mod close {
    use crate::syscall_table::*;
    handler!(close(fd: c_int) -> c_int {
        crate::fs::with(|f| f.close(fd)).map(|_| 0)
    });
}

pub mod lseek {
    use crate::syscall_table::*;
    handler!(lseek(fildes: c_int, offset: usize, whence: c_int) -> c_int {
        super::do_lseek(fildes, offset, whence)
    });
}

pub mod fcntl {
    use crate::syscall_table::*;
    handler!(fcntl(fildes: c_int, cmd: c_int, arg: usize) -> c_int {
        super::do_fcntl(fildes, cmd, arg)
    });
}

pub mod ioctl {
    use crate::syscall_table::*;
    handler!(ioctl(fd: c_int, request: c_ulong, out: *mut c_void) -> c_int {
        crate::fs::with(|f| f.ioctl(fd, request as usize, out as usize)).map(|v| v as usize)
    });
}

pub mod mkdir {
    use crate::syscall_table::*;
    handler!(mkdir(path: *const c_char, mode: mode_t) -> c_int {
        super::path(path).and_then(|p| crate::fs::with(|f| f.mkdir(&p, mode))).map(|_| 0)
    });
}

pub mod rmdir {
    use crate::syscall_table::*;
    handler!(rmdir(path: *const c_char) -> c_int {
        super::path(path).and_then(|p| crate::fs::with(|f| f.rmdir(&p))).map(|_| 0)
    });
}

pub mod unlink {
    use crate::syscall_table::*;
    handler!(unlink(path: *const c_char) -> c_int {
        super::path(path).and_then(|p| crate::fs::with(|f| f.unlink(&p))).map(|_| 0)
    });
}

pub mod link {
    use crate::syscall_table::*;
    handler!(link(oldpath: *const c_char, newpath: *const c_char) -> c_int {
        let r = super::path(oldpath).and_then(|o| super::path(newpath).and_then(|n| crate::fs::with(|f| f.link(&o, &n))));
        r.map(|_| 0)
    });
}

pub mod rename {
    use crate::syscall_table::*;
    handler!(rename(oldpath: *const c_char, newpath: *const c_char) -> c_int {
        let r = super::path(oldpath).and_then(|o| super::path(newpath).and_then(|n| crate::fs::with(|f| f.rename(&o, &n))));
        r.map(|_| 0)
    });
}

pub mod stat {
    use crate::syscall_table::*;
    handler!(stat(path: *const c_char, buf: *mut stat) -> c_int {
        let r = super::path(path).and_then(|p| {
            let st = crate::fs::with(|f| f.resolve(&p).map(|i| f.stat(i)))?;
            super::put_stat(buf as usize, st)
        });
        r
    });
}

pub mod lstat {
    use crate::syscall_table::*;
    handler!(lstat(path: *const c_char, buf: *mut stat) -> c_int {
        let r = super::path(path).and_then(|p| {
            let st = crate::fs::with(|f| f.resolve_nofollow(&p).map(|i| f.stat(i)))?;
            super::put_stat(buf as usize, st)
        });
        r
    });
}

pub mod symlink {
    use crate::syscall_table::*;
    handler!(symlink(target: *const c_char, linkpath: *const c_char) -> c_int {
        let r = super::path(target).and_then(|t| super::path(linkpath).and_then(|l| crate::fs::with(|f| f.symlink(&t, &l))));
        r.map(|_| 0)
    });
}

pub mod readlink {
    use crate::syscall_table::*;
    handler!(readlink(path: *const c_char, buf: *mut c_char, size: usize) -> isize {
        let r = super::path(path).and_then(|p| {
            if size == 0 {
                return Err(EINVAL); // Linux: nothing could be returned
            }
            let t = crate::fs::with(|f| f.readlink(&p))?;
            let n = t.len().min(size);
            crate::uaccess::copy_out(buf as usize, &t[..n])?;
            Ok(n as usize)
        });
        r
    });
}

pub mod fstat {
    use crate::syscall_table::*;
    handler!(fstat(fd: c_int, buf: *mut stat) -> c_int {
        super::do_fstat(fd, buf as usize)
    });
}

pub mod statfs {
    use crate::syscall_table::*;
    handler!(statfs(path: *const c_char, buf: *mut statfs) -> c_int {
        let r = super::path(path).and_then(|p| {
            crate::fs::with(|f| f.resolve(&p))?;
            crate::uaccess::put(buf as usize, super::statfs_now()).map(|_| 0)
        });
        r
    });
}

pub mod fstatfs {
    use crate::syscall_table::*;
    handler!(fstatfs(fd: c_int, buf: *mut statfs) -> c_int {
        let r = crate::fs::with(|f| f.fd(fd)).and_then(|_| crate::uaccess::put(buf as usize, super::statfs_now()).map(|_| 0));
        r
    });
}

pub mod ftruncate {
    use crate::syscall_table::*;
    handler!(ftruncate(fd: c_int, length: off_t) -> c_int {
        let r = crate::fs::with(|f| {
            let ofd = f.fd(fd)?;
            match ofd.kind {
                crate::fs::Kind::File(i) if length >= 0 && ofd.flags.get() & super::O_ACCMODE != super::O_RDONLY => {
                    f.truncate(i, length as usize).map(|_| 0)
                }
                _ => Err(EINVAL),
            }
        });
        r
    });
}

pub mod getdents {
    use crate::syscall_table::*;
    handler!(getdents(fd: c_int, buf: *mut c_void, size: usize) -> isize {
        super::do_getdents(fd, buf as usize, size)
    });
}

pub mod chdir {
    use crate::syscall_table::*;
    handler!(chdir(path: *const c_char) -> c_int {
        super::path(path).and_then(|p| crate::fs::with(|f| f.chdir(&p))).map(|_| 0)
    });
}

pub mod getcwd {
    use crate::syscall_table::*;
    handler!(getcwd(buf: *mut c_char, size: usize) -> c_int {
        let mut p = crate::fs::with(|f| f.path_of(f.cwd));
        p.push(0);
        if p.len() > size {
            return Err(super::ERANGE);
        }
        crate::uaccess::copy_out(buf as usize, &p)?;
        Ok(p.len())
    });
}

pub mod pipe2 {
    use crate::syscall_table::*;
    handler!(pipe2(fds: *mut PipeFds, flags: c_int) -> c_int {
        let (r, w) = crate::fs::with(|f| f.pipe(flags))?;
        let out = PipeFds { read_fd: r as c_int, write_fd: w as c_int };
        if let Err(e) = crate::uaccess::put(fds as usize, out) {
            // Nobody can learn the descriptors: take them back.
            crate::fs::with(|f| {
                let _ = f.close(w as c_int);
                let _ = f.close(r as c_int);
            });
            return Err(e);
        }
        Ok(0)
    });
}

pub mod dup3 {
    use crate::syscall_table::*;
    handler!(dup3(oldfd: c_int, newfd: c_int, flags: c_int) -> c_int {
        crate::fs::with(|f| f.dup3(oldfd, newfd, flags)).map(|v| v as usize)
    });
}

pub mod fd_ready {
    use crate::syscall_table::*;
    handler!(fd_ready(fd: c_int) -> c_int {
        super::do_fd_ready(fd)
    });
}

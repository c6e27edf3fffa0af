//! Resident mode: one QEMU serves many calls. The host loads a small stub blob (magic
//! `BKRESID1`, then the NUL-terminated host paths of the call FIFO and of the call file) where a
//! boot blob would go; at every boot the kernel waits on the FIFO for a token (`BKCALL01`, then
//! the call's length as a little-endian u64), reads that many bytes of the call file (a boot blob
//! in the `BKBOOT01` format of boot.rs) over the stub, and runs the call as a fresh boot would.
//!
//! Between calls the kernel does not undo what the app did piece by piece: it asks the machine
//! for a reset (`arch::system_reset`). QEMU then resets every device and copies the image's
//! loaded segments (kernel and app `.text`, `.kdata`, `.data`) and the stub back from their
//! load images, so the next call starts from exactly the state a fresh boot has, in a fraction
//! of a millisecond instead of a new QEMU process. Before the reset the kernel writes the call's
//! files and result record as a fresh boot does, then ends the call on the console with
//! `DLE 'e'` (console.rs): the host knows the results are complete.
//!
//! All of it goes through semihosting (SYS_OPEN/SYS_READ/SYS_CLOSE), which every board has; a
//! FIFO read blocks the whole machine until the host writes, which is what an idle worker wants.
use alloc::vec::Vec;

use crate::arch;
use crate::global::Global;

const SYS_OPEN: usize = 0x01;
const SYS_CLOSE: usize = 0x02;
const SYS_READ: usize = 0x06;
const MODE_RB: usize = 1;

pub const STUB_MAGIC: &[u8; 8] = b"BKRESID1";
const TOKEN_MAGIC: &[u8; 8] = b"BKCALL01";

#[link_section = ".kdata"]
static ACTIVE: Global<bool> = Global::new(false);

/// The call's stdin when the host streams it (`BKPORT_STDIN=stream`): frames on the stub's
/// third path, a FIFO, each a little-endian u32 length then that many bytes; length 0 ends it.
struct StdinStream {
    path: Vec<u8>,
    fd: Option<usize>,
    frame_left: usize,
    eof: bool,
}

#[link_section = ".kdata"]
static STDIN: Global<StdinStream> =
    Global::new(StdinStream { path: Vec::new(), fd: None, frame_left: 0, eof: false });
/// The kernel clock when the call had been read (the run's cost starts there, not at the
/// reset: an idle worker waits on the FIFO in between).
#[link_section = ".kdata"]
static TAKEN_NS: Global<u64> = Global::new(0);

pub fn taken_ns() -> u64 {
    TAKEN_NS.with(|t| *t)
}

/// How long reading the call's blob took (the channel's cost; the result record's
/// `resident_read_ns`).
#[link_section = ".kdata"]
static READ_NS: Global<u64> = Global::new(0);

pub fn read_ns() -> u64 {
    READ_NS.with(|r| *r)
}

/// This boot serves a call of a resident QEMU (set by `take_call`).
pub fn active() -> bool {
    ACTIVE.with(|a| *a)
}

fn open_rb(path: &[u8]) -> Option<usize> {
    let mut name = Vec::from(path);
    name.push(0);
    let open = [name.as_ptr() as usize, MODE_RB, path.len()];
    let fd = arch::semihost(SYS_OPEN, open.as_ptr() as usize);
    (fd != usize::MAX).then_some(fd)
}

fn close(fd: usize) {
    arch::semihost(SYS_CLOSE, [fd].as_ptr() as usize);
}

/// Read exactly `buf.len()` bytes (a FIFO hands them in pieces); false on end of file.
fn read_exact(fd: usize, buf: &mut [u8]) -> bool {
    let mut got = 0;
    while got < buf.len() {
        let want = buf.len() - got;
        let blk = [fd, buf[got..].as_mut_ptr() as usize, want];
        // SYS_READ answers how many bytes it did NOT read.
        let left = arch::semihost(SYS_READ, blk.as_ptr() as usize);
        if left >= want {
            return false;
        }
        got += want - left;
    }
    true
}

/// If the host loaded a resident stub at `region`, wait for the next call and put its boot blob
/// there in the stub's place. A broken channel ends QEMU (the host starts a fresh one).
pub fn take_call(region: &'static mut [u8]) {
    if region.len() < 8 || &region[..8] != STUB_MAGIC {
        return;
    }
    let rest = &region[8..region.len().min(8 + 2048)];
    let mut paths = rest.split(|&c| c == 0);
    let fifo = Vec::from(paths.next().unwrap_or(&[]));
    let file = Vec::from(paths.next().unwrap_or(&[]));
    STDIN.with(|st| st.path = Vec::from(paths.next().unwrap_or(&[])));
    ACTIVE.with(|a| *a = true);
    let fd = open_rb(&fifo).unwrap_or_else(|| crate::halt::channel_lost());
    let mut token = [0u8; 16];
    let ok = read_exact(fd, &mut token);
    close(fd);
    if !ok || &token[..8] != TOKEN_MAGIC {
        crate::halt::channel_lost();
    }
    let t0 = arch::now_ns();
    let len = u64::from_le_bytes(token[8..].try_into().unwrap()) as usize;
    if len < 8 || len > region.len() {
        crate::console::kprint(format_args!(
            "\n[bkport-kernel] resident call of {} bytes: more than the {} bytes of the blob region\n",
            len,
            region.len()
        ));
        crate::halt::channel_lost();
    }
    let fd = open_rb(&file).unwrap_or_else(|| crate::halt::channel_lost());
    let ok = read_exact(fd, &mut region[..len]);
    close(fd);
    if !ok {
        crate::halt::channel_lost();
    }
    let taken = arch::now_ns();
    TAKEN_NS.with(|t| *t = taken);
    READ_NS.with(|r| *r = taken - t0);
}

/// Read streamed stdin into `out` (app memory): blocks the machine until the host has bytes;
/// 0 at the end. A broken stream ends QEMU, as a broken channel does.
pub fn stdin_read(out: &mut [u8]) -> usize {
    STDIN.with(|st| stream_read(st, out))
}

fn stream_read(st: &mut StdinStream, out: &mut [u8]) -> usize {
    if st.eof || out.is_empty() {
        return 0;
    }
    let fd = match st.fd {
        Some(fd) => fd,
        None => {
            let fd = open_rb(&st.path).unwrap_or_else(|| crate::halt::channel_lost());
            st.fd = Some(fd);
            fd
        }
    };
    if st.frame_left == 0 {
        let mut len = [0u8; 4];
        if !read_exact(fd, &mut len) {
            crate::halt::channel_lost();
        }
        st.frame_left = u32::from_le_bytes(len) as usize;
        if st.frame_left == 0 {
            st.eof = true;
            return 0;
        }
    }
    let want = out.len().min(st.frame_left);
    let blk = [fd, out.as_mut_ptr() as usize, want];
    let left = arch::semihost(SYS_READ, blk.as_ptr() as usize);
    if left >= want {
        crate::halt::channel_lost();
    }
    st.frame_left -= want - left;
    want - left
}

/// Bytes of streamed stdin known to be readable without waiting (FIONREAD).
pub fn stdin_ready() -> usize {
    STDIN.with(|st| st.frame_left)
}

/// Close the stdin stream before the machine resets (QEMU keeps semihosting descriptors
/// across a reset).
pub fn stdin_close() {
    if let Some(fd) = STDIN.with(|st| st.fd.take()) {
        close(fd);
    }
}

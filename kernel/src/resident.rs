//! Resident mode: one QEMU serves many calls. The host loads a small stub blob (magic
//! `BKRESID1`, then the NUL-terminated host paths of the call FIFO, of the call file and of the
//! stdin FIFO, and optionally `reset=machine`) where a boot blob would go; at every boot the
//! kernel waits on the FIFO for a token (`BKCALL01`, then the call's length as a little-endian
//! u64), reads that many bytes of the call file (a boot blob in the `BKBOOT01` format of boot.rs)
//! over the stub, and runs the call as a fresh boot would.
//!
//! Between calls the kernel does not undo what the app did piece by piece: it restarts itself in
//! place (`end_call`). It puts the stub back where the blob went, quiets every device it uses
//! (timer, interrupt controller with its pending and active interrupts, memory protection) and
//! enters its boot path with the CPU as a reset leaves it (`arch::restart`); the boot path copies
//! `.kdata` and `.data` from their pristine copies in the image and zeroes `.bss`
//! (`boot::init_ram`), and sets every device up again. The code pages are never written, so QEMU
//! keeps the code it translated: a call costs what the app's work costs, not a new translation
//! of the kernel and the app. `reset=machine` in the stub (`BKPORT_RESIDENT_RESET=machine` on the
//! host) asks for a machine reset instead (`arch::system_reset`: QEMU resets every device and
//! reloads the image), the way it was done before, for doubt.
//!
//! Before either, the kernel writes the call's files and result record as a fresh boot does,
//! then ends the call on the console with `DLE 'e'` (console.rs): the host knows the results are
//! complete.
//!
//! All of it goes through semihosting (SYS_OPEN/SYS_READ/SYS_CLOSE), which every board has; a
//! FIFO read blocks the whole machine until the host writes, which is what an idle worker wants.
use alloc::vec::Vec;

use crate::arch::{Arch, Cpu};
use crate::global::Global;

const SYS_OPEN: usize = 0x01;
const SYS_CLOSE: usize = 0x02;
const SYS_READ: usize = 0x06;
const MODE_RB: usize = 1;

pub const STUB_MAGIC: &[u8; 8] = b"BKRESID1";
const TOKEN_MAGIC: &[u8; 8] = b"BKCALL01";

#[link_section = ".kdata"]
static ACTIVE: Global<bool> = Global::new(false);

/// The stub's bytes the kernel reads (magic and paths; `take_call`).
const STUB_MAX: usize = 8 + 2048;

/// What a worker keeps across in-place restarts: outside `.kdata` (which every boot copies
/// from the image) in `.kkeep`, which nothing loads. A fresh QEMU's RAM is zero, so it starts
/// with `restarts == 0`; a machine reset leaves it alone (the stub is loaded again anyway).
struct Keep {
    stub: [u8; STUB_MAX],
    /// In-place restarts since this QEMU started.
    restarts: u64,
    /// The boot under way came from an in-place restart (read and cleared by `take_call`).
    restarted: bool,
}

#[link_section = ".kkeep"]
static KEEP: Global<Keep> = Global::new(Keep { stub: [0; STUB_MAX], restarts: 0, restarted: false });

/// This call's boot came from an in-place restart (the result record's `restored_in_place`).
#[link_section = ".kdata"]
static RESTORED: Global<bool> = Global::new(false);

/// The stub asked for a machine reset between calls (`reset=machine`).
#[link_section = ".kdata"]
static MACHINE_RESET: Global<bool> = Global::new(false);

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
    let fd = Cpu::semihost(SYS_OPEN, open.as_ptr() as usize);
    (fd != usize::MAX).then_some(fd)
}

fn close(fd: usize) {
    Cpu::semihost(SYS_CLOSE, [fd].as_ptr() as usize);
}

/// Read exactly `buf.len()` bytes (a FIFO hands them in pieces); false on end of file.
fn read_exact(fd: usize, buf: &mut [u8]) -> bool {
    let mut got = 0;
    while got < buf.len() {
        let want = buf.len() - got;
        let blk = [fd, buf[got..].as_mut_ptr() as usize, want];
        // SYS_READ answers how many bytes it did NOT read.
        let left = Cpu::semihost(SYS_READ, blk.as_ptr() as usize);
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
    let n = region.len().min(STUB_MAX);
    let restarted = KEEP.with(|keep| {
        keep.stub[..n].copy_from_slice(&region[..n]);
        core::mem::replace(&mut keep.restarted, false)
    });
    RESTORED.with(|r| *r = restarted);
    let rest = &region[8..n];
    let mut paths = rest.split(|&c| c == 0);
    let fifo = Vec::from(paths.next().unwrap_or(&[]));
    let file = Vec::from(paths.next().unwrap_or(&[]));
    STDIN.with(|st| st.path = Vec::from(paths.next().unwrap_or(&[])));
    MACHINE_RESET.with(|m| *m = paths.next() == Some(b"reset=machine"));
    ACTIVE.with(|a| *a = true);
    let fd = open_rb(&fifo).unwrap_or_else(|| crate::halt::channel_lost());
    let mut token = [0u8; 16];
    let ok = read_exact(fd, &mut token);
    close(fd);
    if !ok || &token[..8] != TOKEN_MAGIC {
        crate::halt::channel_lost();
    }
    let t0 = Cpu::now_ns();
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
    let taken = Cpu::now_ns();
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
    let left = Cpu::semihost(SYS_READ, blk.as_ptr() as usize);
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

/// Close the stdin stream before the next call (QEMU keeps semihosting descriptors across a
/// reset, and an in-place restart forgets them).
pub fn stdin_close() {
    if let Some(fd) = STDIN.with(|st| st.fd.take()) {
        close(fd);
    }
}

/// The resident lines of the result record: the channel's cost, and whether this call started
/// from an in-place restart and how many this QEMU has made.
pub fn record_lines() -> alloc::string::String {
    alloc::format!(
        "resident_read_ns {}\nrestored_in_place {}\nresident_restarts {}\n",
        read_ns(),
        RESTORED.with(|r| *r) as u8,
        KEEP.with(|k| k.restarts)
    )
}

/// The call's results are on the host: make the machine what a boot finds and boot again, which
/// waits for the next call. In place by default; a machine reset when the stub asked for it.
pub fn end_call() -> ! {
    stdin_close();
    crate::console::end_call();
    if MACHINE_RESET.with(|m| *m) {
        Cpu::system_reset()
    }
    // The borrow of KEEP ends before the restart: .kkeep (busy flag included) outlives it.
    KEEP.with(|keep| {
        // SAFETY: the blob region is the host loader's RAM (boot.rs); the app and this call's
        // blob are done with it. The stub goes back where the host's loader put it.
        unsafe {
            core::ptr::copy_nonoverlapping(keep.stub.as_ptr(), Cpu::BOOT_BLOB as *mut u8,
                                           STUB_MAX);
        }
        keep.restarts += 1;
        keep.restarted = true;
    });
    Cpu::restart()
}

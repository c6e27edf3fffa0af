"""Resident QEMU: one QEMU process serves many runs of one image, instead of one boot per run.

A worker starts QEMU once with a small stub where the boot blob goes (`BKRESID1`, the host
paths of a FIFO and of a call file; kernel/src/resident.rs). For each run the host writes the
run's boot blob (the same `BKBOOT01` blob a fresh boot gets, bkport.toolchain.qemu.boot_blob) to
the call file and a 16-byte token (`BKCALL01` + its length) to the FIFO; the kernel, blocked on
the FIFO, reads the blob and boots the app from it. At the app's exit the kernel writes the
files and the result record as in a fresh boot, ends the run on the console with `DLE 'e'`, and
restarts in place: it copies its own and the app's writable data back from the image, zeroes
.bss, sets its devices up again and boots, so every run starts from the state of a fresh boot
while QEMU keeps the code it translated (docs/resident.md). A pool made with
`machine_reset=True` (or BKPORT_RESIDENT_RESET=machine in the environment) has the kernel reset
the machine instead: QEMU reloads the image's segments and the stub, and translates the code
again.

The console (stdout, stderr, kernel messages) streams while the app runs, as in a fresh boot.
Anything in doubt ends the worker: a fault (the kernel ends QEMU as it does in a fresh boot), a
run past its time limits (killed), a broken channel; the next run starts a new one. Results are
`bkport.toolchain.qemu.RunResult`s with the same outcomes and statuses as `qemu.run`.

`run(board, image, ...)` takes the same arguments as `qemu.run` and keeps idle workers per
(board, image) in a process-wide pool; `shutdown()` (also at interpreter exit) ends them.
"""

from __future__ import annotations

import atexit
import fcntl
import os
import select
import selectors
import shutil
import struct
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bkport.errors import BkportError
from bkport.kernel import cpio
from bkport.toolchain import qemu

STUB_MAGIC = b"BKRESID1"
TOKEN_MAGIC = b"BKCALL01"
# Idle workers kept per image: a test suite runs a few calls at once (jobs, and pipelines such
# as `yes | head`, whose two calls run together); more idle ones would only hold memory.
MAX_IDLE = 4
# Idle workers kept in all: a driver that moves on to another board or program leaves the last
# image's workers idle; past this many, those of the image used longest ago are ended.
MAX_IDLE_TOTAL = 8
F_SETPIPE_SZ = 1031  # Linux fcntl: a deeper console pipe lets QEMU write without waiting


class _Console:
    """The console of one run, read in pieces: the demultiplexed streams, and whether the
    kernel has ended the run (`DLE 'e'`, console.rs). Bytes after the end stay for the next."""

    def __init__(self) -> None:
        self.dm = qemu.Demuxer()
        self.raw = bytearray()
        self.streams = {"stdout": bytearray(), "stderr": bytearray(), "kernel": bytearray(),
                        "output": bytearray()}
        self.ended = False

    def feed(self, data: bytes, on_output: Callable[[str, bytes], None] | None) -> bytes:
        """Take `data`; return what follows the end marker (empty until the run ends)."""
        i = 0
        if self.dm.pending and data[:1] == b"e":  # the marker was cut between two reads
            self.dm.pending = False
            self.ended = True
            return data[1:]
        while i < len(data) and not self.ended:
            j = data.find(b"\x10e", i)
            # A DLE before "e" may be the second half of an escaped DLE DLE: the demuxer knows.
            piece = data[i:] if j < 0 else data[i:j]
            self._take(piece, on_output)
            if j < 0:
                return b""
            if self.dm.pending:  # "\x10" completes an escape; the "e" is data
                self._take(data[j:j + 2], on_output)
                i = j + 2
                continue
            self.ended = True
            return data[j + 2:]
        return b""

    def _take(self, piece: bytes, on_output: Callable[[str, bytes], None] | None) -> None:
        self.raw += piece
        for stream, part in self.dm.feed(piece):
            self.streams[stream] += part
            self.streams["output"] += part
            if on_output is not None:
                on_output(stream, part)


# Every QEMU is started from this one long-lived thread, under `setpriv --pdeathsig KILL` when
# the host has it: Linux kills a process whose parent *thread* ends, so a driver that dies
# (killed, crashed) takes its QEMUs along. Without it, a QEMU that was between a reset and
# opening the call FIFO would wait for a writer forever.
_SPAWNER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bkport-qemu-spawner")
_SETPRIV = shutil.which("setpriv")


def _popen(cmd: list[str], cwd: Path) -> subprocess.Popen:
    if _SETPRIV:
        cmd = [_SETPRIV, "--pdeathsig", "KILL", *cmd]
    return subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=cwd)


def _run_dir() -> str | None:
    """Where a worker keeps its call file, its result files and its FIFOs: a RAM file system
    when the host has one. Every call rewrites those files, and on a disk file system (ext4)
    opening a file that has data to truncate it waits for its blocks to be written (ext4's
    auto_da_alloc): 0.7 ms an open, three a call (docs/resident.md)."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) else None


_RUN_DIR = _run_dir()


class Worker:
    """One resident QEMU for `image` on `board`. Not thread-safe: one run at a time."""

    def __init__(self, board: str, image: Path, icount: bool = False,
                 machine_reset: bool = False):
        self.board, self.image = board, Path(image).resolve()
        self._tmp = tempfile.TemporaryDirectory(prefix="bkres-", dir=_RUN_DIR)
        t = Path(self._tmp.name)
        self.fifo, self.call_file = t / "call.fifo", t / "call.bin"
        self.stdin_fifo = t / "stdin.fifo"
        self.out_path, self.res_path = t / "out.cpio", t / "result.txt"
        os.mkfifo(self.fifo)
        os.mkfifo(self.stdin_fifo)
        # Read-write: opening never blocks, and the kernel's reads block until a token comes.
        self._fifo_fd = os.open(self.fifo, os.O_RDWR | os.O_NONBLOCK)
        self._stdin_fd = os.open(self.stdin_fifo, os.O_RDWR | os.O_NONBLOCK)
        try:
            fcntl.fcntl(self._stdin_fd, F_SETPIPE_SZ, 1 << 20)
        except OSError:
            pass
        fields = [bytes(p) for p in (self.fifo, self.call_file, self.stdin_fifo)]
        if machine_reset:
            fields.append(b"reset=machine")
        stub = STUB_MAGIC + b"\0".join(fields) + b"\0"
        (t / "stub.bin").write_bytes(stub)
        cmd = qemu.qemu_command(board, self.image, t / "stub.bin", icount)
        self.proc = _SPAWNER.submit(_popen, cmd, t).result()
        for f in (self.proc.stdout, self.proc.stderr):
            os.set_blocking(f.fileno(), False)
        try:
            fcntl.fcntl(self.proc.stdout.fileno(), F_SETPIPE_SZ, 1 << 20)
        except OSError:
            pass  # a smaller pipe only makes QEMU wait for us more often
        self._rest = b""  # console bytes already read past the last run's end
        # Held by a stdin feeder around each write, and by the run when it ends: no frame of
        # one run reaches the FIFO after the next run has drained it.
        self._feed_lock = threading.Lock()
        self._err = bytearray()
        self.runs = 0

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for f in (self.proc.stdout, self.proc.stderr):
            f.close()
        for fd in (self._fifo_fd, self._stdin_fd):
            try:
                os.close(fd)
            except OSError:
                pass
        self._tmp.cleanup()

    def run(self, args: list[str], env: dict[str, str], files: dict[str, cpio.Entry],
            stdin: bytes, timeout: float, max_time: float,
            on_output: Callable[[str, bytes], None] | None = None,
            epoch_ns: int | None = None,
            stdin_feed: Iterable[bytes] | None = None) -> qemu.RunResult:
        """One run, as `qemu.run` describes it. After an outcome other than "exit" the worker
        is closed (check `alive`). With `stdin_feed` (chunks, ended by its end) the app's stdin
        streams from it while the app runs, and `stdin` is not used."""
        for p in (self.out_path, self.res_path):
            p.unlink(missing_ok=True)
        _drain(self._stdin_fd)  # what the last run's app left unread
        if stdin_feed is not None:
            env = {**env, "BKPORT_STDIN": "stream"}
            stdin = b""
        blob = qemu.boot_blob(args, env, files, stdin, str(self.out_path), str(self.res_path),
                              time.time_ns() if epoch_ns is None else epoch_ns)
        if len(blob) > qemu.BOOT_BLOB_MAX[self.board]:
            raise BkportError(f"argv + files + stdin are too large ({len(blob)} bytes)")
        self.call_file.write_bytes(blob)
        start = time.monotonic()
        os.write(self._fifo_fd, TOKEN_MAGIC + struct.pack("<Q", len(blob)))
        self.runs += 1
        con = _Console()
        stop = threading.Event()
        feed = _Feed(start)
        if stdin_feed is not None:
            feed.ended_at = None
            # Not joined: it may wait on a source that never ends (`sleep 9 | app` after the
            # app is done); once `stop` is set under the lock it writes nothing more.
            threading.Thread(target=self._feed, args=(stdin_feed, stop, feed),
                             daemon=True).start()
        try:
            limit = self._wait(con, timeout, max_time, on_output, feed)
        finally:
            with self._feed_lock:
                stop.set()
        secs = time.monotonic() - start
        err = self._err.decode(errors="replace")
        self._err.clear()

        def result(outcome: str, status: int, **kw) -> qemu.RunResult:
            s = con.streams
            return qemu.RunResult(self.board, outcome, status, bytes(s["output"]),
                                  stdout=bytes(s["stdout"]), stderr=bytes(s["stderr"]),
                                  kernel=bytes(s["kernel"]), seconds=secs, qemu_stderr=err,
                                  **kw)

        if limit:
            self.close()
            return result("timeout", qemu.TIMEOUT_STATUS, limit=limit)
        rec = qemu._record(self.res_path.read_text()) if self.res_path.exists() else {}
        files_out = cpio.unpack(self.out_path.read_bytes()) if self.out_path.exists() else {}
        if con.ended and "exit" in rec and rec.get("selfcheck") == "ok":
            return result("exit", int(rec["exit"]) & 0xFF, files=files_out, record=rec)
        # QEMU ended: a fault, a failed self-check, a lost channel, or QEMU's own failure.
        self.close()
        if "fault" in rec or "exit" in rec or self.proc.returncode == qemu.FAULT_STATUS:
            return result("fault", qemu.FAULT_STATUS, files=files_out, record=rec)
        return result("error", qemu.QEMU_ERROR_STATUS, files=files_out, record=rec)

    def _feed(self, chunks: Iterable[bytes], stop: threading.Event, feed: _Feed) -> None:
        """Write `chunks` as stdin frames (u32 length, bytes; length 0 ends) until they end or
        the run does (an app that stops reading leaves the rest unsent)."""
        it = iter(chunks)
        try:
            while True:
                feed.waiting = True
                chunk = next(it, None)
                feed.waiting = False
                if chunk is None or stop.is_set():
                    break
                for i in range(0, len(chunk), 1 << 16):
                    part = chunk[i:i + (1 << 16)]
                    if not self._write_all(struct.pack("<I", len(part)) + part, stop):
                        return
                feed.fed_at = time.monotonic()
            self._write_all(struct.pack("<I", 0), stop)
        except OSError:
            pass  # the source broke: the app sees its stdin stop, the run's limits still hold
        finally:
            feed.waiting = False
            feed.ended_at = time.monotonic()

    def _write_all(self, data: bytes, stop: threading.Event) -> bool:
        view = memoryview(data)
        while view:
            with self._feed_lock:
                if stop.is_set():
                    return False
                try:
                    n = os.write(self._stdin_fd, view)
                except BlockingIOError:
                    n = 0
            if n == 0:
                select.select([], [self._stdin_fd], [], 0.05)
            view = view[n:]
        return True

    def _wait(self, con: _Console, timeout: float, max_time: float,
              on_output: Callable[[str, bytes], None] | None, feed: _Feed) -> str:
        """Read the console until the run ends or QEMU does; the limit that ended it, or "".

        The limits measure the app, not its stdin's source: while the source has not sent
        everything, an app waiting for it is not hung (in a fresh boot the client reads the
        source to its end before the boot): the time without output counts from the later of
        the last output and the last stdin, or never while the source is being waited on; the
        run's total time counts from the end of its stdin."""
        if self._rest:
            rest, self._rest = self._rest, b""
            self._rest = con.feed(rest, on_output)
        last = time.monotonic()
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        sel.register(self.proc.stderr, selectors.EVENT_READ)
        try:
            while not con.ended and sel.get_map():
                now = time.monotonic()
                if feed.waiting:
                    last = now
                last = max(last, feed.fed_at)
                start = feed.ended_at
                if now - last >= timeout:
                    return f"no output for {timeout:g} s"
                if start is not None and now - start >= max_time:
                    return f"the run took longer than {max_time:g} s"
                wait = timeout - (now - last)
                if start is None:
                    wait = min(wait, 0.25)  # the feed's state changes without a wake-up
                else:
                    wait = min(wait, max_time - (now - start))
                for key, _ in sel.select(wait):
                    chunk = os.read(key.fd, 1 << 16)
                    if not chunk:
                        sel.unregister(key.fileobj)
                    elif key.fileobj is self.proc.stderr:
                        self._err += chunk
                    else:
                        last = time.monotonic()
                        self._rest = con.feed(chunk, on_output)
            if not con.ended:
                self.proc.wait()
            return ""
        finally:
            sel.close()


class _Feed:
    """What a run's stdin feeder tells the run's limits (Worker._wait)."""

    def __init__(self, now: float) -> None:
        self.waiting = False  # waiting on the source for the next chunk
        self.fed_at = now  # when the last chunk went to the app
        self.ended_at: float | None = now  # when the source ended (None: not yet)


def _drain(fd: int) -> None:
    while True:
        try:
            if not os.read(fd, 1 << 16):
                return
        except BlockingIOError:
            return


class Pool:
    """Idle workers per (board, image, icount); a run takes one or starts one. Between runs
    the workers' kernels restart in place, or reset the machine with `machine_reset` (default:
    BKPORT_RESIDENT_RESET=machine in the environment)."""

    def __init__(self, machine_reset: bool | None = None) -> None:
        if machine_reset is None:
            machine_reset = os.environ.get("BKPORT_RESIDENT_RESET", "") == "machine"
        self.machine_reset = machine_reset
        self._lock = threading.Lock()
        self._idle: dict[tuple[str, str, float, bool], list[Worker]] = {}
        self._checked: set[tuple[str, str, float]] = set()
        self._sparing: set[tuple[str, str, float, bool]] = set()
        self._used: dict[tuple[str, str, float, bool], float] = {}  # when last parked
        self._closed = False
        self.started = 0  # QEMUs started, for the benches

    def _key(self, board: str, image: Path, icount: bool) -> tuple[str, str, float, bool]:
        p = Path(image).resolve()
        # A rebuilt image (same path, new file) must not meet a worker of the old one.
        return (board, str(p), p.stat().st_mtime, icount)

    def run(self, board: str, image: Path, args: list[str] | None = None,
            env: dict[str, str] | None = None, files: dict[str, cpio.Entry] | None = None,
            stdin: bytes = b"", timeout: float = 30.0, icount: bool = False,
            max_time: float | None = None,
            on_output: Callable[[str, bytes], None] | None = None,
            epoch_ns: int | None = None,
            stdin_feed: Iterable[bytes] | None = None) -> qemu.RunResult:
        """`qemu.run`'s contract, on a resident worker (`stdin_feed`: Worker.run)."""
        from bkport.kernel.elfimage import check_image

        if board not in qemu.BOOT_BLOB:
            raise BkportError(f"unknown board {board!r}")
        key = self._key(board, image, icount)
        with self._lock:
            if key[:3] not in self._checked:
                check_image(board, Path(image))
                self._checked.add(key[:3])
            idle = self._idle.setdefault(key, [])
            w = None
            while idle and w is None:
                w = idle.pop()
                if not w.alive:
                    w.close()
                    w = None
        if w is None:
            w = Worker(board, Path(image), icount, self.machine_reset)
            with self._lock:
                self.started += 1
        try:
            r = w.run(args or ["app"], env or {}, files or {}, stdin, timeout,
                      10 * timeout if max_time is None else max_time, on_output, epoch_ns,
                      stdin_feed)
        except BaseException:
            w.close()
            self._spare(key, board, Path(image), icount)
            raise
        if w.alive:
            self._park(key, w)
        else:
            # The run ended its QEMU (a fault, a hang, a caller that went away: `yes | head`):
            # boot the replacement now, while the caller looks at the answer.
            self._spare(key, board, Path(image), icount)
        return r

    def _park(self, key: tuple[str, str, float, bool], w: Worker) -> None:
        evicted = []
        with self._lock:
            idle = self._idle.setdefault(key, [])
            if len(idle) < MAX_IDLE and not self._closed:
                idle.append(w)
                w = None
                self._used[key] = time.monotonic()
                while sum(len(v) for v in self._idle.values()) > MAX_IDLE_TOTAL:
                    oldest = min((k for k, v in self._idle.items() if v),
                                 key=lambda k: self._used.get(k, 0.0))
                    evicted.append(self._idle[oldest].pop())
        for e in evicted:
            e.close()
        if w is not None:
            w.close()

    def _spare(self, key: tuple[str, str, float, bool], board: str, image: Path,
               icount: bool) -> None:
        with self._lock:
            if key in self._sparing or self._closed:
                return
            self._sparing.add(key)
            self.started += 1

        def boot() -> None:
            try:
                self._park(key, Worker(board, image, icount, self.machine_reset))
            except Exception:
                pass  # the next run starts one itself, and reports why if it cannot
            finally:
                with self._lock:
                    self._sparing.discard(key)

        threading.Thread(target=boot, daemon=True).start()

    def shutdown(self, final: bool = False) -> None:
        """End the idle workers; `final` (at exit): and park no worker any more."""
        with self._lock:
            self._closed = final
            workers = [w for ws in self._idle.values() for w in ws]
            self._idle.clear()
        for w in workers:
            w.close()


POOL = Pool()
atexit.register(POOL.shutdown, True)


def run(board: str, image: Path, args: list[str] | None = None,
        env: dict[str, str] | None = None, files: dict[str, cpio.Entry] | None = None,
        stdin: bytes = b"", timeout: float = 30.0, icount: bool = False,
        max_time: float | None = None,
        on_output: Callable[[str, bytes], None] | None = None,
        epoch_ns: int | None = None,
        stdin_feed: Iterable[bytes] | None = None) -> qemu.RunResult:
    """`qemu.run` on a resident QEMU of the process-wide pool (see the module's docstring);
    `stdin_feed` streams stdin while the app runs (Worker.run)."""
    return POOL.run(board, image, args, env, files, stdin, timeout, icount, max_time,
                    on_output, epoch_ns, stdin_feed)


def shutdown() -> None:
    """End every idle resident QEMU of the process-wide pool."""
    POOL.shutdown()


# Which mode the drivers' runs use. Resident unless asked otherwise: `bkport validate
# --fresh-boot` (set_fresh_boot) or BKPORT_FRESH_BOOT=1 in the environment (pytest, benches).
_FRESH_BOOT = [os.environ.get("BKPORT_FRESH_BOOT", "") not in ("", "0")]


def set_fresh_boot(on: bool) -> None:
    """Make run_app boot a fresh QEMU per run (True) or use resident workers (False)."""
    _FRESH_BOOT[0] = on


def fresh_boot() -> bool:
    return _FRESH_BOOT[0]


def run_app(board: str, image: Path, args: list[str] | None = None,
            env: dict[str, str] | None = None, files: dict[str, cpio.Entry] | None = None,
            stdin: bytes = b"", timeout: float = 30.0, icount: bool = False,
            max_time: float | None = None,
            on_output: Callable[[str, bytes], None] | None = None,
            epoch_ns: int | None = None,
            stdin_feed: Iterable[bytes] | None = None) -> qemu.RunResult:
    """One run of an app for a test driver: on a resident worker, or one fresh boot per run when
    fresh_boot() (then a `stdin_feed` is read to its end first, as a boot blob needs)."""
    if fresh_boot():
        if stdin_feed is not None:
            stdin = b"".join(stdin_feed)
        return qemu.run(board, image, args, env, files, stdin, timeout, icount, max_time,
                        on_output, epoch_ns)
    return run(board, image, args, env, files, stdin, timeout, icount, max_time, on_output,
               epoch_ns, stdin_feed)

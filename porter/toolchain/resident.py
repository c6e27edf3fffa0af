"""Resident QEMU: one QEMU process serves many runs of one image, instead of one boot per run.

A worker starts QEMU once with a small stub where the boot blob goes (`BKRESID1`, the host
paths of a FIFO and of a call file; kernel/src/resident.rs). For each run the host writes the
run's boot blob (the same `BKBOOT01` blob a fresh boot gets, bkport.toolchain.qemu.boot_blob) to
the call file and a 16-byte token (`BKCALL01` + its length) to the FIFO; the kernel, blocked on
the FIFO, reads the blob and boots the app from it. At the app's exit the kernel writes the
files and the result record as in a fresh boot, ends the run on the console with `DLE 'e'`, and
resets the machine: QEMU reloads the image's segments and the stub, so every run starts from the
state of a fresh boot and the next one costs a reset, not a QEMU start.

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
import selectors
import struct
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bkport.errors import BkportError
from bkport.kernel import cpio
from bkport.toolchain import qemu

STUB_MAGIC = b"BKRESID1"
TOKEN_MAGIC = b"BKCALL01"
# Idle workers kept per image: a test suite runs a few calls at once (jobs, and pipelines such
# as `yes | head`, whose two calls run together); more idle ones would only hold memory.
MAX_IDLE = 4
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


class Worker:
    """One resident QEMU for `image` on `board`. Not thread-safe: one run at a time."""

    def __init__(self, board: str, image: Path, icount: bool = False):
        self.board, self.image = board, Path(image).resolve()
        self._tmp = tempfile.TemporaryDirectory(prefix="bkres-")
        t = Path(self._tmp.name)
        self.fifo, self.call_file = t / "call.fifo", t / "call.bin"
        self.out_path, self.res_path = t / "out.cpio", t / "result.txt"
        os.mkfifo(self.fifo)
        # Read-write: opening never blocks, and the kernel's reads block until a token comes.
        self._fifo_fd = os.open(self.fifo, os.O_RDWR | os.O_NONBLOCK)
        stub = STUB_MAGIC + bytes(self.fifo) + b"\0" + bytes(self.call_file) + b"\0"
        (t / "stub.bin").write_bytes(stub)
        cmd = qemu.qemu_command(board, self.image, t / "stub.bin", icount)
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, cwd=t)
        for f in (self.proc.stdout, self.proc.stderr):
            os.set_blocking(f.fileno(), False)
        try:
            fcntl.fcntl(self.proc.stdout.fileno(), F_SETPIPE_SZ, 1 << 20)
        except OSError:
            pass  # a smaller pipe only makes QEMU wait for us more often
        self._rest = b""  # console bytes already read past the last run's end
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
        try:
            os.close(self._fifo_fd)
        except OSError:
            pass
        self._tmp.cleanup()

    def run(self, args: list[str], env: dict[str, str], files: dict[str, cpio.Entry],
            stdin: bytes, timeout: float, max_time: float,
            on_output: Callable[[str, bytes], None] | None = None,
            epoch_ns: int | None = None) -> qemu.RunResult:
        """One run, as `qemu.run` describes it. After an outcome other than "exit" the worker
        is closed (check `alive`)."""
        for p in (self.out_path, self.res_path):
            p.unlink(missing_ok=True)
        blob = qemu.boot_blob(args, env, files, stdin, str(self.out_path), str(self.res_path),
                              time.time_ns() if epoch_ns is None else epoch_ns)
        if len(blob) > qemu.BOOT_BLOB_MAX[self.board]:
            raise BkportError(f"argv + files + stdin are too large ({len(blob)} bytes)")
        self.call_file.write_bytes(blob)
        start = time.monotonic()
        os.write(self._fifo_fd, TOKEN_MAGIC + struct.pack("<Q", len(blob)))
        self.runs += 1
        con = _Console()
        limit = self._wait(con, timeout, max_time, on_output)
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

    def _wait(self, con: _Console, timeout: float, max_time: float,
              on_output: Callable[[str, bytes], None] | None) -> str:
        """Read the console until the run ends or QEMU does; the limit that ended it, or ""."""
        if self._rest:
            rest, self._rest = self._rest, b""
            self._rest = con.feed(rest, on_output)
        start = last = time.monotonic()
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        sel.register(self.proc.stderr, selectors.EVENT_READ)
        try:
            while not con.ended and sel.get_map():
                now = time.monotonic()
                if now - last >= timeout:
                    return f"no output for {timeout:g} s"
                if now - start >= max_time:
                    return f"the run took longer than {max_time:g} s"
                for key, _ in sel.select(min(timeout - (now - last),
                                             max_time - (now - start))):
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


class Pool:
    """Idle workers per (board, image, icount); a run takes one or starts one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: dict[tuple[str, str, float, bool], list[Worker]] = {}
        self._checked: set[tuple[str, str, float]] = set()
        self.started = 0

    def _key(self, board: str, image: Path, icount: bool) -> tuple[str, str, float, bool]:
        p = Path(image).resolve()
        # A rebuilt image (same path, new file) must not meet a worker of the old one.
        return (board, str(p), p.stat().st_mtime, icount)

    def run(self, board: str, image: Path, args: list[str] | None = None,
            env: dict[str, str] | None = None, files: dict[str, cpio.Entry] | None = None,
            stdin: bytes = b"", timeout: float = 30.0, icount: bool = False,
            max_time: float | None = None,
            on_output: Callable[[str, bytes], None] | None = None,
            epoch_ns: int | None = None) -> qemu.RunResult:
        """`qemu.run`'s contract, on a resident worker."""
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
            w = Worker(board, Path(image), icount)
            with self._lock:
                self.started += 1
        try:
            r = w.run(args or ["app"], env or {}, files or {}, stdin, timeout,
                      10 * timeout if max_time is None else max_time, on_output, epoch_ns)
        except BaseException:
            w.close()
            raise
        if w.alive:
            with self._lock:
                idle = self._idle.setdefault(key, [])
                if len(idle) < MAX_IDLE:
                    idle.append(w)
                    w = None
            if w is not None:
                w.close()
        return r

    def shutdown(self) -> None:
        with self._lock:
            workers = [w for ws in self._idle.values() for w in ws]
            self._idle.clear()
        for w in workers:
            w.close()


POOL = Pool()
atexit.register(POOL.shutdown)


def run(board: str, image: Path, args: list[str] | None = None,
        env: dict[str, str] | None = None, files: dict[str, cpio.Entry] | None = None,
        stdin: bytes = b"", timeout: float = 30.0, icount: bool = False,
        max_time: float | None = None,
        on_output: Callable[[str, bytes], None] | None = None,
        epoch_ns: int | None = None) -> qemu.RunResult:
    """`qemu.run` on a resident QEMU of the process-wide pool (see the module's docstring)."""
    return POOL.run(board, image, args, env, files, stdin, timeout, icount, max_time,
                    on_output, epoch_ns)


def shutdown() -> None:
    """End every idle resident QEMU of the process-wide pool."""
    POOL.shutdown()

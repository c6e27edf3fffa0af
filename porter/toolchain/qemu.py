"""Run a validation-kernel image on its QEMU board and collect what the run produced.

A run hands the kernel a boot blob (argv, environment, stdin, initial files as a newc cpio
archive with their modes, times and hard links when given a `cpio.Tree`, and two host paths)
loaded by QEMU's generic loader at the board's blob address. At exit the kernel writes, through
semihosting, the files of its RAM file system (cpio) and a result record (`exit N` / `fault`,
self-check, counters), then ends QEMU with the app's status.

Outcomes and `bkport run` statuses: the app's status (0-255) on a normal exit;
TIMEOUT_STATUS (124) when a time limit ends the run: `timeout` seconds without console output
(a hung run), or `max_time` seconds in all (a run that never stops writing); FAULT_STATUS (125)
when the kernel ended the run on a fault (app or kernel) or a failed self-check;
QEMU_ERROR_STATUS (126) when QEMU itself failed. `RunResult.outcome` says which, so a 124 from
the app is not mistaken for a timeout.
"""

from __future__ import annotations

import os
import selectors
import shutil
import struct
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bkport.errors import BkportError, ToolchainError
from bkport.kernel import cpio
from bkport.toolchain.targets import BOARDS

TIMEOUT_STATUS = 124
FAULT_STATUS = 125
QEMU_ERROR_STATUS = 126

# Where each board's kernel expects the boot blob, and the most it reads there: the board table
# (kernel/boards.toml), which the kernel's generated board constants come from too.
BOOT_BLOB = {name: b.boot_blob.origin for name, b in BOARDS.items()}
BOOT_BLOB_MAX = {name: b.boot_blob.max for name, b in BOARDS.items()}
HEADER = 56


@dataclass(frozen=True)
class BoardQemu:
    binary: str
    args: tuple[str, ...]


@dataclass
class RunResult:
    board: str
    outcome: str  # "exit" | "fault" | "timeout" | "error"
    status: int  # what `bkport run` exits with
    output: bytes  # the console in order: the app's stdout and stderr, kernel diagnostics
    files: cpio.Tree = field(default_factory=cpio.Tree)  # with modes, times, hard links
    record: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    qemu_stderr: str = ""
    limit: str = ""  # on a timeout: which limit ended the run ("no output for 30 s", ...)

    stdout: bytes = b""  # what the app wrote on its stdout
    stderr: bytes = b""  # what the app wrote on its stderr
    kernel: bytes = b""  # the kernel's own messages (faults, self-check)

    @property
    def text(self) -> str:
        return self.output.decode(errors="replace")


DLE = 0x10
STREAMS = {ord("1"): "stdout", ord("2"): "stderr", ord("k"): "kernel"}


def demux(line: bytes) -> dict[str, bytes]:
    """Undo the console framing of kernel/src/console.rs: `DLE '1' | '2' | 'k'` switch to the
    app's stdout, its stderr or the kernel's messages, `DLE DLE` is a data byte 0x10, and the
    line starts on stdout. Returns the three streams and `output`, all of them in order."""
    out = {"stdout": bytearray(), "stderr": bytearray(), "kernel": bytearray(),
           "output": bytearray()}
    cur = out["stdout"]
    i, n = 0, len(line)
    while i < n:
        j = line.find(DLE, i)
        if j < 0:
            j = n
        cur += line[i:j]
        out["output"] += line[i:j]
        if j + 1 >= n:  # no DLE, or a DLE cut off by the end of a hung run
            break
        code = line[j + 1]
        if code == DLE:
            cur.append(DLE)
            out["output"].append(DLE)
        elif code in STREAMS:
            cur = out[STREAMS[code]]
        i = j + 2
    return {k: bytes(v) for k, v in out.items()}


class Demuxer:
    """`demux` for a console read in pieces: `feed` returns the (stream, bytes) pieces of each
    chunk as soon as they are known (a DLE at the end of a chunk waits for the next one)."""

    def __init__(self) -> None:
        self.cur = "stdout"
        self.pending = False  # the previous chunk ended with a DLE

    def _code(self, code: int, out: list[tuple[str, bytes]]) -> None:
        if code == DLE:
            out.append((self.cur, bytes([DLE])))
        elif code in STREAMS:
            self.cur = STREAMS[code]

    def feed(self, data: bytes) -> list[tuple[str, bytes]]:
        out: list[tuple[str, bytes]] = []
        i, n = 0, len(data)
        if self.pending and n:
            self.pending = False
            self._code(data[0], out)
            i = 1
        while i < n:
            j = data.find(DLE, i)
            if j < 0:
                j = n
            if j > i:
                out.append((self.cur, data[i:j]))
            if j >= n:
                break
            if j + 1 >= n:
                self.pending = True
                break
            self._code(data[j + 1], out)
            i = j + 2
        return out


def _result(board: str, outcome: str, status: int, line: bytes, **kw) -> RunResult:
    d = demux(line)
    return RunResult(board, outcome, status, d["output"], stdout=d["stdout"],
                     stderr=d["stderr"], kernel=d["kernel"], **kw)


def board_qemu(board: str) -> BoardQemu:
    """QEMU binary and machine arguments of a board (kernel/boards.toml)."""
    b = BOARDS.get(board)
    if b is None:
        raise BkportError(f"unknown board {board!r} (known: {', '.join(sorted(BOARDS))})")
    # Byte-exact console: no monitor multiplexed on stdio (it would eat Ctrl-A).
    return BoardQemu(b.qemu.binary, (*b.qemu.machine_args(), "-display", "none",
                                     "-monitor", "none", "-serial", "stdio"))


def boot_blob(args: list[str], env: dict[str, str], files: dict[str, cpio.Entry],
              stdin: bytes, out_path: str, result_path: str, epoch_ns: int = 0) -> bytes:
    strings = b"".join(s.encode() + b"\0" for s in args)
    strings += b"".join(f"{k}={v}".encode() + b"\0" for k, v in env.items())
    archive = cpio.pack(files) if files else b""
    parts = [strings, archive, stdin, out_path.encode() + b"\0", result_path.encode() + b"\0"]
    offs, off = [], HEADER
    for p in parts:
        offs.append(off)
        off += len(p) + (-len(p) % 8)
    head = b"BKBOOT01" + struct.pack(
        "<10IQ", len(args), len(env), offs[0], len(strings), offs[1], len(archive),
        offs[2], len(stdin), offs[3], offs[4], epoch_ns)
    body = bytearray(head)
    for o, p in zip(offs, parts, strict=True):
        body.extend(b"\0" * (o - len(body)))
        body.extend(p)
    return bytes(body)


def _record(text: str) -> dict[str, str]:
    rec = {}
    for line in text.splitlines():
        k, _, v = line.partition(" ")
        rec[k] = v
    return rec


def qemu_command(board: str, image: Path, blob: Path | None = None,
                 icount: bool = False) -> list[str]:
    q = board_qemu(board)
    if shutil.which(q.binary) is None:
        raise ToolchainError(f"{q.binary} not found: apt package qemu-system-arm/-misc")
    cmd = [q.binary, *q.args, "-kernel", str(image)]
    if blob is not None:
        cmd += ["-device", f"loader,file={blob},addr={BOOT_BLOB[board]:#x},force-raw=on"]
    if icount:
        cmd += ["-icount", "shift=0"]
    return cmd


def _communicate(proc: subprocess.Popen, timeout: float, max_time: float,
                 on_output: Callable[[str, bytes], None] | None = None,
                 ) -> tuple[bytes, bytes, str]:
    """Read QEMU's stdout and stderr to the end. Returns (stdout, stderr, limit): `limit` is
    empty when QEMU ended by itself, else the limit that ended it (and QEMU was killed):
    `timeout` seconds without console output, or `max_time` seconds in all. `on_output` gets
    the console's demultiplexed pieces as they arrive."""
    dm = Demuxer()
    start = last = time.monotonic()
    out, err = bytearray(), bytearray()
    sel = selectors.DefaultSelector()
    for f, buf in ((proc.stdout, out), (proc.stderr, err)):
        os.set_blocking(f.fileno(), False)
        sel.register(f, selectors.EVENT_READ, buf)
    limit, done = "", False
    try:
        while sel.get_map():
            now = time.monotonic()
            if now - last >= timeout:
                limit = f"no output for {timeout:g} s"
                break
            if now - start >= max_time:
                limit = f"the run took longer than {max_time:g} s"
                break
            for key, _ in sel.select(min(timeout - (now - last), max_time - (now - start))):
                chunk = os.read(key.fd, 1 << 16)
                if not chunk:
                    sel.unregister(key.fileobj)
                    continue
                key.data.extend(chunk)
                if key.fileobj is proc.stdout:
                    last = time.monotonic()
                    if on_output is not None:
                        for stream, piece in dm.feed(chunk):
                            on_output(stream, piece)
        done = not limit
    finally:
        sel.close()
        if not done:
            proc.kill()
        proc.wait()
    return bytes(out), bytes(err), limit


def run(board: str, image: Path, args: list[str] | None = None,
        env: dict[str, str] | None = None, files: dict[str, cpio.Entry] | None = None,
        stdin: bytes = b"", timeout: float = 30.0, icount: bool = False,
        max_time: float | None = None,
        on_output: Callable[[str, bytes], None] | None = None,
        epoch_ns: int | None = None) -> RunResult:
    """Boot `image` on `board`; return its outcome, console output and written files.

    `timeout`: seconds without console output before the run is ended as hung; `max_time`:
    seconds the whole run may take (default: 10 x `timeout`). Either ends it with outcome
    "timeout" (status 124), `RunResult.limit` saying which. `on_output(stream, data)` receives
    the console as it arrives ("stdout", "stderr" or "kernel"; the result holds it all too).
    The image is checked first (bkport.kernel.elfimage.check_image: an ELF linked for this
    board, else ImageError). The kernel's CLOCK_REALTIME starts at `epoch_ns` (ns since 1970;
    default: the host's clock now), so the app and its files see the time of day."""
    from bkport.kernel.elfimage import check_image

    if board not in BOOT_BLOB:
        raise BkportError(f"unknown board {board!r}")
    check_image(board, Path(image))
    if max_time is None:
        max_time = 10 * timeout
    with tempfile.TemporaryDirectory(prefix="bkrun-") as tmp:
        t = Path(tmp)
        out_path, res_path = t / "out.cpio", t / "result.txt"
        blob = boot_blob(args or ["app"], env or {}, files or {}, stdin, str(out_path),
                         str(res_path), time.time_ns() if epoch_ns is None else epoch_ns)
        if len(blob) > BOOT_BLOB_MAX[board]:
            raise BkportError(f"argv + files + stdin are too large ({len(blob)} bytes)")
        (t / "boot.bin").write_bytes(blob)
        cmd = qemu_command(board, Path(image).resolve(), t / "boot.bin", icount)
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, cwd=tmp)
        stdout, stderr, limit = _communicate(proc, timeout, max_time, on_output)
        secs = time.monotonic() - start
        if limit:
            return _result(board, "timeout", TIMEOUT_STATUS, stdout, seconds=secs,
                           qemu_stderr=stderr.decode(errors="replace"), limit=limit)
        rec = _record(res_path.read_text()) if res_path.exists() else {}
        files_out = cpio.unpack(out_path.read_bytes()) if out_path.exists() else {}
        err = stderr.decode(errors="replace")
        if "exit" in rec and rec.get("selfcheck") == "ok":
            outcome, status = "exit", int(rec["exit"]) & 0xFF
        elif "fault" in rec or proc.returncode == FAULT_STATUS or "exit" in rec:
            outcome, status = "fault", FAULT_STATUS
        else:
            outcome, status = "error", QEMU_ERROR_STATUS
        return _result(board, outcome, status, stdout, files=files_out, record=rec,
                       seconds=secs, qemu_stderr=err)

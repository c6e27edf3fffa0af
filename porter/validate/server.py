"""The validate driver's side of the stand-in: a Unix-socket server in the driver's process
that runs each call a test script makes (porter/validate/client.py speaks to it) on QEMU.

One server per board run; every connection is served in its own thread, so applet scripts that
run at once (and both ends of a pipeline) run on QEMU at once, each on its own resident QEMU
(bkport.toolchain.resident; a fresh boot per call with `--fresh-boot`). Which image and log a
call belongs to is chosen by the socket the client was given (one socket per applet), so
results stay per applet.
"""

from __future__ import annotations

import os
import shlex
import shutil
import socketserver
import struct
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from bkport import native
from bkport.toolchain import resident
from bkport.validate.runapplet import Call, run_call

# What a test driver puts where the test suite looks for the app's executable (a script that
# execs it): it forwards each call to a CallServer. The C twin (data/client.c) is what runs when
# the host clang can build it; client.py, under `python -S`, otherwise.
CLIENT = Path(__file__).with_name("client.py")
CLIENT_C = Path(__file__).parent / "data" / "client.c"


def _client_exe() -> Path | None:
    """The C client. Linked dynamically: static glibc would save 0.3 ms a start but makes it
    775 KB instead of 17 KB, and a test that compresses `$(which busybox)` (gzip's
    compression-levels) then spends 8 s of QEMU on qemu_mps2_an385 instead of 0.15 s."""
    return native.built(CLIENT_C, shared=False)


def stand_in() -> list[str]:
    """The command (then NAME ARGS...) that carries one call of the app to a CallServer."""
    exe = _client_exe()
    return [str(exe)] if exe is not None else [sys.executable, "-S", str(CLIENT)]


def install_stand_in(dest: Path, header: str = "") -> Path:
    """Put the stand-in at `dest` (where the test suite looks for the app's executable): a copy
    of the C client, which then takes its name from argv[0], so each call is one process start;
    without a host clang, a `#!/bin/sh` script (its first lines: `header`, comment lines) that
    execs client.py with the name and the arguments. Returns `dest`."""
    exe = _client_exe()
    tmp = dest.with_name(dest.name + ".tmp")
    if exe is not None:
        shutil.copyfile(exe, tmp)
    else:
        tmp.write_text("#!/bin/sh\n" + header
                       + f'exec {shlex.join(stand_in())} "$0" "$@"\n')
    tmp.chmod(0o755)
    os.replace(tmp, dest)
    return dest


# The most of a piped stdin a fresh boot takes (the boot blob holds it beside the files).
FRESH_STDIN_MAX = 6 << 20


@dataclass(frozen=True)
class Target:
    board: str
    image: Path
    timeout: float
    log: Path | None


def _read_exact(f, n: int) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise ConnectionError("short request")
    return data


def _drop(frames) -> None:
    """Read the rest of a client's stdin and drop it, until it ends or the connection does."""
    try:
        for _ in frames:
            pass
    except (OSError, ValueError):
        pass  # the call is answered and its connection closed


class _Handler(socketserver.StreamRequestHandler):
    def _stdin_frames(self):
        """The client's stdin frames (client.py), to their end or the client's."""
        while True:
            kind = self.rfile.read(1)
            if kind != b"i":
                return  # b"I", or the client is gone
            (n,) = struct.unpack("<I", _read_exact(self.rfile, 4))
            yield _read_exact(self.rfile, n)

    def _send(self, kind: bytes, data: bytes) -> None:
        self.wfile.write(kind + struct.pack("<I", len(data)) + data)
        self.wfile.flush()

    def handle(self) -> None:
        t: Target = self.server.target  # type: ignore[attr-defined]
        head = self.rfile.readline().split()
        if len(head) != 5 or head[0] != b"BKCALL2" or head[4] not in (b"whole", b"stream"):
            return
        n_argv, n_env, n_cwd = (int(x) for x in head[1:4])
        argv = _read_exact(self.rfile, n_argv).split(b"\0")
        env_raw = _read_exact(self.rfile, n_env)
        cwd = _read_exact(self.rfile, n_cwd)
        env = {}
        for item in env_raw.split(b"\0") if env_raw else []:
            k, _, v = item.partition(b"=")
            env[os.fsdecode(k)] = os.fsdecode(v)
        call = Call([os.fsdecode(a) for a in argv], Path(os.fsdecode(cwd)), env, b"")
        if head[4] == b"whole":
            call.stdin = b"".join(self._stdin_frames())
        elif not resident.fresh_boot():
            call.stdin_feed = self._stdin_frames()
        else:
            # A fresh boot takes its stdin in the blob: what the pipe gives up to the blob's
            # room, then the boot (a source that never ends, `seq 4 0 8 | head`, must not
            # hold it back); the rest is read and dropped so the client never blocks on it.
            frames = self._stdin_frames()
            buf = bytearray()
            for chunk in frames:
                buf += chunk
                if len(buf) >= FRESH_STDIN_MAX:
                    break
            call.stdin = bytes(buf[:FRESH_STDIN_MAX])
            threading.Thread(target=_drop, args=(frames,), daemon=True).start()
        sent = {"stdout": 0, "stderr": 0}

        def out(stream: str, data: bytes) -> None:
            self._send(b"o" if stream == "stdout" else b"e", data)
            sent[stream] += len(data)

        try:
            a = run_call(t.board, t.image, call, t.timeout, t.log, on_output=out)
            # What did not stream: a fresh boot's output in pieces the run knew only at the
            # end never differs, but the driver's own messages follow the app's stderr.
            if len(a.stdout) > sent["stdout"]:
                self._send(b"o", a.stdout[sent["stdout"]:])
            if len(a.stderr) > sent["stderr"]:
                self._send(b"e", a.stderr[sent["stderr"]:])
            self.wfile.write(b"x" + struct.pack("<I", a.status & 0xFFFFFFFF))
            self.wfile.flush()
        except (BrokenPipeError, ConnectionError):
            pass  # the caller is gone (killed by its pipeline): nobody to answer


POLL_S = 0.01


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


class CallServer:
    """`with CallServer(path, target):` serves calls on `path` until the block ends."""

    def __init__(self, path: Path, target: Target):
        self.path = Path(path)
        self.target = target

    def __enter__(self) -> CallServer:
        if self.path.exists():
            self.path.unlink()
        self._srv = _Server(str(self.path), _Handler)
        self._srv.target = self.target  # type: ignore[attr-defined]
        # serve_forever looks at shutdown()'s flag once per poll interval (0.5 s by default): a
        # test script's server would then outlive the script by 0.25 s on average, a second of
        # every four applet scripts of busybox's ~90.
        self._thread = threading.Thread(target=self._srv.serve_forever,
                                        kwargs={"poll_interval": POLL_S}, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._srv.shutdown()
        self._srv.server_close()
        self.path.unlink(missing_ok=True)

"""The validate driver's side of the stand-in: a Unix-socket server in the driver's process
that runs each call a test script makes (porter/validate/client.py speaks to it) on QEMU.

One server per board run; every connection is served in its own thread, so applet scripts that
run at once boot QEMU at once. Which image and log a call belongs to is chosen by the socket the
client was given (one socket per applet), so results stay per applet.
"""

from __future__ import annotations

import os
import socketserver
import threading
from dataclasses import dataclass
from pathlib import Path

from bkport.validate.runapplet import Call, run_call

# What a test driver puts where the test suite looks for the app's executable (a script that
# execs it with `python -S`): it forwards each call to a CallServer.
CLIENT = Path(__file__).with_name("client.py")


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


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        t: Target = self.server.target  # type: ignore[attr-defined]
        head = self.rfile.readline().split()
        if len(head) != 5 or head[0] != b"BKCALL1":
            return
        n_argv, n_env, n_cwd, n_in = (int(x) for x in head[1:])
        argv = _read_exact(self.rfile, n_argv).split(b"\0")
        env_raw = _read_exact(self.rfile, n_env)
        cwd = _read_exact(self.rfile, n_cwd)
        stdin = _read_exact(self.rfile, n_in)
        env = {}
        for item in env_raw.split(b"\0") if env_raw else []:
            k, _, v = item.partition(b"=")
            env[os.fsdecode(k)] = os.fsdecode(v)
        call = Call([os.fsdecode(a) for a in argv], Path(os.fsdecode(cwd)), env, stdin)
        a = run_call(t.board, t.image, call, t.timeout, t.log)
        try:
            self.wfile.write(b"%d %d %d\n" % (a.status, len(a.stdout), len(a.stderr))
                             + a.stdout + a.stderr)
        except BrokenPipeError:
            pass  # the caller is gone (killed by its pipeline): nobody to answer


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
        self._thread = threading.Thread(target=self._srv.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._srv.shutdown()
        self._srv.server_close()
        self.path.unlink(missing_ok=True)

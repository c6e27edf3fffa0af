"""The stand-in for an app's executable while its test suite runs: the driver's script in
place of the executable (and every link to it) execs this file with `python -S`, so a call costs
a bare interpreter start, not a package import. It forwards the call (argv, working directory,
environment, stdin) to the validate driver's server on the Unix socket BKPORT_VALIDATE_SOCKET,
writes the app's stdout and stderr as they come, and exits with its status. Standard library
only, and only what starts fast.

Request:  b"BKCALL2 <argv> <env> <cwd> <stdin>\\n" (byte lengths of the first three, then
          `whole` or `stream`), those three blobs (argv and env NUL-separated), then stdin as
          frames: b"i" + u32 length + bytes, ended by b"I". `whole`: the client read its stdin
          (a file, or nothing) to the end before the call; `stream`: stdin is a pipe, forwarded
          while the app runs, so `yes | head` ends when head does.
Answer:   frames b"o" / b"e" + u32 length + bytes (stdout, stderr), then b"x" + u32 status.
          (u32: little-endian.)
"""

import os
import selectors
import socket
import stat
import struct
import sys

CHUNK = 1 << 16


def _stdin_kind() -> str:
    """`whole` for a file, a device or a terminal (read now, or nothing); `stream` for a pipe."""
    try:
        if os.isatty(0):
            return "tty"
        mode = os.fstat(0).st_mode
    except OSError:
        return "tty"  # closed stdin: nothing to read
    return "stream" if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) else "whole"


def _recv_exact(s: socket.socket, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = s.recv(min(n - len(buf), 1 << 20))
        if not chunk:
            raise ConnectionError("the validate server closed the connection")
        buf += chunk
    return bytes(buf)


def _frame(kind: bytes, data: bytes) -> bytes:
    return kind + struct.pack("<I", len(data)) + data


def _send_stdin_whole(s: socket.socket, kind: str) -> None:
    data = b""
    if kind == "whole":
        try:
            data = sys.stdin.buffer.read()
        except (OSError, ValueError):
            data = b""
    for i in range(0, len(data), CHUNK):
        s.sendall(_frame(b"i", data[i:i + CHUNK]))
    s.sendall(b"I")


def _answer(s: socket.socket, stream_stdin: bool) -> int:
    """Forward stdin (when it streams) and write the answer's frames; the app's status."""
    sel = selectors.DefaultSelector()
    sel.register(s, selectors.EVENT_READ)
    if stream_stdin:
        sel.register(0, selectors.EVENT_READ)
    buf = bytearray()
    out_ok = True
    while True:
        for key, _ in sel.select():
            if key.fileobj == 0:
                try:
                    data = os.read(0, CHUNK)
                except OSError:
                    data = b""
                try:
                    s.sendall(_frame(b"i", data) if data else b"I")
                except OSError:
                    data = b""  # the call is over (its app has exited): the answer follows
                if not data:
                    sel.unregister(0)
                continue
            chunk = s.recv(1 << 20)
            if not chunk:
                raise ConnectionError("the validate server closed the connection")
            buf += chunk
            while len(buf) >= 5:
                kind = buf[:1]
                (n,) = struct.unpack("<I", buf[1:5])
                if kind == b"x":
                    return n
                if len(buf) < 5 + n:
                    break
                data = bytes(buf[5:5 + n])
                del buf[:5 + n]
                if kind == b"o" and out_ok:
                    try:
                        sys.stdout.buffer.write(data)
                        sys.stdout.flush()
                    except BrokenPipeError:
                        # The reader is gone (`yes | head`): so is the point of the call.
                        return 141
                elif kind == b"e":
                    sys.stderr.buffer.write(data)
                    sys.stderr.flush()


def main() -> int:
    argv = b"\0".join(os.fsencode(a) for a in sys.argv[1:])
    # A shell's children inherit its umask (busybox's uuencode tests set `umask 0`); the run
    # gets it as BKPORT_UMASK, which the layer's start code applies.
    mask = os.umask(0o022)
    os.umask(mask)
    env = b"\0".join(os.fsencode(k) + b"=" + os.fsencode(v)
                     for k, v in {**os.environ, "BKPORT_UMASK": f"{mask:o}"}.items())
    cwd = os.fsencode(os.getcwd())
    kind = _stdin_kind()
    mode = b"stream" if kind == "stream" else b"whole"
    head = b"BKCALL2 %d %d %d %s\n" % (len(argv), len(env), len(cwd), mode)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(os.environ["BKPORT_VALIDATE_SOCKET"])
        s.sendall(head + argv + env + cwd)
        if kind != "stream":
            _send_stdin_whole(s, kind)
        status = _answer(s, kind == "stream")
    except (OSError, KeyError, ValueError, struct.error) as e:
        sys.stderr.write(f"bkport: cannot reach the validate server: {e}\n")
        return 126
    finally:
        s.close()
    return status


if __name__ == "__main__":
    try:
        code = main()
    finally:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            pass
    # Exit without Python's own flush of a stdout whose reader is gone.
    os._exit(code)

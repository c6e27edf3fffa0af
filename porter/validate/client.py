"""The stand-in for an app's executable while its test suite runs: the driver's script in
place of the executable (and every link to it) execs this file with `python -S`, so a call costs
a bare interpreter start, not a package import. It forwards the call (argv, working directory,
environment, stdin) to the validate driver's server on the Unix socket BKPORT_VALIDATE_SOCKET,
then writes the app's stdout and stderr and exits with its status. Standard library only, and
only what starts fast.

Request:  b"BKCALL1 <argv> <env> <cwd> <stdin>\\n" (byte lengths), then those four blobs; argv and
          env are NUL-separated. Answer: b"<status> <stdout> <stderr>\\n", then the two blobs.
"""

import os
import socket
import sys

MAX_STDIN = 6 << 20  # more would not fit the boot blob anyway


def _stdin() -> bytes:
    try:
        if os.isatty(0):
            return b""
        return sys.stdin.buffer.read(MAX_STDIN)
    except (OSError, ValueError):
        return b""  # closed stdin


def _recv_exact(s: socket.socket, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = s.recv(min(n - len(buf), 1 << 20))
        if not chunk:
            raise ConnectionError("the validate server closed the connection")
        buf += chunk
    return bytes(buf)


def main() -> int:
    argv = b"\0".join(os.fsencode(a) for a in sys.argv[1:])
    env = b"\0".join(os.fsencode(k) + b"=" + os.fsencode(v) for k, v in os.environ.items())
    cwd = os.fsencode(os.getcwd())
    data = _stdin()
    head = b"BKCALL1 %d %d %d %d\n" % (len(argv), len(env), len(cwd), len(data))
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(os.environ["BKPORT_VALIDATE_SOCKET"])
        s.sendall(head + argv + env + cwd + data)
        line = bytearray()
        while not line.endswith(b"\n"):
            c = s.recv(1)
            if not c:
                raise ConnectionError("the validate server closed the connection")
            line += c
        status, n_out, n_err = (int(x) for x in line.split())
        out = _recv_exact(s, n_out)
        err = _recv_exact(s, n_err)
    except (OSError, KeyError, ValueError) as e:
        sys.stderr.write(f"bkport: cannot reach the validate server: {e}\n")
        return 126
    finally:
        s.close()
    try:
        sys.stdout.buffer.write(out)
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    sys.stderr.buffer.write(err)
    sys.stderr.flush()
    return status


if __name__ == "__main__":
    sys.exit(main())

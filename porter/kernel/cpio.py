"""The newc cpio format: initial files into a run, written files back out."""

from __future__ import annotations

import stat as st
from pathlib import Path


def _hdr(ino: int, mode: int, nlink: int, mtime: int, size: int, namesize: int) -> bytes:
    fields = [ino, mode, 0, 0, nlink, mtime, size, 0, 0, 0, 0, namesize, 0]
    return b"070701" + b"".join(b"%08X" % f for f in fields)


def _pad(b: bytearray) -> None:
    b.extend(b"\0" * (-len(b) % 4))


def pack(files: dict[str, bytes | None]) -> bytes:
    """Archive `files` (relative path -> content, None for a directory)."""
    out = bytearray()
    for i, (name, data) in enumerate(sorted(files.items()), start=1):
        mode = (st.S_IFDIR | 0o755) if data is None else (st.S_IFREG | 0o644)
        data = data or b""
        raw = name.strip("/").encode()
        out += _hdr(i, mode, 1, 0, len(data), len(raw) + 1) + raw + b"\0"
        _pad(out)
        out += data
        _pad(out)
    out += _hdr(0, 0, 1, 0, 0, 11) + b"TRAILER!!!\0"
    _pad(out)
    return bytes(out)


def pack_dir(root: Path) -> bytes:
    files: dict[str, bytes | None] = {}
    for p in sorted(Path(root).rglob("*")):
        rel = p.relative_to(root).as_posix()
        files[rel] = None if p.is_dir() else p.read_bytes()
    return pack(files)


def unpack(data: bytes) -> dict[str, bytes | None]:
    """Files of an archive: path -> content (None for a directory)."""
    out: dict[str, bytes | None] = {}
    off = 0
    while off + 110 <= len(data):
        h = data[off:off + 110]
        if h[:6] != b"070701":
            raise ValueError(f"cpio: bad magic at offset {off}")
        f = [int(h[6 + 8 * i:14 + 8 * i], 16) for i in range(13)]
        mode, size, namesize = f[1], f[6], f[11]
        name = data[off + 110:off + 110 + namesize - 1].decode(errors="replace")
        doff = off + 110 + namesize
        doff += -doff % 4
        if name == "TRAILER!!!":
            break
        out[name] = None if st.S_ISDIR(mode) else bytes(data[doff:doff + size])
        off = doff + size
        off += -off % 4
    return out

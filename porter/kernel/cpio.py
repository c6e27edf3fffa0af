"""The newc cpio format: initial files into a run, written files back out.

An archive is a dict of relative path -> content: bytes for a file, None for a directory, a
`Symlink` for a symbolic link (stored as `cpio -H newc` stores one: mode S_IFLNK, the target as
the data).
"""

from __future__ import annotations

import os
import stat as st
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Symlink:
    """A symbolic link's target, as written (relative targets are not resolved)."""

    target: str


Entry = bytes | None | Symlink


def _hdr(ino: int, mode: int, nlink: int, mtime: int, size: int, namesize: int) -> bytes:
    fields = [ino, mode, 0, 0, nlink, mtime, size, 0, 0, 0, 0, namesize, 0]
    return b"070701" + b"".join(b"%08X" % f for f in fields)


def _pad(b: bytearray) -> None:
    b.extend(b"\0" * (-len(b) % 4))


def pack(files: dict[str, Entry]) -> bytes:
    """Archive `files` (relative path -> content, None for a directory, Symlink for a link)."""
    out = bytearray()
    for i, (name, entry) in enumerate(sorted(files.items()), start=1):
        if isinstance(entry, Symlink):
            mode, data = st.S_IFLNK | 0o777, os.fsencode(entry.target)
        elif entry is None:
            mode, data = st.S_IFDIR | 0o755, b""
        else:
            mode, data = st.S_IFREG | 0o644, entry
        raw = name.strip("/").encode()
        out += _hdr(i, mode, 1, 0, len(data), len(raw) + 1) + raw + b"\0"
        _pad(out)
        out += data
        _pad(out)
    out += _hdr(0, 0, 1, 0, 0, 11) + b"TRAILER!!!\0"
    _pad(out)
    return bytes(out)


def pack_dir(root: Path) -> bytes:
    """Archive the tree under `root`; symbolic links go in as links, never followed."""
    files: dict[str, Entry] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        base = Path(dirpath)
        for n in dirnames + filenames:
            p = base / n
            rel = p.relative_to(root).as_posix()
            if p.is_symlink():
                files[rel] = Symlink(os.readlink(p))
            else:
                files[rel] = None if p.is_dir() else p.read_bytes()
    return pack(files)


def write_tree(files: dict[str, Entry], root: Path) -> None:
    """Recreate an archive's entries under `root` (links as links)."""
    for name, entry in sorted(files.items()):
        p = Path(root) / name
        if entry is None:
            p.mkdir(parents=True, exist_ok=True)
            continue
        p.parent.mkdir(parents=True, exist_ok=True)
        if p.is_symlink() or (p.exists() and not p.is_dir()):
            p.unlink()
        if isinstance(entry, Symlink):
            os.symlink(entry.target, p)
        else:
            p.write_bytes(entry)


def unpack(data: bytes) -> dict[str, Entry]:
    """Entries of an archive: path -> content (None for a directory, Symlink for a link)."""
    out: dict[str, Entry] = {}
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
        body = bytes(data[doff:doff + size])
        if st.S_ISLNK(mode):
            out[name] = Symlink(os.fsdecode(body))
        else:
            out[name] = None if st.S_ISDIR(mode) else body
        off = doff + size
        off += -off % 4
    return out

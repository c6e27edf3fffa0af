"""The newc cpio format: initial files into a run, written files back out.

An archive is a dict of relative path -> content: bytes for a file, None for a directory, a
`Symlink` for a symbolic link (stored as `cpio -H newc` stores one: mode S_IFLNK, the target as
the data).

A `Tree` is such a dict that also carries each entry's `Attrs`: permission bits, modification
time and hard-link group. Hard links follow the newc convention (GNU cpio's, which Linux's
initramfs reads too): the names of one file share an inode number and nlink > 1, and only the
last of them in the archive carries the data (the others have size 0). newc has no access
time and whole seconds only: a file comes out of an archive with atime = mtime. Names of one
symbolic link (`ln` of a link) share an inode number too, each carrying the target.
"""

from __future__ import annotations

import os
import stat as st
from dataclasses import dataclass
from pathlib import Path

MAGIC = b"070701"
HEADER = 110


@dataclass(frozen=True)
class Symlink:
    """A symbolic link's target, as written (relative targets are not resolved)."""

    target: str


Entry = bytes | None | Symlink


@dataclass(frozen=True)
class Attrs:
    """What an entry carries beside its content.

    `mode`: permission bits (0o7777), None for the writer's default (0644 files, 0755
    directories); `mtime`: seconds since 1970, None when unknown (the archive says 0, and the
    kernel stamps the entry with its clock instead); `link`: the hard-link group, None for none:
    regular files (or symbolic links) with one group number are one file under several names."""

    mode: int | None = None
    mtime: int | None = None
    link: int | None = None


class Tree(dict[str, Entry]):
    """Entries (path -> Entry) with the attributes of those that have them (`attrs`).

    It compares as the plain dict of its entries, so code that wants contents only is unchanged."""

    def __init__(self, entries: dict[str, Entry] | None = None,
                 attrs: dict[str, Attrs] | None = None) -> None:
        super().__init__(entries or {})
        self.attrs: dict[str, Attrs] = dict(attrs or {})

    def attr(self, name: str) -> Attrs:
        return self.attrs.get(name, Attrs())

    def peers(self, name: str) -> frozenset[str]:
        """The names of `name`'s file (itself alone when it has no hard links here)."""
        g = self.attr(name).link
        if g is None:
            return frozenset([name])
        return frozenset(k for k, a in self.attrs.items() if a.link == g and k in self)

    def groups(self) -> list[list[str]]:
        """Every hard-link group of two names or more, each sorted (archive order)."""
        by: dict[int, list[str]] = {}
        for k in sorted(self):
            g = self.attr(k).link
            if g is not None and isinstance(self[k], bytes | Symlink):
                by.setdefault(g, []).append(k)
        return [v for v in by.values() if len(v) > 1]


class Linker:
    """Hard-link groups of host files: one number per (st_dev, st_ino) seen with st_nlink > 1."""

    def __init__(self) -> None:
        self._ids: dict[tuple[int, int], int] = {}

    def attrs(self, s: os.stat_result) -> Attrs:
        link = None
        if (st.S_ISREG(s.st_mode) or st.S_ISLNK(s.st_mode)) and s.st_nlink > 1:
            link = self._ids.setdefault((s.st_dev, s.st_ino), len(self._ids) + 1)
        return Attrs(st.S_IMODE(s.st_mode), s.st_mtime_ns // 1_000_000_000, link)


def _hdr(ino: int, mode: int, nlink: int, mtime: int, size: int, namesize: int) -> bytes:
    fields = [ino, mode, 0, 0, nlink, mtime, size, 0, 0, 0, 0, namesize, 0]
    return MAGIC + b"".join(b"%08X" % f for f in fields)


def _pad(b: bytearray) -> None:
    b.extend(b"\0" * (-len(b) % 4))


def pack(files: dict[str, Entry]) -> bytes:
    """Archive `files` (relative path -> content, None for a directory, Symlink for a link),
    with their attributes when `files` is a Tree. Hard-linked names must hold equal contents."""
    attrs = files.attrs if isinstance(files, Tree) else {}
    # Per link group: its inode number (its first name's), its names, the last of them.
    group_ino: dict[int, int] = {}
    members: dict[int, list[str]] = {}
    for name in sorted(files):
        g = attrs.get(name, Attrs()).link
        if g is None:
            continue
        if files[name] is None:
            raise ValueError(f"cpio: {name!r} is in hard-link group {g} but is a directory")
        members.setdefault(g, []).append(name)
    for names in members.values():
        first = files[names[0]]
        for n in names[1:]:
            if files[n] != first:
                raise ValueError(f"cpio: hard-linked names {names[0]!r} and {n!r} differ "
                                 "(contents, link targets, or a file and a link)")
    out = bytearray()
    for i, (name, entry) in enumerate(sorted(files.items()), start=1):
        a = attrs.get(name, Attrs())
        if isinstance(entry, Symlink):
            mode, data = st.S_IFLNK | 0o777, os.fsencode(entry.target)
        elif entry is None:
            mode, data = st.S_IFDIR | (0o755 if a.mode is None else a.mode), b""
        else:
            mode, data = st.S_IFREG | (0o644 if a.mode is None else a.mode), entry
        ino, nlink = i, 1
        names = members.get(a.link, []) if a.link is not None else []
        if len(names) > 1:
            ino, nlink = group_ino.setdefault(a.link, i), len(names)
            # A file's data once, with its last name; a link's target with each name (the
            # first one seen must be made a link).
            if name != names[-1] and not isinstance(entry, Symlink):
                data = b""
        raw = name.strip("/").encode()
        out += _hdr(ino, mode, nlink, a.mtime or 0, len(data), len(raw) + 1) + raw + b"\0"
        _pad(out)
        out += data
        _pad(out)
    out += _hdr(0, 0, 1, 0, 0, 11) + b"TRAILER!!!\0"
    _pad(out)
    return bytes(out)


def read_dir(root: Path) -> Tree:
    """The tree under `root` with its modes, times and hard links; symbolic links go in as
    links, never followed."""
    files = Tree()
    linker = Linker()
    for dirpath, dirnames, filenames in os.walk(root):
        base = Path(dirpath)
        for n in dirnames + filenames:
            p = base / n
            rel = p.relative_to(root).as_posix()
            s = p.lstat()
            if st.S_ISLNK(s.st_mode):
                files[rel] = Symlink(os.readlink(p))
            elif st.S_ISDIR(s.st_mode):
                files[rel] = None
            elif st.S_ISREG(s.st_mode):
                files[rel] = p.read_bytes()
            else:
                continue  # fifos, sockets, devices: nothing a run's RAM file system holds
            files.attrs[rel] = linker.attrs(s)
    return files


def pack_dir(root: Path) -> bytes:
    """Archive the tree under `root` (read_dir)."""
    return pack(read_dir(root))


def set_mtime(p: Path, mtime: int) -> None:
    """Give `p` (never followed) the modification time `mtime` (seconds), keeping its atime."""
    s = os.lstat(p)
    if s.st_mtime_ns // 1_000_000_000 != mtime:
        os.utime(p, ns=(s.st_atime_ns, mtime * 1_000_000_000), follow_symlinks=False)


def write_tree(files: dict[str, Entry], root: Path) -> None:
    """Recreate an archive's entries under `root`: links as links, hard-linked names as one
    file, and (for a Tree) modes and modification times."""
    root = Path(root)
    attrs = files.attrs if isinstance(files, Tree) else {}
    leader: dict[int, Path] = {}
    for name, entry in sorted(files.items()):
        p = root / name
        if entry is None:
            p.mkdir(parents=True, exist_ok=True)
            continue
        p.parent.mkdir(parents=True, exist_ok=True)
        if p.is_symlink() or (p.exists() and not p.is_dir()):
            p.unlink()
        g = attrs.get(name, Attrs()).link
        if g is not None and g in leader:
            os.link(leader[g], p, follow_symlinks=False)
            continue
        if isinstance(entry, Symlink):
            os.symlink(entry.target, p)
        else:
            p.write_bytes(entry)
        if g is not None:
            leader[g] = p
    # Deepest first: setting a directory's time after its contents are written, and its mode
    # (maybe read-only) after nothing more goes into it.
    for name in sorted(attrs, reverse=True):
        a, p = attrs[name], root / name
        if name not in files or isinstance(files[name], Symlink):
            continue
        if a.mode is not None:
            os.chmod(p, a.mode)
        if a.mtime:
            set_mtime(p, a.mtime)


def unpack(data: bytes) -> Tree:
    """Entries of an archive (path -> content: None for a directory, Symlink for a link) with
    their attributes; hard-linked names each get the file's contents."""
    out = Tree()
    # Link groups by (devmajor, devminor, ino): their names, and the data one of them carried.
    names: dict[tuple[int, int, int], list[str]] = {}
    gid: dict[tuple[int, int, int], int] = {}
    body_of: dict[tuple[int, int, int], bytes] = {}
    off = 0
    while off + HEADER <= len(data):
        h = data[off:off + HEADER]
        if h[:6] != MAGIC:
            raise ValueError(f"cpio: bad magic at offset {off}")
        try:
            f = [int(h[6 + 8 * i:14 + 8 * i], 16) for i in range(13)]
        except ValueError:
            raise ValueError(f"cpio: bad hex field in the header at offset {off}") from None
        ino, mode, nlink, mtime, size, namesize = f[0], f[1], f[4], f[5], f[6], f[11]
        name = data[off + HEADER:off + HEADER + namesize - 1].decode(errors="replace")
        doff = off + HEADER + namesize
        doff += -doff % 4
        if name == "TRAILER!!!":
            break
        if doff + size > len(data):
            raise ValueError(f"cpio: {name!r} at offset {off}: data runs past the end")
        body = bytes(data[doff:doff + size])
        link = None
        if st.S_ISDIR(mode):
            out[name] = None
        else:
            out[name] = Symlink(os.fsdecode(body)) if st.S_ISLNK(mode) else body
            if nlink > 1:
                key = (f[7], f[8], ino)
                names.setdefault(key, []).append(name)
                if size and not st.S_ISLNK(mode):
                    body_of[key] = body
                link = gid.setdefault(key, len(gid) + 1)
        out.attrs[name] = Attrs(st.S_IMODE(mode), mtime or None, link)
        off = doff + size
        off += -off % 4
    for key, group in names.items():
        for n in group:
            if not isinstance(out[n], Symlink):
                out[n] = body_of.get(key, b"")
        if len(group) == 1:  # its other names were not in the archive: a plain file here
            out.attrs[group[0]] = Attrs(out.attrs[group[0]].mode, out.attrs[group[0]].mtime)
    return out

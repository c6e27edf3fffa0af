"""Section sizes of an ELF image (text / data / bss), without binutils."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

SHT_NOBITS = 8
SHF_WRITE, SHF_ALLOC, SHF_EXECINSTR = 1, 2, 4
# NOLOAD reservations of the kernel layout, reported apart from .bss.
RESERVED = {".kstack", ".kheap"}


@dataclass(frozen=True)
class Section:
    name: str
    kind: int
    flags: int
    addr: int
    size: int


@dataclass(frozen=True)
class Sizes:
    text: int  # code + read-only data
    data: int  # initialised writable data
    bss: int  # zero-initialised data
    reserved: dict[str, int]  # kernel stack and heap reservations

    @property
    def footprint(self) -> int:
        """Static memory of the image: text + data + bss (reservations excluded)."""
        return self.text + self.data + self.bss


def sections(path: Path) -> list[Section]:
    b = Path(path).read_bytes()
    if b[:4] != b"\x7fELF":
        raise ValueError(f"{path}: not an ELF file")
    is64 = b[4] == 2
    end = "<" if b[5] == 1 else ">"
    if is64:
        shoff, = struct.unpack_from(end + "Q", b, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from(end + "HHH", b, 0x3A)
        fmt = end + "IIQQQQIIQQ"
    else:
        shoff, = struct.unpack_from(end + "I", b, 0x20)
        shentsize, shnum, shstrndx = struct.unpack_from(end + "HHH", b, 0x2E)
        fmt = end + "IIIIIIIIII"
    raw = [struct.unpack_from(fmt, b, shoff + i * shentsize) for i in range(shnum)]
    stroff = raw[shstrndx][4]

    def name(off: int) -> str:
        e = b.index(b"\0", stroff + off)
        return b[stroff + off:e].decode()

    return [Section(name(r[0]), r[1], r[2], r[3], r[5]) for r in raw]


def sizes(path: Path) -> Sizes:
    text = data = bss = 0
    reserved: dict[str, int] = {}
    for s in sections(path):
        if not s.flags & SHF_ALLOC or s.size == 0:
            continue
        if s.name in RESERVED:
            reserved[s.name] = s.size
        elif s.kind == SHT_NOBITS:
            bss += s.size
        elif s.flags & SHF_WRITE:
            data += s.size
        else:
            text += s.size
    return Sizes(text, data, bss, reserved)

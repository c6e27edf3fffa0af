"""Section sizes of an ELF image (text / data / bss), without binutils (pyelftools)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from elftools.common.exceptions import ELFError
from elftools.elf.elffile import ELFFile

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


def _type_codes(machine: str) -> dict[str, int]:
    """pyelftools names the section types it knows (`SHT_NOBITS`, `SHT_RISCV_ATTRIBUTES`, per
    machine); this maps the names back to their numeric codes."""
    from elftools.elf import enums

    per_machine = {"EM_ARM": "ARM", "EM_AARCH64": "AARCH64", "EM_RISCV": "RISCV",
                   "EM_X86_64": "AMD64", "EM_MIPS": "MIPS"}
    codes = dict(enums.ENUM_SH_TYPE_BASE)
    codes.update(getattr(enums, f"ENUM_SH_TYPE_{per_machine.get(machine, 'BASE')}", {}))
    return codes


def sections(path: Path) -> list[Section]:
    """Every section header of the ELF file at `path`, in file order (index 0 included)."""
    with open(path, "rb") as f:
        if f.read(4) != b"\x7fELF":
            raise ValueError(f"{path}: not an ELF file")
        f.seek(0)
        try:
            elf = ELFFile(f)
            codes = _type_codes(elf["e_machine"])
            out = []
            for s in elf.iter_sections():
                t = s["sh_type"]
                out.append(Section(s.name, t if isinstance(t, int) else codes[t], s["sh_flags"],
                                   s["sh_addr"], s["sh_size"]))
            return out
        except ELFError as e:
            raise ValueError(f"{path}: malformed ELF file ({e})") from None


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

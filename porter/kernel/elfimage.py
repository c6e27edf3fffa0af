"""What an image is, before QEMU boots it, and where an address in it lies (pyelftools).

- `check_image(board, path)`: the file must be a linked ELF executable for the board's
  architecture (machine and class) and linked for that board: the kernel build marks each image
  with an absolute symbol `__bkport_board_<board>` (bkport.kernel.build, `--defsym`); an image
  without the marker must at least have its entry point and loaded code inside the board's
  IMAGE region (kernel/link/<board>.ld). Raises `ImageError` (exit status 2, bad input).
- `symbolize(path, addr)`: `func+0x12 (file.c:34)`: the function from `.symtab` (nearest
  preceding function symbol), the file and line from the DWARF line programs when the image
  carries debug information.
- `fault_addresses(text)`: the code addresses of a kernel fault message (`mepc=`, `pc=`, `elr=`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bkport.errors import BkportError
from bkport.paths import display
from bkport.toolchain.targets import BOARDS
from elftools.common.exceptions import ELFError
from elftools.elf.elffile import ELFFile

BOARD_SYMBOL_PREFIX = "__bkport_board_"

# e_machine and ELF class of each architecture's images.
MACHINE = {"cortex-m": ("EM_ARM", 32), "aarch64": ("EM_AARCH64", 64), "riscv64": ("EM_RISCV", 64)}
MACHINE_NAME = {"EM_ARM": "ARM", "EM_AARCH64": "AArch64", "EM_RISCV": "RISC-V",
                "EM_X86_64": "x86-64", "EM_386": "x86"}


class ImageError(BkportError):
    """The file given to `bkport run` is not an image for the board (bad input)."""

    exit_code = 2


def board_marker(board: str) -> str:
    """The absolute symbol the kernel build defines in an image linked for `board`."""
    return BOARD_SYMBOL_PREFIX + board


@cache
def image_region(board: str) -> tuple[int, int]:
    """(start, end) of the board's IMAGE memory region, from the board table
    (kernel/boards.toml, the source of the generated linker scripts)."""
    return BOARDS[board].image_region


def _describe(machine: str, cls: int) -> str:
    return f"{cls}-bit {MACHINE_NAME.get(machine, machine)}"


def _boards_for(machine: str, cls: int) -> list[str]:
    return sorted(b for b, spec in BOARDS.items() if MACHINE[spec.arch.name] == (machine, cls))


def check_image(board: str, path: Path) -> None:
    """Raise ImageError unless `path` is an image linked for `board`.

    A validation run boots the same image thousands of times: the verdict is kept per board and
    file identity (path, size, modification time), so a rebuilt image is checked again."""
    try:
        st = Path(path).stat()
    except OSError as e:
        raise ImageError(f"{display(path)}: cannot read ({e.strerror})") from None
    key = (board, str(Path(path).resolve()), st.st_size, st.st_mtime_ns)
    if key in _CHECKED:
        return
    _check(board, path)
    _CHECKED.add(key)


_CHECKED: set[tuple[str, str, int, int]] = set()  # images found good, by file identity


def _check(board: str, path: Path) -> None:
    name = display(path)
    want = MACHINE[BOARDS[board].arch.name]
    with open(path, "rb") as f:
        head = f.read(16)
        if head[:4] != b"\x7fELF":
            raise ImageError(f"{name} is not an ELF image (it starts with {head[:8]!r}); "
                             f"build one with `bkport build --board {board}`")
        f.seek(0)
        try:
            elf = ELFFile(f)
            machine, cls, kind = elf["e_machine"], elf.elfclass, elf["e_type"]
            entry = elf["e_entry"]
            loads = [(s["p_vaddr"], s["p_memsz"], s["p_flags"]) for s in elf.iter_segments()
                     if s["p_type"] == "PT_LOAD" and s["p_memsz"]]
            markers = _markers(elf)
        except (ELFError, ValueError, OSError) as e:
            raise ImageError(f"{name} is a damaged ELF file ({e})") from None
    if (machine, cls) != want:
        others = _boards_for(machine, cls)
        hint = (f"; run it with --board {' or '.join(others)}" if others
                else f"; build it with `bkport build --board {board}`")
        raise ImageError(f"{name} is built for {_describe(machine, cls)}, but {board} is "
                         f"{_describe(*want)}{hint}")
    if kind != "ET_EXEC":
        what = {"ET_REL": "an object file", "ET_DYN": "a shared object or PIE",
                "ET_CORE": "a core dump"}.get(kind, kind)
        raise ImageError(f"{name} is {what}, not a linked image; link it with "
                         f"`bkport kernel build --board {board} --app {name}`")
    if markers:
        if board not in markers:
            known = sorted(m for m in markers if m in BOARDS)
            hint = f"run it with --board {known[0]} or " if known else ""
            raise ImageError(f"{name} was linked for {', '.join(sorted(markers))}, not for "
                             f"{board}; {hint}rebuild it with --board {board}")
        return
    lo, hi = image_region(board)
    regions = BOARDS[board].code_regions
    code = [(a, n) for a, n, fl in loads if fl & 1]  # PF_X

    def inside(a: int, n: int) -> bool:
        return any(s <= a and a + n <= e for s, e in regions)

    if not lo <= entry < hi or not all(inside(a, n) for a, n in code):
        raise ImageError(f"{name} was not linked for {board}: entry point {entry:#x} "
                         f"lies outside its image region {lo:#x}-{hi:#x}; rebuild it with "
                         f"--board {board}")


def _markers(elf: ELFFile) -> set[str]:
    # The names are read from the symbol table's string table: parsing every symbol with
    # pyelftools takes seconds on a large app's image, and `bkport run` checks before each boot.
    st = elf.get_section_by_name(".symtab")
    if st is None:
        return set()
    strtab = elf.get_section(st["sh_link"]).data()
    prefix = BOARD_SYMBOL_PREFIX.encode()
    found, at = set(), strtab.find(prefix)
    while at >= 0:
        end = strtab.find(b"\0", at)
        found.add(strtab[at + len(prefix):end if end >= 0 else None].decode(errors="replace"))
        at = strtab.find(prefix, at + 1)
    return found


# --- addresses -> symbols ------------------------------------------------------------------------

FAULT_ADDR = re.compile(r"\b(mepc|pc|elr)=(0x[0-9a-fA-F]+)")


def fault_addresses(text: str) -> list[tuple[str, int]]:
    """(register, address) of the code addresses in kernel fault messages, in order."""
    out = []
    for line in text.splitlines():
        if "FAULT" not in line:
            continue
        out += [(m[1], int(m[2], 16)) for m in FAULT_ADDR.finditer(line)]
    return out


@dataclass(frozen=True)
class Location:
    function: str | None
    offset: int
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.function}+{self.offset:#x}" if self.function else "?"
        if self.file:
            where += f" ({self.file}:{self.line})"
        return where


def _demangle(name: str) -> str:
    """Rust's legacy mangling (`_ZN4core3fmt5write17h0123456789abcdefE` -> `core::fmt::write`)."""
    if not (name.startswith("_ZN") and name.endswith("E")):
        return name
    parts, i, body = [], 3, name[:-1]
    while i < len(body):
        j = i
        while j < len(body) and body[j].isdigit():
            j += 1
        if j == i:
            return name
        n = int(body[i:j])
        parts.append(body[j:j + n])
        i = j + n
    if parts and re.fullmatch(r"h[0-9a-f]{16}", parts[-1]):
        parts.pop()
    out = "::".join(parts)
    for esc, ch in (("$LT$", "<"), ("$GT$", ">"), ("$u20$", " "), ("$RF$", "&"), ("$C$", ","),
                    ("..", "::"), ("$u7b$", "{"), ("$u7d$", "}")):
        out = out.replace(esc, ch)
    return out


class Symbolizer:
    """Addresses of one image to functions (`.symtab`) and source lines (DWARF)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        with open(self.path, "rb") as f:
            elf = ELFFile(f)
            thumb = elf["e_machine"] == "EM_ARM"
            funcs: list[tuple[int, int, str]] = []
            st = elf.get_section_by_name(".symtab")
            for s in st.iter_symbols() if st is not None else ():
                if s["st_info"]["type"] != "STT_FUNC" or not s.name or s["st_shndx"] == "SHN_UNDEF":
                    continue
                v = s["st_value"] & ~1 if thumb else s["st_value"]
                funcs.append((v, s["st_size"], s.name))
            funcs.sort()
            self._funcs = funcs
            self._starts = [v for v, _, _ in funcs]
            self._lines = self._line_table(elf) if elf.has_dwarf_info() else []
            self._line_starts = [a for a, _, _, _ in self._lines]

    @staticmethod
    def _line_table(elf: ELFFile) -> list[tuple[int, int, str, int]]:
        """Sorted (start, end, file, line) address ranges of every line-program row."""
        rows: list[tuple[int, int, str, int]] = []
        dwarf = elf.get_dwarf_info()
        for cu in dwarf.iter_CUs():
            lp = dwarf.line_program_for_CU(cu)
            if lp is None:
                continue
            files = lp["file_entry"]
            base = 1 if lp["version"] < 5 else 0
            prev = None
            for entry in lp.get_entries():
                st = entry.state
                if st is None:
                    continue
                if prev is not None and st.address > prev.address:
                    idx = prev.file - base
                    fname = (files[idx].name.decode(errors="replace")
                             if 0 <= idx < len(files) else "?")
                    rows.append((prev.address, st.address, fname, prev.line))
                prev = None if st.end_sequence else st
        rows.sort()
        return rows

    def lookup(self, addr: int) -> Location | None:
        file = line = None
        i = bisect.bisect_right(self._line_starts, addr) - 1
        if i >= 0 and self._lines[i][0] <= addr < self._lines[i][1]:
            _, _, file, line = self._lines[i]
        j = bisect.bisect_right(self._starts, addr) - 1
        func = None
        off = 0
        if j >= 0:
            v, size, name = self._funcs[j]
            if size == 0 or addr < v + size:
                func, off = _demangle(name), addr - v
        if func is None and file is None:
            return None
        return Location(func, off, file, line)


def symbolize(path: Path, addr: int) -> Location | None:
    """Where `addr` lies in the image at `path` (None when no function or line covers it)."""
    return Symbolizer(path).lookup(addr)

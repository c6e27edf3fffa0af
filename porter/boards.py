"""The board table, kernel/boards.toml: the one place a board is described.

`load()` reads it once into frozen models: `Arch` (one per syscall ABI: word size, ELF machine,
the devices its kernel code drives, default toolchain settings) and `Board` (CPU, QEMU command
line, linker memory regions, boot blob, console, timer, interrupt controller, exit mechanism,
and its effective toolchain: the arch's defaults with the board's overrides). A bad table raises
`InputError` with every problem found, each at its file:line.

From a `Board` the kernel build generates (`render_rust`, `render_linker_script`, both
deterministic) the kernel's board constants (`crate::board`) and its linker script; QEMU's
command line (bkport.toolchain.qemu) and the C targets (bkport.appbuild.target) read the models.
docs/boards.md describes the format and how to add a board.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bkport.errors import Diagnostic, InputError, located
from bkport.paths import display, source

TABLE = "kernel/boards.toml"  # repository path (bkport.paths.source)
COMMON_LD = "kernel/link/common.ld.in"
GENERATOR = "bkport.boards (porter/boards.py)"

ELF_MACHINES = {"EM_ARM": 32, "EM_AARCH64": 64, "EM_RISCV": 64}  # -> the ELF class it runs

# Devices a board names, by kind: the parameters each kind needs. Which kinds an arch's kernel
# code drives is the arch's `drivers` list; the parameters become constants of the generated
# board.rs (`<DEVICE>_<PARAM>`: CONSOLE_BASE, TIMER_HZ, INTERRUPTS_DISTRIBUTOR, ...).
DEVICE_KINDS: dict[str, dict[str, tuple[str, ...]]] = {
    "console": {"cmsdk-uart": ("base",), "pl011": ("base",), "ns16550a": ("base",)},
    "timer": {"systick": ("hz",), "arm-generic-timer": ("irq",),
              "clint": ("mtime", "mtimecmp", "hz")},
    "interrupts": {"nvic": (), "gicv2": ("distributor", "cpu_interface"), "clint": ()},
    "exit": {"semihosting": ()},
}
# Rust type of a device parameter in board.rs (addresses are usize).
PARAM_TYPES = {"hz": "u64", "irq": "u32"}
REQUIRED_REGIONS = {"IMAGE": "rx", "KRAM": "rw", "RAM": "rw"}  # name -> attributes it needs
# Optional: where the CPU reads its vector table at reset, when that memory is too small for the
# image (the AN547's 512 KiB ITCM). Only the vector table goes there; the code stays in IMAGE.
VECTORS_REGION = "VECTORS"
# QEMU options bkport itself chooses (qemu.qemu_command): a board's `args` may not set them.
QEMU_OWNED = ("-M", "-machine", "-kernel", "-serial", "-monitor", "-display", "-nographic",
              "-device", "-icount")
TOOLCHAIN_KEYS = ("rust_target", "clang_target", "clang_flags", "picolibc_multilib", "gcc_flags")
BOARD_NAME = re.compile(r"[a-z][a-z0-9_]*$")  # names files and the image's board symbol


@dataclass(frozen=True)
class Arch:
    name: str  # the name used by the syscall table (`arch` lists) and `--arch`
    rust_target: str
    clang_target: str
    clang_flags: tuple[str, ...]
    word_bits: int
    picolibc_prefix: str  # /usr/lib/picolibc/<prefix>
    picolibc_multilib: str  # under /usr/lib/picolibc/<prefix>/lib
    gcc: str  # the cross gcc whose libgcc.a C links with
    gcc_flags: tuple[str, ...]  # select libgcc's multilib
    elf_machine: str  # e_machine of its images (pyelftools' name)
    kernel_source: str  # kernel/src/<this>: the arch's kernel code
    drivers: tuple[str, ...]  # device kinds that code drives


@dataclass(frozen=True)
class Region:
    """A linker MEMORY region."""

    name: str
    origin: int
    length: int
    attributes: str  # "rx", "rw", "rwx"

    @property
    def end(self) -> int:
        return self.origin + self.length


@dataclass(frozen=True)
class Device:
    kind: str
    params: tuple[tuple[str, int], ...] = ()

    def __getitem__(self, name: str) -> int:
        for k, v in self.params:
            if k == name:
                return v
        raise KeyError(f"{self.kind} has no parameter {name!r}")


@dataclass(frozen=True)
class Qemu:
    binary: str
    machine: str
    args: tuple[str, ...] = ()

    def machine_args(self) -> tuple[str, ...]:
        return ("-M", self.machine, *self.args)


@dataclass(frozen=True)
class BootBlob:
    """Where the host loads the boot blob, and the most it may hold (kernel/src/boot.rs)."""

    origin: int
    max: int
    # The part of the region a call's blob leaves unused holds file data (kernel/src/heap.rs):
    # for a board whose app RAM is small next to its blob region (the AN385's 3 MiB, 16 MiB).
    file_pool: bool = False


@dataclass(frozen=True)
class KernelLayout:
    entry: str  # the image's entry symbol
    stack: int  # kernel stack bytes
    heap: int  # kernel heap bytes (the RAM file system lives there)


@dataclass(frozen=True)
class Board:
    name: str
    arch: Arch
    cpu: str
    # the effective toolchain: the arch's settings, overridden by [boards.<name>.toolchain]
    rust_target: str
    clang_target: str
    clang_flags: tuple[str, ...]
    picolibc_multilib: str
    gcc_flags: tuple[str, ...]
    qemu: Qemu
    memory: tuple[Region, ...]
    boot_blob: BootBlob
    kernel: KernelLayout
    console: Device
    timer: Device
    interrupts: Device
    exit: Device
    source: str  # "kernel/boards.toml:73": where the table defines it

    def region(self, name: str) -> Region:
        for r in self.memory:
            if r.name == name:
                return r
        raise KeyError(f"board {self.name} has no memory region {name!r}")

    @property
    def image_region(self) -> tuple[int, int]:
        """(start, end) of the IMAGE region: where an image for this board has its code."""
        r = self.region("IMAGE")
        return r.origin, r.end

    @property
    def code_regions(self) -> tuple[tuple[int, int], ...]:
        """(start, end) of every region an image's loadable code may lie in: IMAGE, and the
        VECTORS region where the board has one."""
        return tuple((r.origin, r.end) for r in self.memory
                     if r.name in ("IMAGE", VECTORS_REGION))

    def devices(self) -> list[tuple[str, Device]]:
        return [(d, getattr(self, d)) for d in DEVICE_KINDS]


@dataclass(frozen=True)
class BoardTable:
    path: Path
    arches: dict[str, Arch]
    boards: dict[str, Board]


# ---------------------------------------------------------------------------------------------
# Where each key of a TOML text is defined. tomllib gives values only; an error about a value
# should name its line. The scan knows tables, arrays of tables, `key = value` lines (dotted
# keys too) and the keys of one-line inline tables; a key it cannot place is reported at the
# nearest enclosing one it can.

_HEADER = re.compile(r"\[\s*([^\[\]]+?)\s*\]$")
_AOT = re.compile(r"\[\[\s*([^\[\]]+?)\s*\]\]$")
_KEYVAL = re.compile(r"((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')"
                     r"(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*=\s*(.*)$")
_INLINE_KEY = re.compile(r"[{,]\s*([A-Za-z0-9_-]+)\s*=")


def _strip_comment(line: str) -> str:
    quote = ""
    for i, c in enumerate(line):
        if quote:
            if c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c == "#":
            return line[:i]
    return line


def _split_key(key: str) -> tuple[str, ...]:
    parts = re.findall(r"\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_-]+)", key)
    return tuple(a or b or c for a, b, c in parts)


def key_lines(text: str) -> dict[tuple[str | int, ...], int]:
    """(key path) -> line number; array-of-tables entries are indexed: ("boards", "x",
    "memory", 0, "name")."""
    lines: dict[tuple[str | int, ...], int] = {}
    current: tuple[str | int, ...] = ()
    counts: dict[tuple[str | int, ...], int] = {}
    for no, raw in enumerate(text.splitlines(), 1):
        line = _strip_comment(raw).strip()
        if not line:
            continue
        m = _AOT.match(line)
        if m:
            key = _split_key(m[1])
            idx = counts.get(key, 0)
            counts[key] = idx + 1
            lines.setdefault(key, no)
            current = (*key, idx)
            lines.setdefault(current, no)
            continue
        m = _HEADER.match(line)
        if m:
            current = _split_key(m[1])
            lines.setdefault(current, no)
            continue
        m = _KEYVAL.match(line)
        if m:
            key = (*current, *_split_key(m[1]))
            lines.setdefault(key, no)
            if m[2].startswith("{"):
                for km in _INLINE_KEY.finditer(m[2]):
                    lines.setdefault((*key, km[1]), no)
    return lines


class _Located:
    """Diagnostics for one table file, each at the line of the key it is about."""

    def __init__(self, path: Path, text: str):
        self.file = display(path)
        self.lines = key_lines(text)
        self.diags: list[Diagnostic] = []

    def line(self, key: tuple[str | int, ...]) -> int | None:
        for n in range(len(key), 0, -1):
            if key[:n] in self.lines:
                return self.lines[key[:n]]
        return None

    def err(self, key: tuple[str | int, ...], message: str) -> None:
        where = ".".join(str(k) if isinstance(k, str) else f"[{k}]" for k in key)
        where = where.replace(".[", "[")
        self.diags.append(located(self.file, self.line(key), None, f"{where}: {message}"))


def _suggest(name: str, choices) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


_SIZE_TERM = re.compile(r"\s*(0x[0-9a-fA-F_]+|[0-9][0-9_]*)\s*([KMG]?)\s*$")
_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def parse_size(value: Any) -> int | None:
    """A size: an integer, or a string of terms with K/M/G joined by "+" ("1M + 16K")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    total = 0
    for term in value.split("+"):
        m = _SIZE_TERM.match(term)
        if m is None:
            return None
        total += int(m[1].replace("_", ""), 0) * _UNITS[m[2]]
    return total


class _Reader:
    """Typed access to one TOML table, reporting wrong types, missing and unknown keys."""

    def __init__(self, loc: _Located, key: tuple[str | int, ...], data: Any, what: str):
        self.loc, self.key, self.ok = loc, key, True
        if not isinstance(data, dict):
            loc.err(key, f"expected a table ({what})")
            data, self.ok = {}, False
        self.data: dict[str, Any] = data
        self.used: set[str] = set()

    def err(self, name: str | None, message: str) -> None:
        self.ok = False
        self.loc.err(self.key if name is None else (*self.key, name), message)

    def get(self, name: str, kind: str, required: bool = True, default: Any = None) -> Any:
        self.used.add(name)
        if name not in self.data:
            if required:
                self.err(None, f"missing key {name!r} ({kind})")
            return default
        v = self.data[name]
        checks = {
            "string": lambda x: isinstance(x, str) and x != "",
            "integer": lambda x: isinstance(x, int) and not isinstance(x, bool) and x >= 0,
            "size": lambda x: parse_size(x) is not None and parse_size(x) > 0,
            "list of strings": lambda x: isinstance(x, list)
            and all(isinstance(s, str) for s in x),
            "table": lambda x: isinstance(x, dict),
            "boolean": lambda x: isinstance(x, bool),
            "array of tables": lambda x: isinstance(x, list)
            and all(isinstance(t, dict) for t in x),
        }
        if not checks[kind](v):
            want = _SIZE_WANTED if kind == "size" else _article(kind)
            self.err(name, f"expected {want}, got {v!r}")
            return default
        if kind == "size":
            return parse_size(v)
        if kind == "list of strings":
            return tuple(v)
        return v

    def done(self) -> None:
        for name in self.data:
            if name not in self.used:
                known = sorted(self.used)
                self.err(name, f"unknown key{_suggest(name, known)}; known keys: "
                               f"{', '.join(known)}")


_SIZE_WANTED = 'a positive size (4096, "16K", "1M + 64K")'


def _article(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind


def _arch(loc: _Located, name: str, data: Any) -> Arch | None:
    r = _Reader(loc, ("arches", name), data, "an architecture")
    if not r.ok:
        return None
    word_bits = r.get("word_bits", "integer")
    if word_bits is not None and word_bits not in (32, 64):
        r.err("word_bits", f"expected 32 or 64, got {word_bits}")
        word_bits = None
    machine = r.get("elf_machine", "string")
    if machine is not None and machine not in ELF_MACHINES:
        r.err("elf_machine", f"unknown ELF machine {machine!r}{_suggest(machine, ELF_MACHINES)}"
                             f"; known: {', '.join(ELF_MACHINES)}")
    elif machine is not None and word_bits is not None and ELF_MACHINES[machine] != word_bits:
        r.err("elf_machine", f"{machine} images are {ELF_MACHINES[machine]}-bit, the arch's "
                             f"word_bits is {word_bits}")
    drivers = r.get("drivers", "list of strings")
    known = {k for kinds in DEVICE_KINDS.values() for k in kinds}
    for d in drivers or ():
        if d not in known:
            r.err("drivers", f"unknown device kind {d!r}{_suggest(d, known)}")
    arch = Arch(
        name=name,
        rust_target=r.get("rust_target", "string"),
        clang_target=r.get("clang_target", "string"),
        clang_flags=r.get("clang_flags", "list of strings"),
        word_bits=word_bits,
        picolibc_prefix=r.get("picolibc_prefix", "string"),
        picolibc_multilib=r.get("picolibc_multilib", "string"),
        gcc=r.get("gcc", "string"),
        gcc_flags=r.get("gcc_flags", "list of strings", required=False, default=()),
        elf_machine=machine,
        kernel_source=r.get("kernel_source", "string"),
        drivers=drivers,
    )
    r.done()
    return arch if r.ok else None


def _device(r: _Reader, what: str, arch: Arch | None) -> Device | None:
    d = r.get(what, "table")
    if d is None:
        return None
    dr = _Reader(r.loc, (*r.key, what), d, what)
    kind = dr.get("kind", "string")
    kinds = DEVICE_KINDS[what]
    if kind is None:
        r.ok = False
        return None
    if kind not in kinds:
        dr.err("kind", f"unknown {what} kind {kind!r}{_suggest(kind, kinds)}; known: "
                       f"{', '.join(kinds)}")
        r.ok = False
        return None
    if arch is not None and kind not in arch.drivers:
        dr.err("kind", f"the {arch.name} kernel code ({arch.kernel_source}) has no {kind} "
                       f"driver; it drives: {', '.join(arch.drivers)}")
    params = tuple((p, dr.get(p, "integer")) for p in kinds[kind])
    dr.done()
    if not dr.ok:
        r.ok = False
        return None
    return Device(kind, params)


def _memory(r: _Reader, arch: Arch | None) -> tuple[Region, ...]:
    raw = r.get("memory", "array of tables")
    if raw is None:
        return ()
    regions: list[Region] = []
    for i, t in enumerate(raw):
        mr = _Reader(r.loc, (*r.key, "memory", i), t, "a memory region")
        name = mr.get("name", "string")
        origin = mr.get("origin", "integer")
        attrs = mr.get("attributes", "string")
        length = mr.get("length", "size", required=False)
        end = mr.get("end", "integer", required=False)
        if "length" in t and "end" in t:
            mr.err("end", "give either length or end, not both")
        elif "length" not in t and "end" not in t:
            mr.err(None, "missing key 'length' (a size) or 'end' (the first address after it)")
        elif end is not None and origin is not None:
            if end <= origin:
                mr.err("end", f"end {end:#x} is not after origin {origin:#x}")
            else:
                length = end - origin
        if attrs is not None and (not set(attrs) <= set("rwx") or len(set(attrs)) != len(attrs)):
            mr.err("attributes", f"expected letters of 'rwx', got {attrs!r}")
        if name is not None and name in {x.name for x in regions}:
            mr.err("name", f"region {name!r} defined twice")
        mr.done()
        if mr.ok:
            regions.append(Region(name, origin, length, attrs))
        else:
            r.ok = False
    for need, attrs in REQUIRED_REGIONS.items():
        reg = next((x for x in regions if x.name == need), None)
        if reg is None and r.ok:
            r.err("memory", f"no {need} region (needed: {', '.join(REQUIRED_REGIONS)})")
        elif reg is not None and not set(attrs) <= set(reg.attributes):
            i = next(i for i, x in enumerate(raw) if x.get("name") == need)
            r.loc.err((*r.key, "memory", i, "attributes"),
                      f"{need} must be at least {attrs!r}, got {reg.attributes!r}")
            r.ok = False
    by_origin = sorted(enumerate(regions), key=lambda ir: ir[1].origin)
    for (_, a), (j, b) in zip(by_origin, by_origin[1:], strict=False):
        if b.origin < a.end:
            r.loc.err((*r.key, "memory", j, "origin"),
                      f"region {b.name} ({b.origin:#x}-{b.end:#x}) overlaps {a.name} "
                      f"({a.origin:#x}-{a.end:#x})")
            r.ok = False
    if arch is not None and arch.word_bits == 32:
        for i, reg in enumerate(regions):
            if reg.end > 1 << 32:
                r.loc.err((*r.key, "memory", i), f"region {reg.name} ends at {reg.end:#x}, "
                                                 "beyond the 32-bit address space")
                r.ok = False
    return tuple(regions)


def _board(loc: _Located, name: str, data: Any, arches: dict[str, Arch],
           arch_errors: set[str]) -> Board | None:
    key = ("boards", name)
    r = _Reader(loc, key, data, "a board")
    if not r.ok:
        return None
    if not BOARD_NAME.match(name):
        r.err(None, "board names are lower-case letters, digits and '_' (they name files and "
                    "a linker symbol)")
    cpu = r.get("cpu", "string")
    arch_name = r.get("arch", "string")
    arch = arches.get(arch_name) if arch_name else None
    if arch_name is not None and arch is None and arch_name not in arch_errors:
        r.err("arch", f"unknown arch {arch_name!r}{_suggest(arch_name, arches)}; known: "
                      f"{', '.join(arches)}")

    tc: dict[str, Any] = {}
    tdata = r.get("toolchain", "table", required=False)
    if tdata is not None:
        tr = _Reader(loc, (*key, "toolchain"), tdata, "toolchain overrides")
        for k in TOOLCHAIN_KEYS:
            v = tr.get(k, "list of strings" if k.endswith("flags") else "string", required=False)
            if v is not None:
                tc[k] = v
        tr.done()
        r.ok &= tr.ok

    qemu = None
    q = r.get("qemu", "table")
    if q is not None:
        qr = _Reader(loc, (*key, "qemu"), q, "QEMU")
        binary, machine = qr.get("binary", "string"), qr.get("machine", "string")
        args = qr.get("args", "list of strings", required=False, default=())
        for a in args:
            if a.split("=")[0] in QEMU_OWNED:
                qr.err("args", f"{a!r} is chosen by bkport (toolchain/qemu.py), not by the "
                               f"board; the machine goes in `machine`")
        qr.done()
        r.ok &= qr.ok
        if qr.ok:
            qemu = Qemu(binary, machine, args)

    blob = None
    b = r.get("boot_blob", "table")
    if b is not None:
        br = _Reader(loc, (*key, "boot_blob"), b, "the boot blob")
        origin, size = br.get("origin", "integer"), br.get("max", "size")
        pool = br.get("file_pool", "boolean", required=False, default=False)
        br.done()
        r.ok &= br.ok
        if br.ok:
            blob = BootBlob(origin, size, pool)

    kernel = None
    k = r.get("kernel", "table")
    if k is not None:
        kr = _Reader(loc, (*key, "kernel"), k, "the kernel layout")
        entry, stack, heap = kr.get("entry", "string"), kr.get("stack", "size"), kr.get(
            "heap", "size")
        kr.done()
        r.ok &= kr.ok
        if kr.ok:
            kernel = KernelLayout(entry, stack, heap)

    devices = {d: _device(r, d, arch) for d in DEVICE_KINDS}
    memory = _memory(r, arch)
    r.done()

    if memory and kernel is not None and r.ok:
        kram = next(x for x in memory if x.name == "KRAM")
        if kernel.stack + kernel.heap >= kram.length:
            i = next(i for i, x in enumerate(memory) if x.name == "KRAM")
            loc.err((*key, "memory", i, "length"),
                    f"KRAM ({kram.length:#x} bytes) must hold the kernel stack and heap "
                    f"({kernel.stack + kernel.heap:#x} bytes) and .kdata")
            r.ok = False
    if blob is not None and memory:
        end = blob.origin + blob.max
        for reg in memory:
            if blob.origin < reg.end and reg.origin < end:
                loc.err((*key, "boot_blob", "origin"),
                        f"the boot blob ({blob.origin:#x}-{end:#x}) overlaps region {reg.name} "
                        f"({reg.origin:#x}-{reg.end:#x})")
                r.ok = False
        if arch is not None and arch.word_bits == 32 and end > 1 << 32:
            loc.err((*key, "boot_blob"), "the boot blob ends beyond the 32-bit address space")
            r.ok = False
    if not r.ok or arch is None:
        return None
    line = loc.line(key)
    return Board(
        name=name, arch=arch, cpu=cpu,
        rust_target=tc.get("rust_target", arch.rust_target),
        clang_target=tc.get("clang_target", arch.clang_target),
        clang_flags=tc.get("clang_flags", arch.clang_flags),
        picolibc_multilib=tc.get("picolibc_multilib", arch.picolibc_multilib),
        gcc_flags=tc.get("gcc_flags", arch.gcc_flags),
        qemu=qemu, memory=memory, boot_blob=blob, kernel=kernel, **devices,
        source=f"{loc.file}:{line}" if line else loc.file,
    )


def parse(text: str, path: Path) -> BoardTable:
    """The table in `text` (read from `path`, named in messages). Raises InputError."""
    file = display(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        # tomllib ends its messages with "(at line L, column C)"
        m = re.search(r"\s*\(at line (\d+), column (\d+)\)$", str(e))
        msg = str(e)[:m.start()] if m else str(e)
        line, col = (int(m[1]), int(m[2])) if m else (None, None)
        raise InputError(located(file, line, col, f"not valid TOML: {msg}")) from None
    loc = _Located(path, text)
    top = _Reader(loc, (), data, "the board table")
    raw_arches = top.get("arches", "table") or {}
    raw_boards = top.get("boards", "table") or {}
    top.done()
    arches: dict[str, Arch] = {}
    bad_arches: set[str] = set()
    for name, d in raw_arches.items():
        a = _arch(loc, name, d)
        if a is None:
            bad_arches.add(name)
        else:
            arches[name] = a
    boards: dict[str, Board] = {}
    for name, d in raw_boards.items():
        b = _board(loc, name, d, arches, bad_arches)
        if b is not None:
            boards[name] = b
    if not raw_boards and top.ok:
        loc.err(("boards",), "no boards defined")
    if loc.diags:
        raise InputError(loc.diags)
    return BoardTable(Path(path), arches, boards)


def load_file(path: Path) -> BoardTable:
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as e:
        raise InputError(located(display(path), None, None,
                                 f"cannot read the board table ({e.strerror})")) from None
    return parse(text, path)


@cache
def load() -> BoardTable:
    """The repository's board table (kernel/boards.toml), read once."""
    return load_file(source(TABLE))


# ---------------------------------------------------------------------------------------------
# Generated files. Deterministic: the same table gives the same bytes.


def _hex(v: int) -> str:
    """0x2100_0000: 4-digit groups, at least 8 digits."""
    digits = f"{v:x}"
    digits = digits.zfill(max(8, -(-len(digits) // 4) * 4))
    return "0x" + "_".join(digits[i:i + 4] for i in range(0, len(digits), 4))


def _rust_int(v: int, rust_type: str) -> str:
    return f"{v:_}" if rust_type == "u64" or rust_type == "u32" else _hex(v)


def _source_name(table: Path | None) -> str:
    return display(table) if table is not None else TABLE


def render_rust(board: Board, table: Path | None = None) -> str:
    """`crate::board`: the board's constants for the kernel (mounted by the kernel build)."""
    src = _source_name(table)
    lines = [
        f"// @generated by {GENERATOR}",
        f"// from {src}, board {board.name}. Do not edit: change the table; the kernel build",
        "// regenerates this file.",
        f"//! Board {board.name} ({board.cpu}, arch {board.arch.name}): the constants "
        f"{board.arch.kernel_source} uses.",
        "#![allow(dead_code)]",
        "",
        f'pub const NAME: &str = "{board.name}";',
        f'pub const CPU: &str = "{board.cpu}";',
        "/// Where the host loads the boot blob (argv, env, stdin, initial files); see `boot.rs`.",
        f"pub const BOOT_BLOB: usize = {_hex(board.boot_blob.origin)};",
        f"pub const BOOT_BLOB_MAX: usize = {_hex(board.boot_blob.max)};",
        "/// The blob region past a call's blob holds file data (heap.rs `pool_init`).",
        f"pub const BOOT_BLOB_FILE_POOL: bool = {str(board.boot_blob.file_pool).lower()};",
        "/// The kernel stack and heap (also in the linker script: KSTACK_SIZE, KHEAP_SIZE).",
        f"pub const KSTACK_SIZE: usize = {_hex(board.kernel.stack)};",
        f"pub const KHEAP_SIZE: usize = {_hex(board.kernel.heap)};",
    ]
    for what, dev in board.devices():
        lines.append(f"/// {what}: {dev.kind}")
        lines.append(f'pub const {what.upper()}_KIND: &str = "{dev.kind}";')
        for p, v in dev.params:
            t = PARAM_TYPES.get(p, "usize")
            lines.append(f"pub const {what.upper()}_{p.upper()}: {t} = {_rust_int(v, t)};")
    lines.append("/// Linker memory regions (origin, length).")
    for reg in board.memory:
        lines.append(f"pub const {reg.name}_REGION: (usize, usize) = "
                     f"({_hex(reg.origin)}, {_hex(reg.length)});")
    return "\n".join(lines) + "\n"


def render_linker_script(board: Board, common: str | None = None,
                         table: Path | None = None) -> str:
    """The board's linker script: its MEMORY regions and kernel sizes from the table, then
    the shared layout (kernel/link/common.ld.in, given as `common` or read)."""
    if common is None:
        common = source(COMMON_LD).read_text()
    src = _source_name(table)
    width = max(len(r.name) for r in board.memory)
    out = [
        f"/* @generated by {GENERATOR}",
        f" * from {src}, board {board.name}, and {COMMON_LD}.",
        " * Do not edit: change the table; the kernel build regenerates this file. */",
        "MEMORY",
        "{",
    ]
    for r in board.memory:
        out.append(f"  {r.name:<{width}} ({r.attributes}) : ORIGIN = {r.origin:#010x}, "
                   f"LENGTH = {r.length:#010x}")
    out += [
        "}",
        f"/* boot blob (outside every region): {board.boot_blob.origin:#010x}, at most "
        f"{board.boot_blob.max:#x} bytes */",
        f"KSTACK_SIZE = {board.kernel.stack:#x};",
        f"KHEAP_SIZE = {board.kernel.heap:#x};",
        f"ENTRY({board.kernel.entry})",
    ]
    if any(r.name == VECTORS_REGION for r in board.memory):
        # A SECTIONS command before the shared one: the vector table's input sections are taken
        # here, so the shared layout's KEEP(*(.vectors)) in .text finds none.
        out += [f"SECTIONS {{ .vectors : {{ KEEP(*(.vectors)) }} > {VECTORS_REGION} }}"]
    out += [
        f"/* {COMMON_LD} */",
        common.rstrip("\n"),
    ]
    return "\n".join(out) + "\n"

"""Raw declarations -> validated `SyscallTable`. Every problem is collected and reported at once."""

from __future__ import annotations

import difflib
from functools import cache
from pathlib import Path

from bkport.errors import Diagnostic, InputError, Location
from bkport.paths import display, source
from bkport.syscalls.errno import ERRNO
from bkport.syscalls.lock import check_lock, read_lock
from bkport.syscalls.model import (
    Direction,
    Gate,
    Param,
    Status,
    StatusKind,
    StructDef,
    StructField,
    Syscall,
    SyscallTable,
)
from bkport.syscalls.parser import RawFile, RawParam, RawSyscall, parse_text
from bkport.syscalls.types import POINTEES_ONLY, RETURN_TYPES, SCALARS
from bkport.toolchain.targets import ARCHES

MAX_ARG_WORDS = 6
_SINGLE_ATTRS = ("gate", "status", "arch", "doc", "errors", "posix")


def default_table_dir() -> Path:
    return source("syscalls/table")


def default_lock() -> Path:
    return source("syscalls/abi.lock")


@cache
def known_posix_interfaces() -> frozenset[str]:
    """Interface names of the POSIX list shipped with bkport (porter/posixspec/data)."""
    from bkport.posixspec.interfaces import read_interfaces

    return frozenset(row["interface"] for row in read_interfaces())


def _suggest(name: str, choices) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def table_files(path: Path | None) -> list[Path]:
    path = Path(path) if path else default_table_dir()
    if path.is_dir():
        files = sorted(path.glob("*.bksys"))
        if not files:
            raise InputError(Diagnostic(Location(str(path)), "no *.bksys table files here"))
        return files
    if not path.exists():
        raise InputError(Diagnostic(Location(str(path)), "table file or directory not found"))
    return [path]


def _display(path: Path) -> str:
    """Paths inside the checkout are shown relative to it, so outputs do not depend on where
    the checkout lives."""
    return display(path)


def parse_all(path: Path | None) -> tuple[list[RawFile], list[Diagnostic]]:
    raws: list[RawFile] = []
    diags: list[Diagnostic] = []
    for f in table_files(path):
        raw, errs = parse_text(f.read_text(), _display(f))
        raws.append(raw)
        diags += errs
    return raws, diags


def parse_files(path: Path | None = None) -> list[RawFile]:
    """The table's files (default: syscalls/table/), parsed; syntax problems raise InputError."""
    raws, diags = parse_all(path)
    if diags:
        raise InputError(diags)
    return raws


def build_table(raws: list[RawFile], path: Path | None = None, lock: Path | None = None,
                diags: list[Diagnostic] | None = None, locked: bool = True) -> SyscallTable:
    """Parsed files -> the checked table. The lock is `lock`, else syscalls/abi.lock when the
    files are the default table (`path` None), else none; `locked=False` checks no lock (a
    table with proposals). `diags`: problems found before (the parse's), reported with the
    checks' own, all at once."""
    diags = list(diags or [])
    table, errs = _build(raws, [r.path for r in raws])
    diags += errs
    lock_path = Path(lock) if lock else (default_lock() if path is None else None)
    if locked and lock_path is not None and table is not None:
        diags += check_lock(list(table.calls), read_lock(lock_path))
    if diags:
        raise InputError(diags)
    assert table is not None
    return table


def load_table(path: Path | None = None, lock: Path | None = None) -> SyscallTable:
    raws, diags = parse_all(path)
    return build_table(raws, path, lock, diags)


class _Builder:
    def __init__(self) -> None:
        self.diags: list[Diagnostic] = []

    def err(self, loc: Location, msg: str) -> None:
        self.diags.append(Diagnostic(loc, msg))


def _build(raws: list[RawFile], sources: list[str]) -> tuple[SyscallTable | None, list]:
    b = _Builder()
    abis = [a for r in raws for a in r.abi]
    if not abis:
        b.err(Location(sources[0], 1, 1), "missing 'abi NAME VERSION;' declaration")
    for extra in abis[1:]:
        b.err(extra[2], f"second abi declaration (first at {abis[0][2]})")
    version = abis[0][1] if abis else 0

    gates: dict[str, Gate] = {}
    for name, doc, loc in (g for r in raws for g in r.gates):
        if name in gates:
            b.err(loc, f"gate {name!r} declared twice")
        gates[name] = Gate(name, doc)

    structs: dict[str, StructDef] = {}
    for s in (s for r in raws for s in r.structs):
        if s.name in structs:
            b.err(s.loc, f"struct {s.name!r} declared twice (first at {structs[s.name].loc})")
            continue
        fields = []
        for fname, ftype, floc in s.fields:
            if ftype not in SCALARS:
                b.err(floc, f"unknown field type {ftype!r}: struct fields are scalars "
                            f"({', '.join(sorted(SCALARS))}){_suggest(ftype, SCALARS)}")
            fields.append(StructField(fname, ftype))
        structs[s.name] = StructDef(s.name, tuple(fields), s.loc, s.external)

    calls: list[Syscall] = []
    seen: dict[str, dict] = {"number": {}, "variant": {}, "name": {}}
    for rc in (c for r in raws for c in r.syscalls):
        for key in ("number", "variant", "name"):
            value = getattr(rc, key)
            if value in seen[key]:
                b.err(rc.loc, f"duplicate syscall {key} {value!r} (first at {seen[key][value]})")
            else:
                seen[key][value] = rc.loc
        call = _syscall(b, rc, gates, structs)
        if call is not None:
            calls.append(call)

    calls.sort(key=lambda c: c.number)
    numbers = {c.number for c in calls}
    if calls:
        missing = [n for n in range(max(numbers) + 1) if n not in numbers]
        if missing:
            b.err(Location(sources[-1]), (
                f"numbers {missing} are missing: numbers are dense and permanent; "
                f"a removed call stays as a tombstone with 'status retired;'"))
    table = SyscallTable(version, gates, structs, tuple(calls), tuple(sources))
    return (table if not b.diags else table), b.diags


def _syscall(b: _Builder, rc: RawSyscall, gates, structs) -> Syscall | None:
    attrs: dict[str, list[str]] = {}
    for key, uses in rc.attrs.items():
        if len(uses) > 1:
            b.err(uses[1][1], f"{key!r} given twice in {rc.variant}")
        attrs[key] = uses[0][0]
    loc_of = {k: v[0][1] for k, v in rc.attrs.items()}

    params = _params(b, rc, structs)
    if rc.returns not in RETURN_TYPES:
        b.err(rc.loc, f"{rc.variant}: unknown return type {rc.returns!r}; expected one of "
                      f"{', '.join(RETURN_TYPES)}{_suggest(rc.returns, RETURN_TYPES)}")

    gate = None
    if "gate" in attrs:
        gate = attrs["gate"][0]
        if gate not in gates:
            b.err(loc_of["gate"], f"unknown gate {gate!r}{_suggest(gate, gates)}; "
                                  f"declared gates: {', '.join(sorted(gates)) or 'none'}")

    status = _status(b, rc, attrs.get("status"), loc_of.get("status", rc.loc))

    errors = tuple(attrs.get("errors", ()))
    for e in errors:
        if e not in ERRNO:
            b.err(loc_of["errors"], f"unknown errno {e!r}{_suggest(e, ERRNO)}")
    if len(set(errors)) != len(errors):
        b.err(loc_of["errors"], f"{rc.variant}: an errno is listed twice")

    arches = tuple(attrs.get("arch", ["all"]))
    if arches == ("all",):
        arches = tuple(ARCHES)
    for a in arches:
        if a not in ARCHES:
            b.err(loc_of["arch"], f"unknown architecture {a!r}{_suggest(a, ARCHES)}; "
                                  f"expected 'all' or some of {', '.join(ARCHES)}")
    arches = tuple(a for a in ARCHES if a in arches)

    posix = tuple(attrs.get("posix", ()))
    known = known_posix_interfaces()
    for p in posix:
        if known and p not in known:
            b.err(loc_of["posix"], f"{p!r} is not a POSIX interface{_suggest(p, known)}")

    doc = (attrs.get("doc") or [""])[0]
    if not doc:
        b.err(rc.loc, f"{rc.variant}: missing 'doc \"...\";' (one line saying what it does)")

    for arch in arches:
        words = _arg_words(params, ARCHES[arch].word_bits, arch == "cortex-m")
        if words > MAX_ARG_WORDS:
            b.err(rc.loc, f"{rc.variant} needs {words} argument words on {arch}; "
                          f"the ABI passes at most {MAX_ARG_WORDS}")
    if status is None:
        return None
    return Syscall(rc.number, rc.variant, rc.name, tuple(params), rc.returns, errors, gate,
                   arches, status, posix, doc, rc.loc)


def _arg_words(params: list[Param], word_bits: int, pair_align: bool) -> int:
    """Registers used; on 32-bit Arm a 64-bit value takes an even-numbered register pair."""
    words = 0
    for p in params:
        n = 1 if p.is_pointer else SCALARS[p.type].words(word_bits)
        if n == 2 and pair_align and words % 2:
            words += 1
        words += n
    return words


def _params(b: _Builder, rc: RawSyscall, structs) -> list[Param]:
    out: list[Param] = []
    names: set[str] = set()
    for rp in rc.params:
        if rp.name in names:
            b.err(rp.loc, f"{rc.variant}: parameter {rp.name!r} declared twice")
        names.add(rp.name)
        p = _param(b, rc, rp, structs)
        if p is not None:
            out.append(p)
    by_name = {p.name: p for p in out}
    for p in out:
        if p.length is None:
            continue
        target = by_name.get(p.length)
        if target is None or target is p or target.is_pointer:
            b.err(p.loc, f"@len({p.length}) must name another integer parameter of "
                         f"{rc.variant}{_suggest(p.length, [q.name for q in out if q is not p])}")
    return out


def _param(b: _Builder, rc: RawSyscall, rp: RawParam, structs) -> Param | None:
    if rp.kind == "named":
        if rp.type == "cstr":
            return Param(rp.name, "cstr", "char", Direction.IN, rp.nullable, rp.length, rp.loc)
        if rp.type in SCALARS:
            if rp.nullable or rp.length:
                b.err(rp.loc, f"{rp.name}: '?' and @len apply to pointers only")
            return Param(rp.name, rp.type, loc=rp.loc)
        if rp.type in structs or rp.type in POINTEES_ONLY:
            b.err(rp.loc, f"{rp.name}: {rp.type!r} can only be passed by pointer "
                          f"(e.g. 'in ptr<{rp.type}>')")
        else:
            b.err(rp.loc, f"unknown type {rp.type!r} for {rp.name}"
                          f"{_suggest(rp.type, list(SCALARS) + ['cstr'])}")
        return None
    try:
        direction = Direction(rp.direction)
    except ValueError:
        b.err(rp.loc, f"{rp.name}: pointer direction must be in, out or inout, "
                      f"found {rp.direction!r}")
        return None
    if rp.type not in SCALARS and rp.type not in POINTEES_ONLY and rp.type not in structs:
        choices = list(SCALARS) + list(POINTEES_ONLY) + list(structs)
        b.err(rp.loc, f"unknown pointee type {rp.type!r} for {rp.name}"
                      f"{_suggest(rp.type, choices)}; declare it with 'struct {rp.type};'")
        return None
    return Param(rp.name, "ptr", rp.type, direction, rp.nullable, rp.length, rp.loc)


def _status(b: _Builder, rc: RawSyscall, values: list[str] | None, loc: Location) -> Status | None:
    if not values:
        b.err(rc.loc, f"{rc.variant}: missing 'status ...;' (full, partial \"note\", "
                      f"stub ERRNO, fake, unsupported, proposed or retired)")
        return None
    kind_name, *arg = values
    try:
        kind = StatusKind(kind_name)
    except ValueError:
        kinds = [k.value for k in StatusKind]
        b.err(loc, f"unknown status {kind_name!r}{_suggest(kind_name, kinds)}")
        return None
    if kind is StatusKind.PARTIAL:
        if not arg or not arg[0].strip():
            b.err(loc, "status partial needs a note saying what is missing: partial \"...\"")
            return None
        return Status(kind, note=arg[0])
    if kind is StatusKind.STUB:
        errno = arg[0] if arg else None
        if errno not in ERRNO:
            b.err(loc, f"status stub needs the errno it answers, e.g. 'stub ENOSYS'"
                       f"{_suggest(errno or '', ERRNO)}")
            return None
        return Status(kind, errno=errno)
    if arg:
        b.err(loc, f"status {kind_name} takes no argument")
    return Status(kind)

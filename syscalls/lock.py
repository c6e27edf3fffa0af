"""The ABI lock: every released syscall number, append-only.

Format (one call per line, `#` comments):  NUMBER VARIANT NAME RELEASE
The table compiler refuses a table that renumbers, reuses or removes a locked call. A retired call
stays in the table with `status retired;` and keeps answering -ENOSYS.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bkport.errors import Diagnostic, InputError, Location, located
from bkport.syscalls.model import StatusKind, Syscall

HEADER = """\
# bkport ABI lock: every released BlueKernel syscall number. Append-only.
# Written by `bkport syscalls lock --release VERSION`; checked by `bkport syscalls check`.
# A locked number is never renumbered, reused or removed (retire it: `status retired;`).
# number variant name release
"""


@dataclass(frozen=True)
class LockEntry:
    number: int
    variant: str
    name: str
    release: str
    loc: Location


def read_lock(path: Path) -> list[LockEntry]:
    entries: list[LockEntry] = []
    errors: list[Diagnostic] = []
    if not path.exists():
        return entries
    for i, line in enumerate(path.read_text().splitlines(), 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        parts = text.split()
        if len(parts) != 4 or not parts[0].isdigit():
            errors.append(located(path, i, 1, "expected 'NUMBER VARIANT NAME RELEASE'"))
            continue
        entries.append(LockEntry(int(parts[0]), parts[1], parts[2], parts[3],
                                 Location(str(path), i, 1)))
    if errors:
        raise InputError(errors)
    return entries


def check_lock(calls: list[Syscall], entries: list[LockEntry]) -> list[Diagnostic]:
    by_number = {c.number: c for c in calls}
    by_variant = {c.variant: c for c in calls}
    problems: list[Diagnostic] = []
    for e in entries:
        call = by_number.get(e.number)
        moved = by_variant.get(e.variant)
        if moved is not None and moved.number != e.number:
            problems.append(Diagnostic(moved.loc, (
                f"{e.variant} is locked at number {e.number} ({e.loc}) but declared as "
                f"{moved.number}: released numbers are permanent")))
        elif call is None:
            problems.append(Diagnostic(e.loc, (
                f"locked call {e.number} {e.variant} was removed from the table: keep it as a "
                f"tombstone with 'status retired;'")))
        elif call.variant != e.variant:
            problems.append(Diagnostic(call.loc, (
                f"number {e.number} is locked to {e.variant} ({e.loc}); reusing it for "
                f"{call.variant} is refused: append new calls after the last number")))
        elif call.name != e.name:
            problems.append(Diagnostic(call.loc, (
                f"{e.variant} is locked with handler name {e.name!r}, declared {call.name!r}")))
        elif call.status.kind is StatusKind.PROPOSED:
            problems.append(Diagnostic(call.loc, (
                f"{e.variant} was released in {e.release}; it cannot go back to 'proposed'")))
    return problems


def render_lock(existing: list[LockEntry], calls: list[Syscall], release: str) -> str:
    """The lock with every non-proposed call not yet locked appended under `release`."""
    locked = {e.number for e in existing}
    lines = [HEADER]
    rows = [(e.number, e.variant, e.name, e.release) for e in existing]
    rows += [(c.number, c.variant, c.name, release) for c in calls
             if c.number not in locked and c.status.kind is not StatusKind.PROPOSED]
    width = max((len(r[1]) for r in rows), default=8)
    nwidth = max((len(r[2]) for r in rows), default=8)
    lines += [f"{n:<4} {v:<{width}} {name:<{nwidth}} {rel}\n" for n, v, name, rel in rows]
    return "".join(lines)

"""Compare the table with a BlueKernel checkout and report drift.

Reads `header/src/lib.rs` (the `enum NR` declaration order gives upstream's numbers) and
`kernel/src/syscall_handlers/mod.rs` (the `syscall_table!` pairs and `define_syscall_handler!`
signatures). Only the shape is compared: numbers, variants, handler names, argument counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bkport.errors import Diagnostic, InputError, Location
from bkport.syscalls.model import StatusKind, SyscallTable

HEADER = Path("header/src/lib.rs")
HANDLERS = Path("kernel/src/syscall_handlers/mod.rs")


@dataclass(frozen=True)
class Drift:
    kind: str  # number | missing-in-table | missing-upstream | handler | arity | no-handler
    variant: str
    message: str


@dataclass
class Upstream:
    variants: list[str]  # declaration order = number
    handlers: dict[str, str] = field(default_factory=dict)  # variant -> handler module
    arity: dict[str, int] = field(default_factory=dict)  # handler -> argument count


def _strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def _block(text: str, start: int) -> str:
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1:i]
    raise ValueError("unbalanced braces")


def parse_enum_nr(path: Path) -> list[str]:
    text = _strip_comments(path.read_text())
    m = re.search(r"\benum\s+NR\s*\{", text)
    if not m:
        raise InputError(Diagnostic(Location(str(path)), "no `enum NR { ... }` found"))
    body = re.sub(r"#\[[^\]]*\]", "", _block(text, m.end() - 1))
    variants: list[str] = []
    for entry in body.split(","):
        entry = entry.strip()
        if not entry:
            continue
        name, _, value = (s.strip() for s in entry.partition("="))
        if value:
            n = int(value, 0)
            if n != len(variants):
                line = text[:m.end()].count("\n") + 1
                raise InputError(Diagnostic(Location(str(path), line), (
                    f"{name} = {n} breaks declaration order (expected {len(variants)})")))
        variants.append(name)
    return variants


def parse_handlers(path: Path) -> tuple[dict[str, str], dict[str, int]]:
    text = _strip_comments(path.read_text())
    handlers: dict[str, str] = {}
    m = re.search(r"\bsyscall_table!\s*\{", text)
    if m:
        for v, h in re.findall(r"\(\s*(\w+)\s*,\s*(\w+)\s*\)", _block(text, m.end() - 1)):
            handlers[v] = h
    arity: dict[str, int] = {}
    for name, args in re.findall(r"define_syscall_handler!\s*\(\s*(\w+)\s*\(([^)]*)\)", text):
        arity[name] = len([a for a in args.split(",") if ":" in a])
    return handlers, arity


def read_checkout(root: Path) -> Upstream:
    header, handlers_rs = root / HEADER, root / HANDLERS
    missing = [str(p) for p in (header, handlers_rs) if not p.exists()]
    if missing:
        raise InputError([Diagnostic(Location(p), "not found: is this a BlueKernel checkout?")
                          for p in missing])
    handlers, arity = parse_handlers(handlers_rs)
    return Upstream(parse_enum_nr(header), handlers, arity)


def diff(table: SyscallTable, up: Upstream) -> list[Drift]:
    out: list[Drift] = []
    upstream_number = {v: i for i, v in enumerate(up.variants) if v != "LastNR"}
    for c in table.calls:
        n = upstream_number.get(c.variant)
        if n is None:
            if c.status.kind is not StatusKind.PROPOSED and c.number < len(up.variants):
                out.append(Drift("missing-upstream", c.variant, (
                    f"{c.variant} ({c.number}) is in the table but not in upstream NR")))
            continue
        if n != c.number:
            out.append(Drift("number", c.variant,
                             f"{c.variant} is {c.number} in the table, {n} upstream"))
        handler = up.handlers.get(c.variant)
        if handler is None:
            out.append(Drift("no-handler", c.variant,
                             f"{c.variant} has no handler upstream (dispatch answers usize::MAX)"))
        elif handler != c.name:
            out.append(Drift("handler", c.variant, (
                f"{c.variant} is handled by {handler!r} upstream, {c.name!r} in the table")))
        elif handler in up.arity and up.arity[handler] != len(c.params):
            out.append(Drift("arity", c.variant, (
                f"{handler} takes {up.arity[handler]} arguments upstream, "
                f"{len(c.params)} in the table")))
    known = {c.variant for c in table.calls}
    for v, n in upstream_number.items():
        if v not in known:
            out.append(Drift("missing-in-table", v, f"upstream {v} ({n}) is not in the table"))
    return out

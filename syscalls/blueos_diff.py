"""Compare the table with BlueKernel and report drift: a checkout, or the shipped snapshot.

A checkout is read by `bkport.blueos.importer.read_kernel` (the one Rust reader): the header
crate's `enum NR` (declaration order gives upstream's numbers), the `syscall_table!` pairs and
the `define_syscall_handler!` signatures. Only the shape is compared: numbers, variants, handler
names, argument counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bkport.blueos.facts import KernelCall
from bkport.blueos.importer import SENTINEL, read_kernel, split_args
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


def from_calls(calls: Iterable[KernelCall]) -> Upstream:
    """The shape of BlueKernel's calls, from the snapshot or from `read_kernel`."""
    calls = list(calls)
    up = Upstream([c.variant for c in calls])
    for c in calls:
        if c.variant == SENTINEL or not c.handler:
            continue
        up.handlers[c.variant] = c.handler
        if c.returns:  # a signature is known
            up.arity[c.handler] = len(split_args(c.args))
    return up


def read_checkout(root: Path) -> Upstream:
    """A BlueKernel checkout, read by the snapshot importer's parser."""
    return from_calls(read_kernel(root).calls)


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

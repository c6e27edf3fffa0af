"""docs/syscalls.md, generated only from the table so totals and statuses cannot drift."""

from __future__ import annotations

from collections import Counter

from bkport.syscalls.gen.common import banner, env
from bkport.syscalls.model import StatusKind, SyscallTable

GENERATOR = "syscalls/gen/docs.py"


def render(table: SyscallTable) -> str:
    totals = Counter(c.status.kind for c in table.calls)
    gates = Counter(c.gate or "(always)" for c in table.calls)
    return env().get_template("syscalls.md.j2").render(
        banner=banner(table, GENERATOR, ""),
        table=table,
        totals=[(k.value, totals.get(k, 0)) for k in StatusKind],
        gates=sorted(gates.items()),
        all_arches=set(),
    )

"""The table as JSON, schema `bkport.syscalls/1` (docs/schemas/syscalls-1.schema.json)."""

from __future__ import annotations

import json
from typing import Any

from bkport.syscalls.errno import ERRNO
from bkport.syscalls.gen.common import layout, sources
from bkport.syscalls.model import Syscall, SyscallTable
from bkport.toolchain.targets import ARCHES

SCHEMA = "bkport.syscalls/1"


def call_json(c: Syscall) -> dict[str, Any]:
    words = {a: [list(s.words) for s in layout(c, a)] for a in c.arches}
    return {
        "number": c.number,
        "variant": c.variant,
        "name": c.name,
        "signature": c.signature(),
        "params": [
            {
                "name": p.name,
                "type": p.type,
                "pointee": p.pointee,
                "direction": p.direction.value if p.direction else None,
                "nullable": p.nullable,
                "length": p.length,
                "words": {a: list(words[a][i]) for a in c.arches},
            }
            for i, p in enumerate(c.params)
        ],
        "returns": c.returns,
        "errors": [{"name": e, "value": ERRNO[e]} for e in c.errors],
        "gate": c.gate,
        "arches": list(c.arches),
        "status": {"kind": c.status.kind.value, "note": c.status.note, "errno": c.status.errno},
        "posix": list(c.posix),
        "doc": c.doc,
        "source": str(c.loc),
    }


def to_data(table: SyscallTable, calls: list[Syscall] | None = None) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "generator": "bkport syscalls (syscalls/gen/json_export.py)",
        "sources": sources(table),
        "abi_version": table.abi_version,
        "arches": list(ARCHES),
        "gates": {g.name: g.doc for g in table.gates.values()},
        "structs": {
            s.name: {"external": s.external,
                     "fields": [{"name": f.name, "type": f.type} for f in s.fields]}
            for s in table.structs.values()
        },
        "calls": [call_json(c) for c in (table.calls if calls is None else calls)],
    }


def render(table: SyscallTable) -> str:
    return json.dumps(to_data(table), indent=2, sort_keys=False) + "\n"

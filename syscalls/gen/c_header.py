"""User side in C: `<bk/syscall.h>` with numbers, raw traps and typed wrappers per call.

Wrappers are named `bk_<name>` so the POSIX layer can define the POSIX names over them. They follow
the ABI rule: a result in [-4095, -1] sets errno and returns -1.
"""

from __future__ import annotations

from dataclasses import dataclass

from bkport.syscalls.gen.common import C_RETURN, banner, c_type, env, layout
from bkport.syscalls.model import Syscall, SyscallTable
from bkport.syscalls.types import SCALARS

GENERATOR = "syscalls/gen/c_header.py"

REGS = {
    "cortex-m": {"nr": "r6", "args": ["r0", "r1", "r2", "r3", "r4", "r5"],
                 # r7 (the syscall number register) is Thumb's frame pointer: swap it around svc.
                 "asm": "push {r7}\\n\\tmov r7, r6\\n\\tsvc 0\\n\\tpop {r7}"},
    "aarch64": {"nr": "x8", "args": ["x0", "x1", "x2", "x3", "x4", "x5"], "asm": "svc 0"},
    "riscv64": {"nr": "a7", "args": ["a0", "a1", "a2", "a3", "a4", "a5"], "asm": "ecall"},
}


@dataclass(frozen=True)
class CWrapper:
    call: Syscall
    ret: str
    params: str
    words: list[str]


def _words(call: Syscall, arch: str) -> list[str]:
    out: list[str] = []
    for slot in layout(call, arch):
        while len(out) < slot.words[0]:
            out.append("0")  # padding before an even register pair
        name = slot.param.name
        if len(slot.words) == 2:
            out.append(f"(long)(unsigned long)(uint32_t)(uint64_t){name}")
            out.append(f"(long)(unsigned long)(uint32_t)((uint64_t){name} >> 32)")
        else:
            out.append(f"(long){name}")
    return out


def wrapper(call: Syscall, arch: str, table: SyscallTable) -> CWrapper:
    params = ", ".join(f"{c_type(p, table)}{'' if c_type(p, table).endswith('*') else ' '}"
                       f"{p.name}" for p in call.params) or "void"
    return CWrapper(call, C_RETURN[call.returns], params, _words(call, arch))


def render(table: SyscallTable, arch: str) -> str:
    own_structs = [(s.name, [(f.name, SCALARS[f.type].c) for f in s.fields])
                   for s in table.structs.values() if not s.external and s.fields]
    return env().get_template("user_syscall.h.j2").render(
        banner=banner(table, GENERATOR, " *"), arch=arch, abi_version=table.abi_version,
        regs=REGS[arch],
        calls=[wrapper(c, arch, table) for c in table.calls if c.on(arch)],
        all_calls=table.calls, count=table.count,
        structs=sorted(table.structs), own_structs=own_structs,
    )

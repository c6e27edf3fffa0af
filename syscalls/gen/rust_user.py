"""User side in Rust: the `NR` numbers and BlueKernel's `bk_syscall!` over the arch's trap.

Mount at the crate root as `mod bk_syscall;` and call `bk_syscall!(Write, fd, buf, len)`: the
result is the raw word (a value in [-4095, -1] is -errno).
"""

from __future__ import annotations

from bkport.syscalls.gen.common import banner, env
from bkport.syscalls.model import SyscallTable

GENERATOR = "syscalls/gen/rust_user.py"

# The trap, the number register and argument registers, per architecture (docs/abi.md).
TRAPS = {
    "cortex-m": {"insn": "svc 0", "args": ["r0", "r1", "r2", "r3", "r4", "r5"]},
    "aarch64": {"insn": "svc 0", "nr": "x8", "args": ["x0", "x1", "x2", "x3", "x4", "x5"]},
    "riscv64": {"insn": "ecall", "nr": "a7", "args": ["a0", "a1", "a2", "a3", "a4", "a5"]},
}


def render(table: SyscallTable, arch: str) -> str:
    return env().get_template("user_bk_syscall.rs.j2").render(
        banner=banner(table, GENERATOR, "//"), arch=arch, trap=TRAPS[arch],
        calls=table.calls, count=table.count,
    )

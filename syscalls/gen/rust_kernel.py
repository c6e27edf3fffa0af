"""Kernel side, per architecture, in BlueKernel's idiom: `NR`, `Context`, `dispatch_syscall`,
`define_syscall_handler!`, generated errno stubs, and user-pointer checks from the directions.

Two files: `syscall_table.rs` (mount it at the crate root as `mod syscall_table`) and
`stub_handlers.rs` (`mod stub_handlers`): one module per call with a `handle` that answers -ENOSYS,
for kernels that do not implement a call yet. The kernel provides `crate::uaccess::check_user` and
`crate::syscall_handlers::<name>::handle` for every call whose status is full, partial or proposed.
"""

from __future__ import annotations

from dataclasses import dataclass

from bkport.syscalls.errno import ERRNO
from bkport.syscalls.gen.common import (
    RUST_RETURN,
    banner,
    env,
    is_signed_return,
    layout,
    rust_pointee,
    rust_type,
)
from bkport.syscalls.model import Direction, StatusKind, Syscall, SyscallTable
from bkport.syscalls.types import RUST_ALIASES, SCALARS

GENERATOR = "syscalls/gen/rust_kernel.py"
HANDLED = (StatusKind.FULL, StatusKind.PARTIAL, StatusKind.PROPOSED)


@dataclass(frozen=True)
class Decode:
    name: str
    type: str
    expr: str


@dataclass(frozen=True)
class Check:
    name: str
    length: str
    write: bool
    nullable: bool


@dataclass(frozen=True)
class CallView:
    call: Syscall
    kind: str  # "handler" | "errno" | "fake"
    errno: str | None
    decodes: list[Decode]
    checks: list[Check]
    ret: str
    ret_cast: str
    params: str  # typed parameter list for stub handlers


def _decode_expr(words: tuple[int, ...], rust: str) -> str:
    if len(words) == 1:
        return f"ctx.args[{words[0]}] as {rust}"
    lo, hi = words
    return f"((ctx.args[{lo}] as u64) | ((ctx.args[{hi}] as u64) << 32)) as {rust}"


def _check(p, by_name) -> Check:
    if p.type == "cstr":
        length = "1"
    else:
        elem = f"core::mem::size_of::<{rust_pointee(p.pointee)}>()"
        if p.length:
            length = f"({p.length} as usize).saturating_mul({elem}.max(1))"
        else:
            length = f"{elem}.max(1)"
    return Check(p.name, length, p.direction in (Direction.OUT, Direction.INOUT), p.nullable)


def view(call: Syscall, arch: str) -> CallView:
    decodes = [Decode(s.param.name, rust_type(s.param), _decode_expr(s.words, rust_type(s.param)))
               for s in layout(call, arch)]
    by_name = {p.name: p for p in call.params}
    checks = [_check(p, by_name) for p in call.params if p.is_pointer]
    kind, errno = "handler", None
    if not call.on(arch) or call.status.kind in (StatusKind.UNSUPPORTED, StatusKind.RETIRED):
        kind, errno = "errno", "ENOSYS"
    elif call.status.kind is StatusKind.STUB:
        kind, errno = "errno", call.status.errno
    elif call.status.kind is StatusKind.FAKE:
        kind = "fake"
    ret = RUST_RETURN[call.returns]
    cast = " as isize as usize" if is_signed_return(call) else " as usize"
    params = ", ".join(f"{p.name}: {rust_type(p)}" for p in call.params)
    return CallView(call, kind, errno, decodes, checks, ret, cast, params)


def _structs(table: SyscallTable) -> list[tuple[str, list[tuple[str, str]]]]:
    return [(s.name, [(f.name, SCALARS[f.type].rust) for f in s.fields])
            for s in table.structs.values()]


def render_table(table: SyscallTable, arch: str) -> str:
    return env().get_template("kernel_syscall_table.rs.j2").render(
        banner=banner(table, GENERATOR, "//"),
        arch=arch,
        aliases=RUST_ALIASES,
        errnos=sorted(ERRNO.items(), key=lambda kv: (kv[1], kv[0])),
        structs=_structs(table),
        calls=[view(c, arch) for c in table.calls],
        count=table.count,
        handled=HANDLED,
    )


def render_stubs(table: SyscallTable, arch: str) -> str:
    return env().get_template("kernel_stub_handlers.rs.j2").render(
        banner=banner(table, GENERATOR, "//"),
        arch=arch,
        calls=[view(c, arch) for c in table.calls],
    )

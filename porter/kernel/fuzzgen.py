"""Generate the kernel fuzz app from the syscall table.

The table knows every parameter's type, direction, nullability and length relation, so each
call's argument generator is derived from it: lengths first (so pointers get room for them),
pointers into the fuzz arena sized for their pointee, paths for `cstr`, descriptors for
descriptor-named ints. A few calls need a rule the table cannot express (they block, end the
run, or take a structure whose fields must be coherent); those rules live in OVERRIDES, by name.
The runtime (random values, arena, bad-pointer injection, checks) is kernel/apps/fuzz/runtime.rs.
"""

from __future__ import annotations

from pathlib import Path

from bkport.fsutil import write_if_changed
from bkport.paths import source
from bkport.syscalls.model import Direction, Param, StatusKind, Syscall, SyscallTable

# Never fuzzed: they end the run or the calling thread by design.
SKIP = {"exit_process": "ends the run", "exit_thread": "ends the fuzzing thread",
        # A read of an empty pipe (or a write to a full one) waits for another thread with no
        # deadline; random calls would end the run as a deadlock. tests/conformance/pipe_dup.c
        # covers pipes.
        "pipe2": "its descriptors block without a deadline",
        # A random SignalEntry would send the next interrupted thread into random code
        # (ThreadInterrupt is fuzzed). SignalReturn is fuzzed: it takes only a context the kernel
        # saved for the thread, so random arguments answer EINVAL. tests/conformance/sig_async.c
        # covers both.
        "signal_entry": "sets where interrupted threads jump"}

# name -> per-argument expressions replacing the table-derived ones.
OVERRIDES: dict[str, dict[str, str]] = {
    "create_thread": {"spawn_args_ptr": "f.spawn_args()"},
    # Descriptors the fuzzer may use, never its saved console.
    "dup3": {"oldfd": "f.fd()", "newfd": "f.fd()"},
    "atomic_wait": {"addr": "f.futex_addr()", "val": "f.futex_val(a[0])",
                    "timeout": "f.timeout(false)"},
    "clock_nanosleep": {"rqtp": "f.timeout(false)"},
    "alloc_mem": {"ptr": "f.alloc_out()", "size": "f.alloc_size()", "align": "f.align()"},
}

# Scalar pointee sizes in bytes (words are filled in per arch); structs by field count.
SCALAR_BYTES = {"u8": 1, "char": 1, "void": 1, "uint": 4, "int": 4, "socklen": 4, "u32": 4,
                "i32": 4, "u64": 8, "i64": 8}
OPAQUE_ROOM = 256  # bytes reserved behind a pointer to a structure the table leaves opaque
FD_NAMES = {"fd", "fildes", "sockfd", "mqdes"}
FLAG_NAMES = {"flags", "oflag"}
SMALL_NAMES = {"whence", "cmd", "how", "level", "option_name", "domain", "type_", "protocol_",
               "clk_id", "clock_id", "backlog", "_how", "_signum", "_sig", "_pid"}


def _room(table: SyscallTable, p: Param, word: int) -> tuple[int, str | None]:
    """(bytes per element, name of the length parameter) for a pointer parameter."""
    pointee = p.pointee or "void"
    if pointee in table.structs:
        s = table.structs[pointee]
        size = OPAQUE_ROOM if s.opaque else word * len(s.fields)
    else:
        size = SCALAR_BYTES.get(pointee, word)
    return size, p.length


def _implemented(c: Syscall, gates: set[str]) -> bool:
    live = c.status.kind in (StatusKind.FULL, StatusKind.PARTIAL, StatusKind.PROPOSED)
    return live and (c.gate is None or c.gate in gates)


def _gen_fn(table: SyscallTable, c: Syscall, word: int) -> str:
    over = OVERRIDES.get(c.name, {})
    lengths = {p.length for p in c.params if p.length}
    idx = {p.name: i for i, p in enumerate(c.params)}
    lines: list[str] = []
    # Lengths first, so the pointers that they measure get room for them.
    order = sorted(c.params, key=lambda p: (p.name not in lengths, idx[p.name]))
    elem_of = {p.length: _room(table, p, word)[0] for p in c.params if p.length}
    for p in order:
        i = idx[p.name]
        if p.name in over:
            expr = over[p.name]
        elif p.name in lengths:
            expr = f"f.len({elem_of[p.name]})"
        elif p.type == "cstr":
            expr = f"f.path({str(p.nullable).lower()})"
        elif p.type == "ptr":
            size, length = _room(table, p, word)
            room = f"a[{idx[length]}].saturating_mul({size})" if length else str(size)
            write = p.direction in (Direction.OUT, Direction.INOUT)
            expr = f"f.ptr({str(write).lower()}, {str(p.nullable).lower()}, {room})"
        elif p.type == "addr":
            expr = "f.addr()"
        elif p.name in FD_NAMES:
            expr = "f.fd()"
        elif p.name in FLAG_NAMES:
            expr = "f.flags()"
        elif p.name in SMALL_NAMES or p.type == "clockid":
            expr = "f.small()"
        elif p.type == "mode":
            expr = "f.mode()"
        else:
            expr = "f.int()"
        lines.append(f"    a[{i}] = {expr}; // {p.spelled()}")
    body = "\n".join(lines) if lines else "    let _ = (f, a);"
    return (f"/// {c.number} {c.signature()}: {c.status}\n"
            f"fn gen_{c.name}(f: &mut Fz, a: &mut [usize; 6]) {{\n{body}\n}}\n")


def render(table: SyscallTable, arch_word_bits: int, gates: set[str]) -> str:
    word = arch_word_bits // 8
    runtime = source("kernel/apps/fuzz/runtime.rs")
    calls = [c for c in table.calls if c.name not in SKIP]
    out = [
        f"// @generated by porter/kernel/fuzzgen.py from {', '.join(table.sources)}; do not edit.",
        "// The kernel fuzz app: one argument generator per syscall of the table.",
        f'#[path = "{runtime}"]',
        "mod runtime;",
        "use crate::bk_syscall::NR;",
        "use runtime::{Call, Fz};",
        "",
        "pub static CALLS: &[Call] = &[",
    ]
    for c in calls:
        # Blocking calls are weighted down: each may wait for a timer tick.
        weight = 1 if c.name in ("atomic_wait", "clock_nanosleep") else 8
        out.append(f"    Call {{ nr: NR::{c.variant} as usize, name: \"{c.name}\", "
                   f"implemented: {str(_implemented(c, gates)).lower()}, weight: {weight}, "
                   f"gen: gen_{c.name} }},")
    out += ["];", ""]
    out += [_gen_fn(table, c, word) for c in calls]
    out += [
        "#[no_mangle]",
        "pub extern \"C\" fn app_main(argc: isize, argv: *const *const u8, "
        "_envp: *const *const u8) -> i32 {",
        "    runtime::run(argc, argv, CALLS)",
        "}",
        "",
        f"// Not fuzzed: {', '.join(f'{k} ({v})' for k, v in SKIP.items())}.",
        "",
    ]
    return "\n".join(out)


def generate(out_dir: Path, word_bits: int, gates: set[str]) -> Path:
    """Write the fuzz app for one word size into out_dir; returns the app directory."""
    from bkport.workspace import current

    app = Path(out_dir) / f"fuzz{word_bits}"
    write_if_changed(app / "main.rs", render(current().table, word_bits, gates))
    return app

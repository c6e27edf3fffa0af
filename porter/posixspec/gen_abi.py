"""The Linux-ABI constants BlueKernel uses, from one source: the spec's `define` lines.

Two outputs:
- <bkport/abi_translate.h>: picolibc's numbering <-> the Linux numbering, as inline functions the
  layer calls at the kernel boundary (errno, signals, clock ids, fcntl commands, open flags).
  picolibc keeps newlib's numbers for many of them (`bkport posix abi`); the functions are
  written with picolibc's symbolic names on one side and the spec's Linux values (`BK_*` from
  <bkport/linux_abi.h>) on the other, so they are right for every target without reading
  picolibc here; a name picolibc lacks is skipped by `#ifdef`.
- kernel/src/abi_linux.rs: the same values as Rust constants for the kernel and its Rust test
  apps (included by kernel/src/abi.rs), committed and checked current by a test.

Flags are tested as `(v & F) == F` in both directions: Linux's O_SYNC is O_DSYNC plus a bit of
its own, so a weaker test would read O_DSYNC as O_SYNC.
"""

from __future__ import annotations

from collections import defaultdict

from bkport.posixspec.model import Constant, PosixSpec

GENERATOR = "bkport posix gen (porter/posixspec/gen_abi.py)"
TRANSLATE_HEADER = "bkport/abi_translate.h"
RUST_CONSTANTS = "kernel/src/abi_linux.rs"
ACCESS_MODES = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"}
LOCK_TYPES = {"F_RDLCK", "F_WRLCK", "F_UNLCK"}
# Where Linux has one value under several names, the name a kernel answer becomes, when
# picolibc defines it: the kernel answers 95 for "not supported" (feature gates), ENOTSUP.
PREFERRED = ("ENOTSUP",)

# The kernel's constants: (spec header, name prefix, Rust type). Types are what the kernel's
# code compares them with (st_mode is u32, open flags c_int, FD_CLOEXEC a word, d_type a byte).
RUST_GROUPS = (
    ("sys/stat.h", "S_IF", "u32"),
    ("dirent.h", "DT_", "u8"),
    ("fcntl.h", "O_", "i32"),
    ("fcntl.h", "F_", "i32"),
    ("fcntl.h", "FD_CLOEXEC", "usize"),
    ("unistd.h", "SEEK_", "i32"),
    ("time.h", "CLOCK_", "i32"),
    ("time.h", "TIMER_ABSTIME", "i32"),
    ("poll.h", "POLL", "u32"),
)


def _numeric(c: Constant) -> bool:
    return c.value is not None and c.spelled.lstrip("-")[:1].isdigit()


def _by_value(consts: list[Constant]) -> list[list[Constant]]:
    """Constants with a value (aliases such as `ENOTSUP EOPNOTSUPP` too) grouped by Linux value,
    in value order; in a group the preferred name first, then the names spelled with a number
    before aliases, then by name (EAGAIN before EWOULDBLOCK, O_NONBLOCK before O_NDELAY)."""
    groups: dict[int, list[Constant]] = defaultdict(list)
    for c in consts:
        if c.value is not None:
            groups[c.value].append(c)
    return [sorted(g, key=lambda c: (c.name not in PREFERRED, not _numeric(c), c.name))
            for _, g in sorted(groups.items())]


def _from_linux(fn: str, ctype: str, groups: list[list[Constant]], default: str) -> str:
    """A switch on the Linux value: each case returns the first of its names picolibc has."""
    out = [f"static inline {ctype} {fn}({ctype} v)\n{{\n    switch (v) {{\n"]
    for g in groups:
        chain = "".join(f"#{'if' if i == 0 else 'elif'} defined({c.name})\n"
                        f"    case BK_{g[0].name}: return {c.name};\n" for i, c in enumerate(g))
        out.append(chain + "#endif\n")
    out.append(f"    default: return {default};\n    }}\n}}\n\n")
    return "".join(out)


def _to_linux(fn: str, ctype: str, groups: list[list[Constant]], default: str) -> str:
    """Tests in turn, not a switch: picolibc may give two names one value (EAGAIN and
    EWOULDBLOCK), which would be duplicate case labels."""
    out = [f"static inline {ctype} {fn}({ctype} v)\n{{\n"]
    for g in groups:
        for c in g:
            out.append(f"#ifdef {c.name}\n    if (v == {c.name}) return BK_{c.name};\n#endif\n")
    out.append(f"    return {default};\n}}\n\n")
    return "".join(out)


def _flags(fn: str, consts: list[Constant], to_linux: bool) -> str:
    out = [f"static inline int {fn}(int v)\n{{\n    int r = v & O_ACCMODE;\n"]
    for c in consts:
        src, dst = (c.name, f"BK_{c.name}") if to_linux else (f"BK_{c.name}", c.name)
        out.append(f"#ifdef {c.name}\n    if ((v & {src}) == {src}) r |= {dst};\n#endif\n")
    out.append("    return r;\n}\n\n")
    return "".join(out)


def _group(spec: PosixSpec, header: str, prefix: str) -> list[Constant]:
    return [c for c in spec.headers[header].constants if c.name.startswith(prefix)]


def render_translate_header(spec: PosixSpec, banner: str) -> str:
    errnos = _by_value(_group(spec, "errno.h", "E"))
    signals = _by_value([c for c in _group(spec, "signal.h", "SIG")
                         if not c.name.startswith("SIGRT")])
    clocks = _by_value(_group(spec, "time.h", "CLOCK_"))
    oflags = [g[0] for g in _by_value(_group(spec, "fcntl.h", "O_"))
              if g[0].name not in ACCESS_MODES and g[0].value]
    fcmds = _by_value([c for c in _group(spec, "fcntl.h", "F_") if c.name not in LOCK_TYPES])
    g = "_BKPORT_ABI_TRANSLATE_H"
    out = [banner, f"#ifndef {g}\n#define {g}\n\n",
           "#include <errno.h>\n#include <fcntl.h>\n#include <signal.h>\n#include <time.h>\n",
           "#include <bkport/linux_abi.h>\n\n"]
    out.append("/* errno, both ways; a value without a name on the other side is kept. */\n")
    out.append(_from_linux("bk_errno_from_linux", "int", errnos, "v"))
    out.append(_to_linux("bk_errno_to_linux", "int", errnos, "v"))
    out.append("/* Signal numbers, both ways; an unknown number is kept. */\n")
    out.append(_to_linux("bk_signo_to_linux", "int", signals, "v"))
    out.append(_from_linux("bk_signo_from_linux", "int", signals, "v"))
    out.append("/* Clock ids, both ways; -1 for a clock the other side does not have (never\n"
               " * another clock that happens to have its number). */\n")
    out.append(_to_linux("bk_clockid_to_linux", "clockid_t", clocks, "(clockid_t)-1"))
    out.append(_from_linux("bk_clockid_from_linux", "clockid_t", clocks, "(clockid_t)-1"))
    out.append("/* fcntl() commands, to the kernel; -1 for one it does not know. */\n")
    out.append(_to_linux("bk_fcntl_cmd_to_linux", "int", fcmds, "-1"))
    out.append("/* open()/fcntl() status flags, both ways (access mode bits agree). */\n")
    out.append(_flags("bk_oflags_to_linux", oflags, True))
    out.append(_flags("bk_oflags_from_linux", oflags, False))
    out.append(f"#endif /* {g} */\n")
    return "".join(out)


def rust_constants(spec: PosixSpec) -> list[tuple[str, str, Constant]]:
    """(name, Rust type, constant) of every kernel constant, in RUST_GROUPS order then by
    value and name. A constant spelled as another's name (O_NDELAY O_NONBLOCK) is skipped."""
    out = []
    for header, prefix, rtype in RUST_GROUPS:
        consts = [c for c in _group(spec, header, prefix) if _numeric(c)]
        if prefix == "F_":
            consts = [c for c in consts if c.name != "FD_CLOEXEC"]
        if not consts:
            raise ValueError(f"posix/spec/{header}.spec: expected `define {prefix}...` lines "
                             f"(the kernel's {prefix}* constants come from there)")
        out += [(c.name, rtype, c) for c in sorted(consts, key=lambda c: (c.value, c.name))]
    return out


def _rust_literal(c: Constant) -> str:
    s = c.spelled
    if c.value is not None and 0 <= c.value < 8:
        return str(c.value)
    if s.startswith("0") and len(s) > 1 and s[1:].isdigit():
        return "0o" + (s.lstrip("0") or "0")  # C octal, as the spec writes it
    return s


def render_rust_constants(spec: PosixSpec) -> str:
    out = [f"// Generated by {GENERATOR} from posix/spec/ (define lines). Do not edit.\n",
           "// Linux's values, which BlueKernel's ABI uses on every arch; included by abi.rs.\n"]
    header = None
    for name, rtype, c in rust_constants(spec):
        if c.header != header:
            header = c.header
            out.append(f"\n// <{header}>\n")
        out.append(f"pub const {name}: {rtype} = {_rust_literal(c)};\n")
    return "".join(out)

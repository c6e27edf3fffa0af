"""Generate <bkport/abi_translate.h>: picolibc's numbering <-> the Linux numbering BlueKernel uses.

picolibc keeps newlib's numbers for many errno values, open flags, signals and clock ids (see
`bkport posix abi`). The layer's syscall wrappers translate at the boundary with these inline
functions. They are written with picolibc's symbolic names on one side and the spec's Linux
values on the other, so they are right for every target without reading picolibc here; a name
picolibc lacks is skipped by `#ifdef`.
"""

from __future__ import annotations

from bkport.posixspec.model import Constant, PosixSpec

TRANSLATE_HEADER = "bkport/abi_translate.h"
ACCESS_MODES = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"}
LOCK_TYPES = {"F_RDLCK", "F_WRLCK", "F_UNLCK"}


def _distinct(consts: list[Constant]) -> list[Constant]:
    """Integer constants, one per Linux value (aliases such as EWOULDBLOCK are left out)."""
    seen: set[int] = set()
    out = []
    for c in sorted(consts, key=lambda c: c.name):
        if c.value is None or not c.spelled.lstrip("-")[:1].isdigit() or c.value in seen:
            continue
        seen.add(c.value)
        out.append(c)
    return out


def _switch(fn: str, ctype: str, pairs: list[tuple[str, str, str]]) -> str:
    """`pairs`: (guard name, case label, result)."""
    out = [f"static inline {ctype} {fn}({ctype} v)\n{{\n    switch (v) {{\n"]
    for guard, case, result in pairs:
        out.append(f"#ifdef {guard}\n    case {case}: return {result};\n#endif\n")
    out.append("    default: return v;\n    }\n}\n\n")
    return "".join(out)


def _flags(fn: str, consts: list[Constant], to_linux: bool) -> str:
    out = [f"static inline int {fn}(int v)\n{{\n    int r = v & O_ACCMODE;\n"]
    for c in consts:
        src, dst = (c.name, f"BK_{c.name}") if to_linux else (f"BK_{c.name}", c.name)
        out.append(f"#ifdef {c.name}\n    if ((v & {src}) == {src}) r |= {dst};\n#endif\n")
    out.append("    return r;\n}\n\n")
    return "".join(out)


def render_translate_header(spec: PosixSpec, banner: str) -> str:
    def group(header: str, prefix: str) -> list[Constant]:
        return _distinct([c for c in spec.headers[header].constants
                          if c.name.startswith(prefix)])

    errnos = group("errno.h", "E")
    signals = group("signal.h", "SIG")
    clocks = group("time.h", "CLOCK_")
    oflags = [c for c in group("fcntl.h", "O_") if c.name not in ACCESS_MODES and c.value]
    fcmds = [c for c in group("fcntl.h", "F_") if c.name not in LOCK_TYPES]
    g = "_BKPORT_ABI_TRANSLATE_H"
    out = [banner, f"#ifndef {g}\n#define {g}\n\n",
           "#include <errno.h>\n#include <fcntl.h>\n#include <signal.h>\n#include <time.h>\n",
           "#include <bkport/linux_abi.h>\n\n"]
    out.append("/* A kernel errno (Linux numbering) as picolibc's errno. */\n")
    out.append(_switch("bk_errno_from_linux", "int",
                       [(c.name, f"BK_{c.name}", c.name) for c in errnos]))
    out.append("/* Signal numbers, both ways. */\n")
    out.append(_switch("bk_signo_to_linux", "int",
                       [(c.name, c.name, f"BK_{c.name}") for c in signals
                        if not c.name.startswith("SIGRT")]))
    out.append(_switch("bk_signo_from_linux", "int",
                       [(c.name, f"BK_{c.name}", c.name) for c in signals
                        if not c.name.startswith("SIGRT")]))
    out.append("/* Clock ids, both ways. */\n")
    out.append(_switch("bk_clockid_to_linux", "clockid_t",
                       [(c.name, c.name, f"BK_{c.name}") for c in clocks]))
    out.append(_switch("bk_clockid_from_linux", "clockid_t",
                       [(c.name, f"BK_{c.name}", c.name) for c in clocks]))
    out.append("/* fcntl() commands, to the kernel. */\n")
    out.append(_switch("bk_fcntl_cmd_to_linux", "int",
                       [(c.name, c.name, f"BK_{c.name}") for c in fcmds]))
    out.append("/* open()/fcntl() status flags, both ways (access mode bits agree). */\n")
    out.append(_flags("bk_oflags_to_linux", oflags, True))
    out.append(_flags("bk_oflags_from_linux", oflags, False))
    out.append(f"#endif /* {g} */\n")
    return "".join(out)

"""Differential check: the spec's Linux constant values against picolibc's headers per target.

BlueKernel answers with Linux's numbers (errno, O_*, signal numbers). picolibc's headers carry
newlib's numbering, which differs for dozens of them: the layer's syscall wrappers must translate
(or the value must be overridden). This module measures the gap with libclang, which evaluates
every constant exactly as clang would for the target.
"""

from __future__ import annotations

import functools
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bkport.errors import ToolchainError
from bkport.posixspec.model import Owner, PosixSpec
from bkport.posixspec.picolibc import PICOLIBC_ROOT
from bkport.toolchain.targets import ARCHES


@dataclass(frozen=True)
class ConstantDiff:
    name: str
    header: str
    linux: int
    picolibc: int | None  # None: picolibc does not define it for this target

    @property
    def status(self) -> str:
        if self.picolibc is None:
            return "absent"
        return "same" if self.picolibc == self.linux else "different"


@functools.cache
def _resource_dir() -> str:
    try:
        res = subprocess.run(["clang", "-print-resource-dir"], capture_output=True, text=True,
                             check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        raise ToolchainError(f"clang is not usable: {e}") from e
    return res.stdout.strip()


def picolibc_values(arch: str, headers: list[str], names: list[str]) -> dict[str, int]:
    """Evaluate `names` after including `headers` from picolibc for `arch` (with _GNU_SOURCE)."""
    import clang.cindex as ci

    a = ARCHES[arch]
    src = "".join(f"#include <{h}>\n" for h in headers)
    src += "".join(f"#ifdef {n}\nenum {{ bk__{n} = ({n}) }};\n#endif\n" for n in names)
    args = ["-x", "c", f"--target={a.clang_target}", *a.clang_flags, "-nostdlibinc",
            "-D_GNU_SOURCE", "-resource-dir", _resource_dir(),
            "-isystem", str(PICOLIBC_ROOT / a.picolibc_prefix / "include")]
    tu = ci.Index.create().parse("bk_abi.c", args=args, unsaved_files=[("bk_abi.c", src)])
    errors = [d for d in tu.diagnostics if d.severity >= ci.Diagnostic.Error]
    if errors:
        raise ToolchainError(f"picolibc headers for {arch} do not parse: {errors[0]}")
    out = {}
    for cur in tu.cursor.walk_preorder():
        if cur.kind == ci.CursorKind.ENUM_CONSTANT_DECL and cur.spelling.startswith("bk__"):
            out[cur.spelling[4:]] = cur.enum_value
    return out


# picolibc headers that are only an `#error` on these targets (the layer's sys/dirent.h stands
# in): not included, so their constants read as absent from picolibc.
STUB_HEADERS = frozenset({"dirent.h"})


def abi_diff(spec: PosixSpec, arch: str) -> list[ConstantDiff]:
    """Every integer constant of a picolibc-owned header, with picolibc's value for `arch`."""
    consts = [c for c in spec.constants.values()
              if c.value is not None and spec.headers[c.header].owner is Owner.PICOLIBC]
    headers = sorted({c.header for c in consts} - STUB_HEADERS)
    values = picolibc_values(arch, headers, [c.name for c in consts])
    return [ConstantDiff(c.name, c.header, c.value, values.get(c.name))
            for c in sorted(consts, key=lambda c: (c.header, c.name)) if c.value is not None]


# picolibc headers that cannot be included at all on these targets (checked by a test).
BROKEN_PICOLIBC = {
    "termios.h": "includes <sys/termios.h>, which picolibc does not ship",
    "threads.h": "includes <machine/_threads.h>, which picolibc does not ship",
}


@dataclass(frozen=True)
class PrototypeConflict:
    interface: str
    where: str  # spec file:line
    message: str  # clang's


def _spec_errors(spec: PosixSpec, arch: str, src: str, flags: list[str],
                 by_line: dict[tuple[str, int], str]) -> tuple[list[tuple[str, str, str]], str]:
    """Compile `src` (lines tagged with `#line` to spec files) for `arch` against the sysroot's
    headers in the layer's order (its hand-written headers, the generated ones, picolibc's),
    with syntax only; returns (interface, spec file:line, clang's error) per error on a tagged
    line, and clang's whole stderr when it failed without one."""
    import tempfile

    from bkport.paths import source
    from bkport.posixspec.gen import write_headers

    a = ARCHES[arch]
    with tempfile.TemporaryDirectory() as tmp:
        write_headers(spec, Path(tmp), with_test=False)
        (Path(tmp) / "check.c").write_text(src)
        cmd = ["clang", f"--target={a.clang_target}", *a.clang_flags, "-nostdlibinc", *flags,
               "-fsyntax-only", "-ferror-limit=0",
               "-isystem", str(source("posix/layer/include")),
               "-isystem", str(Path(tmp) / "include"),
               "-isystem", str(PICOLIBC_ROOT / a.picolibc_prefix / "include"),
               str(Path(tmp) / "check.c")]
        try:
            res = subprocess.run(cmd, capture_output=True, text=True)
        except OSError as e:
            raise ToolchainError(f"clang is not usable: {e}") from e
    out = []
    for m in re.finditer(r"^(posix/spec/\S+?):(\d+):\d+: error: (.*)$", res.stderr, re.M):
        name = by_line.get((m.group(1), int(m.group(2))))
        if name:
            out.append((name, f"{m.group(1)}:{m.group(2)}", m.group(3)))
    return out, (res.stderr if res.returncode != 0 and not out else "")


def prototype_conflicts(spec: PosixSpec, arch: str) -> list[PrototypeConflict]:
    """Redeclare every prototype of a picolibc-owned header after picolibc's own declarations.

    clang reports where picolibc declares the function differently (`conflicting types`) or
    lacks a type the prototype needs; a prototype picolibc does not declare is just declared.
    Included in the sysroot's order (the layer's hand-written headers, generated, picolibc).
    """
    from bkport.posixspec.model import Kind

    headers = sorted(h for h, hd in spec.headers.items()
                     if hd.owner is Owner.PICOLIBC and h not in BROKEN_PICOLIBC)
    src = "".join(f"#include <{h}>\n" for h in headers)
    by_line = {}
    for h in headers:
        for name in spec.headers[h].interfaces:
            itf = spec.interfaces[name]
            if itf.kind is not Kind.FUNCTION:
                continue
            line = (itf.loc.line or 0) + 1
            by_line[(itf.loc.file, line)] = name
            decl = re.sub(rf"\b{name}\(", f"({name})(", itf.decl, count=1)  # past macros
            src += f'#line {line} "{itf.loc.file}"\n{decl}\n'
    errors, failed = _spec_errors(spec, arch, src, ["-D_XOPEN_SOURCE=700", "-D_DEFAULT_SOURCE"],
                                  by_line)
    if failed:
        raise ToolchainError(f"picolibc headers for {arch} do not compile: {failed[:2000]}")
    return [PrototypeConflict(*e) for e in errors]


# Interfaces POSIX allows to be macros only (no function to take the address of).
MACRO_ONLY = {"assert", "va_arg", "va_copy", "va_end", "va_start",
              "offsetof", "FD_CLR", "FD_ISSET", "FD_SET", "FD_ZERO"}


def undeclared_interfaces(spec: PosixSpec, implemented: set[str], arch: str) -> dict[str, str]:
    """The implemented interfaces an app cannot call: compiled as an app is (the layer's
    headers, then the generated ones, then picolibc's, `-D_GNU_SOURCE`), every header is
    included and each implemented function's address taken (a macro-only interface must be a
    macro). Returns interface -> clang's error."""
    from bkport.posixspec.model import Kind

    headers = sorted(h for h in spec.headers if h not in BROKEN_PICOLIBC)
    src = "".join(f"#include <{h}>\n" for h in headers)
    by_line: dict[tuple[str, int], str] = {}
    for h in headers:
        for name in sorted(spec.headers[h].interfaces):
            itf = spec.interfaces[name]
            if name not in implemented or itf.kind is not Kind.FUNCTION:
                continue
            line = (itf.loc.line or 0) + 1
            by_line[(itf.loc.file, line)] = name
            use = (f"#ifndef {name}\n#error \"{name} is not a macro\"\n#endif\n"
                   if name in MACRO_ONLY else
                   f"void *__bk_use_{name}(void) {{ return (void *)&({name}); }}\n")
            src += f'#line {line} "{itf.loc.file}"\n{use}'
    errors, failed = _spec_errors(spec, arch, src, ["-std=gnu11", "-D_GNU_SOURCE"], by_line)
    if failed:
        raise ToolchainError(f"the headers for {arch} do not compile: {failed[:2000]}")
    out: dict[str, str] = {}
    for name, _, message in errors:
        out.setdefault(name, message)
    return out

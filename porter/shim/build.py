"""Compile generated shims for a board's architecture, as a port would."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from bkport.posixspec.gen import write_headers
from bkport.syscalls.gen import generate_all
from bkport.toolchain import clang
from bkport.workspace import current


@dataclass(frozen=True)
class CompileResult:
    source: Path
    arch: str
    ok: bool
    output: str


def include_dirs(build: Path, arch: str) -> list[Path]:
    """The layer's generated POSIX headers and <bk/syscall.h> for `arch`, generated into build."""
    ws = current()
    write_headers(ws.spec, build / "posix")
    generate_all(ws.table, [arch], build / "syscalls")
    return [build / "syscalls" / arch / "user", build / "posix" / "include"]


def compile_all(sources: list[Path], arch: str, build: Path) -> list[CompileResult]:
    flags = [x for d in include_dirs(build, arch) for x in ("-isystem", str(d))]
    results = []
    for src in sources:
        obj = build / "obj" / arch / (src.stem + ".o")
        obj.parent.mkdir(parents=True, exist_ok=True)
        proc: subprocess.CompletedProcess[str] = clang.compile_c(src, arch, obj, extra=flags)
        results.append(CompileResult(src, arch, proc.returncode == 0, proc.stderr))
    return results

"""C for the three targets with Debian's clang and picolibc's headers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from bkport.errors import ToolchainError
from bkport.toolchain.targets import ARCHES

PICOLIBC = Path("/usr/lib/picolibc")


def clang() -> str:
    path = shutil.which("clang")
    if path is None:
        raise ToolchainError("clang not found: run scripts/setup.sh (Debian package 'clang')")
    return path


def picolibc_include(arch: str) -> Path:
    inc = PICOLIBC / ARCHES[arch].picolibc_prefix / "include"
    if not inc.is_dir():
        raise ToolchainError(
            f"picolibc headers for {arch} not found at {inc}: run scripts/setup.sh "
            f"(Debian package picolibc-{ARCHES[arch].picolibc_prefix})")
    return inc


def target_flags(arch: str) -> list[str]:
    a = ARCHES[arch]
    return [f"--target={a.clang_target}", *a.clang_flags, "-ffreestanding",
            "-isystem", str(picolibc_include(arch))]


def compile_c(src: Path, arch: str, out: Path, extra: list[str] | None = None,
              syntax_only: bool = False) -> subprocess.CompletedProcess[str]:
    """Compile one C file for `arch`; returns the finished process (the caller reports errors).
    A one-shot check (generated code compiles, -fsyntax-only): no cache, no parallelism. Builds
    go through bkport.toolchain.compile.compile_many."""
    cmd = [clang(), *target_flags(arch), "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror",
           *(extra or [])]
    cmd += ["-fsyntax-only", str(src)] if syntax_only else ["-c", str(src), "-o", str(out)]
    return subprocess.run(cmd, capture_output=True, text=True)

"""Generators: pure functions from a validated `SyscallTable` to text, and the one writer."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from bkport.fsutil import write_if_changed
from bkport.syscalls.model import SyscallTable
from bkport.toolchain.targets import ARCHES

# (relative path template, renderer); `{arch}` expands per architecture.
PER_ARCH: list[tuple[str, str]] = [
    ("{arch}/kernel/syscall_table.rs", "bkport.syscalls.gen.rust_kernel:render_table"),
    ("{arch}/kernel/stub_handlers.rs", "bkport.syscalls.gen.rust_kernel:render_stubs"),
    ("{arch}/user/bk_syscall.rs", "bkport.syscalls.gen.rust_user:render"),
    ("{arch}/user/bk/syscall.h", "bkport.syscalls.gen.c_header:render"),
]
SHARED: list[tuple[str, str]] = [
    ("syscalls.md", "bkport.syscalls.gen.docs:render"),
    ("syscalls.json", "bkport.syscalls.gen.json_export:render"),
]


def _renderer(spec: str) -> Callable[..., str]:
    import importlib

    module, attr = spec.split(":")
    return getattr(importlib.import_module(module), attr)


def render_all(table: SyscallTable, arches: Iterable[str]) -> dict[str, str]:
    """Every output, relative path -> text. Deterministic for a given table."""
    out: dict[str, str] = {}
    for arch in arches:
        if arch not in ARCHES:
            raise ValueError(f"unknown architecture {arch!r}")
        for path, spec in PER_ARCH:
            out[path.format(arch=arch)] = _renderer(spec)(table, arch)
    for path, spec in SHARED:
        out[path] = _renderer(spec)(table)
    return out


def generate_all(table: SyscallTable, arches: Iterable[str], out_dir: Path) -> list[Path]:
    """Write every output under out_dir; returns the files whose content changed."""
    changed = []
    for rel, text in render_all(table, arches).items():
        path = Path(out_dir) / rel
        if write_if_changed(path, text):
            changed.append(path)
    return changed

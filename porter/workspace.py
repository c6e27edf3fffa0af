"""The models one command works with, built once and passed down.

A command (`bkport build`, `bkport report`, ...) makes one `Workspace` from its global options
(`bkport --table DIR --spec DIR ...`) and everything below it asks that workspace for the syscall
table, the POSIX spec, the support database of a profile, the boards and the recipes, instead of
loading them again: each is loaded on first use, once, and the same object is handed to every
module. So `--table` means the same table for the generated headers, the kernel, the shims and
the report.

Library callers that never went through the command line get the default workspace (this
checkout's or this installed package's data), also built once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bkport.posixspec import PosixSpec, SupportDB
    from bkport.recipe import Recipe
    from bkport.syscalls import SyscallTable
    from bkport.syscalls.parser import RawFile
    from bkport.toolchain.targets import Board


@dataclass
class Workspace:
    table_path: Path | None = None  # a .bksys file or folder; None: syscalls/table/
    lock_path: Path | None = None  # None: syscalls/abi.lock for the default table, else none
    spec_dir: Path | None = None  # None: posix/spec/
    _support: dict[str, SupportDB] = field(default_factory=dict, repr=False)
    _recipes: dict[Path, Recipe] = field(default_factory=dict, repr=False)

    @property
    def table_dir(self) -> Path:
        from bkport.syscalls.loader import default_table_dir

        return Path(self.table_path) if self.table_path else default_table_dir()

    @cached_property
    def _parsed(self) -> tuple[list[RawFile], list]:
        from bkport.syscalls.loader import parse_all

        return parse_all(self.table_path)

    @property
    def table_files(self) -> tuple[RawFile, ...]:
        """The table's files, parsed (the raw declarations, before any check)."""
        return tuple(self._parsed[0])

    @cached_property
    def table(self) -> SyscallTable:
        from bkport.syscalls.loader import build_table

        raws, diags = self._parsed
        return build_table(raws, self.table_path, self.lock_path, diags)

    @cached_property
    def spec(self) -> PosixSpec:
        from bkport.posixspec.loader import load_spec

        return load_spec(self.spec_dir)

    def support(self, profile: str) -> SupportDB:
        """The support database of `profile`, computed from this workspace's spec and table."""
        if profile not in self._support:
            from bkport.posixspec.support import PROFILES, build_support, load_support

            if profile not in PROFILES:
                load_support(profile)  # raises the error that names the profiles
            if self.is_default:
                self._support[profile] = load_support(profile, spec=self.spec)
            else:
                self._support[profile] = build_support(profile, self.spec, self.table)
        return self._support[profile]

    @property
    def is_default(self) -> bool:
        return self.table_path is None and self.lock_path is None and self.spec_dir is None

    @property
    def boards(self) -> dict[str, Board]:
        from bkport.toolchain.targets import BOARDS

        return BOARDS

    def recipe(self, app: str | Path) -> Recipe:
        """The recipe of an app (folder, app.toml, or name), loaded once."""
        from bkport.recipe import find_recipe, load_recipe

        toml = find_recipe(app)
        if toml not in self._recipes:
            self._recipes[toml] = load_recipe(toml)
        return self._recipes[toml]


_current: list[Workspace] = []


def current() -> Workspace:
    """The workspace of the running command (the default one outside a command)."""
    if not _current:
        _current.append(Workspace())
    return _current[-1]


@contextmanager
def using(ws: Workspace) -> Iterator[Workspace]:
    """Make `ws` the current workspace for the duration of a command (or a test)."""
    _current.append(ws)
    try:
        yield ws
    finally:
        _current.remove(ws)

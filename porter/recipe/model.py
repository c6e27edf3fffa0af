"""A checked app recipe: what `apps/<name>/app.toml` says, as frozen values.

Every path here is absolute (recipe-relative paths are resolved by the loader), every default is
filled in, and every cross reference (a case's program, a board name) has been checked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType

from bkport.recipe.fileref import CaseOutput, FileRef
from bkport.toolchain.targets import ARCHES, BOARDS

ARCH_NAMES: tuple[str, ...] = tuple(ARCHES)
# qemu_mps3_an547 is being added to bkport.toolchain.targets; recipes may name it already.
BOARD_NAMES: tuple[str, ...] = tuple(sorted(set(BOARDS) | {"qemu_mps3_an547"}))

TIERS = ("quick", "full")  # a "quick" case runs in both tiers, a "full" one in the full tier only
CONFIGURE_KINDS = ("make", "autotools", "cmake", "meson", "plugin", "none")
TEST_DRIVERS = ("differential", "expected")  # besides "plugin:NAME"
PLUGIN_DRIVER_PREFIX = "plugin:"


@dataclass(frozen=True)
class Source:
    debian: str | None  # Debian source package name, or None for a local source folder
    debian_version: str | None  # an exact Debian version, None for any of the app's version
    path: Path | None  # the local source folder
    subdir: str  # where the build runs inside the source tree
    patches: tuple[Path, ...]  # in the order they are applied (patch -p1)


@dataclass(frozen=True)
class Configure:
    kind: str  # one of CONFIGURE_KINDS
    args: tuple[str, ...]
    make_args: tuple[str, ...]
    env: Mapping[str, str]
    plugin: str | None  # set iff kind == "plugin"


@dataclass(frozen=True)
class Program:
    name: str
    sources: tuple[str, ...]  # globs in the source tree; empty: the recorded link command's
    exclude: tuple[str, ...]
    defines: tuple[str, ...]
    cflags: tuple[str, ...]


@dataclass(frozen=True)
class Flags:
    defines: tuple[str, ...] = ()
    undefines: tuple[str, ...] = ()
    cflags: tuple[str, ...] = ()
    include: tuple[Path, ...] = ()

    def __add__(self, later: Flags) -> Flags:
        """Later settings are appended, so on a command line they win over earlier ones."""
        return Flags(
            self.defines + later.defines,
            self.undefines + later.undefines,
            self.cflags + later.cflags,
            self.include + later.include,
        )


@dataclass(frozen=True)
class BuildSettings:
    base: Flags
    shims: tuple[Path, ...]  # C files of the recipe compiled into every program
    arch: Mapping[str, Flags]  # only the arches the recipe mentions
    board: Mapping[str, Flags]  # only the boards the recipe mentions


@dataclass(frozen=True)
class RunSettings:
    stack: int | None  # bytes; None: the runner's default
    heap: int | None
    cwd: str
    env: Mapping[str, str]
    dirs: tuple[str, ...]
    files: Mapping[str, FileRef]  # absolute RAM-fs path -> recipe file, source: or generated:


@dataclass(frozen=True)
class Mask:
    pattern: str
    replace: str

    def apply(self, text: str) -> str:
        return _compiled(self.pattern).sub(self.replace, text)


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@dataclass(frozen=True)
class Case:
    name: str
    program: str | None  # None only for plug-in builds, whose plug-in knows its programs
    argv: tuple[str, ...]  # after the program name
    stdin: str | None
    stdin_file: FileRef | None
    files: Mapping[str, FileRef]  # absolute RAM-fs path -> recipe file, source: or generated:
    env: Mapping[str, str]
    expected_stdout: FileRef | None
    expected_status: int
    masks: tuple[Mask, ...]  # the test-wide masks, then the case's own
    compare_files: tuple[str, ...]
    skip: str | None  # the reason the case is skipped
    boards: tuple[str, ...]  # empty: every board
    timeout: float  # the case's own, else the test-wide one
    tier: str = "quick"  # "full": left out of the quick tier

    def runs_on(self, board: str) -> bool:
        return not self.boards or board in self.boards

    def runs_in(self, tier: str) -> bool:
        return tier == "full" or self.tier == "quick"

    @property
    def needs(self) -> tuple[str, ...]:
        """The earlier cases whose outputs this one reads (`case:NAME/...` inputs)."""
        refs = [*self.files.values(), self.stdin_file]
        return tuple(dict.fromkeys(r.case for r in refs if isinstance(r, CaseOutput)))


@dataclass(frozen=True)
class TestSpec:
    __test__ = False  # not a pytest test class, whatever its name

    driver: str  # "differential", "expected" or "plugin:NAME"
    timeout: float
    min_pass: float
    masks: tuple[Mask, ...]
    cases: tuple[Case, ...]

    @property
    def plugin(self) -> str | None:
        """The plug-in driver's name, None for the built-in drivers."""
        if self.driver.startswith(PLUGIN_DRIVER_PREFIX):
            return self.driver[len(PLUGIN_DRIVER_PREFIX):]
        return None


@dataclass(frozen=True)
class Recipe:
    name: str
    version: str
    summary: str
    folder: Path
    source: Source
    configure: Configure
    programs: tuple[Program, ...]
    build: BuildSettings
    run: RunSettings
    test: TestSpec | None
    path_of_toml: Path
    # boards the app cannot run on, with why (a program too big for the board's memory, ...):
    # nothing is built there, and every case is listed as not run with that reason
    unsupported: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def program(self, name: str) -> Program:
        for p in self.programs:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.programs) or "none"
        raise KeyError(f"recipe {self.name!r} builds no program {name!r} (programs: {known})")

    def flags_for(self, arch: str, board: str) -> Flags:
        """The cross-build flags for one board: base, then the arch's, then the board's."""
        if arch not in ARCH_NAMES:
            raise ValueError(f"unknown arch {arch!r}; arches: {', '.join(ARCH_NAMES)}")
        if board not in BOARD_NAMES:
            raise ValueError(f"unknown board {board!r}; boards: {', '.join(BOARD_NAMES)}")
        empty = Flags()
        return (self.build.base + self.build.arch.get(arch, empty)
                + self.build.board.get(board, empty))

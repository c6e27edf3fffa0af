"""The validated, frozen model of the POSIX spec (posix/spec/). Every command reads only this."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from bkport.errors import Location

PSE_PROFILES = ("PSE51", "PSE52", "PSE53", "PSE54")
POSIX_EDITIONS = ("2003", "2017", "2024")


class Owner(enum.Enum):
    """Who ships a header in the sysroot of a board."""

    PICOLIBC = "picolibc"  # picolibc ships it for all three targets; the layer does not touch it
    LAYER = "layer"  # picolibc lacks it: `bkport posix gen` generates it from the spec
    # picolibc ships it nearly empty (<arpa/inet.h>: byte-order macros only): generated from
    # the spec like a layer header, which then includes picolibc's with #include_next
    COMPLETED = "picolibc+layer"
    COMPILER = "compiler"  # clang's own freestanding headers (stddef.h, stdarg.h, stdatomic.h)


class Kind(enum.Enum):
    FUNCTION = "proto"  # a C prototype, parsed by pycparser
    MACRO = "macro"  # a macro form: NAME, NAME(args) or a typed signature `T NAME(T a)`
    VARIABLE = "var"  # an extern object declaration, parsed by pycparser


@dataclass(frozen=True)
class Param:
    name: str | None
    type: str  # as C spells it, without the name


@dataclass(frozen=True)
class ArgCheck:
    """A parameter whose constant value decides what the call does (`fcntl`'s cmd): the support
    database records which of its values a profile handles. `patterns`: the names of the family,
    as prefixes ending in `*` (`F_*`) or exact names; `flags`: a bit mask (`open`'s oflag), where
    each named bit counts on its own."""

    param: str
    index: int  # 0-based position in the prototype
    patterns: tuple[str, ...]
    flags: bool = False

    def matches(self, name: str) -> bool:
        return any(name.startswith(p[:-1]) if p.endswith("*") else name == p
                   for p in self.patterns)


@dataclass(frozen=True)
class Symbol:
    """A macro (object- or function-like) or constant a header must define that is not one of
    the interfaces (`WIFEXITED(stat_val)`, `MB_CUR_MAX`, `_SC_ARG_MAX`): POSIX lists it on the
    header's page, and it has no value the ABI fixes (those are `define`d constants)."""

    name: str
    header: str
    form: str  # "WIFEXITED(stat_val)" or "MB_CUR_MAX"
    loc: Location = field(default=Location("<none>"), compare=False)
    body: str | None = None  # the replacement list a generated header defines (`body:`)


@dataclass(frozen=True)
class Interface:
    name: str
    header: str
    kind: Kind
    decl: str  # the prototype, macro form or declaration as written in the spec
    option_groups: tuple[str, ...]  # the XRAT E.1 subprofiling group(s); () when POSIX gives none
    codes: tuple[str, ...]  # margin codes (XSI, CX, TSH, ...)
    pse: tuple[str, ...]  # IEEE 1003.13 profiles requiring it, subset of PSE_PROFILES
    posix: tuple[str, ...]  # editions it is part of, subset of POSIX_EDITIONS
    removed: tuple[str, ...] = ()  # editions that removed it ("2024")
    also: tuple[str, ...] = ()  # other headers that declare it
    category: str | None = None  # RTEMS's functionality category
    body: str | None = None  # macros: the replacement list the layer's header defines
    returns: str | None = None  # functions: the return type
    params: tuple[Param, ...] = ()  # functions: the parameters ((): no parameters)
    variadic: bool = False
    loc: Location = field(default=Location("<none>"), compare=False)
    args: tuple[ArgCheck, ...] = ()  # functions: parameters whose constant value decides

    @property
    def option_group(self) -> str | None:
        """The (first) option group, None when POSIX gives none."""
        return self.option_groups[0] if self.option_groups else None

    @property
    def groups(self) -> tuple[str, ...]:
        """The option groups, with a visible "(none)" bucket for interfaces POSIX gives none."""
        return self.option_groups or ("(none)",)


@dataclass(frozen=True)
class TypeDecl:
    name: str  # "pid_t" or "struct utsname"
    header: str
    decl: str  # the C declaration as written
    loc: Location = field(default=Location("<none>"), compare=False)

    @property
    def is_struct(self) -> bool:
        return self.name.startswith("struct ")


@dataclass(frozen=True)
class Constant:
    name: str
    value: int | None  # the value BlueKernel's ABI fixes (Linux); None for an expression
    header: str
    spelled: str  # as written (octal stays octal)
    loc: Location = field(default=Location("<none>"), compare=False)


@dataclass(frozen=True)
class Header:
    name: str  # "sys/stat.h"
    owner: Owner
    source: str  # the spec file, relative to the repository
    types: tuple[TypeDecl, ...]
    constants: tuple[Constant, ...]
    interfaces: tuple[str, ...]  # names, in file order
    symbols: tuple[str, ...] = ()  # macros and constants without an ABI value, in file order


@dataclass(frozen=True)
class PosixSpec:
    headers: dict[str, Header]
    interfaces: dict[str, Interface]
    types: dict[str, TypeDecl]
    constants: dict[str, Constant]
    symbols: dict[str, Symbol] = field(default_factory=dict)

    def get(self, name: str) -> Interface | None:
        return self.interfaces.get(name)

    def in_header(self, header: str) -> list[Interface]:
        return [self.interfaces[n] for n in self.headers[header].interfaces]

    def in_pse(self, profile: str) -> list[Interface]:
        return [i for i in self.interfaces.values() if profile in i.pse]

    @property
    def count(self) -> int:
        return len(self.interfaces)

"""The validated, frozen model of the syscall table. Generators and analysers read only this."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from bkport.errors import Location


class Direction(enum.Enum):
    IN = "in"
    OUT = "out"
    INOUT = "inout"


class StatusKind(enum.Enum):
    FULL = "full"  # implemented as POSIX/BlueOS documents it
    PARTIAL = "partial"  # implemented with a documented gap (note says which)
    STUB = "stub"  # present, always fails with its declared errno
    FAKE = "fake"  # present, succeeds without doing anything
    UNSUPPORTED = "unsupported"  # number reserved, answers -ENOSYS
    PROPOSED = "proposed"  # new call, not in any release yet
    RETIRED = "retired"  # tombstone: number kept forever, answers -ENOSYS


@dataclass(frozen=True)
class Status:
    kind: StatusKind
    note: str | None = None  # required for partial
    errno: str | None = None  # for stub (ENOSYS by default), the errno it answers

    @property
    def implemented(self) -> bool:
        """A kernel handler does real work for this call."""
        return self.kind in (StatusKind.FULL, StatusKind.PARTIAL)

    def __str__(self) -> str:
        if self.kind is StatusKind.PARTIAL:
            return f"partial ({self.note})"
        if self.kind is StatusKind.STUB:
            return f"stub ({self.errno})"
        return self.kind.value


@dataclass(frozen=True)
class StructField:
    name: str
    type: str  # a scalar type name


@dataclass(frozen=True)
class StructDef:
    name: str
    fields: tuple[StructField, ...]  # empty for an opaque struct
    loc: Location
    external: bool = False  # C side: the C library defines it (struct timespec, ...)

    @property
    def opaque(self) -> bool:
        return not self.fields


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # scalar name, "ptr" or "cstr"
    pointee: str | None = None  # for ptr: scalar or struct name, or "void"
    direction: Direction | None = None  # for ptr/cstr
    nullable: bool = False
    length: str | None = None  # name of the parameter counting pointee elements
    loc: Location | None = field(default=None, compare=False)

    @property
    def is_pointer(self) -> bool:
        return self.type in ("ptr", "cstr")

    def spelled(self) -> str:
        """The parameter as written in the table language."""
        if self.type == "cstr":
            t = "cstr"
        elif self.type == "ptr":
            t = f"{self.direction.value} ptr<{self.pointee}>"
        else:
            t = self.type
        if self.nullable:
            t += "?"
        if self.length:
            t += f" @len({self.length})"
        return f"{self.name}: {t}"


@dataclass(frozen=True)
class Syscall:
    number: int
    variant: str  # BlueKernel's `enum NR` variant, e.g. "Write"
    name: str  # handler module name, e.g. "write"
    params: tuple[Param, ...]
    returns: str  # scalar type of the result; negative values in [-4095,-1] are -errno
    errors: tuple[str, ...]
    gate: str | None
    arches: tuple[str, ...]
    status: Status
    posix: tuple[str, ...]  # POSIX interfaces this call serves
    doc: str
    loc: Location = field(compare=False, default=Location("<none>"))

    def signature(self) -> str:
        args = ", ".join(p.spelled() for p in self.params)
        return f"{self.name}({args}) -> {self.returns}"

    def on(self, arch: str) -> bool:
        return arch in self.arches


@dataclass(frozen=True)
class Gate:
    name: str
    doc: str


@dataclass(frozen=True)
class SyscallTable:
    abi_version: int
    gates: dict[str, Gate]
    structs: dict[str, StructDef]
    calls: tuple[Syscall, ...]  # ordered by number, dense from 0
    sources: tuple[str, ...]

    def by_name(self, name: str) -> Syscall | None:
        for c in self.calls:
            if c.name == name or c.variant == name:
                return c
        return None

    def serving(self, interface: str) -> list[Syscall]:
        """Calls that serve a POSIX interface."""
        return [c for c in self.calls if interface in c.posix]

    @property
    def count(self) -> int:
        return len(self.calls)

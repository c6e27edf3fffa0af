"""The declarative syscall table: language, model, checks and generators.

    from bkport.syscalls import load_table
    table = load_table()          # syscalls/table/*.bksys + syscalls/abi.lock, validated
"""

from bkport.syscalls.model import (
    Direction,
    Param,
    Status,
    StatusKind,
    StructDef,
    Syscall,
    SyscallTable,
)

__all__ = [
    "Direction", "Param", "Status", "StatusKind", "StructDef", "Syscall", "SyscallTable",
    "load_table",
]


def load_table(path=None, lock=None) -> SyscallTable:
    from bkport.syscalls.loader import load_table as _load

    return _load(path, lock)

"""The architectures and boards bkport supports, and how each toolchain names them.

Both come from the one board table, kernel/boards.toml (models and loader: bkport.boards):
`ARCHES` by syscall-ABI name ("cortex-m", "aarch64", "riscv64"), `BOARDS` by board name. A
board's `rust_target`, `clang_*`, `picolibc_multilib` and `gcc_flags` are its effective toolchain
(its arch's defaults unless the table overrides them for the board).
"""

from __future__ import annotations

from bkport.boards import Arch, Board, load

__all__ = ["ARCHES", "BOARDS", "Arch", "Board"]

ARCHES: dict[str, Arch] = load().arches
BOARDS: dict[str, Board] = load().boards

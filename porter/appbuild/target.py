"""Per-architecture C settings for apps and the layer: compiler flags, picolibc's multilib and
libgcc (the compiler's helper routines: 64-bit division on Cortex-M, 128-bit long double on
AArch64, ...), chosen to match the validation kernel's Rust target.

RISC-V: the kernel's `riscv64gc-unknown-none-elf` uses the lp64d float ABI, and lld refuses to
link objects of different float ABIs, so C is compiled for rv64imafdc/lp64d
(porter/toolchain/targets.py) with picolibc's matching multilib.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bkport.errors import ToolchainError
from bkport.toolchain.clang import PICOLIBC, target_flags


@dataclass(frozen=True)
class CTarget:
    arch: str
    replace: dict[str, str]  # flag -> flag, applied to bkport.toolchain target_flags
    libc_dir: str  # under /usr/lib/picolibc/<prefix>/lib
    libgcc: str

    def flags(self) -> list[str]:
        return [self.replace.get(f, f) for f in target_flags(self.arch)]

    def libc(self, prefix: str) -> Path:
        return PICOLIBC / prefix / "lib" / self.libc_dir / "libc.a"


C_TARGETS: dict[str, CTarget] = {
    "cortex-m": CTarget("cortex-m", {}, "thumb/v7-m/nofp",
                        "/usr/lib/gcc/arm-none-eabi/12.2.1/thumb/v7-m/nofp/libgcc.a"),
    "aarch64": CTarget("aarch64", {}, ".", "/usr/lib/gcc-cross/aarch64-linux-gnu/12/libgcc.a"),
    "riscv64": CTarget("riscv64", {}, "rv64imafdc/lp64d",
                       "/usr/lib/gcc/riscv64-unknown-elf/12.2.0/libgcc.a"),
}


def c_target(arch: str) -> CTarget:
    return C_TARGETS[arch]


def libs(arch: str) -> list[Path]:
    """picolibc's libc.a and libgcc.a for `arch`, checked to exist."""
    from bkport.toolchain.targets import ARCHES

    t = C_TARGETS[arch]
    out = [t.libc(ARCHES[arch].picolibc_prefix), Path(t.libgcc)]
    for p in out:
        if not p.exists():
            raise ToolchainError(f"{p} not found: run scripts/setup.sh (picolibc and the "
                                 "cross gcc packages provide it)")
    return out

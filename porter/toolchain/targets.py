"""The architectures and boards bkport supports, and how each toolchain names them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Arch:
    name: str  # the name used by the syscall table (`arch` lists) and `--arch`
    rust_target: str
    clang_target: str
    clang_flags: tuple[str, ...]
    word_bits: int
    picolibc_prefix: str  # /usr/lib/picolibc/<prefix>


ARCHES: dict[str, Arch] = {
    a.name: a
    for a in (
        Arch(
            "cortex-m",
            "thumbv7m-none-eabi",
            "thumbv7m-none-eabi",
            ("-mcpu=cortex-m3", "-mthumb", "-mfloat-abi=soft"),
            32,
            "arm-none-eabi",
        ),
        Arch(
            "aarch64",
            "aarch64-unknown-none",
            "aarch64-none-elf",
            ("-mcpu=cortex-a53", "-mgeneral-regs-only"),
            64,
            "aarch64-linux-gnu",
        ),
        Arch(
            "riscv64",
            "riscv64gc-unknown-none-elf",
            "riscv64-unknown-elf",
            # riscv64gc-unknown-none-elf (the kernel) uses the lp64d float ABI; C linked with it
            # must match or lld refuses the link.
            ("-march=rv64imafdc", "-mabi=lp64d", "-mcmodel=medany"),
            64,
            "riscv64-unknown-elf",
        ),
    )
}


@dataclass(frozen=True)
class Board:
    name: str
    arch: Arch


BOARDS: dict[str, Board] = {
    b.name: b
    for b in (
        Board("qemu_mps2_an385", ARCHES["cortex-m"]),
        Board("qemu_virt64_aarch64", ARCHES["aarch64"]),
        Board("qemu_riscv64", ARCHES["riscv64"]),
    )
}

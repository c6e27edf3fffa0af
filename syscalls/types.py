"""ABI-level scalar types of the table language and how each architecture passes them.

A "word" is a register: 32 bits on Cortex-M, 64 on AArch64 and RISC-V 64. Types marked `word`
take one register everywhere; 64-bit types take two registers on 32-bit architectures.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scalar:
    name: str
    rust: str  # type name in generated Rust (aliases are emitted in the generated module)
    c: str  # type name in generated C
    bits: int | None  # None: one machine word
    signed: bool

    def words(self, word_bits: int) -> int:
        return 1 if self.bits is None or self.bits <= word_bits else self.bits // word_bits


SCALARS: dict[str, Scalar] = {
    s.name: s
    for s in (
        Scalar("int", "c_int", "int", 32, True),
        Scalar("uint", "c_uint", "unsigned int", 32, False),
        Scalar("long", "c_long", "long", None, True),
        Scalar("ulong", "c_ulong", "unsigned long", None, False),
        Scalar("isize", "isize", "long", None, True),
        Scalar("usize", "usize", "unsigned long", None, False),
        Scalar("i32", "i32", "int32_t", 32, True),
        Scalar("u32", "u32", "uint32_t", 32, False),
        Scalar("i64", "i64", "int64_t", 64, True),
        Scalar("u64", "u64", "uint64_t", 64, False),
        # Names BlueKernel's handlers use, kept so signatures read like upstream.
        Scalar("size", "usize", "size_t", None, False),
        Scalar("ssize", "isize", "long", None, True),
        Scalar("mode", "mode_t", "unsigned int", 32, False),
        Scalar("off", "off_t", "long", None, True),  # word-sized on BlueKernel (transmuted usize)
        Scalar("clockid", "clockid_t", "int", 32, True),
        Scalar("timer", "timer_t", "unsigned long", None, False),
        Scalar("socklen", "socklen_t", "unsigned int", 32, False),
        Scalar("addr", "usize", "unsigned long", None, False),  # a user address, checked by value
    )
}

# Types that may only appear behind a pointer.
POINTEES_ONLY: dict[str, tuple[str, str]] = {
    "void": ("c_void", "void"),
    "u8": ("u8", "unsigned char"),
    "char": ("c_char", "char"),
}

# Rust aliases the generated kernel module defines (core::ffi::c_int is unstable in rustc 1.63).
RUST_ALIASES: tuple[tuple[str, str], ...] = (
    ("c_char", "u8"),
    ("c_int", "i32"),
    ("c_uint", "u32"),
    ("c_long", "isize"),
    ("c_ulong", "usize"),
    ("mode_t", "u32"),
    ("off_t", "isize"),
    ("clockid_t", "i32"),
    ("timer_t", "usize"),
    ("socklen_t", "u32"),
)

RETURN_TYPES = ("int", "long", "isize", "ssize", "usize", "size")

"""Every board's toolchain, as the table gives it, exists on this machine: a Rust target rustc
knows, clang flags that compile, picolibc's multilib and the matching libgcc."""

from __future__ import annotations

import subprocess

import pytest
from bkport.appbuild.target import c_target, find_libgcc, libs
from bkport.errors import ToolchainError
from bkport.toolchain import rust
from bkport.toolchain.targets import ARCHES, BOARDS

from tests.conftest import require_tool

pytestmark = pytest.mark.toolchain


@pytest.mark.parametrize("name", sorted(BOARDS))
def test_rust_target_is_known_to_debians_rustc(name):
    assert BOARDS[name].rust_target in rust.known_targets()


def test_unknown_rust_target_is_named():
    with pytest.raises(ToolchainError, match=r"no target 'thumbv8.1m.main-none-eabi' .*"
                                             r"similar: thumbv8m.main-none-eabi"):
        rust.sysroot("thumbv8.1m.main-none-eabi")


@pytest.mark.parametrize("name", sorted(BOARDS) + sorted(ARCHES))
def test_c_target_compiles_and_links_with_its_libraries(name, tmp_path):
    t = c_target(name)
    src = tmp_path / "t.c"
    # 64-bit division and float arithmetic: libgcc's helpers on the 32-bit soft-float targets
    src.write_text("#include <stdint.h>\nint64_t f(int64_t a, int64_t b) { return a / b; }\n"
                   "float g(float x) { return x * 2.5f; }\n")
    obj = tmp_path / "t.o"
    subprocess.run([require_tool("clang"), *t.flags(), "-O2", "-c", str(src), "-o", str(obj)],
                   check=True)
    libc, libgcc = libs(name)
    assert libc.is_file() and libgcc.is_file()
    out = tmp_path / "t.r.o"
    proc = subprocess.run([require_tool("ld.lld"), "-r", "-o", str(out), str(obj),
                           "-u", "f", "--start-group", str(libc), str(libgcc), "--end-group"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("board", sorted(BOARDS))
def test_math_h_compiles_and_sin_links_for_every_board(board, tmp_path):
    """Apps and the layer use doubles on every board: picolibc's <math.h> compiles with the
    board's C flags (on AArch64 it uses FP registers in inline asm, so no -mgeneral-regs-only)
    and sin and printf's double conversion come from its libc.a."""
    t = c_target(board)
    src = tmp_path / "m.c"
    src.write_text("#include <math.h>\n#include <stdio.h>\n"
                   "double f(double x) { return sin(x) + sqrt(x); }\n"
                   "int g(char *buf, double x) { return snprintf(buf, 32, \"%.17g\", f(x)); }\n")
    obj = tmp_path / "m.o"
    proc = subprocess.run([require_tool("clang"), *t.flags(), "-O2", "-Wall", "-Werror", "-c",
                           str(src), "-o", str(obj)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "m.r.o"
    proc = subprocess.run([require_tool("ld.lld"), "-r", "-o", str(out), str(obj), "-u", "g",
                           "--start-group", *map(str, libs(board)), "--end-group"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    nm = subprocess.run([require_tool("llvm-nm"), "--defined-only", str(out)],
                        capture_output=True, text=True, check=True).stdout
    # (sqrt is one instruction with hardware FP: no call)
    assert {"sin", "snprintf"} <= {line.split()[-1] for line in nm.splitlines()}


def test_libgcc_follows_the_flags_not_a_written_version():
    m3 = find_libgcc("arm-none-eabi-gcc", ("-mcpu=cortex-m3", "-mthumb", "-mfloat-abi=soft"))
    m55 = find_libgcc("arm-none-eabi-gcc", ("-mcpu=cortex-m55", "-mthumb", "-mfloat-abi=soft"))
    assert m3.parts[-3:] == ("v7-m", "nofp", "libgcc.a")
    assert m55.parts[-3:] == ("v8-m.main", "nofp", "libgcc.a")

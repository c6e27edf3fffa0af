"""The hardware's part of the kernel's protection (docs/kernel.md, "Memory protection"): a guard
region at the bottom of every thread stack (MPU on the Cortex-M boards, PMP on RISC-V), reloaded
at every switch, faults at the first write into it, before the canary below it is reached; and
the kernel-private memory (.kdata, kernel stack, kernel heap with the thread table) cannot be
written by the app's threads. AArch64 runs with the MMU off: no guard, the canary is the floor,
and a stray write is not stopped (the test records that)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from bkport.toolchain import qemu
from bkport.toolchain.targets import BOARDS

pytestmark = [pytest.mark.qemu, pytest.mark.toolchain]

GUARDED = ("qemu_mps2_an385", "qemu_mps3_an547", "qemu_riscv64")


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    from bkport.appbuild.app import build_app

    src = Path(__file__).parent / "apps" / "guard_hit.c"
    return {b: build_app(b, [src], tmp_path_factory.mktemp(b)) for b in sorted(BOARDS)}


def symbols(image: Path) -> dict[str, int]:
    out = subprocess.run(["nm", str(image)], capture_output=True, text=True, check=True).stdout
    return {f[2]: int(f[0], 16) for f in (line.split() for line in out.splitlines()) if len(f) == 3}


OVERFLOW = re.compile(r"FAULT in app thread: stack overflow in thread (\d+)( \(main\))?, "
                      r"size (\d+) \(stack (0x[0-9a-f]+)-(0x[0-9a-f]+)\) pc=(0x[0-9a-f]+)")


@pytest.mark.parametrize("board", sorted(BOARDS))
def test_own_memory_stays_writable(images, board):
    r = qemu.run(board, images[board].path, ["guard_hit", "ok"], timeout=30)
    assert (r.outcome, r.status) == ("exit", 0), r.kernel
    assert r.stdout == b"ok 6 7 9 0\n"


@pytest.mark.parametrize("board", sorted(BOARDS))
def test_top_down_overflow_faults_in_the_guard(images, board):
    """A frame bigger than the stack, written from its top down with no system call on the way:
    the guard fires at the write (the code address is the writing function's), where there is
    one; without one (AArch64) the canary names it at the next trap."""
    image = images[board].path
    syms = symbols(image)
    for args, main, size in ((["main"], True, 64 * 1024), (["thread"], False, 16 * 1024)):
        r = qemu.run(board, image, ["guard_hit", *args], timeout=30)
        text = r.kernel.decode(errors="replace")
        assert (r.outcome, r.status) == ("fault", 125), text
        m = OVERFLOW.search(text)
        assert m, text
        assert bool(m[2]) == main and int(m[3]) == size, text
        assert text.count("FAULT") == 1, text
        pc = int(m[6], 16)
        if board in GUARDED:
            assert b"came back" not in r.stdout
            # at the write: inside fill_down, not at a later system call
            start = syms["fill_down"] & ~1
            assert start <= pc < start + 0x100, (hex(pc), hex(start), text)


def test_bkport_run_names_the_writing_function(images):
    from bkport.cli import cli
    from click.testing import CliRunner

    board = "qemu_riscv64"
    res = CliRunner().invoke(cli, ["run", "--board", board, str(images[board].path), "--",
                                   "thread"])
    assert res.exit_code == 125, res.output
    assert re.search(r"pc=0x[0-9a-f]+ is in fill_down", res.output), res.output


@pytest.mark.parametrize("board", sorted(BOARDS))
def test_write_into_kernel_memory_faults_named(images, board):
    """A word written at the kernel heap (where the thread table lives) from the app's main
    thread: a fault at the write, named with the address, the thread and the code address."""
    image = images[board].path
    syms = symbols(image)
    target = syms["__kheap_start"] + 64
    assert syms["__kprivate_start"] <= target < syms["__kheap_end"]
    r = qemu.run(board, image, ["guard_hit", "kernel", hex(target)], timeout=30)
    text = r.kernel.decode(errors="replace")
    if board not in GUARDED:
        # MMU off: the write lands; the test records it so a change here is seen
        assert b"wrote kernel memory and came back" in r.stdout, (r.stdout, text)
        return
    assert (r.outcome, r.status) == ("fault", 125), text
    kind = "access to" if board == "qemu_mps3_an547" else "write to"  # PMSAv8: no RO-for-app
    m = re.search(rf"FAULT in app thread: {kind} kernel memory at (0x[0-9a-f]+) from app thread "
                  r"1, pc=(0x[0-9a-f]+)", text)
    assert m, text
    assert int(m[1], 16) == target
    start = syms["main"] & ~1
    assert start <= int(m[2], 16) < start + 0x400, text
    assert b"came back" not in r.stdout
    assert text.count("FAULT") == 1, text

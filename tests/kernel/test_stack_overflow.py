"""A thread that runs past its stack is named as such, on every board: `stack overflow in thread T
(main), size S` with the code address, status 125, and not a raw trap dump or a corrupted kernel.
The floor of detection is a canary at the stack's lowest word and the stack pointer, checked at
every trap from the thread (tests/kernel/apps/stack_overflow.c makes one per recursion level)."""

from __future__ import annotations

import re

import pytest
from bkport.toolchain import qemu
from bkport.toolchain.targets import BOARDS

pytestmark = [pytest.mark.qemu, pytest.mark.toolchain]

@pytest.fixture(scope="module")
def images(tmp_path_factory):
    from pathlib import Path

    from bkport.appbuild.app import build_app

    src = Path(__file__).parent / "apps" / "stack_overflow.c"
    return {b: build_app(b, [src], tmp_path_factory.mktemp(b)) for b in sorted(BOARDS)}


# The code address, or on Cortex-M, where the MPU guard (test_memory_protection.py) can fire
# while the hardware stacks the thread's registers at a system call, the note that it was lost.
OVERFLOW = re.compile(r"FAULT in app thread: stack overflow in thread (\d+)( \(main\))?, "
                      r"size (\d+) \(stack (0x[0-9a-f]+)-(0x[0-9a-f]+)\) "
                      r"(?:pc=(0x[0-9a-f]+)|\(at an exception entry, which lost the code address)")


@pytest.mark.parametrize("board", sorted(BOARDS))
def test_main_and_thread_overflows_are_named(images, board):
    image = images[board].path
    ok = qemu.run(board, image, ["stack_overflow", "ok", "50"], timeout=30)
    assert (ok.outcome, ok.status) == ("exit", 0), ok.kernel
    assert ok.stdout == b"recursed 50 levels: 1275\n"

    for args, tid_main, size in ((["main"], True, 64 * 1024), (["thread"], False, 16 * 1024)):
        r = qemu.run(board, image, ["stack_overflow", *args], timeout=30)
        text = r.kernel.decode(errors="replace")
        assert (r.outcome, r.status) == ("fault", 125), text
        m = OVERFLOW.search(text)
        assert m, text
        assert bool(m[2]) == tid_main and (m[1] == "1") == tid_main
        assert int(m[3]) == size and int(m[5], 16) - int(m[4], 16) == size
        assert int(m[6], 16) != 0 if m[6] else board.startswith("qemu_mps")
        assert text.count("FAULT") == 1, text  # named once, not followed by a raw trap dump
        assert b"came back" not in r.stdout


def test_bkport_run_names_the_function(images):
    """`bkport run` turns the overflow's code address into a function of the image."""
    from bkport.cli import cli
    from click.testing import CliRunner

    board = "qemu_riscv64"
    res = CliRunner().invoke(cli, ["run", "--board", board, str(images[board].path), "--",
                                   "main"])
    assert res.exit_code == 125, res.output
    assert re.search(r"pc=0x[0-9a-f]+ is in \w+", res.output), res.output


@pytest.mark.parametrize("board", sorted(BOARDS))
def test_stats_report_the_heap_peak_and_stack_high_water(images, board):
    """`bkport run --stats`: deeper recursion, a higher mark, inside the 64 KiB main stack."""
    from bkport.kernel.cli import stats_lines

    marks = []
    for depth in (20, 200):
        r = qemu.run(board, images[board].path, ["stack_overflow", "ok", str(depth)], timeout=30)
        assert (r.outcome, r.status) == ("exit", 0), r.kernel
        used, size = (int(v) for v in r.record["stack_1"].split())
        assert size == 64 * 1024 and 0 < used < size
        marks.append(used)
        peak, heap = (int(v) for v in r.record["uheap_peak"].split())
        assert size <= peak < heap  # the main stack itself comes from the app heap
        lines = stats_lines(r.record)
        assert lines[0].startswith(f"app heap peak {peak} bytes of {heap}")
        assert f"thread 1 (main) stack high-water {used} bytes of {size}" in lines[1]
    assert marks[1] > marks[0] + 100


def test_stats_cli(images):
    from bkport.cli import cli
    from click.testing import CliRunner

    res = CliRunner().invoke(cli, ["run", "--board", "qemu_mps2_an385", "--stats",
                                   str(images["qemu_mps2_an385"].path), "--", "ok", "10"])
    assert res.exit_code == 0, res.output
    assert re.search(r"bkport run: app heap peak \d+ bytes of \d+", res.output), res.output
    assert "thread 1 (main) stack high-water" in res.output


@pytest.mark.parametrize("board", sorted(BOARDS))
def test_main_stack_size_is_chosen_at_boot(images, board):
    """`bkport run --stack` (BKPORT_STACK): a recursion that overflows the default 64 KiB main
    stack runs in 1 MiB, and a small stack overflows early, named with its size."""
    from bkport.cli import cli
    from click.testing import CliRunner

    image = str(images[board].path)
    deep = ["stack_overflow", "ok", "2000"]  # far more than 64 KiB of frames: a trap per level
    r = qemu.run(board, images[board].path, deep, timeout=60)
    assert "stack overflow in thread 1 (main), size 65536" in r.kernel.decode(), r.kernel
    r = qemu.run(board, images[board].path, deep, env={"BKPORT_STACK": str(1 << 20)}, timeout=60)
    assert (r.outcome, r.status) == ("exit", 0), r.kernel
    assert int(r.record["stack_1"].split()[1]) == 1 << 20
    res = CliRunner().invoke(cli, ["run", "--board", board, "--stack", "8192", image, "--",
                                   "ok", "200"])
    assert res.exit_code == 125 and "size 8192" in res.output, res.output

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


OVERFLOW = re.compile(r"FAULT in app thread: stack overflow in thread (\d+)( \(main\))?, "
                      r"size (\d+) \(stack (0x[0-9a-f]+)-(0x[0-9a-f]+)\) pc=(0x[0-9a-f]+)")


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
        assert int(m[6], 16) != 0
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

"""The monotonic clock never jumps: read back to back under -icount (time follows instructions,
not the host), no step between two reads comes near a tick period, whatever the period. On
Cortex-M the clock is ticks handled + a pending tick + the SysTick counter; QEMU can raise the
pending bit a little before the counter wraps, and counting both made the clock jump a whole
period and then stand still, so sleeps and timeouts ended up to a period early."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bkport.toolchain import qemu
from bkport.toolchain.targets import BOARDS

pytestmark = [pytest.mark.qemu, pytest.mark.toolchain]


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    from bkport.appbuild.app import build_app

    src = Path(__file__).parent / "apps" / "clock_steps.c"
    return {b: build_app(b, [src], tmp_path_factory.mktemp(b)) for b in sorted(BOARDS)}


@pytest.mark.parametrize("tick_us", [100, 1000])
@pytest.mark.parametrize("board", sorted(BOARDS))
def test_back_to_back_reads_never_jump(images, board, tick_us):
    r = qemu.run(board, images[board].path, ["clock_steps", "50000"],
                 env={"BKPORT_TICK_US": str(tick_us)}, timeout=60, icount=True)
    assert (r.outcome, r.status) == ("exit", 0), r.kernel
    m = re.fullmatch(rb"reads 50000 biggest_step_ns (\d+) backwards (\d+)\n", r.stdout)
    assert m, r.stdout
    assert int(m[2]) == 0
    # a read takes a few microseconds of instructions; a tick period is 100 us or more
    assert int(m[1]) < 20_000, (board, tick_us, int(m[1]))
    assert int(r.record["ticks"]) > 5  # the timer really wrapped many times meanwhile

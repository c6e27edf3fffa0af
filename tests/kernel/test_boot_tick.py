"""A timer tick that arrives while the kernel is still booting must not be taken as a thread's.

On a loaded host QEMU's timer runs on wall-clock time, so the first tick can fall into the few
hundred instructions between `timer_start` and the first thread's entry. On Cortex-M that code
runs in thread mode with interrupts open: scheduling there once found the thread table empty
(`index out of bounds` in `sched::after_trap`) or saved the boot context as thread 1's frame
(an app HardFault with psp=0xfffffff8), about one run in a few dozen. The kernel's test-only
switches `bk_test_boot_tick` (before the first thread exists) and `bk_test_boot_tick_late`
(after, before it is entered) make that tick due at exactly those points, on every board."""

from __future__ import annotations

import pytest
from bkport.toolchain import qemu
from bkport.toolchain.targets import BOARDS

pytestmark = [pytest.mark.qemu, pytest.mark.toolchain]

POINTS = ("bk_test_boot_tick", "bk_test_boot_tick_late")


@pytest.fixture(scope="module")
def injected(tmp_path_factory):
    from bkport.kernel.build import build

    def image(board: str, point: str):
        return build(board, "ktest", tmp_path_factory.mktemp(point), cfgs=[point])

    return image


@pytest.mark.parametrize("point", POINTS)
@pytest.mark.parametrize("board", sorted(BOARDS))
def test_a_tick_during_boot_is_not_scheduled(injected, board, point):
    im = injected(board, point)
    r = qemu.run(board, im.path, ["ktest"], timeout=30)
    assert "FAULT" not in r.kernel.decode(errors="replace"), r.kernel
    assert (r.outcome, r.status) == ("exit", 0), (r.text, r.kernel)
    assert r.text.rstrip().endswith(" checks, 0 failed"), r.text
    assert r.record["selfcheck"] == "ok"
    assert int(r.record["ticks"]) > 0  # the injected tick and the ones after it were counted

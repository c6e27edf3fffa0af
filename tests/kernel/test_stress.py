"""A CI sample of the stress tier (bench/kernel_stress.py, docs/kernel.md "Stress tier").

tests/stress/threads_storm.c runs a few times per board at two preemption tick periods chosen at
boot (`BKPORT_TICK_US`): every run must exit 0 with no kernel FAULT line, and its summary line
must report every figure the program aims at. The tick counts of the result record show that
the period was taken (and clamped when out of range). The full tier, many runs under host load,
is the bench."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from bkport.toolchain import qemu
from bkport.toolchain.targets import BOARDS

pytestmark = [pytest.mark.qemu, pytest.mark.toolchain]

SOURCE = Path(__file__).resolve().parents[1] / "stress" / "threads_storm.c"
BOARD_NAMES = sorted(BOARDS)
TICKS_US = (100, 10000)
REPEAT = 2
# What threads_storm.c's constants make: 8 incrementers + 2 pingers + a producer and a consumer
# + 4 timed waiters + 10 flag setters + 240 storm threads + 60 detached ones.
EXPECTED = {"threads": "326", "mutex": "16000/16000", "pingpong": "800", "ring": "600",
            "timeouts": "36", "storm": "240", "detached": "60", "failed": "0"}


@pytest.fixture(scope="module")
def images(tmp_path_factory) -> dict[str, Path]:
    from bkport.appbuild.app import build_app

    # One output folder per board, so the two parallel builds share no generated files.
    def one(board: str) -> Path:
        return build_app(board, [SOURCE], tmp_path_factory.mktemp(board)).path

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(BOARD_NAMES, pool.map(one, BOARD_NAMES), strict=True))


def summary(text: str) -> dict[str, str]:
    lines = [ln for ln in text.splitlines() if ln.startswith("threads_storm: threads=")]
    assert len(lines) == 1, text
    return dict(kv.split("=", 1) for kv in lines[0].split()[1:])


def run(board: str, image: Path, tick: str) -> qemu.RunResult:
    r = qemu.run(board, image, ["threads_storm"], {"BKPORT_TICK_US": tick}, timeout=60)
    assert "FAULT" not in r.kernel.decode(errors="replace"), (board, tick, r.text)
    assert (r.outcome, r.status) == ("exit", 0), (board, tick, r.text)
    assert r.record["selfcheck"] == "ok"
    return r


@pytest.mark.parametrize("board", BOARD_NAMES)
def test_threads_storm_at_two_tick_periods(images, board):
    ticks: dict[int, int] = {}
    for tick in TICKS_US:
        for _ in range(REPEAT):
            r = run(board, images[board], str(tick))
            got = summary(r.stdout.decode(errors="replace"))
            # `eagain` (creates retried on a full thread table) varies with timing; any count is fine.
            assert got.pop("eagain").isdigit() and got == EXPECTED, (board, tick, r.text)
            ticks[tick] = ticks.get(tick, 0) + int(r.record["ticks"])
    # A 100 us tick fires about 100 times as often as a 10 ms one; 5 leaves room for a host
    # that stretches one run more than the other.
    assert ticks[100] > 5 * max(1, ticks[10000]), ticks


def test_out_of_range_tick_is_clamped_and_junk_ignored(images):
    board = "qemu_riscv64"
    clamped = run(board, images[board], "1")  # below 100 us: runs at 100 us
    default = run(board, images[board], "10ms")  # not a number: the built-in 10 ms
    assert int(clamped.record["ticks"]) > 5 * max(1, int(default.record["ticks"])), (
        clamped.record, default.record)

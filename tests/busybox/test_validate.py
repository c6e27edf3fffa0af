"""busybox's own testsuite on QEMU, every board, the full tier (`bkport validate --tier full`,
the md5sum family's 10,000 calls included): at least 40 applets build and run on each board, and
at least 90% of the testsuite cases that ran pass. The per-board results are written to
build/validate/ for a reader to look at."""

from __future__ import annotations

import json

import pytest
from bkport.paths import work_dir
from bkport.toolchain.targets import BOARDS

pytestmark = [pytest.mark.busybox, pytest.mark.qemu, pytest.mark.toolchain]


_RUNS: dict = {}
# Resident QEMUs restarting in place (docs/resident.md) make a call cost 1-2 ms of QEMU time:
# the full tier takes about 2.5 minutes a board on 2 cores (the quick tier took 4.5 minutes a
# board with a boot per call), so CI runs it whole on all four boards.
TIER_BOARDS = sorted(BOARDS)


@pytest.fixture(scope="module", params=TIER_BOARDS)
def board_run(request):
    """One full-tier validation per board. Its results are written to build/validate/: the
    board's JSON, and for the boards run so far the app results `bkport report --results`
    reads and the Markdown table (what a release copies into docs/ after reading it)."""
    from bkport.plugins.busybox import report
    from bkport.plugins.busybox import validate as busybox

    board = request.param
    built = busybox.build(board)
    out = work_dir() / "validate"
    run = busybox.validate(built, None, out / board / "tests", jobs=2, tier="full")
    out.mkdir(parents=True, exist_ok=True)
    (out / f"busybox-{board}.json").write_text(json.dumps(report.board_json(run), indent=1))
    _RUNS[board] = run
    runs = [_RUNS[b] for b in sorted(_RUNS)]
    (out / "app-busybox.json").write_text(
        json.dumps(report.app_results(runs), indent=1, sort_keys=True) + "\n")
    (out / "busybox.md").write_text(report.markdown(runs))
    return run


def test_at_least_40_applets_build_and_run(board_run):
    assert len(board_run.board_ok) >= 40, board_run.smoke
    # Each of them is in busybox's own list on the board, and ran to an exit.
    assert set(board_run.board_ok) <= set(board_run.listed)


def test_at_least_90_percent_of_the_cases_pass(board_run):
    t = board_run.totals()
    failing = [f"{r.applet}: {c.name}" for r in board_run.results for c in r.cases
               if c.verdict == "FAIL"]
    assert t["PASS"] + t["FAIL"] >= 400, t  # the suite really ran
    assert board_run.pass_rate >= 0.90, (t, failing)


def test_no_skip_is_silent_and_no_script_broke(board_run):
    for r in board_run.results:
        assert not r.error or "no case" in r.error or r.count("PASS"), (r.applet, r.error, r.log)
        for c in r.cases:
            if c.verdict in ("SKIPPED", "UNTESTED"):
                assert c.reason, (r.applet, c.name)


def test_every_call_ran_on_qemu(board_run):
    """The harness's own cmp/rm and the applets under test: all through the board's QEMU."""
    assert board_run.calls > 1000
    assert board_run.qemu_seconds > 0


def test_the_md5sum_family_ran_whole(board_run):
    """The scripts the quick tier leaves out (apps/busybox/slow-tests.tsv): 1,000 pipelines of
    `head -c N | md5sum` each, their output streamed while they run."""
    by_applet = {r.applet: r for r in board_run.results}
    for applet in ("md5sum", "sha1sum", "sha256sum", "sha512sum", "sha3sum"):
        r = by_applet[applet]
        assert r.count("PASS") >= 2 and not r.count("FAIL"), (applet, r.error, r.log[-2000:])
    assert board_run.calls > 10_000

"""Validate the busybox port on one board: build the image, check each applet boots and runs,
then run busybox's own testsuite for the applets (porter/validate/testsuite.py)."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bkport.errors import InputError, located
from bkport.toolchain import qemu
from bkport.validate.testsuite import AppletResult, run_suite


@dataclass
class Built:
    board: str
    image: Path
    config: Path  # the busybox .config the image was built from (runtest reads it)
    src: Path  # the busybox source tree holding testsuite/
    recipe_applets: list[str]
    sizes: object
    build_seconds: float = 0.0


@dataclass
class BoardRun:
    board: str
    built: Built
    listed: list[str]  # what `busybox --list` prints on the board
    smoke: dict[str, str]  # applet -> "ok" or why it did not run
    results: list[AppletResult] = field(default_factory=list)
    boot_seconds: float = 0.0  # median QEMU time of `busybox true`: the cost of one boot
    suite_seconds: float = 0.0
    build_seconds: float = 0.0
    tier: str = "full"

    @property
    def board_ok(self) -> list[str]:
        """Applets that build and run on this board."""
        return [a for a in self.built.recipe_applets if self.smoke.get(a) == "ok"]

    def totals(self) -> dict[str, int]:
        t = {"PASS": 0, "FAIL": 0, "SKIPPED": 0}
        for r in self.results:
            for c in r.cases:
                t["SKIPPED" if c.verdict in ("SKIPPED", "UNTESTED") else c.verdict] += 1
        return t

    @property
    def pass_rate(self) -> float:
        t = self.totals()
        ran = t["PASS"] + t["FAIL"]
        return t["PASS"] / ran if ran else 0.0

    @property
    def calls(self) -> int:
        return sum(r.calls for r in self.results)

    @property
    def qemu_seconds(self) -> float:
        return sum(r.qemu_seconds for r in self.results)


def build(board: str, out: Path | None = None, log: Callable[[str], None] = print,
          jobs: int | None = None) -> Built:
    """Build the busybox image for `board` with the recipe in apps/busybox/ (under `out`,
    default build/busybox, which caches the host step and the objects for every board)."""
    import os
    import time

    from bkport.busybox import build as bbuild
    from bkport.busybox import host
    from bkport.busybox.config import applets

    t0 = time.monotonic()
    out = Path(out or bbuild.default_out()).resolve()
    image = bbuild.build_busybox(board, out, jobs=jobs, log=log)
    tree = host.prepare(out, jobs or os.cpu_count() or 2, log)
    return Built(board, image.path, tree.src / ".config", tree.src, applets(), image.sizes,
                 time.monotonic() - t0)


def smoke(built: Built, timeout: float = 20.0) -> tuple[list[str], dict[str, str], float]:
    """`busybox --list` on the board, then `APPLET --help` for each applet of the recipe: an
    applet runs when its call ends with an exit (no fault, no hang). Also the cost of one boot:
    the median QEMU time of `busybox true`."""
    r = qemu.run(built.board, built.image, ["busybox", "--list"], timeout=timeout)
    listed = r.stdout.decode(errors="replace").split() if r.outcome == "exit" else []
    result: dict[str, str] = {}
    for a in built.recipe_applets:
        if a not in listed:
            result[a] = "not in `busybox --list` on the board"
            continue
        h = qemu.run(built.board, built.image, [a, "--help"], timeout=timeout)
        result[a] = "ok" if h.outcome == "exit" else f"`{a} --help`: {h.outcome}"
    boots = [qemu.run(built.board, built.image, ["true"], timeout=timeout).seconds
             for _ in range(5)]
    return listed, result, statistics.median(boots)


def slow_tests(recipe: Path | None = None) -> dict[str, str]:
    """apps/busybox/slow-tests.tsv: applet -> why the quick tier leaves its script out."""
    from bkport.busybox.config import recipe_dir

    path = (recipe or recipe_dir()) / "slow-tests.tsv"
    out = {}
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        applet, sep, why = line.partition("\t")
        if not sep or not why.strip():
            raise InputError(located(path, n, 1, "expected 'APPLET<TAB>why'"))
        out[applet.strip()] = why.strip()
    return out


def validate(built: Built, applets: list[str] | None, work: Path, jobs: int = 2,
             call_timeout: float = 20.0,
             progress: Callable[[AppletResult], None] | None = None,
             tier: str = "full") -> BoardRun:
    """Smoke-test every applet of the recipe, then run the testsuite of those that run (all
    of it with tier "full"; "quick" leaves out the scripts of slow-tests.tsv, listed)."""
    import time

    listed, sm, boot = smoke(built, call_timeout)
    run = BoardRun(built.board, built, listed, sm, boot_seconds=boot,
                   build_seconds=built.build_seconds, tier=tier)
    # The testsuite runs for applets that run on the board; the rest are listed by smoke().
    todo = [a for a in (applets or built.recipe_applets) if sm.get(a) == "ok"]
    t0 = time.monotonic()
    run.results = run_suite(built.src, built.config, built.image, built.board, todo, work,
                            jobs=jobs, call_timeout=call_timeout, progress=progress,
                            skip=slow_tests() if tier == "quick" else None)
    run.suite_seconds = time.monotonic() - t0
    return run

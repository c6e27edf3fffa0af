"""The busybox plug-in's test driver (`driver = "plugin:busybox"`): per board, build the image,
check each applet boots and runs, then run busybox's own testsuite for the applets
(testsuite.py); `run` is what `bkport validate apps/busybox` does.
"""

from __future__ import annotations

import difflib
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click
from bkport.errors import BkportError, InputError, located
from bkport.fsutil import write_if_changed
from bkport.plugins.busybox.testsuite import AppletResult, run_suite
from bkport.toolchain import qemu
from bkport.validate.options import ValidateOptions

if TYPE_CHECKING:
    from bkport.recipe import Recipe


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
          jobs: int | None = None, recipe: Path | None = None) -> Built:
    """Build the busybox image for `board` with the recipe folder `recipe` (default
    apps/busybox/) under `out` (default build/busybox, which caches the host step and the
    objects for every board)."""
    import os

    from bkport.plugins.busybox import build as bbuild
    from bkport.plugins.busybox import host
    from bkport.plugins.busybox.config import applets, recipe_dir

    recipe = recipe or recipe_dir()
    t0 = time.monotonic()
    out = Path(out or bbuild.default_out()).resolve()
    image = bbuild.build_busybox(board, out, jobs=jobs, log=log, recipe=recipe)
    tree = host.prepare(out, jobs or os.cpu_count() or 2, log, recipe)
    return Built(board, image.path, tree.src / ".config", tree.src, applets(recipe),
                 image.sizes, time.monotonic() - t0)


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
    from bkport.plugins.busybox.config import recipe_dir

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
             tier: str = "full", recipe: Path | None = None) -> BoardRun:
    """Smoke-test every applet of the recipe, then run the testsuite of those that run (all
    of it with tier "full"; "quick" leaves out the scripts of slow-tests.tsv, listed)."""
    listed, sm, boot = smoke(built, call_timeout)
    run = BoardRun(built.board, built, listed, sm, boot_seconds=boot,
                   build_seconds=built.build_seconds, tier=tier)
    # The testsuite runs for applets that run on the board; the rest are listed by smoke().
    todo = [a for a in (applets or built.recipe_applets) if sm.get(a) == "ok"]
    t0 = time.monotonic()
    run.results = run_suite(built.src, built.config, built.image, built.board, todo, work,
                            jobs=jobs, call_timeout=call_timeout, progress=progress,
                            skip=slow_tests(recipe) if tier == "quick" else None)
    run.suite_seconds = time.monotonic() - t0
    return run


def wanted_applets(only: tuple[str, ...], recipe: Path, option: str) -> list[str] | None:
    """The applets asked for (`option` is how: --applets or --only), each checked against the
    recipe's applets before any build starts; None for every applet."""
    if not only:
        return None
    from bkport.plugins.busybox.config import applets as recipe_applets

    known = recipe_applets(recipe)
    wanted = [a.strip() for spec in only for a in spec.split(",") if a.strip()]
    if not wanted:
        raise click.BadParameter("no applet named", param_hint=option)
    unknown = [a for a in wanted if a not in known]
    if unknown:
        hints = []
        for a in unknown:
            close = difflib.get_close_matches(a, known, n=1)
            hints.append(f"{a!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        raise click.BadParameter(
            f"{', '.join(hints)} not among the recipe's {len(known)} applets "
            f"({recipe / 'applets.txt'})", param_hint=option)
    return wanted


def run(recipe: Recipe, opts: ValidateOptions) -> int:
    """`bkport validate` for busybox: each board in turn, built then tested; the per-board
    JSON under `opts.out`, app-<name>.json and the Markdown table where asked. Exit status: 0
    when every board passes at least `opts.min_pass` of the cases it ran, 1 when one does not,
    2 when a build fails (a bad --applets is refused before anything is built)."""
    from bkport.paths import work_dir
    from bkport.plugins.busybox import report

    folder = recipe.folder
    out = opts.out or (work_dir() / "validate").resolve()
    wanted = wanted_applets(opts.only, folder, opts.only_option)
    runs = []
    for board in opts.boards:
        t0 = time.monotonic()
        click.echo(f"== {board}: building busybox", err=True)
        try:
            built = build(board, opts.build_dir, log=lambda m: click.echo(f"   {m}", err=True),
                          recipe=folder)
        except BkportError as e:
            click.echo(f"bkport validate: building busybox for {board} failed: {e}", err=True)
            return 2
        build_s = time.monotonic() - t0

        def progress(r: AppletResult, board: str = board) -> None:
            ran = r.count("PASS") + r.count("FAIL")
            click.echo(f"   {board} {r.applet:<10} {r.count('PASS'):>3}/{ran:<3} pass"
                       f"  {r.count('SKIPPED') + r.count('UNTESTED'):>2} skipped"
                       f"  {r.calls:>4} calls  {r.seconds:6.1f}s"
                       + (f"  ({r.error})" if r.error else ""), err=True)

        one = validate(built, wanted, out / board / "tests", jobs=opts.jobs,
                       call_timeout=opts.call_timeout, progress=progress, tier=opts.tier,
                       recipe=folder)
        one.build_seconds = build_s
        runs.append(one)
        path = out / f"busybox-{board}.json"
        write_if_changed(path, json.dumps(report.board_json(one), indent=1) + "\n")
        click.echo(f"== {board}: {report.summary_line(one)}  ({path})", err=True)
    if opts.results_dir:
        opts.results_dir.mkdir(parents=True, exist_ok=True)
        write_if_changed(opts.results_dir / f"app-{recipe.name}.json",
                         json.dumps(report.app_results(runs), indent=1, sort_keys=True) + "\n")
    if opts.docs_file:
        write_if_changed(opts.docs_file, report.markdown(runs))
    if opts.fmt == "json":
        click.echo(json.dumps([report.board_json(r) for r in runs], indent=1))
    else:
        click.echo(report.text(runs))
    low = [r.board for r in runs if r.pass_rate < opts.min_pass]
    if low:
        click.echo(f"bkport validate: below {opts.min_pass:.0%} of cases passing on: "
                   f"{', '.join(low)}", err=True)
        return 1
    return 0

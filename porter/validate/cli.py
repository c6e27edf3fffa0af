"""`bkport validate`: build a ported app for each board and run its own test suite on QEMU."""

from __future__ import annotations

import difflib
import json
import sys
import time
from pathlib import Path

import click
from bkport.errors import BkportError
from bkport.fsutil import write_if_changed
from bkport.paths import source, work_dir
from bkport.toolchain.targets import BOARDS

BOARD = click.Choice(sorted(BOARDS))


def _wanted_applets(spec: str | None, recipe: Path) -> list[str] | None:
    """The --applets list, each checked against the recipe's applets before any build starts."""
    if not spec:
        return None
    from bkport.busybox.config import applets as recipe_applets

    known = recipe_applets(recipe)
    wanted = [a.strip() for a in spec.split(",") if a.strip()]
    if not wanted:
        raise click.BadParameter("no applet named", param_hint="--applets")
    unknown = [a for a in wanted if a not in known]
    if unknown:
        hints = []
        for a in unknown:
            close = difflib.get_close_matches(a, known, n=1)
            hints.append(f"{a!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        raise click.BadParameter(
            f"{', '.join(hints)} not among the recipe's {len(known)} applets "
            f"({recipe / 'applets.txt'})", param_hint="--applets")
    return wanted


@click.command()
@click.argument("app", type=click.Path(exists=True, file_okay=False, path_type=Path),
                required=False)
@click.option("--board", "-b", "boards", type=BOARD, multiple=True,
              help="board to validate on (repeatable; default: all three)")
@click.option("--applets", help="comma-separated applets to test (default: every applet the "
              "recipe builds)")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=2, show_default=True,
              help="applet test scripts run at once (each boots QEMU per call)")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="work and results folder (default: build/validate)")
@click.option("--build-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="busybox build folder, shared by the boards (default: build/busybox)")
@click.option("--results", "results_dir", type=click.Path(file_okay=False, path_type=Path),
              help="also write app-busybox.json here (the file `bkport report --results` reads)")
@click.option("--docs", "docs_file", type=click.Path(dir_okay=False, path_type=Path),
              help="write the per-applet, per-board Markdown table to this file")
@click.option("--call-timeout", type=float, default=20.0, show_default=True,
              help="seconds one applet call may run on QEMU before it counts as hung")
@click.option("--min-pass", type=float, default=0.9, show_default=True,
              help="fail (exit 1) when a board passes fewer of the cases it ran")
@click.option("--tier", type=click.Choice(["full", "quick"]), default="full", show_default=True,
              help="quick: leave out the test scripts of apps/busybox/slow-tests.tsv (listed "
              "as skipped, with why); what CI runs")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def validate(app: Path, boards: tuple[str, ...], applets: str | None, jobs: int,
             out: Path | None, build_dir: Path | None, results_dir: Path | None,
             docs_file: Path | None, call_timeout: float, min_pass: float, tier: str,
             fmt: str) -> None:
    """Build APP for each board and run its own test suite there (default: apps/busybox).

    \b
    For busybox: the image is built from Debian's busybox 1.35.0 source with the recipe in
    apps/busybox/ (NOMMU, the applets of applets.txt, bkport's layer and shims); then busybox's
    testsuite/runtest runs on the host for each applet, and every busybox call it makes (the
    applet under test and the harness's cmp, rm, ...) boots the image on the board's QEMU with
    the test's working files in the RAM file system. Skipped cases are listed with the reason.

    \b
    Examples:
      bkport validate                                   all boards, every applet
      bkport validate --board qemu_riscv64 --applets sed,grep
      bkport validate --results docs/compliance/0.1.0/results --docs docs/busybox.md

    Exit status: 0 when every board passes at least --min-pass of the cases it ran; 1 when one
    does not; 2 on a build failure or a bad argument (checked before anything is built).
    """
    from bkport.validate import busybox, report

    app = app or source("apps/busybox")
    if app.resolve().name != "busybox":
        raise click.UsageError(f"{app}: only apps/busybox has a validation recipe so far")
    boards = boards or tuple(sorted(BOARDS))
    out = (out or work_dir() / "validate").resolve()
    wanted = _wanted_applets(applets, app)
    runs = []
    for board in boards:
        t0 = time.monotonic()
        click.echo(f"== {board}: building busybox", err=True)
        try:
            built = busybox.build(board, build_dir,
                                  log=lambda m: click.echo(f"   {m}", err=True))
        except BkportError as e:
            click.echo(f"bkport validate: building busybox for {board} failed: {e}", err=True)
            sys.exit(2)
        build_s = time.monotonic() - t0

        def progress(r, board=board):
            ran = r.count("PASS") + r.count("FAIL")
            click.echo(f"   {board} {r.applet:<10} {r.count('PASS'):>3}/{ran:<3} pass"
                       f"  {r.count('SKIPPED') + r.count('UNTESTED'):>2} skipped"
                       f"  {r.calls:>4} calls  {r.seconds:6.1f}s"
                       + (f"  ({r.error})" if r.error else ""), err=True)

        run = busybox.validate(built, wanted, out / board / "tests", jobs=jobs,
                               call_timeout=call_timeout, progress=progress, tier=tier)
        run.build_seconds = build_s
        runs.append(run)
        path = out / f"busybox-{board}.json"
        write_if_changed(path, json.dumps(report.board_json(run), indent=1) + "\n")
        click.echo(f"== {board}: {report.summary_line(run)}  ({path})", err=True)
    if results_dir:
        results_dir.mkdir(parents=True, exist_ok=True)
        write_if_changed(results_dir / "app-busybox.json",
                         json.dumps(report.app_results(runs), indent=1, sort_keys=True) + "\n")
    if docs_file:
        write_if_changed(docs_file, report.markdown(runs))
    if fmt == "json":
        click.echo(json.dumps([report.board_json(r) for r in runs], indent=1))
    else:
        click.echo(report.text(runs))
    low = [r.board for r in runs if r.pass_rate < min_pass]
    if low:
        click.echo(f"bkport validate: below {min_pass:.0%} of cases passing on: "
                   f"{', '.join(low)}", err=True)
        sys.exit(1)

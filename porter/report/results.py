"""`bkport report-results`: every results file a release's report reads, into one folder.

It runs the commands a maintainer would run by hand, one step per board (conformance) and per
app and board (`bkport validate APP --board B`), each as its own process with its output in a
log, so that one failing step neither stops the others nor leaves a half-written results file:

    conformance-<board>.json  bkport build -b B --conformance --results DIR/.work/conformance/B
    app-<name>.json           bkport validate apps/NAME -b B --results DIR/.work/apps/NAME/B

then copies each conformance file into DIR and merges each app's per-board files into
DIR/app-<name>.json. A step whose file is already there is skipped (resumable; `--redo` runs it
again), and `--from-ci` first takes the files a CI run wrote under build/ as steps already done.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import click
from bkport.errors import BkportError
from bkport.fsutil import write_if_changed
from bkport.paths import source, work_dir
from bkport.toolchain.targets import BOARDS

CONFORMANCE_SCHEMA = "bkport.conformance-results/2"
APPS_SCHEMA = "bkport.app-results/1"
GENERATOR = "bkport report-results (porter/report/results.py): bkport validate, one board a run"


def apps_with_tests() -> list[str]:
    """Every app under apps/ whose recipe has a [test] table: the apps a release reports."""
    from bkport.recipe import load_recipe

    return [toml.parent.name for toml in sorted(source("apps").glob("*/app.toml"))
            if load_recipe(toml).test is not None]


@dataclass(frozen=True)
class Step:
    kind: str  # "conformance" | "app"
    board: str
    app: str | None = None

    @property
    def name(self) -> str:
        return f"conformance on {self.board}" if self.app is None else \
            f"{self.app} on {self.board}"

    def part(self, out: Path) -> Path:
        """The file the step's command writes; its presence marks the step done."""
        if self.app is None:
            return out / ".work" / "conformance" / self.board / f"conformance-{self.board}.json"
        return out / ".work" / "apps" / self.app / self.board / f"app-{self.app}.json"

    def log(self, out: Path) -> Path:
        return out / ".work" / "logs" / (f"conformance-{self.board}.log" if self.app is None
                                         else f"{self.app}-{self.board}.log")

    def command(self, out: Path, tier: str, jobs: int) -> list[str]:
        folder = str(self.part(out).parent)
        if self.app is None:
            return ["build", "--board", self.board, "--conformance", "--results", folder]
        return ["validate", str(source("apps") / self.app), "--board", self.board, "--tier",
                tier, "-j", str(jobs), "--results", folder]

    def done(self, out: Path) -> bool:
        path = self.part(out)
        if not path.is_file():
            return False
        try:
            doc = json.loads(path.read_text())
        except json.JSONDecodeError:
            return False
        if self.app is None:
            return doc.get("schema") == CONFORMANCE_SCHEMA and bool(doc.get("tests"))
        return doc.get("schema") == APPS_SCHEMA and bool(doc.get("boards", {}).get(self.board))


def _bkport() -> list[str]:
    """This bkport, as a command: the script beside the interpreter, else the module's main."""
    script = Path(sys.executable).with_name("bkport")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from bkport.cli import main; main()"]


# The parts of an app-results document keyed by board (bkport.apps.validate writes all three).
PER_BOARD = ("boards", "reasons", "figures")


def _only_board(doc: dict, board: str) -> dict:
    """An app-results document cut down to one board (CI's busybox file holds them all)."""
    return {**doc, **{k: {board: doc[k][board]} for k in PER_BOARD
                      if k in doc and board in doc[k]}}


def import_ci(build: Path, out: Path, steps: list[Step]) -> list[str]:
    """Take the results a CI run left under `build` (tests/conformance writes
    build/conformance/, tests/busybox build/validate/app-busybox.json, tests/apps
    build/validate/apps/<board>/) as the parts of the steps not done yet. Returns what it took."""
    taken = []
    for s in steps:
        if s.done(out):
            continue
        if s.app is None:
            src = build / "conformance" / f"conformance-{s.board}.json"
        else:
            src = next((p for p in (build / "validate" / "apps" / s.board / f"app-{s.app}.json",
                                    build / "validate" / f"app-{s.app}.json") if p.is_file()),
                       build / "validate" / f"app-{s.app}.json")
        if not src.is_file():
            continue
        try:
            doc = json.loads(src.read_text())
        except json.JSONDecodeError:
            continue
        want = CONFORMANCE_SCHEMA if s.app is None else APPS_SCHEMA
        if doc.get("schema") != want:
            continue  # an older schema (conformance /1 has no per-check results): run it again
        if s.app is not None:
            if not doc.get("boards", {}).get(s.board):
                continue
            doc = _only_board(doc, s.board)
        part = s.part(out)
        part.parent.mkdir(parents=True, exist_ok=True)
        write_if_changed(part, json.dumps(doc, indent=1) + "\n")
        taken.append(f"{s.name}: {src}")
    return taken


def merge(out: Path, steps: list[Step]) -> list[Path]:
    """Copy the conformance parts into `out` and merge each app's per-board parts into
    `out/app-<name>.json`; only steps that are done count."""
    written = []
    apps: dict[str, dict] = {}
    for s in steps:
        if not s.done(out):
            continue
        doc = json.loads(s.part(out).read_text())
        if s.app is None:
            dest = out / f"conformance-{s.board}.json"
            write_if_changed(dest, json.dumps(doc, indent=2) + "\n")
            written.append(dest)
            continue
        merged = apps.setdefault(s.app, {"schema": APPS_SCHEMA, "app": s.app,
                                         "generator": GENERATOR, "boards": {}})
        for key in PER_BOARD:
            if key in doc and s.board in doc[key]:
                merged.setdefault(key, {})[s.board] = doc[key][s.board]
    for app, doc in sorted(apps.items()):
        for key in PER_BOARD:
            if key in doc:
                doc[key] = dict(sorted(doc[key].items()))
        dest = out / f"app-{app}.json"
        write_if_changed(dest, json.dumps(doc, indent=1, sort_keys=True) + "\n")
        written.append(dest)
    return written


def plan(boards: tuple[str, ...], apps: tuple[str, ...], conformance: bool) -> list[Step]:
    steps = [Step("conformance", b) for b in boards] if conformance else []
    return steps + [Step("app", b, a) for a in apps for b in boards]


@click.command("report-results")
@click.option("--out", "out", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Results folder to fill (conformance-<board>.json, app-<name>.json); its "
              ".work/ holds each step's output and log.")
@click.option("--board", "-b", "boards", type=click.Choice(sorted(BOARDS)), multiple=True,
              help="Board to run on (repeatable; default: all of them).")
@click.option("--app", "apps", multiple=True, metavar="NAME",
              help="App under apps/ to validate (repeatable; default: every app with a [test] "
              "table). --app none runs no app.")
@click.option("--no-conformance", is_flag=True, help="Run no conformance step.")
@click.option("--tier", type=click.Choice(["quick", "full"]), default="quick", show_default=True,
              help="The apps' test tier (bkport validate --tier).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=2, show_default=True,
              help="Cases an app validation runs at once (bkport validate -j).")
@click.option("--from-ci", "from_ci", type=str, metavar="[BUILD]",
              default=None, is_flag=False, flag_value="", help="First take the results a CI "
              "run wrote under this build folder (default: the work folder, build/).")
@click.option("--redo", is_flag=True, help="Run every step again, even those already done.")
@click.option("--dry-run", is_flag=True, help="List the steps and their commands; run nothing.")
def report_results(out: Path, boards: tuple[str, ...], apps: tuple[str, ...],
                   no_conformance: bool, tier: str, jobs: int, from_ci: str | None, redo: bool,
                   dry_run: bool) -> None:
    """Produce every results file `bkport report --results OUT` reads: conformance per board
    and every app per board.

    \b
    Each step is a bkport command of its own (its output in OUT/.work/logs/); a step whose
    results are already in OUT/.work/ is skipped, so an interrupted run resumes. The step's
    results count whether its tests passed or not: only a step that wrote no results fails.

    \b
    Examples:
      bkport report-results --out build/results
      bkport report-results --out build/results --board qemu_riscv64 --app zlib --app lua
      bkport report-results --out build/results --from-ci --tier full
      bkport report-results --out build/results --dry-run

    \b
    Exit status: 0 every step has results; 1 a step wrote none (named, with its log);
    2 a bad option (an unknown --app).
    """
    known = apps_with_tests()
    if apps == ("none",):
        chosen: tuple[str, ...] = ()
    else:
        unknown = [a for a in apps if a not in known]
        if unknown:
            raise click.BadParameter(f"{', '.join(unknown)}: no such app with a [test] table "
                                     f"(apps: {', '.join(known)})", param_hint="--app")
        chosen = apps or tuple(known)
    steps = plan(boards or tuple(sorted(BOARDS)), chosen, not no_conformance)
    out.mkdir(parents=True, exist_ok=True)
    if redo and not dry_run:
        for s in steps:
            s.part(out).unlink(missing_ok=True)
    if from_ci is not None and not dry_run:
        build = Path(from_ci) if from_ci else work_dir()
        for line in import_ci(build, out, steps):
            click.echo(f"from CI: {line}")
    failed = []
    for i, s in enumerate(steps, 1):
        head = f"[{i}/{len(steps)}] {s.name}"
        argv = s.command(out, tier, jobs)
        if dry_run:
            click.echo(f"{head}: {'done' if s.done(out) else 'bkport ' + ' '.join(argv)}")
            continue
        if s.done(out):
            click.echo(f"{head}: done already ({s.part(out)})")
            continue
        log = s.log(out)
        log.parent.mkdir(parents=True, exist_ok=True)
        click.echo(f"{head}: bkport {' '.join(argv)}", nl=False)
        start = time.monotonic()
        with log.open("w") as f:
            f.write(f"$ bkport {' '.join(argv)}\n")
            f.flush()
            rc = subprocess.run([*_bkport(), *argv], stdout=f, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"}).returncode
        seconds = time.monotonic() - start
        if s.done(out):
            note = "" if rc == 0 else f", exit {rc}: some tests failed"
            click.echo(f" ... {seconds:.0f} s{note}")
        else:
            click.echo(f" ... {seconds:.0f} s, FAILED: exit {rc}, no results (log: {log})")
            failed.append(f"{s.name} (exit {rc}; log: {log})")
    if dry_run:
        return
    for path in merge(out, steps):
        click.echo(f"results: {path}")
    if failed:
        raise BkportError(f"{len(failed)} step(s) wrote no results: " + "; ".join(failed))

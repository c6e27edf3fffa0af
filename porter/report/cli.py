"""`bkport report`: the compliance report of a release."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
from bkport.errors import BkportError, InputError, located
from bkport.fsutil import write_if_changed
from bkport.paths import checkout_root, source, work_dir
from bkport.report import SCHEMA
from bkport.report.collect import collect
from bkport.report.compare import apply_waivers, diff, read_waivers, summary, unwaived
from bkport.report.inputs import read_declared
from bkport.report.render import to_html, to_json, to_markdown
from bkport.toolchain.targets import BOARDS

# X.Y.Z with an optional SemVer pre-release suffix: no separators, so never a path outside --out
RELEASE = re.compile(r"\d+\.\d+\.\d+(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?")


def _release(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not RELEASE.fullmatch(value):
        raise click.BadParameter(f"{value!r} is not a release version: expected X.Y.Z, "
                                 "optionally with a suffix such as 0.2.0-rc1")
    return value


def _shipped() -> Path:
    """The committed reports: docs/compliance of the checkout, or the copy inside the package."""
    return source("docs/compliance")


def _default_out() -> Path:
    """docs/compliance in a checkout; work_dir()/compliance for an installed package, which must
    never write into its own folder."""
    return _shipped() if checkout_root() is not None else work_dir() / "compliance"


def _results_files(folder: Path) -> list[Path]:
    return sorted([*folder.glob("conformance-*.json"), *folder.glob("app-*.json")])


def _check_results(folder: Path) -> Path:
    expected = (f"expected conformance-<board>.json (boards: {', '.join(sorted(BOARDS))}) "
                "or app-<name>.json")
    if not folder.is_dir():
        raise click.BadParameter(f"{folder}: no such folder ({expected})", param_hint="--results")
    if not _results_files(folder):
        raise click.BadParameter(f"{folder} holds no results file: {expected}",
                                 param_hint="--results")
    return folder


def _previous(spec: str, out_dir: Path) -> tuple[str, dict]:
    candidates = [Path(spec), out_dir / spec / "report.json", _shipped() / spec / "report.json"]
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        looked = ", ".join(dict.fromkeys(str(p) for p in candidates))
        raise click.BadParameter(f"no previous report {spec!r}: looked for {looked}",
                                 param_hint="--compare")
    try:
        data = json.loads(path.read_text())
    except json.JSONDecodeError as e:
        raise InputError(located(path, e.lineno, e.colno, f"not valid JSON: {e.msg}")) from e
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise InputError(located(path, 1, 1, f"expected a report with schema {SCHEMA}"))
    return data["release"], data


@click.command()
@click.option("--release", required=True, callback=_release,
              help="Release being reported: X.Y.Z, optionally with a suffix (0.2.0-rc1).")
@click.option("--compare", "previous", default=None,
              help="Previous release (a folder under --out or the shipped docs/compliance) or a "
              "report.json to diff against.")
@click.option("--results", "results_dir", type=click.Path(path_type=Path, file_okay=False),
              default=None, help="Folder of run results (conformance-<board>.json, app-*.json); "
              "it must hold at least one. Default: RELEASE/results under --out, else under the "
              "shipped docs/compliance, if it exists.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=None, help="Reports folder (default: docs/compliance in a checkout, "
              "$BKPORT_WORK or ~/.cache/bkport/work + /compliance for an installed bkport).")
@click.option("--waivers", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Waived regressions, 'ID<TAB>REASON' per line "
              "(default: waivers.tsv under --out, else the shipped one).")
@click.option("--inputs", "inputs_file", type=click.Path(path_type=Path, dir_okay=False),
              default=None, help="Digests of inputs a previous report did not record, "
              "'RELEASE<TAB>INPUT<TAB>SHA256<TAB>REASON' per line (default: inputs.tsv under "
              "--out, else the shipped one).")
def report(release: str, previous: str | None, results_dir: Path | None, out_dir: Path | None,
           waivers: Path | None, inputs_file: Path | None) -> None:
    """Write OUT/RELEASE/ with report.json, report.md and report.html.

    \b
    It states POSIX coverage by option group, PSE51-54 profile and header for the blueos and
    bkport profiles, the syscall table by status, conformance results per board, application
    results and the toolchain versions. With --compare, it lists what became supported, what
    regressed, what was not run and what moved because an input changed; an unwaived
    regression, or a board or app run before and not now, makes the command fail.
    `bkport report-results` produces the --results folder.

    \b
    Examples:
      bkport report --release 0.1.0
      bkport report --release 0.2.0 --compare 0.1.0
      bkport report --release 0.2.0-rc1 --results build/results --out /tmp/compliance

    \b
    Exit status: 0 written; 1 an unwaived regression or not-run, or a malformed input file
    (results, previous report, waivers, inputs); 2 a bad option (RELEASE not X.Y.Z[-suffix],
    a --results folder missing or without results files, no such --compare report).
    """
    out_dir = out_dir or _default_out()
    target = out_dir / release
    if results_dir is not None:
        results_dir = _check_results(results_dir)
    else:
        results_dir = next((d for d in (target / "results", _shipped() / release / "results")
                            if d.is_dir()), None)
    if waivers is None:
        waivers = next((w for w in (out_dir / "waivers.tsv", _shipped() / "waivers.tsv")
                        if w.is_file()), None)
    if inputs_file is None:
        inputs_file = next((w for w in (out_dir / "inputs.tsv", _shipped() / "inputs.tsv")
                            if w.is_file()), None)
    loaded = _previous(previous, out_dir) if previous else None  # checked before any work
    data = collect(release, results_dir)
    data["compare"] = None
    regressions = []
    if loaded:
        prev_release, prev = loaded
        notes: list[str] = []
        changes = apply_waivers(diff(prev, data, read_declared(inputs_file), notes),
                                read_waivers(waivers))
        data["compare"] = {"previous": prev_release, **summary(changes, notes)}
        regressions = unwaived(changes)
    written = [p for p, text in ((target / "report.json", to_json(data)),
                                 (target / "report.md", to_markdown(data)),
                                 (target / "report.html", to_html(data)))
               if write_if_changed(p, text)]
    click.echo(f"report {release} written to {target.resolve()}: "
               f"{len(written)} file(s) changed")
    if data["compare"]:
        c = data["compare"]["counts"]
        click.echo(f"against {data['compare']['previous']}: " +
                   ", ".join(f"{n} {k}" for k, n in c.items()))
        for note in data["compare"]["notes"]:
            click.echo(f"note: {note}")
    if regressions:
        for r in regressions:
            click.echo(f"{r.kind}: {r.id}: {r.before} -> {r.after or 'gone'}", err=True)
        where = waivers or out_dir / "waivers.tsv"
        raise BkportError(f"{len(regressions)} unwaived regression(s) or boards/apps not run; "
                          f"waive each in {where} "
                          f"with a reason, or fix it")

"""`bkport report`: the compliance report of a release."""

from __future__ import annotations

import json
from pathlib import Path

import click
from bkport.errors import BkportError, InputError, located
from bkport.fsutil import write_if_changed
from bkport.paths import source
from bkport.report import SCHEMA
from bkport.report.collect import collect
from bkport.report.compare import apply_waivers, diff, read_waivers, summary, unwaived
from bkport.report.render import to_html, to_json, to_markdown


def _previous(spec: str, out_dir: Path) -> tuple[str, dict]:
    path = Path(spec)
    if not path.exists():
        path = out_dir / spec / "report.json"
    if not path.exists():
        raise BkportError(f"no previous report {spec!r}: looked for {path}")
    try:
        data = json.loads(path.read_text())
    except json.JSONDecodeError as e:
        raise InputError(located(path, e.lineno, e.colno, f"not valid JSON: {e.msg}")) from e
    if data.get("schema") != SCHEMA:
        raise InputError(located(path, 1, 1, f"expected a report with schema {SCHEMA}"))
    return data["release"], data


@click.command()
@click.option("--release", required=True, help="Release being reported, e.g. 0.1.0.")
@click.option("--compare", "previous", default=None,
              help="Previous release (a folder under --out) or a report.json to diff against.")
@click.option("--results", "results_dir", type=click.Path(path_type=Path, file_okay=False),
              default=None, help="Folder of run results (conformance-<board>.json, app-*.json); "
              "default: docs/compliance/RELEASE/results if it exists.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=None, help="Reports folder (default: docs/compliance).")
@click.option("--waivers", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Waived regressions, 'ID<TAB>REASON' per line "
              "(default: docs/compliance/waivers.tsv).")
def report(release: str, previous: str | None, results_dir: Path | None, out_dir: Path | None,
           waivers: Path | None) -> None:
    """Write docs/compliance/RELEASE/ with report.json, report.md and report.html.

    \b
    It states POSIX coverage by option group, PSE51-54 profile and header for the blueos and
    bkport profiles, the syscall table by status, conformance results per board, application
    results and the toolchain versions. With --compare, it lists what became supported, what
    regressed and what changed; an unwaived regression makes the command fail.

    \b
    Examples:
      bkport report --release 0.1.0
      bkport report --release 0.2.0 --compare 0.1.0
    """
    out_dir = out_dir or source("docs/compliance")
    waivers = waivers or out_dir / "waivers.tsv"
    target = out_dir / release
    if results_dir is None and (target / "results").is_dir():
        results_dir = target / "results"
    data = collect(release, results_dir)
    data["compare"] = None
    regressions = []
    if previous:
        prev_release, prev = _previous(previous, out_dir)
        changes = apply_waivers(diff(prev, data), read_waivers(waivers))
        data["compare"] = {"previous": prev_release, **summary(changes)}
        regressions = unwaived(changes)
    written = [p for p, text in ((target / "report.json", to_json(data)),
                                 (target / "report.md", to_markdown(data)),
                                 (target / "report.html", to_html(data)))
               if write_if_changed(p, text)]
    click.echo(f"report {release} in {target}: {len(written)} file(s) changed")
    if data["compare"]:
        c = data["compare"]["counts"]
        click.echo(f"against {data['compare']['previous']}: " +
                   ", ".join(f"{n} {k}" for k, n in c.items()))
    if regressions:
        for r in regressions:
            click.echo(f"regression: {r.id}: {r.before} -> {r.after or 'gone'}", err=True)
        raise BkportError(f"{len(regressions)} unwaived regression(s); waive each in {waivers} "
                          f"with a reason, or fix it")

"""`bkport shim`: generate the stubs, fakes, emulations and kernel proposals a port needs."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import click
from bkport.errors import BkportError
from bkport.fsutil import write_if_changed
from bkport.shim.analysis import read_analysis
from bkport.toolchain.targets import ARCHES
from bkport.workspace import current

SCHEMA = "bkport.shims/1"


@click.command()
@click.argument("analysis", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              required=True, help="Where c/, kernel/, table/ and shims.json go.")
@click.option("--compile/--no-compile", "do_compile", default=True, show_default=True,
              help="Compile every C shim for the three architectures.")
def shim(analysis: Path, out_dir: Path, do_compile: bool) -> None:
    """Generate shims for every API ANALYSIS found unsupported on its profile.

    \b
    ANALYSIS is the JSON of `bkport analyze SRC --format json`. For each blocking function:
      stub     fails with the errno POSIX prescribes and says so once on stderr
      fake     succeeds where that is harmless (chown on a single-user system)
      emulate  a real implementation from the catalog (/etc/passwd lookups, rlimits)
      kernel   a wrapper for a new syscall, its Rust handler skeleton and a `proposed`
               table entry (table/proposed.bksys), checked by the table compiler
    The strategy per API is data: porter/shim/data/catalog.tsv.

    \b
    Examples:
      bkport analyze ./app --format json -o app.json
      bkport shim app.json --out apps/NAME/shims
      bkport shim app.json --out /tmp/shims --no-compile

    \b
    ANALYSIS is checked against docs/schemas/analysis-1.schema.json before anything is written;
    each problem is reported as FILE:LINE:COL: JSON-PATH: what is wrong.
    Exit status: 0 done; 1 a shim failed to compile; 2 a bad argument (ANALYSIS missing, not
    JSON or not a bkport.analysis/1 document).
    """
    from bkport.shim.build import compile_all
    from bkport.shim.generate import plan

    data = read_analysis(analysis)
    ws = current()
    result = plan(data, ws.spec, ws.table, ws.table_files, analysis.name)
    for rel, text in sorted(result.files.items()):
        write_if_changed(out_dir / rel, text)
    summary = {
        "schema": SCHEMA,
        "analysis": analysis.name,
        "profile": data.get("profile"),
        "shims": [{"api": s.api, "strategy": s.strategy, "argument": s.argument, "why": s.why,
                   "files": list(s.files)} for s in result.shims],
        "proposed_syscalls": [{"number": c.number, "variant": c.variant,
                               "signature": c.signature()} for c in result.proposed],
        "skipped": [{"api": a, "reason": r} for a, r in result.skipped],
    }
    write_if_changed(out_dir / "shims.json", json.dumps(summary, indent=2) + "\n")
    counts: dict[str, int] = {}
    for s in result.shims:
        counts[s.strategy] = counts.get(s.strategy, 0) + 1
    click.echo(f"{len(result.shims)} shims in {out_dir} (" +
               ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) +
               f"); {len(result.proposed)} proposed syscall(s); {len(result.skipped)} skipped")
    for api, reason in result.skipped:
        click.echo(f"  skipped {api}: {reason}")
    if not do_compile:
        return
    sources = sorted((out_dir / "c").glob("*.c"))
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        for arch in ARCHES:
            for r in compile_all(sources, arch, Path(tmp)):
                if not r.ok:
                    failed.append(r)
                    click.echo(f"{r.source} ({arch}):\n{r.output}", err=True)
    click.echo(f"compiled {len(sources)} shim file(s) for {', '.join(ARCHES)}: "
               f"{len(sources) * len(ARCHES) - len(failed)} ok, {len(failed)} failed")
    if failed:
        raise BkportError(f"{len(failed)} shim compilation(s) failed")

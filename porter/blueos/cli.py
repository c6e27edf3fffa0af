"""`bkport blueos ...`: the BlueKernel snapshot (`porter/blueos/data/`): refresh and show it."""

from __future__ import annotations

import json
from pathlib import Path

import click

format_option = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
checkout = click.Path(path_type=Path, exists=True, file_okay=False)


@click.group()
def blueos() -> None:
    """BlueKernel's facts as bkport's own data: calls, librs exports, stubs, with provenance.

    \b
    The snapshot in porter/blueos/data/ says what BlueOS provides (the kernel's calls with
    their signatures and Kconfig gates, librs's exported functions and data objects, librs's
    do-nothing and always-failing BlueOS backends); each file names the upstream commit it
    was read from. `import` refreshes it from source checkouts, `show` summarises it.

    \b
    Examples:
      bkport blueos show
      bkport blueos import --kernel ~/src/kernel --librs ~/src/librs --dry-run
      bkport blueos import --kernel ~/src/kernel --librs ~/src/librs
    """


@blueos.command("import")
@click.option("--kernel", "kernel", type=checkout, required=True,
              help="BlueKernel checkout (header/src/lib.rs, kernel/src/syscall_handlers/).")
@click.option("--librs", "librs", type=checkout, default=None,
              help="librs checkout (src/**/*.rs); without it the librs files are untouched.")
@click.option("--out", "out", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Snapshot folder to refresh (default: the package's porter/blueos/data).")
@click.option("--dry-run", is_flag=True, help="Print the changes, write nothing.")
@click.option("--commit", default=None,
              help="Kernel commit to record when --kernel is not a git checkout.")
@click.option("--date", default=None, help="Kernel commit date (YYYY-MM-DD), likewise.")
@click.option("--librs-commit", default=None, help="librs commit, likewise.")
@click.option("--librs-date", default=None, help="librs commit date, likewise.")
@format_option
def import_(kernel: Path, librs: Path | None, out: Path | None, dry_run: bool,
            commit: str | None, date: str | None, librs_commit: str | None,
            librs_date: str | None, fmt: str) -> None:
    """Refresh the snapshot from a kernel (and librs) checkout; print what changed.

    Writes syscalls.tsv from the kernel and, with --librs, librs-functions.tsv,
    librs-statics.tsv and librs-stubs.tsv; boards.tsv is never touched. Each file records
    `# source: REPO, commit SHA (DATE)` (git's, or --commit/--date, else "commit unknown")
    and `# imported: TODAY by bkport blueos import`. A file whose rows and source are
    unchanged is not rewritten.

    \b
    Examples:
      bkport blueos import --kernel ~/src/kernel --dry-run
      bkport blueos import --kernel ~/src/kernel --librs ~/src/librs
      bkport blueos import --kernel kernel-src --commit 37c4c94 --date 2026-07-22 --out /tmp/snap
      bkport blueos import --kernel ~/src/kernel --librs ~/src/librs --format json

    \b
    Exit status:
      0  imported (or, with --dry-run, compared)
      1  bad input: a missing file or a construct the reader does not recognise (file:line)
    """
    from bkport.blueos.importer import run_import

    res = run_import(kernel, librs, out, dry_run=dry_run, commit=commit, date=date,
                     librs_commit=librs_commit, librs_date=librs_date)
    for w in res.warnings:
        click.echo(f"warning: {w}", err=True)
    if fmt == "json":
        click.echo(json.dumps({
            "schema": "bkport.blueos-import/1", "out": str(res.out), "dry_run": res.dry_run,
            "files": [{"file": f.name, "source": f.source, "previous_source": f.old_source,
                       "changed": f.changed, "written": f.written} for f in res.files],
            "changes": [c.as_json() for c in res.changes],
            "counts": res.counts(), "warnings": res.warnings, "summary": res.summary()},
            indent=2))
        return
    for f in res.files:
        state = ("changed" if f.changed else "unchanged") + (", written" if f.written else "")
        click.echo(f"{f.name} <- {f.source} ({state})")
        for c in res.changes:
            if c.file == f.name:
                click.echo(f"  {c.line()}")
    click.echo(res.summary())


@blueos.command()
@click.option("--data", "data", type=click.Path(path_type=Path, file_okay=False, exists=True),
              default=None, help="Snapshot folder (default: the one shipped with bkport).")
@format_option
def show(data: Path | None, fmt: str) -> None:
    """The snapshot's provenance per file and what it holds.

    \b
    Examples:
      bkport blueos show
      bkport blueos show --format json
      bkport blueos show --data /tmp/snap
    """
    from bkport.blueos.facts import DATA, parse_facts
    from bkport.blueos.newlib import FILE, HEADERS_FILE, load_newlib

    root = data or DATA
    facts = parse_facts(root)
    prov = dict(facts.provenance)
    if (root / FILE).is_file() and (root / HEADERS_FILE).is_file():
        nl = load_newlib(root)
        prov[FILE] = nl.provenance
    counts = {
        "calls": len(facts.kernel_calls()),
        "functions": len(facts.functions),
        "weak": sum(f.linkage == "weak" for f in facts.functions.values()),
        "rust_abi": sum(f.abi == "Rust" for f in facts.functions.values()),
        "statics": len(facts.statics),
        "stubs": len(facts.stubs),
        "succeeds_doing_nothing": sum(s.behaviour == "succeeds-doing-nothing"
                                      for s in facts.stubs.values()),
        "always_fails": sum(s.behaviour == "always-fails" for s in facts.stubs.values()),
        "boards": len(facts.boards),
    }
    if fmt == "json":
        click.echo(json.dumps({
            "schema": "bkport.blueos-snapshot/1", "data": str(root),
            "files": {n: {"title": p.title, "source": p.source, "imported": p.imported}
                      for n, p in prov.items()},
            "counts": counts}, indent=2))
        return
    click.echo(f"BlueKernel snapshot in {root}")
    for n, p in prov.items():
        click.echo(f"  {n}")
        click.echo(f"    source:   {p.source}")
        click.echo(f"    imported: {p.imported}")
    c = counts
    click.echo(f"{c['calls']} calls (+ LastNR), {c['functions']} functions ({c['weak']} weak, "
               f"{c['rust_abi']} Rust-ABI), {c['statics']} statics, {c['stubs']} stubs "
               f"({c['succeeds_doing_nothing']} succeed doing nothing, {c['always_fails']} "
               f"always fail), {c['boards']} boards")

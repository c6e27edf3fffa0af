"""`bkport syscalls ...`: check, list, show, generate and lock the syscall table."""

from __future__ import annotations

import difflib
import json
from collections import Counter
from pathlib import Path

import click
from bkport.errors import BkportError
from bkport.fsutil import write_if_changed
from bkport.syscalls.gen import generate_all
from bkport.syscalls.gen.json_export import call_json, to_data
from bkport.syscalls.loader import default_lock, load_table, table_files
from bkport.syscalls.lock import read_lock, render_lock
from bkport.syscalls.model import StatusKind, SyscallTable
from bkport.toolchain.targets import ARCHES
from rich.console import Console
from rich.table import Table

table_option = click.option(
    "--table", "table_path", type=click.Path(path_type=Path), default=None,
    help="Table file or directory of *.bksys files (default: syscalls/table/).")
lock_option = click.option(
    "--lock", "lock_path", type=click.Path(path_type=Path), default=None,
    help="ABI lock file (default: syscalls/abi.lock).")
format_option = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)


def _load(table_path: Path | None, lock_path: Path | None) -> SyscallTable:
    """The subcommand's --table/--lock, else the command's workspace table (`bkport --table`)."""
    if table_path is None and lock_path is None:
        from bkport.workspace import current

        return current().table
    return load_table(table_path, lock_path)


@click.group()
def syscalls() -> None:
    """The declarative syscall table and what it compiles into.

    \b
    The table (syscalls/table/*.bksys) declares every BlueKernel call: permanent number, typed
    arguments with directions, errnos, feature gate, architectures, status and the POSIX
    interfaces it serves. syscalls/abi.lock guards released numbers.

    \b
    Examples:
      bkport syscalls check
      bkport syscalls list --status partial
      bkport syscalls show write
      bkport syscalls gen --arch all --out build/gen
      bkport syscalls diff-blueos --kernel ~/src/blueos-kernel
    """


@syscalls.command()
@table_option
@lock_option
def check(table_path: Path | None, lock_path: Path | None) -> None:
    """Validate the table and its lock; report every problem at once (file:line:col).

    \b
    Examples:
      bkport syscalls check
      bkport syscalls check --table my-table/ --lock my-table/abi.lock
    """
    if table_path is None and lock_path is None:  # `bkport --table X syscalls check`
        from bkport.workspace import current

        table_path, lock_path = current().table_path, current().lock_path
    table = _load(table_path, lock_path)
    totals = Counter(c.status.kind.value for c in table.calls)
    lock = read_lock(lock_path or default_lock()) if table_path is None or lock_path else []
    summary = ", ".join(f"{n} {k}" for k, n in sorted(totals.items()))
    click.echo(f"ok: {table.count} calls ({summary}) in {len(table_files(table_path))} file(s); "
               f"{len(lock)} numbers locked")


@syscalls.command("list")
@table_option
@lock_option
@format_option
@click.option("--status", type=click.Choice([k.value for k in StatusKind]), default=None,
              help="Only calls with this status.")
@click.option("--gate", default=None, help="Only calls behind this feature gate.")
def list_(table_path, lock_path, fmt, status, gate) -> None:
    """List the calls: number, name, status, gate, POSIX interfaces.

    \b
    Examples:
      bkport syscalls list
      bkport syscalls list --status partial
      bkport syscalls list --gate enable_net --format json
    """
    table = _load(table_path, lock_path)
    calls = [c for c in table.calls
             if (status is None or c.status.kind.value == status)
             and (gate is None or c.gate == gate)]
    if fmt == "json":
        click.echo(json.dumps(to_data(table, calls), indent=2))
        return
    t = Table(title=f"{len(calls)} of {table.count} BlueKernel syscalls")
    for col in ("nr", "variant", "signature", "status", "gate", "POSIX"):
        t.add_column(col, overflow="fold")
    for c in calls:
        t.add_row(str(c.number), c.variant, c.signature(), str(c.status), c.gate or "",
                  " ".join(c.posix))
    Console(width=200).print(t)


@syscalls.command()
@click.argument("name")
@table_option
@lock_option
@format_option
def show(name: str, table_path, lock_path, fmt) -> None:
    """Everything the table says about one call (by handler name or variant).

    \b
    Examples:
      bkport syscalls show write
      bkport syscalls show Write --format json
    """
    table = _load(table_path, lock_path)
    call = table.by_name(name)
    if call is None:
        names = [c.name for c in table.calls] + [c.variant for c in table.calls]
        close = difflib.get_close_matches(name, names, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise BkportError(f"no syscall named {name!r}{hint}")
    if fmt == "json":
        click.echo(json.dumps(call_json(call), indent=2))
        return
    rows = [
        ("number", str(call.number)), ("variant", call.variant),
        ("signature", call.signature()), ("status", str(call.status)),
        ("gate", call.gate or "(always built)"), ("arch", ", ".join(call.arches)),
        ("errors", " ".join(call.errors) or "-"), ("POSIX", " ".join(call.posix) or "-"),
        ("doc", call.doc), ("declared at", str(call.loc)),
    ]
    for k, v in rows:
        click.echo(f"{k:>12}: {v}")


@syscalls.command()
@table_option
@lock_option
@click.option("--arch", "arches", multiple=True, default=["all"], show_default=True,
              type=click.Choice(["all", *ARCHES]), help="Architecture(s) to generate for.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True,
              help="Output directory: <arch>/kernel, <arch>/user, syscalls.md, syscalls.json.")
@click.option("--docs", "docs_path", type=click.Path(path_type=Path), default=None,
              help="Also write the Markdown reference here (e.g. docs/syscalls.md).")
def gen(table_path, lock_path, arches, out_dir: Path, docs_path: Path | None) -> None:
    """Compile the table into kernel stubs, user wrappers, docs and JSON.

    \b
    Examples:
      bkport syscalls gen --arch all --out build/gen
      bkport syscalls gen --arch riscv64 --out /tmp/gen --docs docs/syscalls.md
    """
    table = _load(table_path, lock_path)
    selected = list(ARCHES) if "all" in arches else list(dict.fromkeys(arches))
    changed = generate_all(table, selected, out_dir)
    if docs_path is not None:
        from bkport.syscalls.gen.docs import render

        if write_if_changed(docs_path, render(table)):
            changed.append(docs_path)
    click.echo(f"generated for {', '.join(selected)} in {out_dir}: {len(changed)} file(s) changed")
    for p in changed:
        click.echo(f"  {p}")


@syscalls.command()
@table_option
@lock_option
@click.option("--release", required=True, help="Release name recorded for newly locked calls.")
def lock(table_path, lock_path, release: str) -> None:
    """Lock every released (non-proposed) call not yet in the lock. Append-only.

    \b
    Examples:
      bkport syscalls lock --release 0.2.0
      bkport syscalls lock --release 0.2.0 --lock /tmp/abi.lock
    """
    table = _load(table_path, lock_path)
    path = lock_path or default_lock()
    existing = read_lock(path)
    text = render_lock(existing, list(table.calls), release)
    before = len(existing)
    write_if_changed(path, text)
    after = len(read_lock(path))
    click.echo(f"{path}: {after - before} call(s) locked under {release}; {after} in all")


@syscalls.command("diff-blueos")
@click.argument("checkout", required=False,
                type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--kernel", "kernel", type=click.Path(path_type=Path, exists=True, file_okay=False),
              default=None, help="BlueKernel checkout to compare against (CHECKOUT is an alias); "
              "default: the shipped BlueKernel snapshot.")
@table_option
@lock_option
@format_option
def diff_blueos(checkout: Path | None, kernel: Path | None, table_path, lock_path, fmt) -> None:
    """Report drift between the table and BlueKernel (exit 1 if any).

    With --kernel DIR (or CHECKOUT), reads DIR/header/src/lib.rs (enum NR) and
    DIR/kernel/src/syscall_handlers/*.rs (syscall_table! and handler signatures); without,
    compares against the shipped snapshot (porter/blueos/data/syscalls.tsv). The output first
    says what it compared against: the snapshot's provenance or the checkout's commit.

    \b
    Examples:
      bkport syscalls diff-blueos
      bkport syscalls diff-blueos --kernel ~/src/blueos-kernel
      bkport syscalls diff-blueos --kernel ~/src/blueos-kernel --format json
    """
    from bkport.blueos.importer import origin
    from bkport.syscalls.blueos_diff import diff, from_calls, read_checkout

    if checkout is not None and kernel is not None and checkout.resolve() != kernel.resolve():
        raise click.UsageError("give the checkout once: CHECKOUT or --kernel DIR")
    kernel = kernel or checkout
    table = _load(table_path, lock_path)
    if kernel is not None:
        up = read_checkout(kernel)
        src = origin(kernel).source()
        against = {"kind": "checkout", "path": str(kernel), "source": src}
        said = f"BlueKernel checkout {kernel} ({src})"
    else:
        from bkport.blueos.facts import DATA, load_facts

        facts = load_facts()
        up = from_calls(facts.calls)
        prov = facts.provenance["syscalls.tsv"]
        against = {"kind": "snapshot", "path": str(DATA / "syscalls.tsv"),
                   "source": prov.source, "imported": prov.imported}
        said = (f"the shipped BlueKernel snapshot {DATA / 'syscalls.tsv'} "
                f"(source: {prov.source}; imported: {prov.imported})")
    drifts = diff(table, up)
    n_up = len([v for v in up.variants if v != "LastNR"])
    if fmt == "json":
        click.echo(json.dumps({
            "schema": "bkport.blueos-diff/1", "against": against,
            "checkout": str(kernel) if kernel is not None else None,
            "upstream_calls": n_up,
            "drift": [{"kind": d.kind, "variant": d.variant, "message": d.message}
                      for d in drifts]}, indent=2))
    else:
        click.echo(f"compared against {said}")
        for d in drifts:
            click.echo(f"{d.kind:>16}  {d.message}")
        where = kernel if kernel is not None else "the snapshot"
        click.echo(f"{len(drifts)} difference(s) against {where} ({n_up} upstream calls)")
    if drifts:
        raise SystemExit(1)

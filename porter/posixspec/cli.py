"""`bkport posix`: the POSIX spec and support database on the command line (a thin shell)."""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import click
from bkport.errors import BkportError
from bkport.fsutil import write_if_changed
from bkport.posixspec.abicheck import abi_diff, prototype_conflicts
from bkport.posixspec.gen import owned, write_headers
from bkport.posixspec.gen_abi import render_rust_constants
from bkport.posixspec.model import PSE_PROFILES, Interface
from bkport.posixspec.support import PROFILES, STATUSES, Support, header_names
from bkport.toolchain.targets import ARCHES
from bkport.workspace import current
from rich.console import Console
from rich.table import Table

COVERAGE_SCHEMA = "bkport.posix-coverage/1"
SHOW_SCHEMA = "bkport.posix-interface/1"
ABI_SCHEMA = "bkport.posix-abi/1"
PROTO_SCHEMA = "bkport.posix-prototypes/1"
OPTIONS_SCHEMA = "bkport.posix-options/1"
COLOURS = {"supported": "green", "partial": "yellow", "stub": "magenta", "missing": "red"}


@click.group()
def posix() -> None:
    """The declarative POSIX headers (posix/spec/) and who supports each interface.

    \b
    Examples:
      bkport posix show pthread_create
      bkport posix coverage --by pse
      bkport posix coverage --profile blueos --by group --format json
      bkport posix options --profile both
      bkport posix gen --out build/sysroot
      bkport posix abi --arch cortex-m
    """


def _support_dict(s: Support) -> dict[str, Any]:
    return {"status": s.status, "provider": s.provider, "note": s.note}


def interface_dict(itf: Interface, supports: dict[str, Support]) -> dict[str, Any]:
    return {
        "schema": SHOW_SCHEMA,
        "name": itf.name,
        "header": itf.header,
        "also_declared_in": list(itf.also),
        "form": itf.kind.value,
        "declaration": itf.decl,
        "returns": itf.returns,
        "params": [{"name": p.name, "type": p.type} for p in itf.params],
        "variadic": itf.variadic,
        "option_groups": list(itf.option_groups),
        "margin_codes": list(itf.codes),
        "category": itf.category,
        "pse": list(itf.pse),
        "posix": list(itf.posix),
        "removed": list(itf.removed),
        "source": str(itf.loc),
        "support": {p: _support_dict(s) for p, s in supports.items()},
    }


def arguments_dict(name: str) -> dict[str, Any]:
    """profile -> [{param, index, patterns, values: {NAME: {status, note}}, other, decided_at}]
    for the deciding arguments of `name` a profile records (spec `arg:` lines)."""
    out: dict[str, Any] = {}
    for p in PROFILES:
        rows = current().support(p).arguments.get(name, ())
        out[p] = [{
            "param": a.param, "index": a.index,
            "values": {v: {"status": s.status, "note": s.note}
                       for v, s in sorted(a.values.items())},
            "other": {"status": a.other.status, "note": a.other.note} if a.other else None,
            "decided_at": a.where,
        } for a in rows]
    return out


def _show_symbol(name: str, fmt: str) -> None:
    sym = header_names(current().spec)[name]
    supports = {p: current().support(p).lookup_name(name) for p in PROFILES}
    if fmt == "json":
        click.echo(json.dumps({"schema": SHOW_SCHEMA, "name": name, "header": sym.header,
                               "form": "header-macro", "declaration": sym.form,
                               "source": str(sym.loc),
                               "support": {p: _support_dict(s) for p, s in supports.items()
                                           if s}}, indent=2))
        return
    console = Console()
    console.print(f"[bold]{name}[/bold]  <{sym.header}>  (macro of the header)")
    console.print(f"  {sym.form}", highlight=False, markup=False)
    console.print(f"  {'spec':<13} {sym.loc}", highlight=False, markup=False)
    _print_supports(console, supports)


def _print_supports(console: Console, supports: dict[str, Any]) -> None:
    for p, s in supports.items():
        if s is None:
            continue
        c = COLOURS[s.status]
        line = f"  {p:<13} [{c}]{s.status}[/{c}]"
        if s.provider:
            line += f" via {s.provider}"
        console.print(line, highlight=False)
        if s.note:
            console.print(f"  {'':<13} {s.note}", highlight=False, markup=False)


def _print_arguments(console: Console, itf: Interface) -> None:
    for p, rows in arguments_dict(itf.name).items():
        if not rows:
            params = ", ".join(a.param for a in itf.args)
            console.print(f"  {p:<13} {params}: values not recorded (no source of this profile "
                          "decides on them)", highlight=False, markup=False)
        for a in rows:
            by: dict[str, list[str]] = {}
            for v, s in a["values"].items():
                by.setdefault(s["status"], []).append(v)
            console.print(f"  {p:<13} {a['param']}: decided at {a['decided_at']}",
                          highlight=False, markup=False)
            for st, names in by.items():
                console.print(f"  {'':<13}   {st}: {' '.join(names)}", highlight=False,
                              markup=False)
            other = a["other"]
            console.print(f"  {'':<13}   any other: "
                          + (f"{other['status']} ({other['note']})" if other else
                             "not restricted"), highlight=False, markup=False)


def _unknown(name: str, names: list[str]) -> BkportError:
    close = difflib.get_close_matches(name, names, n=5, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return BkportError(f"{name!r} is not a POSIX interface or header macro in posix/spec/{hint}")


@posix.command()
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def show(name: str, fmt: str) -> None:
    """Everything known about one interface, with its support on both profiles.

    NAME may also be a macro or constant a header must define (`WIFEXITED`, `_SC_ARG_MAX`,
    `SIGRTMIN`: the spec's `macro` and `define` lines). For a function with deciding arguments
    (`arg:`, e.g. fcntl's cmd), the values each profile handles are listed, and where that was
    read.

    \b
    Examples:
      bkport posix show pthread_create
      bkport posix show fcntl          # which F_* commands the layer handles
      bkport posix show WIFEXITED
      bkport posix show open --format json
    """
    spec = current().spec
    itf = spec.get(name)
    if itf is None and name in header_names(spec):
        _show_symbol(name, fmt)
        return
    if itf is None:
        raise _unknown(name, [*spec.interfaces, *header_names(spec)])
    supports = {p: current().support(p).lookup(name) for p in PROFILES}
    data = interface_dict(itf, {p: s for p, s in supports.items() if s})
    if itf.args:
        data["arguments"] = arguments_dict(name)
    if fmt == "json":
        click.echo(json.dumps(data, indent=2))
        return
    console = Console()
    console.print(f"[bold]{itf.name}[/bold]  <{itf.header}>  ({itf.kind.name.lower()})")
    console.print(f"  {itf.decl}", highlight=False, markup=False)
    rows = [
        ("option group", " ".join(itf.option_groups) or "(none)"),
        ("margin codes", " ".join(itf.codes) or "-"),
        ("PSE profiles", " ".join(itf.pse) or "-"),
        ("POSIX", " ".join(itf.posix) + (f" (removed {' '.join(itf.removed)})"
                                         if itf.removed else "")),
        ("also in", " ".join(itf.also) or "-"),
        ("spec", str(itf.loc)),
    ]
    for k, v in rows:
        console.print(f"  {k:<13} {v}", highlight=False, markup=False)
    _print_supports(console, supports)
    if itf.args:
        _print_arguments(console, itf)


def coverage_data(profiles: list[str], by: str) -> dict[str, Any]:
    spec = current().spec
    out: dict[str, Any] = {"schema": COVERAGE_SCHEMA, "interfaces": spec.count,
                           "statuses": list(STATUSES), "by": by, "profiles": {}}
    for p in profiles:
        db = current().support(p)
        out["profiles"][p] = {
            "sources": list(db.sources),
            "total": db.totals(),
            "by_group": db.counts("group"),
            "by_pse": {k: db.counts("pse").get(k, dict.fromkeys([*STATUSES, "total"], 0))
                       for k in PSE_PROFILES},
        }
        if by == "header":
            out["profiles"][p]["by_header"] = db.counts("header")
    return out


LIST_SCHEMA = "bkport.posix-coverage-list/1"


def listed(profile: str, statuses: tuple[str, ...], pse: str | None) -> list[dict[str, str]]:
    """The interfaces of `profile` with one of `statuses` (in `pse`, if given), with the
    reason each is not fully supported and who provides it."""
    db = current().support(profile)
    return [{"interface": n, "status": s.status, "header": s.interface.header,
             "reason": s.note or "", "provider": s.provider or ""}
            for n, s in sorted(db.entries.items())
            if s.status in statuses and (pse is None or pse in s.interface.pse)]


@posix.command()
@click.option("--profile", type=click.Choice([*PROFILES, "both"]), default="both")
@click.option("--by", type=click.Choice(["group", "pse", "header"]), default="pse")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--list", "list_", metavar="STATUS[,STATUS]", default=None,
              help="instead of counts, list the interfaces with these statuses "
                   f"({', '.join(STATUSES)}) and why: `stub` is the exclusion list")
@click.option("--pse", type=click.Choice(list(PSE_PROFILES)), default=None,
              help="with --list: only the interfaces this profile requires")
def coverage(profile: str, by: str, fmt: str, list_: str | None, pse: str | None) -> None:
    """Supported / partial / stub / missing counts per option group, PSE profile or header.

    JSON always carries the counts per option group and per PSE51-54 profile. Implemented is
    supported + partial (a partial interface works, with the limit its reason names); a stub
    always fails, for a reason one address space cannot get round (fork, exec): `--list stub`
    is the exclusion list, with each reason.

    \b
    Examples:
      bkport posix coverage --by pse
      bkport posix coverage --profile blueos --by header
      bkport posix coverage --profile bkport --by group --format json
      bkport posix coverage --profile bkport --list stub
      bkport posix coverage --profile bkport --list missing,partial --pse PSE53
    """
    profiles = list(PROFILES) if profile == "both" else [profile]
    if list_ is not None:
        wanted = tuple(x.strip() for x in list_.split(",") if x.strip())
        bad = [x for x in wanted if x not in STATUSES]
        if bad or not wanted:
            raise click.BadParameter(f"{', '.join(bad) or list_!r}: expected one or more of "
                                     f"{', '.join(STATUSES)}, comma-separated",
                                     param_hint="--list")
        _print_listed({p: listed(p, wanted, pse) for p in profiles}, fmt)
        return
    if pse is not None:
        raise click.UsageError("--pse goes with --list (the counts already cover each profile)")
    data = coverage_data(profiles, by)
    if fmt == "json":
        click.echo(json.dumps(data, indent=2))
        return
    console = Console()
    key = {"group": "by_group", "pse": "by_pse", "header": "by_header"}[by]
    for p in profiles:
        d = data["profiles"][p]
        table = Table(title=f"POSIX coverage, profile {p}, by {by}")
        table.add_column(by)
        for st in STATUSES:
            table.add_column(st, justify="right", style=COLOURS[st])
        table.add_column("total", justify="right")
        for k, counts in d[key].items():
            table.add_row(k, *(str(counts[st]) for st in (*STATUSES, "total")))
        t = d["total"]
        table.add_row("[bold]all interfaces[/bold]", *(str(t[st]) for st in (*STATUSES, "total")))
        console.print(table)
        if by == "pse":
            console.print("  implemented (supported + partial): " + ", ".join(
                f"{k} {c['supported'] + c['partial']}/{c['total']} "
                f"({100 * (c['supported'] + c['partial']) / max(1, c['total']):.1f}%)"
                for k, c in d[key].items()), highlight=False)
        console.print("  computed from: " + "; ".join(d["sources"]), highlight=False)


@posix.command()
@click.option("--profile", type=click.Choice([*PROFILES, "both"]), default="bkport")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def options(profile: str, fmt: str) -> None:
    """The POSIX options (_POSIX_TIMERS, _POSIX_SPAWN, ...) a profile has, and what each lacks.

    An option is present when every interface it requires (posix/options.tsv) is supported or
    partial on the profile. For the bkport profile this is what the layer advertises in
    <unistd.h> and answers from sysconf (docs/layer.md, "POSIX options").

    \b
    Examples:
      bkport posix options
      bkport posix options --profile both --format json
    """
    from bkport.posixspec.options import load_options, option_states
    from bkport.posixspec.support import load_support

    opts = load_options()
    profiles = list(PROFILES) if profile == "both" else [profile]
    data = {p: option_states(opts, load_support(p)) for p in profiles}
    if fmt == "json":
        click.echo(json.dumps({"schema": OPTIONS_SCHEMA, "profiles": {
            p: [{"option": s.option.name, "sysconf": s.option.sysconf, "present": s.present,
                 "lacking": list(s.lacking), "reason": s.option.reason or None}
                for s in states] for p, states in data.items()}}, indent=2))
        return
    console = Console()
    for p, states in data.items():
        present = sum(s.present for s in states)
        table = Table(title=f"POSIX options, profile {p}: {present} of {len(states)} present")
        table.add_column("option", no_wrap=True)
        table.add_column("present")
        table.add_column("lacking", overflow="fold")
        for s in states:
            why = ", ".join(s.lacking) or s.option.reason
            table.add_row(s.option.name, "[green]yes[/]" if s.present else "[red]no[/]", why)
        console.print(table)


def _print_listed(rows: dict[str, list[dict[str, str]]], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps({"schema": LIST_SCHEMA, "profiles": rows}, indent=2))
        return
    console = Console()
    for p, items in rows.items():
        table = Table(title=f"profile {p}: {len(items)} interfaces")
        for col in ("interface", "status", "header", "reason"):
            table.add_column(col, overflow="fold")
        for r in items:
            table.add_row(r["interface"], f"[{COLOURS[r['status']]}]{r['status']}[/]",
                          f"<{r['header']}>", r["reason"])
        console.print(table)


@posix.command()
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="directory receiving include/ (the sysroot headers) and test/")
@click.option("--arch", type=click.Choice([*ARCHES, "all"]), default="all",
              help="the headers are the same for every arch; accepted for symmetry")
@click.option("--rust", "rust", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="also write the kernel's Linux-ABI constants (O_*, S_IF*, CLOCK_*, ...) as "
                   "Rust to this file: kernel/src/abi_linux.rs, which kernel/src/abi.rs includes")
def gen(out: Path, arch: str, rust: Path | None) -> None:
    """Generate the layer's sysroot headers (those picolibc lacks) and the header test.

    Every Linux value the layer and the kernel use comes from the spec's `define` lines:
    <bkport/linux_abi.h> (BK_ names), <bkport/abi_translate.h> (picolibc <-> Linux
    translators the layer calls) and, with --rust, the kernel's Rust constants (committed; a
    test checks the committed file is current).

    \b
    Examples:
      bkport posix gen --out build/sysroot
      bkport posix gen --out /tmp/sysroot --arch riscv64
      bkport posix gen --out build/sysroot --rust kernel/src/abi_linux.rs
    """
    spec = current().spec
    changed = write_headers(spec, out)
    click.echo(f"{len(owned(spec))} sysroot headers, <bkport/linux_abi.h>, "
               f"<bkport/abi_translate.h> and the header test: {len(changed)} file(s) changed "
               f"under {out}")
    if rust is not None:
        state = "written" if write_if_changed(rust, render_rust_constants(spec)) else "unchanged"
        click.echo(f"kernel constants: {rust} {state}")


@posix.command()
@click.option("--arch", type=click.Choice([*ARCHES, "all"]), default="all")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--all", "show_all", is_flag=True, help="list equal constants too")
@click.option("--prototypes", is_flag=True,
              help="compare the spec's prototypes with picolibc's declarations instead")
def abi(arch: str, fmt: str, show_all: bool, prototypes: bool) -> None:
    """Compare the spec's Linux constants (errno, O_*, signals, CLOCK_*) with picolibc's.

    Differences are what the layer's wrappers translate (<bkport/abi_translate.h>).
    With --prototypes: where picolibc declares a function differently from the spec.

    \b
    Examples:
      bkport posix abi --arch cortex-m
      bkport posix abi --arch all --all --format json
      bkport posix abi --prototypes --arch aarch64
    """
    spec = current().spec
    arches = list(ARCHES) if arch == "all" else [arch]
    if prototypes:
        conflicts = {a: prototype_conflicts(spec, a) for a in arches}
        if fmt == "json":
            click.echo(json.dumps({"schema": PROTO_SCHEMA, "arches": {
                a: [{"interface": c.interface, "where": c.where, "message": c.message}
                    for c in cs] for a, cs in conflicts.items()}}, indent=2))
            return
        for a, cs in conflicts.items():
            click.echo(f"{a}: {len(cs)} prototype(s) picolibc declares differently or cannot "
                       "type")
            for c in cs:
                click.echo(f"  {c.where}: {c.interface}: {c.message}")
        return
    diffs = {a: abi_diff(spec, a) for a in arches}
    if fmt == "json":
        click.echo(json.dumps({"schema": ABI_SCHEMA, "arches": {
            a: [{"name": d.name, "header": d.header, "linux": d.linux, "picolibc": d.picolibc,
                 "status": d.status} for d in ds] for a, ds in diffs.items()}}, indent=2))
        return
    console = Console()
    for a, ds in diffs.items():
        table = Table(title=f"picolibc ({a}) vs Linux values")
        for col in ("constant", "header", "linux", "picolibc", "status"):
            table.add_column(col)
        for d in ds:
            if show_all or d.status != "same":
                table.add_row(d.name, d.header, str(d.linux),
                              "-" if d.picolibc is None else str(d.picolibc), d.status)
        console.print(table)
        counts = {s: sum(1 for d in ds if d.status == s) for s in ("same", "different", "absent")}
        console.print(f"  {a}: " + ", ".join(f"{n} {s}" for s, n in counts.items()))

"""Analysis (schema bkport.analysis/1) + POSIX spec + syscall table + catalog -> shim sources.

Pure: returns file texts; the CLI writes them. Every API the analysis found blocking gets either a
shim or a reason why none was generated (never silently dropped). A function that never returns
(exit, pthread_exit, a _Noreturn prototype) never gets a shim that returns, and the setjmp family
gets none at all (porter/shim/data/control.tsv).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from bkport.errors import InputError, located
from bkport.posixspec.model import Kind, PosixSpec
from bkport.shim.catalog import KERNEL_DECL, TEMPLATES, Entry, load_catalog
from bkport.syscalls.gen import rust_kernel
from bkport.syscalls.loader import build_table
from bkport.syscalls.model import Syscall, SyscallTable
from bkport.syscalls.parser import RawFile, parse_text

SHIM_STATUSES = ("unsupported", "linux-only", "unknown")
FUNCTION_KINDS = ("call", "addr")
CONTROL = Path(__file__).parent / "data" / "control.tsv"
CONTROL_ANSWERS = ("none", "abort")


@dataclass(frozen=True)
class Control:
    api: str
    answer: str  # "none": never shimmed; "abort": never returns
    why: str


@cache
def load_control(path: Path = CONTROL) -> dict[str, Control]:
    """porter/shim/data/control.tsv: the APIs a returning C function must not stand in for."""
    out: dict[str, Control] = {}
    problems = []
    for i, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) != 3 or cols[1] not in CONTROL_ANSWERS or cols[0] in out:
            problems.append(located(path, i, 1, "expected 3 tab-separated columns: api, "
                                                "none|abort, why (each api once)"))
            continue
        out[cols[0]] = Control(*cols)
    if problems:
        raise InputError(problems)
    return out


def _never_returns(name: str, decl: str) -> bool:
    c = load_control().get(name)
    return (c is not None and c.answer == "abort") or re.match(r"\s*_Noreturn\b", decl) is not None


def _escape(name: str) -> str | None:
    """How a shim of a function that never returns ends the program: abort(), except for the
    functions abort() itself ends in (it raises SIGABRT, whose default action is _exit)."""
    if name in ("_exit", "_Exit"):
        return None  # nothing below them: the template traps
    if name == "abort":
        return "_exit(128 + SIGABRT)"
    return "abort()"


@dataclass(frozen=True)
class Shim:
    api: str
    strategy: str
    argument: str
    why: str
    files: tuple[str, ...]


@dataclass
class ShimSet:
    shims: list[Shim] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # relative path -> text
    proposed: list[Syscall] = field(default_factory=list)


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                              undefined=jinja2.StrictUndefined, trim_blocks=True,
                              lstrip_blocks=True, keep_trailing_newline=True)


def _failure(returns: str) -> str | None:
    r = returns.strip()
    if r == "void":
        return None
    if r.endswith("*"):
        return "NULL"
    return f"({r})-1"


def _definition(decl: str) -> str:
    return re.sub(r"\s*;\s*$", "", decl.strip())


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _default(api: dict[str, Any]) -> Entry:
    if api.get("action") == "fake":
        return Entry(api["api"], "fake", "0", "the analysis advises faking it")
    return Entry(api["api"], "stub", "ENOSYS", f"{api['status']} on the profile")


def _propose(table: SyscallTable, entries: list[Entry], analysis_name: str) -> str:
    lines = [f"# Proposed by bkport shim from {analysis_name}: new calls appended after "
             f"{table.count - 1}.\n# Move them into syscalls/table/ to adopt them.\n"]
    for i, e in enumerate(entries):
        m = KERNEL_DECL.match(e.argument)
        assert m is not None  # the catalog loader checked it
        name, params, ret = m.groups()
        doc = f"{e.why[:1].upper()}{e.why[1:]}."
        lines.append(
            f"\nsyscall {table.count + i} {_camel(name)} {name}({params}) -> {ret} {{\n"
            f"    status proposed;\n    posix {e.api};\n    doc \"{doc}\";\n}}\n")
    return "".join(lines)


def _validated(raws: Sequence[RawFile], proposed: str) -> SyscallTable:
    """The real table plus the proposals, checked by the table compiler itself (from the
    workspace's parsed table files: nothing is read again)."""
    raw, diags = parse_text(proposed, "table/proposed.bksys")
    return build_table([*raws, raw], diags=diags, locked=False)


def plan(analysis: dict[str, Any], spec: PosixSpec, table: SyscallTable,
         raws: Sequence[RawFile], analysis_name: str) -> ShimSet:
    """The shims for `analysis`. `table` is the checked syscall table and `raws` its parsed
    files (bkport.workspace.Workspace.table / .table_files), which proposals are checked with."""
    catalog = load_catalog()
    out = ShimSet()
    banner = (f"/* Generated by bkport shim (porter/shim) from {analysis_name}, profile "
              f"{analysis.get('profile')}. Do not edit: regenerate it. */")
    wanted: list[tuple[dict[str, Any], Entry]] = []
    for api in analysis["apis"]:
        if api["status"] not in SHIM_STATUSES:
            continue
        name = api["api"]
        control = load_control().get(name)
        if control is not None and control.answer == "none":
            out.skipped.append((name, f"no shim can stand in for it: {control.why}"))
            continue
        if not set(api["kinds"]) & set(FUNCTION_KINDS):
            out.skipped.append((name, f"a {'/'.join(api['kinds'])} reference, not a function: "
                                      f"configure it away or provide it in a header"))
            continue
        wanted.append((api, catalog.get(name) or _default(api)))

    kernel = sorted((e for _, e in wanted if e.strategy == "kernel"), key=lambda e: e.api)
    proposed_calls: dict[str, Syscall] = {}
    if kernel:
        text = _propose(table, kernel, analysis_name)
        merged = _validated(raws, text)
        out.proposed = [c for c in merged.calls if c.number >= table.count]
        proposed_calls = {e.api: c for e, c in zip(kernel, out.proposed, strict=True)}
        out.files["table/proposed.bksys"] = text

    emitted_templates: dict[str, str] = {}
    for api, entry in sorted(wanted, key=lambda w: w[0]["api"]):
        name = api["api"]
        itf = spec.get(name)
        if entry.strategy == "emulate":
            rel = f"c/emulate_{entry.argument}.c"
            if entry.argument not in emitted_templates:
                out.files[rel] = _env().get_template(f"emulate_{entry.argument}.c.j2").render(
                    banner=banner)
                emitted_templates[entry.argument] = rel
            out.shims.append(Shim(name, "emulate", entry.argument, entry.why, (rel,)))
            continue
        if itf is None or itf.kind is not Kind.FUNCTION or itf.returns is None:
            out.skipped.append((name, "no C prototype known (not a POSIX function): add a "
                                      "strategy and write the shim in posix/layer/"))
            continue
        if any(p.name is None for p in itf.params) or itf.returns.startswith("struct ") \
                and not itf.returns.endswith("*"):
            out.skipped.append((name, "prototype has unnamed parameters or returns a struct "
                                      "by value: write this shim by hand"))
            continue
        params = [p.name for p in itf.params if p.type != "void"]
        noreturn = _never_returns(name, itf.decl)
        definition = _definition(itf.decl)
        if noreturn and not definition.startswith("_Noreturn"):
            definition = f"_Noreturn {definition}"  # the compiler then checks the body
        ctx = dict(banner=banner, name=name, why=entry.why, header=itf.header,
                   definition=definition, params=params, returns=itf.returns)
        rel = f"c/{name}.c"
        files = [rel]
        if noreturn and entry.strategy in ("stub", "fake"):
            # Returning (a stub's -1, a fake's success) would run the caller on past a point it
            # never expects to pass: report and end the program instead.
            out.files[rel] = _env().get_template("noreturn.c.j2").render(
                call=None, escape=_escape(name), **ctx)
            out.shims.append(Shim(name, "stub", "noreturn", entry.why, (rel,)))
            continue
        if entry.strategy == "stub":
            out.files[rel] = _env().get_template("stub.c.j2").render(
                errno=entry.argument, failure=_failure(itf.returns), **ctx)
        elif entry.strategy == "fake":
            value = None if itf.returns.strip() == "void" else entry.argument
            out.files[rel] = _env().get_template("fake.c.j2").render(value=value, **ctx)
        else:
            call = proposed_calls[name]
            if len(params) != len(call.params):
                out.skipped.append((name, f"the proposed syscall takes {len(call.params)} "
                                          f"arguments, {name}() {len(params)}"))
                continue
            template = "noreturn.c.j2" if noreturn else "kernel.c.j2"
            out.files[rel] = _env().get_template(template).render(
                call=call, escape=_escape(name), **ctx)
            krel = f"kernel/{call.name}.rs"
            out.files[krel] = _env().get_template("kernel_handler.rs.j2").render(
                banner=banner.replace("/*", "//").replace(" */", ""), call=call,
                view=rust_kernel.view(call, "riscv64"))
            files.append(krel)
        out.shims.append(Shim(name, entry.strategy, entry.argument, entry.why, tuple(files)))
    return out

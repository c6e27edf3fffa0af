"""Gather everything a compliance report states into one plain, JSON-ready dict.

Inputs are the models every command uses (the syscall table, the POSIX spec and its support
database) plus result files of runs on the boards. Nothing time- or path-dependent goes in, so the
same checkout and machine image give the same report byte for byte.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bkport import __version__
from bkport.errors import InputError, located
from bkport.posixspec.model import PSE_PROFILES
from bkport.posixspec.support import PROFILES, STATUSES
from bkport.report import SCHEMA
from bkport.report.inputs import record
from bkport.report.toolchain import versions
from bkport.syscalls.model import StatusKind
from bkport.toolchain.targets import BOARDS
from bkport.workspace import current

CONFORMANCE_SCHEMA = "bkport.conformance-results/2"
# Older results (one verdict per program, no per-check results) still render, without the
# per-interface table.
CONFORMANCE_SCHEMAS = ("bkport.conformance-results/1", CONFORMANCE_SCHEMA)
APPS_SCHEMA = "bkport.app-results/1"


def coverage() -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    spec = current().spec
    profiles: dict[str, Any] = {}
    per_interface: dict[str, dict[str, str]] = {name: {} for name in sorted(spec.interfaces)}
    for p in PROFILES:
        db = current().support(p)
        zero = dict.fromkeys([*STATUSES, "total"], 0)
        by_pse = db.counts("pse")
        profiles[p] = {
            "sources": list(db.sources),
            "total": db.totals(),
            "by_pse": {k: by_pse.get(k, zero) for k in PSE_PROFILES},
            "by_group": db.counts("group"),
            "by_header": db.counts("header"),
        }
        for name in per_interface:
            s = db.lookup(name)
            per_interface[name][p] = s.status if s else "missing"
    return {"interfaces": spec.count, "statuses": list(STATUSES), "profiles": profiles}, \
        per_interface


def syscalls() -> dict[str, Any]:
    table = current().table
    by_status = {k.value: 0 for k in StatusKind}
    for c in table.calls:
        by_status[c.status.kind.value] += 1
    return {
        "count": table.count,
        "by_status": by_status,
        "calls": {c.variant: {"number": c.number, "status": c.status.kind.value,
                              "note": c.status.note} for c in table.calls},
    }


def _read_results(path: Path, schema: str | tuple[str, ...]) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except json.JSONDecodeError as e:
        raise InputError(located(path, e.lineno, e.colno, f"not valid JSON: {e.msg}")) from e
    schemas = (schema,) if isinstance(schema, str) else schema
    if data.get("schema") not in schemas:
        raise InputError(located(path, 1, 1, f"expected \"schema\": \"{schemas[-1]}\""))
    return data


CHECK_RESULTS = ("pass", "fail", "xfail", "xpass")


def _per_interface(tests: dict[str, Any]) -> dict[str, dict[str, int]]:
    """interface -> checks per result, counted from every program's per-check results. A check
    without an interface tag counts under its program's name, marked `untagged`."""
    out: dict[str, dict[str, int]] = {}
    for name, t in tests.items():
        for c in t.get("checks", []):
            key = c["interface"] if c.get("tagged", True) else f"{name} (untagged)"
            row = out.setdefault(key, dict.fromkeys(CHECK_RESULTS, 0))
            row[c["result"]] += 1
    return dict(sorted(out.items()))


def conformance(results_dir: Path | None) -> dict[str, Any]:
    """Per board: the verdict of every conformance test, from `conformance-<board>.json`."""
    boards: dict[str, Any] = {}
    for board in BOARDS:
        path = results_dir / f"conformance-{board}.json" if results_dir else None
        if path is None or not path.exists():
            boards[board] = {"ran": False, "reason": "no conformance results for this board",
                             "tests": {}, "totals": {}}
            continue
        data = _read_results(path, CONFORMANCE_SCHEMAS)
        tests = {t: r["verdict"] for t, r in sorted(data["tests"].items())}
        totals: dict[str, int] = {}
        for verdict in tests.values():
            totals[verdict] = totals.get(verdict, 0) + 1
        boards[board] = {"ran": True, "reason": None, "tests": tests,
                         "totals": dict(sorted(totals.items()))}
        if data["schema"] != CONFORMANCE_SCHEMAS[0]:
            per = _per_interface(data["tests"])
            boards[board]["checks"] = sum(sum(r.values()) for r in per.values())
            boards[board]["interfaces"] = per
    return {"boards": boards}


def apps(results_dir: Path | None) -> dict[str, Any]:
    """Per app, per board, per applet (or test): results from `app-<name>.json`."""
    out: dict[str, Any] = {}
    for path in sorted(results_dir.glob("app-*.json")) if results_dir else []:
        data = _read_results(path, APPS_SCHEMA)
        out[data["app"]] = {"boards": data["boards"]}
    return out


def collect(release: str, results_dir: Path | None) -> dict[str, Any]:
    cov, per_interface = coverage()
    return {
        "schema": SCHEMA,
        "release": release,
        "project_version": __version__,
        "generator": "bkport report (porter/report)",
        "coverage": cov,
        "interfaces": per_interface,
        "inputs": record(),
        "syscalls": syscalls(),
        "conformance": conformance(results_dir),
        "apps": apps(results_dir),
        "toolchain": versions(),
    }

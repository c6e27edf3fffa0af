"""Report dict -> report.json, report.md and a self-contained report.html."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from bkport.posixspec.model import PSE_PROFILES
from bkport.report.charts import stacked
from bkport.report.compare import change_reason

PROFILE_ORDER = ("blueos", "bkport")
# The comparison's sections, in the order a release manager reads them: what blocks first.
CHANGE_SECTIONS = {
    "regressed": "Regressed",
    "not-run": "Not run in this release (run in the previous one)",
    "improved": "Became supported or passing",
    "added": "New: interfaces, tests, checked interfaces, boards or apps run for the first time",
    "input-changed": "Moved because an input changed (BlueOS's facts, not the project)",
    "changed": "Changed status, neither better nor worse",
    "removed": "Removed",
}
VERDICTS = ["PASS", "FAIL", "UNRESOLVED", "UNSUPPORTED", "UNTESTED"]


@cache
def _env(autoescape: bool) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        undefined=jinja2.StrictUndefined, autoescape=autoescape,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, sort_keys=False) + "\n"


# An interface's standing on a board, from its checks: every check passes; only known gaps
# (expected failures listed in tests/conformance/expected_failures.tsv) fail; something else fails.
INTERFACE_HEALTH = ("conforms", "known gaps only", "fails")


def interface_health(per: dict[str, dict[str, int]]) -> dict[str, int]:
    out = dict.fromkeys(INTERFACE_HEALTH, 0)
    for c in per.values():
        key = "fails" if c.get("fail") or c.get("xpass") else \
            "known gaps only" if c.get("xfail") else "conforms"
        out[key] += 1
    return out


def verdicts(units: dict[str, str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for v in units.values():
        counts[v] = counts.get(v, 0) + 1
    return counts


def _cases_caption(counts: dict[str, int]) -> str:
    """Cases passed of those run: a case not run (another tier, another board) is no failure."""
    ran = counts.get("PASS", 0) + counts.get("FAIL", 0)
    rest = sum(counts.values()) - ran
    return f"{counts.get('PASS', 0)}/{ran} pass" + (f", {rest} not run" if rest else "")


def _charts(r: dict[str, Any]) -> dict[str, Any]:
    cov = r["coverage"]["profiles"]
    statuses = r["coverage"]["statuses"]
    pse_rows = [(f"{pse} ({p})", cov[p]["by_pse"][pse]) for pse in PSE_PROFILES
                for p in PROFILE_ORDER]
    group_rows = [(f"{g} ({p})", cov[p]["by_group"][g]) for g in sorted(cov["bkport"]["by_group"])
                  for p in PROFILE_ORDER]
    board_rows = [(board, b["totals"] if b["ran"] else {})
                  for board, b in r["conformance"]["boards"].items()]
    iface_rows = [(board, interface_health(b["interfaces"]))
                  for board, b in r["conformance"]["boards"].items() if "interfaces" in b]
    app_rows = [(f"{app} on {board}", verdicts(units))
                for app, a in r["apps"].items() for board, units in a["boards"].items()]
    sys_keys = list(r["syscalls"]["by_status"])
    return {
        "pse": stacked("Share of each PSE profile's interfaces, per platform profile", pse_rows,
                       statuses),
        "groups": stacked("Share of each option group's interfaces, per platform profile",
                          group_rows, statuses, label_width=330),
        "interfaces": stacked("Interfaces per board by their conformance checks",
                              iface_rows, list(INTERFACE_HEALTH),
                              caption=lambda c: f"{c['conforms']}/{sum(c.values())} conform")
        if iface_rows else None,
        "boards": stacked("Conformance programs per board", board_rows, VERDICTS),
        "apps": stacked("Application cases per board", app_rows, VERDICTS,
                        caption=_cases_caption, caption_width=170) if app_rows else None,
        "syscalls": stacked("BlueKernel syscalls by status", [("all calls",
                            r["syscalls"]["by_status"])], sys_keys),
    }


def _context(r: dict[str, Any]) -> dict[str, Any]:
    units = {app: sorted({u for b in a["boards"].values() for u in b})
             for app, a in r["apps"].items()}
    # Units named GROUP/CASE (an app plug-in's program/testsuite case) are summed per group, so
    # a reader sees one row per program and then only the cases that did not pass.
    summary: dict[str, list[tuple[str, dict[str, str]]]] = {}
    not_passed: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for app, a in r["apps"].items():
        groups: dict[str, dict[str, list[int]]] = {}
        for board, res in a["boards"].items():
            for unit, verdict in res.items():
                g = groups.setdefault(unit.split("/", 1)[0], {}).setdefault(board, [0, 0])
                if verdict in ("PASS", "FAIL"):
                    g[1] += 1
                    g[0] += verdict == "PASS"
        summary[app] = [(g, {b: f"{p}/{n}" if n else "no case" for b, (p, n) in per.items()})
                        for g, per in sorted(groups.items())]
        not_passed[app] = [(u, {b: res.get(u, "-") for b, res in a["boards"].items()})
                           for u in units[app]
                           if any(res.get(u) not in ("PASS", "UNTESTED")
                                  for res in a["boards"].values())]
    changes = [dict(c, reason=change_reason(r["compare"], c)) for c in r["compare"]["changes"]] \
        if r.get("compare") else []
    by_kind = [(k, title, [c for c in changes if c["kind"] == k])
               for k, title in CHANGE_SECTIONS.items()]
    return {
        "r": r, "profiles": list(PROFILE_ORDER), "pses": list(PSE_PROFILES),
        "changes_by_kind": [(k, t, cs) for k, t, cs in by_kind if cs],
        "iface_health": {b: interface_health(v["interfaces"])
                         for b, v in r["conformance"]["boards"].items() if "interfaces" in v},
        "app_cards": {app: {b: (v.get("PASS", 0), v.get("PASS", 0) + v.get("FAIL", 0))
                            for b, v in ((b, verdicts(u)) for b, u in a["boards"].items())}
                      for app, a in r["apps"].items()},
        "iface_boards": [b for b, v in r["conformance"]["boards"].items() if "interfaces" in v],
        "iface_rows": _interface_rows(r),
        "groups": sorted(r["coverage"]["profiles"]["bkport"]["by_group"]),
        "headers": sorted(r["coverage"]["profiles"]["bkport"]["by_header"]),
        "app_units": units, "app_summary": summary, "app_not_passed": not_passed,
        "app_group_name": {app: _group_name(app) for app in r["apps"]},
    }


def _cell(counts: dict[str, int] | None) -> str:
    """`passed/checks`, then the expected failures (known gaps) and anything unexpected."""
    if not counts:
        return "-"
    total = sum(counts.values())
    cell = f"{counts.get('pass', 0)}/{total}"
    extra = [f"{counts[k]} {name}" for k, name in (("fail", "FAIL"), ("xfail", "known gap"),
                                                   ("xpass", "gap now passing")) if counts.get(k)]
    return cell + (f" ({', '.join(extra)})" if extra else "")


def _interface_rows(r: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    """Per interface, per board with per-check results: its cell."""
    boards = {b: v["interfaces"] for b, v in r["conformance"]["boards"].items()
              if "interfaces" in v}
    names = sorted({i for per in boards.values() for i in per})
    return [(i, {b: _cell(per.get(i)) for b, per in boards.items()}) for i in names]


def _group_name(app: str) -> str | None:
    """What the app's plug-in calls a group of its cases (one of its programs), if it has one;
    the report then names its rows so."""
    from bkport import plugins

    plugin = plugins.find(app)
    return plugin.unit if plugin is not None else None


def to_markdown(r: dict[str, Any]) -> str:
    return _env(False).get_template("report.md.j2").render(**_context(r))


def to_html(r: dict[str, Any]) -> str:
    return _env(True).get_template("report.html.j2").render(charts=_charts(r), **_context(r))

"""The analysis document as one self-contained HTML page (templates/analysis.html.j2).

What a porter keeps open while working: where the blockers are (charts by status and option group),
how close each target is (completeness per program or applet), what the plan buys step by step
(cumulative chart), and every finding at its `file:line`, linked to an excerpt of the source
embedded in the page (so the page still shows the code when moved away from the tree) and to the
file itself. Inline CSS and SVG only: nothing is fetched, no script runs.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jinja2
from bkport.analyze.classify import BLOCKING, STATUSES
from bkport.analyze.problems import skipped, unit_errors
from bkport.analyze.project import api_key
from bkport.analyze.report_charts import (
    ColumnChart,
    PlanChart,
    StackedChart,
    completeness_columns,
    plan_steps,
    stacked_counts,
)
from bkport.analyze.report_md import plan_rows, summary_rows

SITES_SHOWN = 25  # findings listed per API; the JSON and SARIF formats carry all of them
CONTEXT = 2  # source lines shown around each finding
GROUPS_SHOWN = 16  # option groups charted; the rest summed in one row
NO_GROUP = "(not POSIX: no option group)"
BLOCKING_ORDER = [s for s in STATUSES if s in BLOCKING]

ReadLines = Callable[[str], "list[str] | None"]


def read_lines(path: str) -> list[str] | None:
    """The lines of a source file, or None when it cannot be read (the page then has no excerpt)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().splitlines()
    except OSError:
        return None


@dataclass
class Finding:
    where: str  # file:line:col, the file relative to the analysed tree
    file_uri: str  # the whole file
    anchor: str  # the line in the page's source excerpts
    function: str
    live: bool
    kind: str
    code: str  # the source line, stripped ("" when the file cannot be read)


@dataclass
class ApiEntry:
    key: str
    anchor: str
    status: str
    blocked: int
    sites: int
    dead: int
    group: str
    action: str
    note: str
    findings: list[Finding]
    more: int  # findings not listed


@dataclass
class Excerpt:
    where: str  # relative path
    file_uri: str
    anchor: str
    lines: list[tuple[int, str, str]] = field(default_factory=list)  # (number, text, anchor)
    gaps: set[int] = field(default_factory=set)  # line numbers after which lines are skipped


@dataclass
class TargetRow:
    target: str  # as the document names it
    label: str  # as the page shows it (a file target relative to the tree)
    completeness: float
    blocking: int
    own: list[str]  # blocking APIs outside the common core


@dataclass
class Page:
    summary: list[tuple[str, str]]
    warnings: list[str]
    kind: str
    status_chart: StackedChart
    group_chart: StackedChart
    target_chart: ColumnChart | None
    plan_chart: PlanChart | None
    plan_rows: list[tuple[str, str, int, float]]
    core: list[str]
    apis: list[ApiEntry]
    hidden_apis: int
    targets: list[TargetRow]
    excerpts: list[Excerpt]
    errors: list
    skipped: list


def rel(path: str, root: str) -> str:
    """`path` relative to the analysed tree when inside it (what a porter reads), else as is."""
    try:
        r = os.path.relpath(path, root)
    except ValueError:
        return path
    return path if r.startswith("..") else r


def target_completeness(doc: dict) -> list[TargetRow]:
    """Per target: share of the APIs it reaches that the profile supports, sorted least first."""
    status = {a["key"]: a["status"] for a in doc["apis"]}
    core = set(doc["targets"].get("core_missing", []))
    rows = []
    for t, fp in doc["matrix"].items():
        judged = [k for k in fp if k in status and status[k] != "info"]
        bad = sorted(k for k in judged if status[k] in BLOCKING)
        share = 1 - len(bad) / len(judged) if judged else 1.0
        label = rel(t, doc["source"]) if doc["targets"]["kind"] == "file" else t
        rows.append(TargetRow(t, label, round(share, 4), len(bad),
                              [k for k in bad if k not in core]))
    rows.sort(key=lambda r: (r.completeness, -r.blocking, r.target))
    return rows


def _status_rows(doc: dict) -> list[tuple[str, dict[str, int]]]:
    apis = [a for a in doc["apis"] if a["status"] in BLOCKING]
    per_status = {s: sum(1 for a in apis if a["status"] == s) for s in BLOCKING_ORDER}
    live = {s: sum(a["call_sites"] for a in apis if a["status"] == s) for s in BLOCKING_ORDER}
    rows = [(f"{s} ({live[s]} live sites)", {s: per_status[s]}) for s in BLOCKING_ORDER]
    return rows


def group_rows(doc: dict) -> list[tuple[str, dict[str, int]]]:
    """Blocking APIs per option group, by status; the largest groups, the rest summed."""
    by: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for a in doc["apis"]:
        if a["status"] in BLOCKING:
            by[a["option_group"] or NO_GROUP][a["status"]] += 1
    ranked = sorted(by.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    rows = [(g, dict(c)) for g, c in ranked[:GROUPS_SHOWN]]
    rest = ranked[GROUPS_SHOWN:]
    if rest:
        other: dict[str, int] = defaultdict(int)
        for _, c in rest:
            for s, n in c.items():
                other[s] += n
        rows.append((f"{len(rest)} other groups", dict(other)))
    return rows


class _Excerpts:
    """Collects the source lines the listed findings point at, one excerpt per file."""

    def __init__(self, root: str, read: ReadLines):
        self.root, self.read = root, read
        self.files: dict[str, list[str] | None] = {}
        self.wanted: dict[str, set[int]] = defaultdict(set)
        self.ids: dict[str, int] = {}

    def lines(self, path: str) -> list[str] | None:
        if path not in self.files:
            self.files[path] = self.read(path)
        return self.files[path]

    def add(self, path: str, line: int) -> tuple[str, str]:
        """(the page anchor of path:line, the line's text)."""
        n = self.ids.setdefault(path, len(self.ids))
        self.wanted[path].add(line)
        text = self.lines(path)
        code = text[line - 1].strip() if text and 0 < line <= len(text) else ""
        return f"src{n}-L{line}", code

    def build(self) -> list[Excerpt]:
        out = []
        for path, n in self.ids.items():
            text = self.lines(path) or []
            ex = Excerpt(rel(path, self.root), Path(path).as_uri(), f"src{n}")
            show: set[int] = set()
            for ln in self.wanted[path]:
                show |= {i for i in range(ln - CONTEXT, ln + CONTEXT + 1) if 0 < i <= len(text)}
            prev = None
            for i in sorted(show):
                if prev is not None and i != prev + 1:
                    ex.gaps.add(prev)
                # every shown line gets its anchor: findings link to theirs, others are context
                ex.lines.append((i, text[i - 1], f"src{n}-L{i}"))
                prev = i
            out.append(ex)
        return out


def page(doc: dict, top: int = 30, read: ReadLines = read_lines) -> Page:
    """The page's model: everything the template draws, computed from the document."""
    root = doc["source"]
    shown_apis = [a for a in doc["apis"] if a["status"] not in ("supported", "info")]
    by_key: dict[str, list[dict]] = defaultdict(list)
    keys = {a["key"] for a in shown_apis[:top]}
    for f in doc["findings"]:
        k = api_key(f["kind"], f["api"])
        if k in keys:
            by_key[k].append(f)
    ex = _Excerpts(root, read)
    apis = []
    for i, a in enumerate(shown_apis[:top]):
        found = sorted(by_key[a["key"]], key=lambda f: (not f["live"], f["file"], f["line"]))
        listed = []
        for f in found[:SITES_SHOWN]:
            anchor, code = ex.add(f["file"], f["line"])
            where = f"{rel(f['file'], root)}:{f['line']}:{f['col']}"
            listed.append(Finding(where, Path(f["file"]).as_uri(), anchor, f["function"],
                                  f["live"], f["kind"], code))
        note = a["note"] or a["advice"] or ""
        if a.get("disable_to_avoid"):
            note += f" (or disable {', '.join(a['disable_to_avoid'])})"
        apis.append(ApiEntry(a["key"], f"api{i}", a["status"], a["targets_blocked"],
                             a["call_sites"], a["dead_sites"], a["option_group"] or "",
                             a["action"], note, listed, len(found) - len(listed)))
    t = doc["targets"]
    rows = target_completeness(doc)
    kind = t["kind"]
    target_chart = completeness_columns(
        f"Completeness per {kind}: share of the APIs it reaches that the profile supports",
        [(r.target, r.label, r.completeness, r.blocking) for r in rows]) if rows else None
    plan_chart = None
    if doc["plan"] and t["count"]:
        plan_chart = plan_steps(f"Support plan: {kind}s complete after each step",
                                t["complete"] / t["count"], doc["plan"])
    return Page(
        summary=summary_rows(doc), warnings=list(doc["warnings"]), kind=kind,
        status_chart=stacked_counts("Blocking APIs by status", _status_rows(doc),
                                    BLOCKING_ORDER),
        group_chart=stacked_counts("Blocking APIs by option group", group_rows(doc),
                                   BLOCKING_ORDER, label_width=300),
        target_chart=target_chart, plan_chart=plan_chart,
        plan_rows=plan_rows(doc), core=list(t.get("core_missing", [])), apis=apis,
        hidden_apis=max(0, len(shown_apis) - top), targets=rows, excerpts=ex.build(),
        errors=unit_errors(doc), skipped=skipped(doc))


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        undefined=jinja2.StrictUndefined, autoescape=True,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render(doc: dict, top: int = 30, read: ReadLines = read_lines) -> str:
    """The page for `doc`: `top` APIs needing work, each with up to SITES_SHOWN findings."""
    return _env().get_template("analysis.html.j2").render(
        p=page(doc, top, read), doc=doc, colours=BLOCKING_ORDER)

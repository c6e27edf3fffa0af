"""Readable text: what was analysed, what blocks the most, the plan. Pure: document -> str."""

from __future__ import annotations

import io

from bkport.analyze.problems import skipped, unit_errors
from rich.console import Console
from rich.markup import escape
from rich.table import Table

STYLE = {"unsupported": "red", "linux-only": "magenta", "unknown": "yellow", "partial": "cyan",
         "supported": "green", "info": "dim"}


def render(doc: dict, top: int = 30, width: int = 120, color: bool = False) -> str:
    buf = io.StringIO()
    con = Console(file=buf, width=width, force_terminal=color, no_color=not color,
                  highlight=False)
    u, t = doc["units"], doc["targets"]
    con.print(f"[bold]bkport analyze[/] {doc['source']}  (profile {doc['profile']}, "
              f"database: {doc['database']['origin']} {doc['database']['path']})")
    con.print(f"translation units: {u['total']} analysed ({u['parsed']} parsed, {u['cached']} "
              f"from cache), {len(u['with_errors'])} with errors, {len(u['skipped'])} skipped")
    for w in doc["warnings"]:
        con.print(f"[bold red]WARNING:[/] {w}")
    if doc["partial"]:
        con.print(f"[bold yellow]PARTIAL RESULTS:[/] {len(u['with_errors'])} translation "
                  "unit(s) did not parse cleanly; findings from them may be incomplete:")
        for p in unit_errors(doc):
            con.print(f"  {escape(p.describe())}", soft_wrap=True)
    for p in skipped(doc):
        con.print(f"  {escape(p.describe())}", soft_wrap=True)
    counts = ", ".join(f"{n} {s}" for s, n in doc["counts"].items() if n)
    con.print(f"APIs used: {len(doc['apis'])} ({counts})")
    kind = "applets" if t["kind"] == "applet" else "files"
    if t["count"]:
        wc = t["weighted_completeness"]
        con.print(f"weighted completeness: [bold]{wc:.1%}[/] of {t['count']} "
                  f"{kind} have their whole footprint supported ({t['complete']}); "
                  f"{t['weighted_completeness_with_partial']:.1%} counting partial as supported")
    for c in t.get("closest", [])[:5]:
        if c["missing"]:
            more = f" (+{len(c['missing']) - 8})" if len(c["missing"]) > 8 else ""
            con.print(f"  nearest: {c['target']} lacks {len(c['missing'])}: "
                      f"{', '.join(c['missing'][:8])}{more}")
    blocking = [a for a in doc["apis"] if a["status"] not in ("supported", "info")]
    table = Table(title=f"Top {min(top, len(blocking))} of {len(blocking)} APIs needing work, "
                        f"by {kind} blocked", show_lines=False)
    for col in ("API", "status", f"{kind} blocked", "sites", "group", "action / note"):
        table.add_column(col, overflow="fold")
    for a in blocking[:top]:
        what = a["action"] + (f": {a['note']}" if a["note"] else "")
        if a["advice"] and a["action"] not in ("implement",):
            what += f" - {a['advice']}"
        if a.get("disable_to_avoid"):
            what += f"; or disable {', '.join(a['disable_to_avoid'])}"
        dead = f" (+{a['dead_sites']} dead)" if a["dead_sites"] else ""
        table.add_row(a["key"], f"[{STYLE[a['status']]}]{a['status']}[/]",
                      str(a["targets_blocked"]), f"{a['call_sites']}{dead}",
                      a["option_group"] or "", what)
    con.print(table)
    if doc["plan"]:
        con.print(f"[bold]Support plan[/] (add in this order; completeness of {kind} after):")
        for p in doc["plan"][:15]:
            con.print(f"  {p['step']:>2}. {p['api']:<32} +{p['unblocks']:<4} "
                      f"-> {p['completeness_after']:.1%}")
    s = doc["stats"]
    con.print(f"time: {s.get('extract_seconds', 0)} s extracting with {s.get('jobs')} jobs; "
              f"peak memory {s.get('peak_rss_mb')} MB")
    return buf.getvalue()

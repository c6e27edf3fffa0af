"""Readable text: what was analysed, what blocks the most, the plan. Pure: document -> str."""

from __future__ import annotations

import io

from bkport.analyze.plan import plan_groups
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
        con.print(f"[bold red]WARNING:[/] {escape(w)}")
    if doc["partial"]:
        con.print(f"[bold yellow]PARTIAL RESULTS:[/] {len(u['with_errors'])} translation "
                  "unit(s) did not parse cleanly; findings from them may be incomplete:")
        for p in unit_errors(doc):
            con.print(f"  {escape(p.describe())}", soft_wrap=True)
    for p in skipped(doc):
        con.print(f"  {escape(p.describe())}", soft_wrap=True)
    counts = ", ".join(f"{n} {s}" for s, n in doc["counts"].items() if n)
    con.print(f"APIs used: {len(doc['apis'])} ({counts})")
    kind = t["kind"] + "s"  # "files", or what the app calls its programs
    if t["count"]:
        wc = t["weighted_completeness"]
        con.print(f"weighted completeness: [bold]{wc:.1%}[/] of {t['count']} "
                  f"{kind} have their whole footprint supported ({t['complete']}); "
                  f"{t['weighted_completeness_with_partial']:.1%} counting partial as supported")
    core = t.get("core_missing") or []
    closest = [c for c in t.get("closest", [])[:5] if c["missing"]]
    if core and closest:
        con.print(f"  common to every {kind[:-1]} (or nearly): {len(core)} APIs: "
                  f"{escape(', '.join(core))}", soft_wrap=True)
    # nearest targets lacking the same APIs share one line, and the common core is named once
    # above: each line says only what a target lacks beyond it
    alike: dict[tuple[bool, tuple[str, ...]], list[str]] = {}
    for c in closest:
        whole_core = bool(core) and set(core) <= set(c["missing"])
        own = [a for a in c["missing"] if a not in core] if whole_core else c["missing"]
        alike.setdefault((whole_core, tuple(own)), []).append(c["target"])
    for (whole_core, own), names in alike.items():
        more = f" (+{len(own) - 8})" if len(own) > 8 else ""
        if not whole_core:
            what = f"{len(own)}: {', '.join(own[:8])}{more}"
        elif own:
            what = f"the common ones and {len(own)} more: {', '.join(own[:8])}{more}"
        else:
            what = "only the common ones"
        con.print(f"  nearest: {escape(', '.join(names))} "
                  f"{'lacks' if len(names) == 1 else 'lack'} {escape(what)}", soft_wrap=True)
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
        con.print(f"[bold]Support plan[/] (add in this order; {kind} completed, completeness "
                  "after):")
        singles = 0
        for g in plan_groups(doc["plan"]):
            first, last = g["steps"]
            after = f"+{g['unblocks']:<4} -> {g['completeness_after']:.1%}"
            if g["group"] == "core":
                con.print(f"  {first:>2}-{last}. the common core, these {len(g['apis'])} APIs "
                          f"(needed by every {kind[:-1]} or nearly): {after}")
                con.print(f"        {escape(', '.join(g['apis']))}", soft_wrap=True)
                continue
            singles += 1
            if singles > 15:
                break
            con.print(f"  {first:>2}. {g['apis'][0]:<32} {after}")
    s = doc["stats"]
    con.print(f"time: {s.get('extract_seconds', 0)} s extracting with {s.get('jobs')} jobs; "
              f"peak memory {s.get('peak_rss_mb')} MB")
    return buf.getvalue()

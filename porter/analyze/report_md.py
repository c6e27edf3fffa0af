"""Markdown for people (the HTML page is report_html.py)."""

from __future__ import annotations

from bkport.analyze.plan import plan_groups
from bkport.analyze.problems import skipped, unit_errors


def summary_rows(doc: dict) -> list[tuple[str, str]]:
    u, t = doc["units"], doc["targets"]
    rows = [
        ("source", doc["source"]),
        ("profile", doc["profile"]),
        ("compile database", f"{doc['database']['origin']}: {doc['database']['path']}"),
        ("translation units", f"{u['total']} ({u['parsed']} parsed, {u['cached']} cached), "
                              f"{len(u['with_errors'])} with errors, {len(u['skipped'])} skipped"),
        ("results", "PARTIAL" if doc["partial"] else "complete"),
    ]
    if t["count"]:
        rows.append(("weighted completeness",
                     f"{t['weighted_completeness']:.1%} of {t['count']} {t['kind']}s "
                     f"({t['weighted_completeness_with_partial']:.1%} counting partial)"))
    return rows


def _api_rows(doc: dict, top: int) -> list[list[str]]:
    rows = []
    for a in [a for a in doc["apis"] if a["status"] not in ("supported", "info")][:top]:
        note = a["note"] or a["advice"] or ""
        if a.get("disable_to_avoid"):
            note += f" (or disable {', '.join(a['disable_to_avoid'])})"
        rows.append([a["key"], a["status"], str(a["targets_blocked"]), str(a["call_sites"]),
                     a["option_group"] or "", a["action"], note])
    return rows


HEAD = ["API", "status", "blocked", "sites", "option group", "action", "note / advice"]


def plan_rows(doc: dict) -> list[tuple[str, str, int, float]]:
    """(step(s), API(s), completes, completeness after): the common core as one row."""
    rows = []
    for g in plan_groups(doc["plan"]):
        first, last = g["steps"]
        if g["group"] == "core":
            rows.append((f"{first}-{last}", f"common core, {len(g['apis'])} APIs: "
                         + ", ".join(g["apis"]), g["unblocks"], g["completeness_after"]))
        else:
            rows.append((str(first), g["apis"][0], g["unblocks"], g["completeness_after"]))
    return rows


def markdown(doc: dict, top: int = 50) -> str:
    esc = lambda s: s.replace("|", "\\|")  # noqa: E731
    out = ["# bkport analysis", ""]
    out += [f"- **{k}**: {esc(v)}" for k, v in summary_rows(doc)]
    out += [f"- **warning**: {esc(w)}" for w in doc["warnings"]]
    out += ["", "## APIs needing work", "", "| " + " | ".join(HEAD) + " |",
            "|" + "---|" * len(HEAD)]
    out += ["| " + " | ".join(esc(c) for c in r) + " |" for r in _api_rows(doc, top)]
    if doc["plan"]:
        out += ["", "## Support plan", "", "| step | API | completes | completeness after |",
                "|---|---|---|---|"]
        out += [f"| {step} | {esc(api)} | {n} | {after:.1%} |"
                for step, api, n, after in plan_rows(doc)]
    errors, skips = unit_errors(doc), skipped(doc)
    if errors:
        out += ["", "## Translation units with errors", ""]
        out += [f"- `{p.location}`: {esc(p.message)} ({p.errors} error(s) in translation unit "
                f"`{p.unit}`)" for p in errors]
    if skips:
        out += ["", "## Skipped files", ""]
        out += [f"- `{p.location}`: {esc(p.message)}" for p in skips]
    return "\n".join(out) + "\n"

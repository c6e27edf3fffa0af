"""From a merged project and a profile to the analysis document (schema `bkport.analysis/1`):
classified APIs ranked by impact, the support plan, weighted completeness. Every report format
renders this one document.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from bkport import __version__
from bkport.analyze.classify import BLOCKING, STATUSES, Profile, classify
from bkport.analyze.problems import first_error
from bkport.analyze.project import Project, api_key, footprints

SCHEMA = "bkport.analysis/1"
PLAN_STEPS = 40
CLOSEST = 10  # targets listed as nearest to complete
AVOID_MAX = 5  # an API used by at most this many programs can be avoided by configuration
CORE_SHARE = 0.9  # an API blocking at least this share of all targets is in the common core
CORE_MIN_TARGETS = 3  # fewer blocked targets than this: no common core, just steps


def common_core(missing: dict[str, set[str]]) -> set[str]:
    """The blocking APIs every target, or nearly every (CORE_SHARE of them), needs: nothing
    completes before all of them are there, so the plan takes them as one group. Empty when
    fewer than two APIs are needed that widely (a group of one is a plain step)."""
    blocked = [m for m in missing.values() if m]
    if len(blocked) < CORE_MIN_TARGETS:
        return set()
    need = CORE_SHARE * len(missing)
    counts = Counter(a for m in blocked for a in m)
    core = {a for a, n in counts.items() if n >= need}
    return core if len(core) >= 2 else set()


def support_plan(missing: dict[str, set[str]], steps: int = PLAN_STEPS,
                 core: set[str] | None = None) -> list[dict]:
    """Greedy: add first the API that completes the most targets; when none completes any,
    the one carrying the most weight (1/|missing| summed over the targets that need it).
    The common core (`common_core`, unless given) comes first, as steps of group "core"
    (not counted in `steps`); the steps after it are group "single"."""
    left = {t: set(m) for t, m in missing.items() if m}
    total = len(missing)
    complete = total - len(left)
    core = set(common_core(missing) if core is None else core)
    out: list[dict] = []
    singles = 0
    while left and singles < steps:
        finishes: dict[str, int] = defaultdict(int)
        weight: dict[str, float] = defaultdict(float)
        for m in left.values():
            if len(m) == 1:
                finishes[next(iter(m))] += 1
            share = 1.0 / len(m)
            for a in m:
                weight[a] += share
        pool = [a for a in weight if a in core] or list(weight)
        best = min(pool, key=lambda a: (-finishes.get(a, 0), -weight[a], a))
        group = "core" if best in core else "single"
        core.discard(best)
        singles += group == "single"
        done = [t for t, m in left.items() if m == {best}]
        for t in list(left):
            left[t].discard(best)
            if not left[t]:
                del left[t]
        complete += len(done)
        out.append({"step": len(out) + 1, "api": best, "unblocks": len(done),
                    "completeness_after": round(complete / total, 4) if total else 1.0,
                    "group": group})
    return out


def plan_groups(plan: list[dict]) -> list[dict]:
    """The plan as its readers want it: the core steps as one group, then each single step.
    [{steps: [first, last], apis, unblocks, completeness_after, group}]."""
    out: list[dict] = []
    for p in plan:
        g = out[-1] if out and p.get("group") == "core" == out[-1]["group"] else None
        if g is None:
            out.append({"steps": [p["step"], p["step"]], "apis": [p["api"]],
                        "unblocks": p["unblocks"], "completeness_after": p["completeness_after"],
                        "group": p.get("group", "single")})
        else:
            g["steps"][1] = p["step"]
            g["apis"].append(p["api"])
            g["unblocks"] += p["unblocks"]
            g["completeness_after"] = p["completeness_after"]
    return out


def build(project: Project, profile: Profile, profile_name: str, *, database: dict,
          warnings: list[str], stats: dict[str, Any],
          advice: dict[str, tuple[str, str]] | None = None) -> dict:
    """The analysis document. `advice`: the catalog to advise from (an app plug-in's rows over
    the generic ones), default the generic catalog."""
    fps = footprints(project)
    agg: dict[str, dict] = {}
    hidden: set[str] = set()  # constant arguments the profile handles: the function's row says it
    refs = []
    for r in project.refs:
        key = api_key(r.kind, r.api)
        if key in hidden:
            continue
        a = agg.get(key)
        if a is None:
            v = classify(r.api, r.kind, profile, advice)
            if r.kind == "arg" and v.status == "supported":
                hidden.add(key)
                continue
            a = agg[key] = {
                "key": key, "api": r.api, "kinds": [], "status": v.status, "note": v.note,
                "provider": v.provider, "option_group": v.option_group, "pse": list(v.pse),
                "header": v.header, "action": v.action, "advice": v.advice,
                "call_sites": 0, "dead_sites": 0, "symbols": [], "via": [],
                "targets_blocked": 0, "targets": [],
            }
        if r.kind not in a["kinds"]:
            a["kinds"].append(r.kind)
        if r.symbol and r.symbol not in a["symbols"] and r.kind != "asm":
            a["symbols"].append(r.symbol)
        if r.via and r.via not in a["via"]:
            a["via"].append(r.via)
        if r.live:
            a["call_sites"] += 1
        else:
            a["dead_sites"] += 1
        refs.append(r)
    if hidden:
        fps = {t: fp - hidden for t, fp in fps.items()}
    users: dict[str, list[str]] = defaultdict(list)
    for t, fp in sorted(fps.items()):
        for key in fp:
            users[key].append(t)
    missing: dict[str, set[str]] = {}
    lenient = 0
    for t, fp in fps.items():
        bad = {k for k in fp if k in agg and agg[k]["status"] in BLOCKING}
        missing[t] = bad
        if all(agg[k]["status"] == "partial" for k in bad):
            lenient += 1
    for key, a in agg.items():
        a["targets"] = users.get(key, [])
        a["targets_blocked"] = len(a["targets"]) if a["status"] in BLOCKING else 0
        if project.target_kind != "file" and a["targets"] and a["status"] in BLOCKING \
                and len(a["targets"]) <= AVOID_MAX:
            a["disable_to_avoid"] = a["targets"]  # switch these programs off instead
    order = {s: i for i, s in enumerate(STATUSES)}
    apis = sorted(agg.values(), key=lambda a: (order[a["status"]], -a["targets_blocked"],
                                                -a["call_sites"], a["key"]))
    total = len(fps)
    complete = sum(1 for m in missing.values() if not m)
    core = common_core(missing)
    counts = {s: sum(1 for a in apis if a["status"] == s) for s in STATUSES}
    errors = project.tus_with_errors
    return {
        "schema": SCHEMA,
        "tool": {"name": "bkport", "version": __version__},
        "source": project.root,
        "profile": profile_name,
        "database": database,
        "partial": bool(errors),
        "warnings": warnings,
        "units": {
            "total": len(project.units),
            "parsed": stats.get("parsed", 0),
            "cached": stats.get("cached", 0),
            "with_errors": [{"file": u.file, "errors": u.errors, "fatal": u.fatal,
                             "diagnostics": u.diagnostics[:5],
                             "first_error": first_error({"file": u.file, "fatal": u.fatal,
                                                         "diagnostics": u.diagnostics})}
                            for u in errors],
            "skipped": project.skipped,
        },
        "targets": {
            "kind": project.target_kind,
            "count": total,
            "complete": complete,
            "weighted_completeness": round(complete / total, 4) if total else None,
            "weighted_completeness_with_partial": round(lenient / total, 4) if total else None,
            "closest": [{"target": t, "missing": sorted(m), "own": sorted(m - core)}
                        for t, m in sorted(missing.items(),
                                           key=lambda x: (len(x[1]), x[0]))[:CLOSEST]],
            "core_missing": sorted(core),
        },
        "counts": counts,
        "apis": apis,
        "plan": support_plan(missing, core=core),
        "matrix": {t: sorted(fp) for t, fp in sorted(fps.items())},
        "findings": [
            {"api": r.api, "kind": r.kind, "symbol": r.symbol, "file": r.file, "line": r.line,
             "col": r.col, "function": r.function.split("@")[0], "live": r.live, "via": r.via}
            for r in refs
        ],
        "stats": stats,
    }

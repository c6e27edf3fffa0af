"""Schema-valid bkport.analysis/1 documents for the shim tests, from the few fields they vary."""

from __future__ import annotations

API_DEFAULTS = {"note": None, "provider": None, "option_group": None, "pse": [], "header": None,
                "advice": "", "call_sites": 1, "dead_sites": 0, "symbols": [], "via": [],
                "targets": ["main.c"]}


def analysis(apis: list[dict], profile: str = "blueos") -> dict:
    full = []
    for a in apis:
        entry = {"key": a["api"], **API_DEFAULTS, **a}
        entry.setdefault("targets_blocked",
                         0 if entry["status"] in ("supported", "info") else len(entry["targets"]))
        full.append(entry)
    return {
        "schema": "bkport.analysis/1", "tool": {"name": "bkport", "version": "0"},
        "source": "/src", "profile": profile,
        "database": {"path": "/src/compile_commands.json", "origin": "project", "entries": 1},
        "partial": False, "warnings": [],
        "units": {"total": 1, "parsed": 1, "cached": 0, "with_errors": [], "skipped": []},
        "targets": {"kind": "file", "count": 1, "complete": 0, "weighted_completeness": 0.0,
                    "weighted_completeness_with_partial": 0.0},
        "counts": {}, "apis": full, "plan": [], "matrix": {}, "findings": [], "stats": {},
    }

#!/usr/bin/env python3
"""The cost of per-program attribution (issue 16, defect 1) in the merge step, side by side.

`bkport.analyze.project.merge` now keeps different definitions of one external name apart
(`NAME@TU`) and tags every node with its TU. This times it against the merge of the commit
before that change (BASELINE, loaded from git into a scratch module) on the same facts, in the
same process, alternating, and checks that both give the same graph on busybox (where no name
has two definitions, so the graphs must be equal). Facts come from bkport's TU cache, parsing
what is missing (the busybox tree fetched by `bkport analyze`, its recorded compile database).

Usage: bench/analyze_merge.py [--compdb FILE] [--rounds N] [-j N]
Writes bench/results/analyze_merge.json.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bkport import plugins
from bkport.analyze import compdb
from bkport.analyze import project as current
from bkport.analyze.cache import FactCache
from bkport.analyze.pipeline import settings
from bkport.analyze.runner import cache_salt, extract_all
from bkport.fsutil import write_if_changed
from bkport.paths import cache_dir, checkout_root

BASELINE = "0a09261"  # the last commit before per-program attribution


def baseline_module() -> object:
    root = checkout_root()
    text = subprocess.run(["git", "show", f"{BASELINE}:porter/analyze/project.py"], cwd=root,
                          check=True, capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "project_baseline.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location("project_baseline", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up while it loads
    spec.loader.exec_module(mod)
    return mod


def busybox_compdb() -> tuple[Path, Path]:
    """The busybox recording in the cache (any layout version: only its database is read) and
    the tree it was recorded from."""
    for meta in sorted((cache_dir() / "analyze" / "recorded").glob("*/recorded.json")):
        src = json.loads(meta.read_text()).get("source", "")
        if "busybox" in src:
            return meta.parent / "compile_commands.json", Path(src)
    sys.exit("no recorded busybox build in the cache: run `bkport analyze` once")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--compdb", type=Path, help="default: the recorded busybox build")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("-j", "--jobs", type=int, default=None)
    a = ap.parse_args()
    db, src = (a.compdb, None) if a.compdb else busybox_compdb()
    cmds, _ = compdb.split_sources(compdb.load(db))
    plugin = plugins.for_tree(src) if src else None
    if plugin is not None:  # its host tools are not analysed
        cmds = [c for c in cmds if not plugin.not_shipped(src, c.file)]
    cache = FactCache(cache_salt(settings()))
    facts, run = extract_all(cmds, settings(), cache, a.jobs)
    base = baseline_module()
    times: dict[str, list[float]] = {"baseline": [], "current": []}
    for _ in range(a.rounds):
        for name, mod in (("baseline", base), ("current", current)):
            t0 = time.perf_counter()
            p = mod.merge(facts, "/", [])  # type: ignore[attr-defined]
            times[name].append(time.perf_counter() - t0)
            if name == "baseline":
                ref = p
            else:
                same = (set(p.nodes) == set(ref.nodes) and len(p.refs) == len(ref.refs)
                        and p.live_nodes == ref.live_nodes)
    med = {k: statistics.median(v) for k, v in times.items()}
    result = {
        "compdb": str(db), "units": len(cmds), "parsed_now": run.parsed,
        "baseline_commit": BASELINE, "rounds": a.rounds,
        "merge_seconds_median": {k: round(v, 4) for k, v in med.items()},
        "ratio_current_over_baseline": round(med["current"] / med["baseline"], 3),
        "same_graph": same,
        "command": "bench/analyze_merge.py " + " ".join(sys.argv[1:]),
    }
    out = checkout_root() / "bench" / "results" / "analyze_merge.json"
    write_if_changed(out, json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()

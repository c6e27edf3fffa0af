#!/usr/bin/env python3
"""What checking constant arguments and the spec's header macros costs the extractor (issue 16,
defects 4 and 7), on busybox 1.35.0's recorded compile database.

Side by side in one run, alternating per translation unit so both see the same machine load:
the extractor with today's settings (`arg_checks` from data/arg_checks.tsv, the full
data/api_macros.txt) and the baseline, the same extractor with no argument checks and without
the macros added with them (`BASELINE_MISSING`), and a control pass with the baseline's
settings again, whose ratio to the baseline shows the run's own noise. Same process, one worker
(-j 1), the first N TUs of the database, each parsed R times per side (alternating which goes
first); the total and the median per side are reported.

Usage: bench/analyze_arg_checks.py [--tus N] [--rounds R] [--compdb FILE];
writes bench/results/analyze_arg_checks.json. Needs a recorded busybox database (run
`bkport analyze` once) or --compdb.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import clang.cindex as ci
from bkport.analyze import compdb
from bkport.analyze.extract import Settings, extract_tu
from bkport.analyze.names import api_macros, arg_checks, read_tsv
from bkport.fsutil import write_if_changed
from bkport.paths import cache_dir, checkout_root

# the function-like macros added to data/api_macros.txt with the spec's `macro` lines
BASELINE_MISSING = frozenset({"S_TYPEISMQ()", "S_TYPEISSEM()", "S_TYPEISSHM()"} | {
    f"IN6_IS_ADDR_{x}()" for x in ("UNSPECIFIED LOOPBACK MULTICAST LINKLOCAL SITELOCAL V4MAPPED "
                                   "V4COMPAT MC_NODELOCAL MC_LINKLOCAL MC_SITELOCAL MC_ORGLOCAL "
                                   "MC_GLOBAL").split()})


def busybox_compdb() -> Path:
    for rec in sorted((cache_dir() / "analyze" / "recorded").glob("*/recorded.json")):
        if "busybox" in json.loads(rec.read_text()).get("source", ""):
            return rec.parent / "compile_commands.json"
    raise SystemExit("no recorded busybox database: run `bkport analyze` once, or give --compdb")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tus", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--compdb", type=Path)
    a = ap.parse_args()
    path = a.compdb or busybox_compdb()
    cmds, _ = compdb.split_sources(compdb.load(path))
    cmds = cmds[: a.tus]
    ioctl = {name: int(idx) for name, idx in read_tsv("ioctl_funcs.tsv", 2)}
    now = Settings(api_macros(), ioctl, arg_checks())
    base = Settings(api_macros() - BASELINE_MISSING, ioctl, {})
    index = ci.Index.create()
    # control: the baseline's settings again, so the run shows its own noise (A/A)
    times: dict[str, list[float]] = {"baseline": [], "with_checks": [], "control": []}
    found = {"arg_findings": 0}
    sides = (("baseline", base), ("with_checks", now), ("control", base))
    for c in cmds:
        for r in range(a.rounds):
            for name, settings in (sides if r % 2 == 0 else sides[::-1]):  # ABBA: no order bias
                t0 = time.perf_counter()
                facts = extract_tu(index, c.file, list(c.args), settings)
                times[name].append(time.perf_counter() - t0)
                if name == "with_checks":
                    found["arg_findings"] += sum(1 for n in facts["nodes"].values()
                                                 for r in n["refs"] if r[0] == "arg")
    total = {k: round(sum(v) / a.rounds, 3) for k, v in times.items()}
    out = {
        "command": f"bench/analyze_arg_checks.py --tus {a.tus} --rounds {a.rounds}",
        "database": str(path), "tus": len(cmds), "rounds": a.rounds,
        "seconds_per_pass": total,
        "median_tu_ms": {k: round(statistics.median(v) * 1000, 2) for k, v in times.items()},
        "ratio": round(total["with_checks"] / total["baseline"], 4),
        "control_ratio": round(total["control"] / total["baseline"], 4),
        "arg_findings_per_pass": found["arg_findings"] // a.rounds,
    }
    print(json.dumps(out, indent=2))
    root = checkout_root() or Path.cwd()
    write_if_changed(root / "bench" / "results" / "analyze_arg_checks.json",
                     json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()

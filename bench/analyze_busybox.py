#!/usr/bin/env python3
"""Accuracy and speed of `bkport analyze` on busybox 1.35.0 (defconfig), against link-time truth.

Accuracy: busybox is built on the host with gcc (the same build Bear records). The undefined
symbols of its objects (`nm -u`), minus what any busybox object defines and what the compiler
emits on its own, mapped to public names, are the truth; the analysis' live function/variable
references (mapped the same way) are compared with it. Recall >= 99% and precision >= 97% pass.

Speed, side by side in one run on the same cores: `clang -fsyntax-only` over the same TUs in
parallel, then a cold analysis (empty cache) and a warm one (cache filled), as subprocesses.

The analysis is given the recorded database (`--compdb`), the one clang parses: a fetched tree's
own compile_commands.json is ignored by `bkport analyze`, and `--no-build` would guess flags.
bench/analyze_speed.py measures speed against the goals (and lua, and one changed file).

Usage: bench/analyze_busybox.py [-j N] [--src DIR]; writes bench/results/analyze_busybox.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import analyze_speed as speed  # this folder: the script's own directory is on sys.path
from bkport import plugins
from bkport.analyze import compdb, record
from bkport.analyze.names import compiler_runtime, public_name, read_tsv
from bkport.fsutil import write_if_changed
from bkport.paths import checkout_root
from bkport.plugins.busybox import analysis as busybox

LINK_KINDS = ("call", "addr", "var", "macro")


def gcc_rewrites() -> tuple[set[str], dict[str, set[str]]]:
    """(names GCC may expand inline, name -> calls GCC may lower into it), from the data file."""
    expand: set[str] = set()
    lower: dict[str, set[str]] = {}
    for name, how, src in read_tsv("compiler_builtins.tsv", 3):
        if how == "expand":
            expand.add(name)
        else:
            lower.setdefault(name, set()).add(src)
    return expand, lower


def nm(obj: str, *flags: str) -> set[str]:
    r = subprocess.run(["nm", *flags, obj], capture_output=True, text=True, check=True)
    return {line.split()[-1] for line in r.stdout.splitlines() if line.strip()}


def link_truth(src: Path, cmds: list[compdb.CompileCommand]) -> tuple[set[str], int]:
    undefined: set[str] = set()
    defined: set[str] = set()
    objects = 0
    for c in cmds:
        obj = str(Path(c.file).with_suffix(".o"))
        if not os.path.isfile(obj):
            continue
        objects += 1
        undefined |= nm(obj, "-u")
        defined |= nm(obj, "--defined-only")
    runtime = compiler_runtime()
    raw = {s for s in undefined - defined if s not in runtime}
    return {public_name(s) for s in raw}, objects


def run_analysis(src: Path, db: Path, jobs: int, cache: Path, out: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and its workers)."""
    t = speed.run_analysis(src, db, jobs, cache, out)
    return t.wall, t.cpu


def clang_syntax_only(cmds: list[compdb.CompileCommand], jobs: int) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, failures) of clang -fsyntax-only over `cmds`, `jobs` at once."""
    t, failed = speed.clang_syntax_only(cmds, jobs)
    return t.wall, t.cpu, failed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--src", type=Path, help="busybox tree (default: fetch into the cache)")
    a = ap.parse_args()
    bb = plugins.get("busybox")
    src = (a.src or bb.fetch(bb.recipe(), print)).resolve()
    db = record.obtain(src, None, a.jobs, lambda m: print(f"  {m}", flush=True))
    if not (src / "busybox_unstripped").is_file():
        sys.exit(f"{src} has a compile database but no gcc build: run `make` there first")
    cmds, _ = compdb.split_sources(compdb.load(db.path))
    cmds = [c for c in cmds if not busybox.is_host_tool(src, c.file)]
    print(f"busybox: {src} ({len(cmds)} TUs, database: {db.origin})")

    # ABBA: clang, cold analysis, cold analysis (fresh cache), clang; the machine's other load
    # drifts, so compare sums, and CPU time as well as wall time.
    with tempfile.TemporaryDirectory(prefix="bkport-bench-") as tmp:
        out = Path(tmp) / "analysis.json"
        c1 = clang_syntax_only(cmds, a.jobs)
        a1 = run_analysis(src, db.path, a.jobs, Path(tmp) / "cache1", out)
        a2 = run_analysis(src, db.path, a.jobs, Path(tmp) / "cache2", out)
        c2 = clang_syntax_only(cmds, a.jobs)
        cold_doc = json.loads(out.read_text())
        warm_s, _ = run_analysis(src, db.path, a.jobs, Path(tmp) / "cache2", out)
        doc = json.loads(out.read_text())
    clang_failed = c1[2] + c2[2]
    clang_s, clang_cpu = (c1[0] + c2[0]) / 2, (c1[1] + c2[1]) / 2
    cold_s, cold_cpu = (a1[0] + a2[0]) / 2, (a1[1] + a2[1]) / 2
    ratio, cpu_ratio = cold_s / clang_s, cold_cpu / clang_cpu
    print(f"clang -fsyntax-only, {a.jobs} parallel: {c1[0]:.1f} s, {c2[0]:.1f} s wall "
          f"(mean {clang_s:.1f} s; {clang_cpu:.1f} s CPU; {clang_failed} failed)")
    print(f"bkport analyze cold: {a1[0]:.1f} s, {a2[0]:.1f} s wall (mean {cold_s:.1f} s = "
          f"{ratio:.2f}x clang; {cold_cpu:.1f} s CPU = {cpu_ratio:.2f}x clang)")
    print(f"bkport analyze warm: {warm_s:.2f} s; peak memory {cold_doc['stats']['peak_rss_mb']} MB "
          f"(largest process)")

    truth, objects = link_truth(src, cmds)
    found = {public_name(f["symbol"]) for f in doc["findings"]
             if f["kind"] in LINK_KINDS and f["live"] and f["symbol"]}
    expand, lower = gcc_rewrites()
    hit = truth & found
    lowered = sorted(t for t in truth - found if lower.get(t, set()) & found)
    expanded = sorted(f for f in found - truth if f in expand)
    recall = (len(hit) + len(lowered)) / len(truth) if truth else 1.0
    judged = len(found) - len(expanded)
    precision = len(hit) / judged if judged else 1.0
    missed = sorted(truth - found - set(lowered))
    extra = sorted(found - truth - set(expanded))
    print(f"link-time truth: {len(truth)} external names from {objects} objects (nm -u)")
    print(f"recall    {recall:.2%} ({len(hit)} + {len(lowered)} GCC-lowered / {len(truth)}); "
          f"missed: {', '.join(missed) or '-'}")
    print(f"  GCC-lowered (in nm -u as a rewrite of a call the analysis found): "
          f"{', '.join(lowered) or '-'}")
    print(f"precision {precision:.2%} ({len(hit)}/{judged}); "
          f"not in nm -u: {', '.join(extra) or '-'}")
    print(f"  GCC-expanded inline (found in the source, absent from nm -u, not judged): "
          f"{', '.join(expanded) or '-'}")
    ok = recall >= 0.99 and precision >= 0.97 and ratio <= 1.3 and warm_s < 2.0
    raw_recall = len(hit) / len(truth) if truth else 1.0
    raw_precision = len(hit) / len(found) if found else 1.0
    print(f"without the GCC lists: recall {raw_recall:.2%}, precision {raw_precision:.2%}")
    result = {
        "busybox": str(src), "tus": len(cmds), "jobs": a.jobs, "objects": objects,
        "recall": round(recall, 4), "precision": round(precision, 4),
        "truth": len(truth), "found": len(found), "missed": missed, "not_in_nm": extra,
        "gcc_lowered": lowered, "gcc_expanded": expanded,
        "clang_syntax_only_s": round(clang_s, 2), "clang_failed": clang_failed,
        "raw_recall": round(raw_recall, 4), "raw_precision": round(raw_precision, 4),
        "clang_runs_s": [round(c1[0], 2), round(c2[0], 2)], "clang_cpu_s": round(clang_cpu, 2),
        "cold_runs_s": [round(a1[0], 2), round(a2[0], 2)], "cold_cpu_s": round(cold_cpu, 2),
        "cold_s": round(cold_s, 2), "cold_vs_clang": round(ratio, 3),
        "cold_vs_clang_cpu": round(cpu_ratio, 3), "warm_s": round(warm_s, 2),
        "peak_rss_mb": cold_doc["stats"]["peak_rss_mb"],
        "tus_with_errors": len(cold_doc["units"]["with_errors"]),
        "weighted_completeness": doc["targets"]["weighted_completeness"], "pass": ok,
    }
    dest = checkout_root() / "bench" / "results" / "analyze_busybox.json"
    write_if_changed(dest, json.dumps(result, indent=1) + "\n")
    print(f"{'PASS' if ok else 'FAIL'}; wrote {dest}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

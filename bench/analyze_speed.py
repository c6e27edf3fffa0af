#!/usr/bin/env python3
"""Speed of `bkport analyze` against `clang -fsyntax-only` over the same compile database with
the same number of jobs, side by side in one run; and one changed file re-analysed.

For each app: busybox (the tree `bkport analyze` fetches, with its recorded build), a recipe
in apps/ (its host build, the compile commands `bkport port new` analyses), or NAME=DIR, any
tree whose build was recorded into DIR/compile_commands.json (toybox: Debian's orig tarball,
`make defconfig`, `bear -- make -j2`). The tree is copied
into a scratch directory (the database's paths rewritten to it), so the edit of the incremental
run never touches a tree anything else uses. Then, on the same cores:

  pairs x (clang -fsyntax-only over every TU, `jobs` at a time; cold analysis: no fact nor
           document of the tree cached, only the support database snapshot every analysis on
           the machine shares, made just before and timed apart)
  warm:        the analysis again, nothing changed (the whole-document cache answers)
  incremental: one TU's source changed (a comment appended), the analysis again: one TU
               parsed, the others from the cache, merged and classified anew; `edits` times,
               each after a new edit. The best run is quoted against the goal (the machine's
               other load only ever adds time), the median beside it

Each analysis is a whole `python -m bkport.cli analyze ... --format json` process, timed from
outside (wall, and CPU of it and its workers). The machine is shared: a pair's ratio compares
runs made seconds apart; the medians are quoted. The incremental document must equal the cold
one (a comment changes no finding): speed is never bought with accuracy.

Goals (issue 16): cold <= 1.0x clang, incremental <= 1.0 s on busybox.

Usage: bench/analyze_speed.py [APP ...] [-j N] [--pairs N] [--edits N]   (default: busybox lua)
Writes bench/results/analyze_speed.json (with the command that made it).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bkport.analyze import compdb
from bkport.fsutil import write_if_changed
from bkport.paths import checkout_root

GOAL_RATIO = 1.0
GOAL_INCREMENTAL_S = 1.0


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float  # the process and every child it waited for


def child_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def clang_syntax_only(cmds: list[compdb.CompileCommand], jobs: int) -> tuple[Timing, int]:
    """clang -fsyntax-only over `cmds`, `jobs` at once: (timing, failures)."""

    def one(c: compdb.CompileCommand) -> int:
        return subprocess.run(["clang", "-fsyntax-only", "-w", *c.args, c.file], cwd=c.directory,
                              capture_output=True).returncode

    cpu = child_cpu()
    t = time.perf_counter()
    with ThreadPoolExecutor(jobs) as ex:
        failed = sum(1 for rc in ex.map(one, cmds) if rc)
    return Timing(time.perf_counter() - t, child_cpu() - cpu), failed


def compile_bytecode() -> None:
    """Write bkport's bytecode before timing, as `pip install` does: with
    PYTHONDONTWRITEBYTECODE set (this machine sets it), every analysis would otherwise compile
    its ~90 modules from source, a cost no installed bkport pays."""
    import bkport
    import bkport.syscalls

    dirs = {str(Path(m.__file__).parent) for m in (bkport, bkport.syscalls)}
    subprocess.run([sys.executable, "-m", "compileall", "-q", *sorted(dirs)], check=True,
                   stdout=subprocess.DEVNULL)


def run_analysis(src: Path, db: Path, jobs: int, cache: Path, out: Path) -> Timing:
    env = dict(os.environ, BKPORT_CACHE=str(cache))
    cmd = [sys.executable, "-m", "bkport.cli", "analyze", str(src), "--compdb", str(db),
           "--format", "json", "-o", str(out), "-j", str(jobs), "--allow-partial"]
    cpu = child_cpu()
    t = time.perf_counter()
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    dt = time.perf_counter() - t
    if r.returncode != 0:
        sys.exit(f"analysis failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr}")
    return Timing(dt, child_cpu() - cpu)


def primed_cache(dest: Path) -> float:
    """A cache holding only what any earlier analysis on the machine leaves, whatever the tree:
    the support database snapshot (rebuilt when the POSIX spec changes), the native walk helper
    (when its source changes) and clang's resource directory (asked of clang once per clang
    binary). Made just before a cold run so that an edit of the spec elsewhere during the
    benchmark is not counted; the seconds it took. No fact or document of the tree is cached."""
    env = dict(os.environ, BKPORT_CACHE=str(dest))
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from bkport.analyze.classify import load_profile; "
                    "load_profile('blueos'); from bkport.analyze.flatten import native_walker; "
                    "native_walker(); from bkport.analyze.compdb import resource_dir; "
                    "resource_dir()"], env=env, check=True)
    return time.perf_counter() - t


def edit(path: Path, n: int) -> None:
    """Change a source the way an edit does (new content, so a new cache key)."""
    with open(path, "a") as f:
        f.write(f"\n/* bench/analyze_speed.py: edit {n} */\n")


def busybox_tree(jobs: int) -> tuple[Path, Path]:
    """(tree, compile database): the fetched busybox and its recorded build."""
    from bkport import plugins
    from bkport.analyze import record

    bb = plugins.get("busybox")
    src = bb.fetch(bb.recipe(), print).resolve()
    db = record.obtain(src, None, jobs, lambda m: print(f"  {m}", flush=True))
    if db.origin == "heuristic":
        sys.exit(f"busybox: no recorded build of {src} (guessed flags are no benchmark)")
    return src, db.path


def recipe_tree(name: str, jobs: int, scratch: Path) -> tuple[Path, Path]:
    """(tree, compile database) of a recipe's host build, as `bkport port new` analyses it."""
    from bkport.apps.host import prepare
    from bkport.recipe.loader import find_recipe, load_recipe

    host = prepare(load_recipe(find_recipe(name)), jobs, print)
    units = {u.source: u for p in host.programs.values()
             for u in [*p.units, *(x for us in p.archives.values() for x in us)]}
    entries = [{"directory": str(u.directory), "file": str(u.source),
                "arguments": ["cc", *u.flags, "-c", str(u.source)]} for u in units.values()]
    db = scratch / f"{name}-original.json"
    db.write_text(json.dumps(entries, indent=1))
    return host.src, db


def scratch_copy(src: Path, db: Path, dest: Path) -> Path:
    """Copy the tree to `dest` and write its database with every path rewritten to the copy."""
    shutil.copytree(src, dest, symlinks=True)
    text = db.read_text().replace(str(src), str(dest))
    out = dest.parent / f"{dest.name}.compile_commands.json"
    out.write_text(text)
    return out


def shipped(tree: Path, cmds: list[compdb.CompileCommand]) -> list[compdb.CompileCommand]:
    """The TUs the analysis takes: without the host tools an app plug-in sets aside (busybox's
    scripts/ and applets/ generators), so clang parses exactly the same files."""
    from bkport import plugins

    plugin = plugins.for_tree(tree)
    return cmds if plugin is None else [c for c in cmds if not plugin.not_shipped(tree, c.file)]


def median_tu(cmds: list[compdb.CompileCommand]) -> Path:
    """The TU to change: the one of median source size (a typical file, not the largest)."""
    sized = sorted((os.path.getsize(c.file), c.file) for c in cmds)
    return Path(sized[len(sized) // 2][1])


def comparable(doc: dict) -> list:
    """What a comment appended to a source cannot change: every finding and verdict."""
    return [doc["findings"], doc["apis"], doc["plan"], doc["matrix"]]


def tree_of(app: str, jobs: int, scratch: Path) -> tuple[str, Path, Path]:
    """(name, tree, compile database) of an APP argument."""
    if "=" in app:  # NAME=DIR: any tree with its own recorded compile_commands.json
        name, _, where = app.partition("=")
        src = Path(where).resolve()
        if not (src / "compile_commands.json").is_file():
            sys.exit(f"{src}/compile_commands.json not found (record the build with bear)")
        return name, src, src / "compile_commands.json"
    if app == "busybox":
        return (app, *busybox_tree(jobs))
    return (app, *recipe_tree(app, jobs, scratch))


def bench_app(app: str, jobs: int, pairs: int, edits: int, scratch: Path) -> tuple[str, dict]:
    name, src, db0 = tree_of(app, jobs, scratch)
    tree = scratch / name
    db = scratch_copy(src, db0, tree)
    cmds = shipped(tree, compdb.split_sources(compdb.load(db))[0])
    print(f"{name}: {len(cmds)} TUs ({src} copied to {tree})", flush=True)
    clang, cold, snapshot, failed = [], [], [], 0
    out = scratch / f"{name}.json"
    for i in range(pairs):
        c, f = clang_syntax_only(cmds, jobs)
        clang.append(c)
        failed += f
        cache = scratch / f"{name}-cache{i}"
        snapshot.append(primed_cache(cache))
        cold.append(run_analysis(tree, db, jobs, cache, out))
        print(f"  pair {i + 1}: clang {c.wall:.2f} s ({c.cpu:.1f} s CPU), analysis cold "
              f"{cold[-1].wall:.2f} s ({cold[-1].cpu:.1f} s CPU)", flush=True)
    cold_doc = json.loads(out.read_text())
    if cold_doc["units"]["total"] != len(cmds):
        sys.exit(f"{name}: the analysis took {cold_doc['units']['total']} TUs, clang {len(cmds)}")
    primed_cache(cache)  # the snapshot current again, should the spec have changed meanwhile
    warm = run_analysis(tree, db, jobs, cache, out)
    changed = median_tu(cmds)
    inc = []
    for n in range(edits):
        primed_cache(cache)
        edit(changed, n)
        inc.append(run_analysis(tree, db, jobs, cache, out))
        inc_doc = json.loads(out.read_text())
        if inc_doc["stats"]["parsed"] != 1:
            sys.exit(f"{name}: an incremental run parsed {inc_doc['stats']['parsed']} TUs, not 1")
    same = comparable(inc_doc) == comparable(cold_doc)
    ratio = statistics.median(a.wall / c.wall for a, c in zip(cold, clang, strict=True))
    cpu_ratio = statistics.median(a.cpu / c.cpu for a, c in zip(cold, clang, strict=True))
    best = min(inc, key=lambda t: t.wall)
    mid = statistics.median(t.wall for t in inc)
    print(f"  warm {warm.wall:.2f} s; incremental ({changed.relative_to(tree)}) best "
          f"{best.wall:.2f} s, median {mid:.2f} s ({best.cpu:.2f} s CPU); cold/clang "
          f"{ratio:.2f} wall, {cpu_ratio:.2f} CPU; "
          f"incremental document {'equal to' if same else 'DIFFERENT from'} the cold one",
          flush=True)
    return name, {
        "tree": app if "=" in app else name,
        "tus": len(cmds), "jobs": jobs, "clang_failed": failed,
        "clang_s": [round(c.wall, 2) for c in clang],
        "clang_cpu_s": [round(c.cpu, 2) for c in clang],
        "cold_s": [round(a.wall, 2) for a in cold],
        "cold_cpu_s": [round(a.cpu, 2) for a in cold],
        "cold_vs_clang": round(ratio, 3), "cold_vs_clang_cpu": round(cpu_ratio, 3),
        "warm_s": round(warm.wall, 2),
        "incremental_file": str(changed.relative_to(tree)),
        "incremental_runs_s": [round(t.wall, 2) for t in inc],
        "incremental_cpu_s": [round(t.cpu, 2) for t in inc],
        "incremental_s": round(best.wall, 2), "incremental_median_s": round(mid, 2),
        "support_snapshot_s": [round(x, 2) for x in snapshot],
        "incremental_same_document": same,
        "tus_with_errors": len(cold_doc["units"]["with_errors"]),
        "peak_rss_mb": cold_doc["stats"]["peak_rss_mb"],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=" ".join(__doc__.splitlines()[:2]),
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n".join(__doc__.splitlines()[2:]))
    ap.add_argument("apps", nargs="*", default=["busybox", "lua"],
                    help="busybox, a recipe in apps/, or NAME=DIR: a tree with its own recorded "
                         "compile_commands.json (default: busybox lua)")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                    help="clang processes and analysis workers at once (default: all cores)")
    ap.add_argument("--pairs", type=int, default=2, help="clang/cold pairs per app (default 2)")
    ap.add_argument("--edits", type=int, default=5,
                    help="incremental runs, each after a new edit (default 5)")
    ap.add_argument("--no-write", action="store_true", help="print only; keep the results file")
    a = ap.parse_args()
    if min(a.jobs, a.pairs, a.edits) < 1:
        ap.error("-j, --pairs and --edits must be at least 1")
    compile_bytecode()
    load0 = os.getloadavg()
    results = {}
    with tempfile.TemporaryDirectory(prefix="bkport-speed-") as tmp:
        for app in a.apps:
            name, results[name] = bench_app(app, a.jobs, a.pairs, a.edits, Path(tmp))
    ok = True
    for name, r in results.items():
        fine = r["cold_vs_clang"] <= GOAL_RATIO and r["incremental_same_document"]
        if name == "busybox":
            fine = fine and r["incremental_s"] <= GOAL_INCREMENTAL_S
        r["goals_met"] = fine
        ok = ok and fine
        print(f"{name:10} cold {r['cold_vs_clang']:.2f}x clang (CPU {r['cold_vs_clang_cpu']:.2f}x),"
              f" incremental {r['incremental_s']:.2f} s: {'met' if fine else 'NOT met'}")
    doc = {
        "generator": "bench/analyze_speed.py",
        "command": " ".join(["bench/analyze_speed.py", *sys.argv[1:]]),
        "goals": {"cold_vs_clang": GOAL_RATIO, "incremental_s_busybox": GOAL_INCREMENTAL_S},
        "cpu_count": os.cpu_count(),
        "loadavg_before_after": [round(load0[0], 2), round(os.getloadavg()[0], 2)],
        "apps": results, "goals_met": ok,
    }
    if not a.no_write:
        dest = checkout_root() / "bench" / "results" / "analyze_speed.json"
        write_if_changed(dest, json.dumps(doc, indent=1) + "\n")
        print(f"wrote {dest}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Wall time of busybox's testsuite on each board under `bkport validate`, in both run modes
(resident QEMUs, and one fresh boot per call: `--fresh-boot`), beside the same testsuite run
natively on the host in the same run (the baseline), and whether both modes give every case the
same outcome.

    .venv/bin/python bench/validate_busybox.py [--board B ...] [--jobs 2] [--warm | --build-dir D]
        [--tier quick|full] [--out bench] [--applets a,b] [--native-src DIR]
        [--reference bench/results/validate_busybox.json]
    .venv/bin/python bench/validate_busybox.py --render [--out bench]

Per board and mode: the suite's wall time, the QEMU time summed over every busybox call, the
per-call cost (the median QEMU time of `busybox true`: a boot, or a resident call), and the host
side (the shell scripts and the per-call stand-in: the applet scripts' time summed, less QEMU).
The build is cold by default (a fresh build folder, host step included). The baseline builds
busybox for the host with gcc from the same configured tree and runs the same applets'
testsuite with it. Writes validate-results.json and validate-results.md, and
results/validate_busybox.json (every case's outcome in both modes, and the differences).
`--render` writes validate-results.md again from validate-results.json (no run). The markdown
says per board whether issue 17's goals are met: a resident call's median at most 5 ms, the
resident suite at most 3x native.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bkport.plugins.busybox import validate as busybox  # noqa: E402
from bkport.plugins.busybox.testsuite import run_suite  # noqa: E402
from bkport.toolchain.targets import BOARDS  # noqa: E402


def native_baseline(tree_src: Path, applets: list[str], work: Path, jobs: int,
                    tier: str, native_src: Path | None = None) -> dict:
    """Build busybox for the host from the configured tree and run the same testsuite
    (`native_src`: a folder where that host build was made before, reused as it is)."""
    build_s = 0.0
    if native_src is not None and (native_src / "busybox").is_file():
        src = native_src
    else:
        src = native_src or work / "native-src"
        shutil.copytree(tree_src, src, symlinks=True)
        # The configured tree holds the host step's empty stand-in objects: build them.
        subprocess.run(["make", "clean"], cwd=src, capture_output=True, text=True)
        t0 = time.monotonic()
        p = subprocess.run(["make", f"-j{jobs}", "busybox"], cwd=src, capture_output=True,
                           text=True)
        if p.returncode != 0:
            return {"error": "host build failed: " + p.stderr[-2000:]}
        build_s = time.monotonic() - t0
    t0 = time.monotonic()
    res = run_suite(src, src / ".config", src / "busybox", "host", applets, work / "native-tests",
                    jobs=jobs, native=src / "busybox",
                    skip=busybox.slow_tests() if tier == "quick" else None)
    wall = time.monotonic() - t0
    cases = [c for r in res for c in r.cases]
    return {"build_s": round(build_s, 1), "suite_s": round(wall, 1),
            "pass": sum(c.verdict == "PASS" for c in cases),
            "fail": sum(c.verdict == "FAIL" for c in cases)}


def per_call_seconds(board: str, image: Path, fresh: bool, n: int = 15) -> float:
    """The median QEMU time of `busybox true`: what one call costs beyond the applet's work."""
    from bkport.toolchain import qemu, resident

    run = qemu.run if fresh else resident.run
    run(board, image, ["true"], timeout=20)  # a resident worker's first call boots it
    return statistics.median(run(board, image, ["true"], timeout=20).seconds for _ in range(n))


def outcomes(run) -> dict[str, str]:
    return {f"{r.applet}/{c.name}": c.verdict for r in run.results for c in r.cases}


def bench_mode(built, board: str, work: Path, jobs: int, tier: str, fresh: bool,
               applets: list[str] | None = None) -> dict:
    from bkport.toolchain import resident

    resident.set_fresh_boot(fresh)
    started = resident.POOL.started
    run = busybox.validate(built, applets, work, jobs=jobs, tier=tier)
    t = run.totals()
    script_s = sum(r.seconds for r in run.results)
    return {
        "mode": "fresh-boot" if fresh else "resident",
        "suite_s": round(run.suite_seconds, 1),
        "smoke_applets_run": len(run.board_ok),
        "calls": run.calls,
        "qemu_s": round(run.qemu_seconds, 1),
        "per_call_s": round(per_call_seconds(board, built.image, fresh), 4),
        "qemu_started": None if fresh else resident.POOL.started - started,
        "host_side_s": round(script_s - run.qemu_seconds, 1),
        "pass": t["PASS"], "fail": t["FAIL"], "skipped": t["SKIPPED"],
        "pass_rate": round(run.pass_rate, 4),
        "applets": [r.applet for r in run.results],
        "cases": outcomes(run),
    }


def bench_board(board: str, build_dir: Path, work: Path, jobs: int, tier: str,
                applets: list[str] | None = None, reference: dict | None = None) -> dict:
    """Both modes, or with `reference` (a results/validate_busybox.json of an earlier run) the
    resident mode alone, its outcomes checked against the reference's fresh-boot ones."""
    from bkport.toolchain import resident

    built = busybox.build(board, build_dir, log=lambda m: print(f"  {m}", flush=True))
    names_ = ("resident",) if reference is not None else ("fresh", "resident")
    modes = [bench_mode(built, board, work / f"{board}-{m}", jobs, tier, m == "fresh", applets)
             for m in names_]
    resident.shutdown()
    res = modes[-1]
    if reference is None:
        fresh = modes[0]["cases"]
    else:
        ref = reference["boards"][board]["fresh-boot"]
        ran = set(res["applets"])
        fresh = {n: v for n, v in ref.items() if n.split("/", 1)[0] in ran}
    names = sorted(set(fresh) | set(res["cases"]))
    diff = {n: [fresh.get(n, "absent"), res["cases"].get(n, "absent")]
            for n in names if fresh.get(n) != res["cases"].get(n)}
    return {"board": board, "build_s": round(built.build_seconds, 1), "modes": modes,
            "cases": len(names), "differ": diff, "tree_src": str(built.src),
            "differ_against": "fresh boot, same run" if reference is None
            else "fresh boot of the reference run"}


def markdown(rows: list[dict], native: dict, jobs: int, tier: str, load: list[str],
             command: str) -> str:
    out = [
        "# busybox testsuite on QEMU: resident QEMUs vs a fresh boot per call",
        "",
        f"Generated by `{command}` ({tier} tier, {jobs} applet scripts at once; host load "
        f"average at the start and after each board: {', '.join(load)}). Per board, the same "
        "image in both modes, one after the other. QEMU s: the time of every call summed; "
        "per call: the median QEMU time of `busybox true` (a boot, or a resident call); host "
        "side: the shell scripts and the per-call stand-in (summed over scripts, less QEMU); "
        "x native: suite wall time over the baseline's.",
        "",
        "| board | mode | suite wall s | x native | calls | QEMU s | per call ms | QEMUs started |"
        " host side s | cases passed |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    base = native.get("suite_s") if native else None
    for r in rows:
        for m in r["modes"]:
            ratio = f"{m['suite_s'] / base:.1f}" if base else "-"
            started = "-" if m["qemu_started"] is None else m["qemu_started"]
            out.append(f"| {r['board']} | {m['mode']} | {m['suite_s']} | {ratio} | {m['calls']} "
                       f"| {m['qemu_s']} | {m['per_call_s'] * 1000:.1f} | {started} | "
                       f"{m['host_side_s']} | {m['pass']}/{m['pass'] + m['fail']} |")
    if not native:
        out += ["", "Baseline: not run."]
    elif "error" in native:
        out += ["", f"Baseline: {native['error']}"]
    else:
        out += ["", "Baseline, same run: the same applets' testsuite with busybox built for the "
                f"host (gcc): build {native['build_s']} s, suite {native['suite_s']} s, "
                f"{native['pass']}/{native['pass'] + native['fail']} cases pass."]
    if base:
        out += ["", "Goals (issue 17): a resident call's median at most 5 ms; the resident suite "
                "at most 3x native:"]
        for r in rows:
            m = next((m for m in r["modes"] if m["mode"] == "resident"), None)
            if m is None:
                continue
            ms, ratio = m["per_call_s"] * 1000, m["suite_s"] / base
            out.append(f"- {r['board']}: {ms:.1f} ms per call: "
                       f"{'met' if ms <= 5 else 'not met'}; {ratio:.1f}x native: "
                       f"{'met' if ratio <= 3 else 'not met'}.")
    out += ["", "Same answers: every case's outcome (PASS, FAIL, SKIPPED, UNTESTED) in both modes:"]
    for r in rows:
        if r["differ"]:
            out.append(f"- {r['board']}: {len(r['differ'])} of {r['cases']} cases differ "
                       f"({r.get('differ_against', 'fresh boot')} -> resident):")
            out += [f"  - `{n}`: {a} -> {b}" for n, (a, b) in sorted(r["differ"].items())]
        else:
            out.append(f"- {r['board']}: all {r['cases']} cases have the same outcome "
                       f"(against the {r.get('differ_against', 'fresh boot, same run')}).")
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--board", action="append", choices=sorted(BOARDS))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--warm", action="store_true", help="reuse build/busybox (no cold build)")
    ap.add_argument("--build-dir", type=Path, help="reuse this busybox build folder")
    ap.add_argument("--tier", choices=["quick", "full"], default="quick")
    ap.add_argument("--applets", help="only these applets' scripts (comma-separated)")
    ap.add_argument("--reference", type=Path,
                    help="a results/validate_busybox.json: run the resident mode alone and "
                    "check its outcomes against that run's fresh-boot ones")
    ap.add_argument("--native-src", type=Path,
                    help="keep the host build of busybox here (reused when it is there)")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    ap.add_argument("--render", action="store_true",
                    help="only write validate-results.md again from validate-results.json")
    args = ap.parse_args()
    if args.render:
        summary = json.loads((args.out / "validate-results.json").read_text())
        _write(args.out / "validate-results.md",
               markdown(summary["boards"], summary["native"], summary["jobs"], summary["tier"],
                        summary["load_average"], summary["command"]))
        return
    boards = args.board or sorted(BOARDS)
    applets = [a for a in args.applets.split(",") if a] if args.applets else None
    reference = json.loads(args.reference.read_text()) if args.reference else None
    command = " ".join(["bench/validate_busybox.py", *sys.argv[1:]])
    load = [_load()]
    with tempfile.TemporaryDirectory(prefix="bkbench-") as tmp:
        t = Path(tmp)
        build_dir = args.build_dir or (busybox_default() if args.warm else t / "build")
        cold = build_dir == t / "build"
        rows: list[dict] = []
        native: dict = {}
        # The results are rewritten after every board, so a run cut short keeps what it did.
        for b in boards:
            print(f"== {b}", flush=True)
            rows.append(bench_board(b, build_dir, t / "work", args.jobs, args.tier, applets,
                                    reference))
            print(json.dumps({k: v for k, v in rows[-1].items() if k != "modes"}), flush=True)
            for m in rows[-1]["modes"]:
                print(json.dumps({k: v for k, v in m.items() if k not in ("applets", "cases")}),
                      flush=True)
            if not native:
                print("== host baseline", flush=True)
                # The configured tree the boards were built from (the same for every board).
                native = native_baseline(Path(rows[0]["tree_src"]),
                                         rows[0]["modes"][0]["applets"], t, args.jobs,
                                         args.tier, args.native_src)
                print(json.dumps(native), flush=True)
            load.append(_load())
            write_results(args, rows, native, load, command, cold)


def write_results(args, rows: list[dict], native: dict, load: list[str], command: str,
                  cold: bool) -> None:
    summary = {"command": command, "jobs": args.jobs, "cold": cold, "tier": args.tier,
               "load_average": load, "native": native,
               "boards": [{**r, "modes": [{k: v for k, v in m.items() if k != "cases"}
                                          for m in r["modes"]]} for r in rows]}
    args.out.mkdir(parents=True, exist_ok=True)
    _write(args.out / "validate-results.json", json.dumps(summary, indent=1) + "\n")
    md = markdown(rows, native, args.jobs, args.tier, load, command)
    _write(args.out / "validate-results.md", md)
    cases = {"command": command, "generated_by": "bench/validate_busybox.py",
             "boards": {r["board"]: {m["mode"]: m["cases"] for m in r["modes"]} for r in rows},
             "differ": {r["board"]: r["differ"] for r in rows}}
    (args.out / "results").mkdir(exist_ok=True)
    _write(args.out / "results" / "validate_busybox.json",
           json.dumps(cases, indent=1, sort_keys=True) + "\n")
    print(md, flush=True)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def busybox_default() -> Path:
    from bkport.plugins.busybox.build import default_out

    return default_out()


if __name__ == "__main__":
    main()

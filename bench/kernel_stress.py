"""The validation kernel's stress tier: threaded programs run many times per board, with the
preemption tick varied per run and the host loaded; zero panics and zero faults is the bar.

    .venv/bin/python bench/kernel_stress.py [--runs 30] [--ticks 100,1000,10000] [--load N]
        [--jobs 1] [--board B ...] [--max-minutes 14] [--out bench]

Programs: tests/stress/threads_storm.c (mutex, condition variables, futex/cond/sem timeouts,
create/join and detached exit storms; one summary line) and the threaded conformance programs
(pthread_mutex, pthread_cond, pthread_sync, semaphore, timer, signal), each built with the POSIX
layer as `bkport build` does. Every program runs `--runs` times per board; run k of program p
uses tick period `ticks[(k + p) % len(ticks)]` microseconds (`BKPORT_TICK_US`, read by the
kernel at boot), so each program meets every period and consecutive runs differ. `--load N`
(default: one per CPU) processes burn CPU for the whole bench, so QEMU's wall-clock timer fires
at phases an idle machine never shows them; they end with it (and after `--max-minutes` + 1
at the latest, should this process die).

A run is counted as: clean (exit 0), failed (exited non-zero: a check did not hold), fault
(status 125 or a `[bkport-kernel] FAULT` line; `panic` when the kernel panicked), timeout
(status 124). Writes bench/results/kernel_stress.json and bench/kernel-stress-results.md, each
naming the command that made it. Exit status: 0 all clean, 1 some run faulted or panicked,
2 none faulted but some failed or timed out (or the time limit cut the bench short).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bkport.appbuild import conformance  # noqa: E402
from bkport.appbuild.app import build_app  # noqa: E402
from bkport.paths import work_dir  # noqa: E402
from bkport.toolchain import qemu  # noqa: E402
from bkport.toolchain.targets import BOARDS  # noqa: E402

STRESS_SOURCE = ROOT / "tests" / "stress" / "threads_storm.c"
STRESS = "threads_storm"
CONFORMANCE = ("pthread_mutex", "pthread_cond", "pthread_sync", "semaphore", "timer", "signal")
SUMMARY = re.compile(r"^threads_storm: (.*)$", re.M)
FAULT_LINE = re.compile(r"^\[bkport-kernel\] FAULT.*$", re.M)
FAILED_LINE = re.compile(r"^(?:not ok \d+ - |threads_storm: FAILED ).*$", re.M)


def parse_summary(text: str) -> dict[str, str] | None:
    """The stress program's summary line as {figure: value} (`mutex` stays "got/want")."""
    m = SUMMARY.search(text)
    if not m or "=" not in m.group(1):
        return None
    return dict(kv.split("=", 1) for kv in m.group(1).split() if "=" in kv)


@dataclass
class Run:
    board: str
    program: str
    tick_us: int
    outcome: str  # clean | failed | fault | panic | timeout | error
    status: int
    seconds: float
    ticks: int = 0
    switches: int = 0
    threads: int = 0  # threads the stress program made (its summary line); 0 for conformance
    detail: str = ""  # the fault line, or the end of the output of a run that was not clean


def classify(r: qemu.RunResult) -> str:
    kernel = r.kernel.decode(errors="replace")
    if "FAULT" in kernel or r.outcome == "fault" or r.status == 125:
        return "panic" if "panic" in kernel else "fault"
    if r.outcome == "timeout":
        return "timeout"
    if r.outcome == "error":
        return "error"
    return "clean" if r.status == 0 else "failed"


def run_one(board: str, program: str, image: Path, tick_us: int) -> Run:
    """Boot `program` once on `board` with a `tick_us` preemption tick and classify the run."""
    env = {"BKPORT_TICK_US": str(tick_us)}
    if program == STRESS:
        args = [STRESS]
    else:
        args = ["conform", program]
        env.update(conformance.ENV)
    r = qemu.run(board, image, args, env, timeout=60, max_time=180)
    outcome = classify(r)
    run = Run(board, program, tick_us, outcome, r.status, round(r.seconds, 3),
              int(r.record.get("ticks", 0) or 0), int(r.record.get("switches", 0) or 0))
    if program == STRESS:
        s = parse_summary(r.stdout.decode(errors="replace"))
        run.threads = int(s.get("threads", 0)) if s else 0
        if outcome == "clean" and (not s or s.get("failed") != "0"):
            run.outcome = "failed"  # exit 0 without the summary's verdict is not a pass
    if run.outcome != "clean":
        # What to read first: the kernel's FAULT line, else the checks that failed (conformance
        # `not ok` lines, the stress program's FAILED lines), else the end of the console.
        faults = FAULT_LINE.findall(r.kernel.decode(errors="replace"))
        failed = FAILED_LINE.findall(r.text)
        detail = faults[0] if faults else "\n".join(failed) if failed else r.text[-1500:]
        run.detail = detail.replace(f"{ROOT}/", "")  # __FILE__ paths, relative to the checkout
    return run


@dataclass
class Load:
    """CPU burners: one process per requested slot, each ending by itself after `seconds`."""

    n: int
    seconds: float
    procs: list[subprocess.Popen] = field(default_factory=list)

    def __enter__(self) -> Load:
        burn = (f"import time\nend = time.monotonic() + {self.seconds:f}\n"
                "while time.monotonic() < end:\n    pass\n")
        self.procs = [subprocess.Popen([sys.executable, "-c", burn]) for _ in range(self.n)]
        return self

    def __exit__(self, *exc: object) -> None:
        for p in self.procs:
            p.kill()  # each by its own pid: only the burners this bench started
        for p in self.procs:
            p.wait()


def provenance() -> dict:
    """The commit the kernel and layer were built from, and their files changed since (the
    results describe the working tree, not only the commit)."""
    def git(*args: str) -> str:
        proc = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
        return proc.stdout if proc.returncode == 0 else ""

    # Porcelain lines are "XY path": the status letters take the first three columns.
    changed = git("status", "--porcelain", "--", "kernel", "posix/layer", "tests/stress")
    return {"commit": git("rev-parse", "HEAD").strip(),
            "changed": [ln[3:] for ln in changed.splitlines() if len(ln) > 3]}


def build_images(board: str, out: Path) -> dict[str, Path]:
    """The stress program's image and the conformance image of `board`."""
    stress = build_app(board, [STRESS_SOURCE], out / "stress")
    conform = conformance.build_image(board, out / "conformance" / board)
    return {STRESS: stress.path, **{p: conform for p in CONFORMANCE}}


def summarize(runs: list[Run]) -> dict:
    """Per board: runs by outcome, threads made, preemption ticks and switches."""
    out: dict[str, dict] = {}
    for board in sorted({r.board for r in runs}):
        rs = [r for r in runs if r.board == board]
        outcomes = Counter(r.outcome for r in rs)
        out[board] = {
            "runs": len(rs),
            "stress_runs": sum(r.program == STRESS for r in rs),
            "threads": sum(r.threads for r in rs),
            "clean": outcomes["clean"],
            "failed": outcomes["failed"],
            "faults": outcomes["fault"],
            "panics": outcomes["panic"],
            "timeouts": outcomes["timeout"],
            "errors": outcomes["error"],
            "ticks": sum(r.ticks for r in rs),
            "switches": sum(r.switches for r in rs),
            "seconds": round(sum(r.seconds for r in rs), 1),
            "by_program": {p: {"runs": sum(r.program == p for r in rs),
                               "clean": sum(r.program == p and r.outcome == "clean" for r in rs)}
                           for p in sorted({r.program for r in rs})},
            "by_tick_us": {str(t): {"runs": sum(r.tick_us == t for r in rs),
                                    "clean": sum(r.tick_us == t and r.outcome == "clean"
                                                 for r in rs),
                                    "ticks": sum(r.ticks for r in rs if r.tick_us == t)}
                           for t in sorted({r.tick_us for r in rs})},
        }
    return out


def markdown(result: dict) -> str:
    s = result["settings"]
    rows = result["boards"]
    src = result["source"]
    out = [
        "# Validation kernel stress tier",
        "",
        f"Generated by `{result['command']}` on {result['date']} "
        f"({s['cpus']} CPUs, {s['load']} CPU-burning processes for the whole run, "
        f"load average {result['loadavg_start']} at the start and {result['loadavg_end']} at "
        f"the end; {result['wall_seconds']} s in all).",
        f"Kernel and layer: commit {src['commit'][:10] or '?'}"
        + (f" with changes to {', '.join(src['changed'])}." if src["changed"] else "."),
        "",
        f"Each board ran `{STRESS}` (tests/stress/{STRESS}.c) and the threaded conformance "
        f"programs ({', '.join(CONFORMANCE)}) {s['runs']} times each, cycling the preemption "
        f"tick over {', '.join(f'{t} us' for t in s['ticks_us'])} (`BKPORT_TICK_US`). "
        "Threads: threads the stress program created and joined or detached (its summary "
        "line; the main thread and the conformance programs' few threads are not counted). "
        "Ticks: timer interrupts taken while a thread ran; switches: context switches; both "
        "from the kernel's result record. Fault: status 125 or a `[bkport-kernel] FAULT` line; "
        "panic: a kernel panic among them.",
        "",
        "| board | runs | stress runs | threads | clean | failed | faults | panics | timeouts "
        "| ticks | switches |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for board, b in rows.items():
        out.append(f"| {board} | {b['runs']} | {b['stress_runs']} | {b['threads']} | "
                   f"{b['clean']} | {b['failed']} | {b['faults']} | {b['panics']} | "
                   f"{b['timeouts']} | {b['ticks']} | {b['switches']} |")
    ticks = s["ticks_us"]
    out += ["", "Clean runs per tick period:", "",
            "| board | " + " | ".join(f"{t} us" for t in ticks) + " |",
            "|---|" + "---|" * len(ticks)]
    for board, b in rows.items():
        cells = [f"{b['by_tick_us'].get(str(t), {}).get('clean', 0)}/"
                 f"{b['by_tick_us'].get(str(t), {}).get('runs', 0)}" for t in ticks]
        out.append(f"| {board} | " + " | ".join(cells) + " |")
    problems = result["problems"]
    out += ["", f"Runs that were not clean: {len(problems)}."]
    for p in problems:
        detail = p["detail"].strip().splitlines()
        out.append(f"- {p['board']} {p['program']} tick {p['tick_us']} us: {p['outcome']} "
                   f"(status {p['status']}): `{detail[0] if detail else ''}`")
    if result.get("cut_short"):
        out += ["", f"The time limit cut the bench short: {result['cut_short']}."]
    return "\n".join(out) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=30, help="runs of each program per board")
    ap.add_argument("--ticks", default="100,1000,10000",
                    help="tick periods in microseconds, cycled over the runs")
    ap.add_argument("--load", type=int, default=os.cpu_count() or 1,
                    help="CPU-burning processes during the runs (0: none)")
    ap.add_argument("--jobs", type=int, default=1, help="QEMU runs at once")
    ap.add_argument("--board", action="append", choices=sorted(BOARDS))
    ap.add_argument("--max-minutes", type=float, default=14.0,
                    help="start no run after this long (the results say so)")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    a = ap.parse_args()
    boards = a.board or sorted(BOARDS)
    ticks = [int(t) for t in a.ticks.split(",")]
    command = shlex.join([".venv/bin/python", "bench/kernel_stress.py", *sys.argv[1:]])
    start = time.monotonic()
    images = {}
    for b in boards:
        print(f"== building {b}", flush=True)
        images[b] = build_images(b, work_dir() / "kernel_stress")
    programs = [STRESS, *CONFORMANCE]
    jobs = [(b, p, ticks[(k + i) % len(ticks)])
            for k in range(a.runs) for b in boards for i, p in enumerate(programs)]
    runs: list[Run] = []
    cut_short = ""
    deadline = start + a.max_minutes * 60
    loadavg_start = round(os.getloadavg()[0], 2)
    with Load(a.load, a.max_minutes * 60 + 60), ThreadPoolExecutor(a.jobs) as pool:
        def job(j: tuple[str, str, int]) -> Run | None:
            if time.monotonic() > deadline:
                return None
            return run_one(j[0], j[1], images[j[0]][j[1]], j[2])

        for n, r in enumerate(pool.map(job, jobs), 1):
            if r is None:
                continue
            runs.append(r)
            if r.outcome != "clean" or n % 50 == 0:
                print(f"[{n}/{len(jobs)}] {r.board} {r.program} tick {r.tick_us} us: "
                      f"{r.outcome} ({r.seconds} s) {r.detail.strip()[-200:]}", flush=True)
        loadavg_end = round(os.getloadavg()[0], 2)
    if len(runs) < len(jobs):
        cut_short = f"{len(runs)} of {len(jobs)} runs made in {a.max_minutes} minutes"
    result = {
        "schema": "bkport.kernel-stress/1",
        "command": command,
        "date": time.strftime("%Y-%m-%d", time.gmtime()),
        "source": provenance(),
        "settings": {"runs": a.runs, "ticks_us": ticks, "load": a.load, "jobs": a.jobs,
                     "cpus": os.cpu_count(), "programs": programs},
        "wall_seconds": round(time.monotonic() - start, 1),
        "loadavg_start": loadavg_start,
        "loadavg_end": loadavg_end,
        "cut_short": cut_short,
        "boards": summarize(runs),
        "problems": [vars(r) for r in runs if r.outcome != "clean"],
    }
    (a.out / "results").mkdir(parents=True, exist_ok=True)
    (a.out / "results" / "kernel_stress.json").write_text(json.dumps(result, indent=1) + "\n")
    (a.out / "kernel-stress-results.md").write_text(markdown(result))
    print(markdown(result))
    outcomes = Counter(r.outcome for r in runs)
    if outcomes["fault"] or outcomes["panic"]:
        return 1
    return 2 if cut_short or len(runs) != outcomes["clean"] else 0


if __name__ == "__main__":
    sys.exit(main())

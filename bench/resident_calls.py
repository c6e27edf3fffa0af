"""What one call costs on a resident QEMU, beside a fresh boot per call, in the same run.

    .venv/bin/python bench/resident_calls.py [--board B ...] [--calls 30] [--app hello]
        [--out bench/results/resident_calls.json]

Per board, the built-in kernel app (default `hello`: one write, exit 0) is run `--calls` times
each of three ways, alternating: a fresh QEMU per call (`bkport.toolchain.qemu.run`); calls on
one resident QEMU whose kernel resets the machine between calls (`resident.Pool(machine_reset=
True)`: QEMU reloads the image and translates its code again); and calls on one resident QEMU
whose kernel restarts in place (the default: QEMU keeps its translated code). The resident
QEMUs' first calls, which boot them, are left out. Medians of: the host's time per call (blob
out to results back), the kernel's time from having the call to the app's exit (`kernel_ns`:
boot work and the app), and, resident only, the channel: reading the call's blob over
semihosting (`resident_read_ns`). The host load average is recorded: on a shared machine,
compare the columns of one run, not runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bkport.toolchain import qemu, resident  # noqa: E402
from bkport.toolchain.targets import BOARDS  # noqa: E402


def _median_ms(values: list[float]) -> float:
    return round(statistics.median(values) * 1000, 2)


MODES = ("fresh", "machine_reset", "in_place")


def bench_board(board: str, app: str, calls: int, out: Path) -> dict:
    from bkport.kernel.build import build

    image = build(board, app, out).path
    pools = {"machine_reset": resident.Pool(machine_reset=True),
             "in_place": resident.Pool(machine_reset=False)}
    try:
        for p in pools.values():
            p.run(board, image, [app], timeout=30)  # boots the worker
        got = {m: {"call": [], "kernel": [], "read": []} for m in MODES}
        for _ in range(calls):
            for mode in MODES:
                run = qemu.run if mode == "fresh" else pools[mode].run
                t0 = time.monotonic()
                r = run(board, image, [app], timeout=30)
                took = time.monotonic() - t0
                if r.outcome != "exit":
                    raise SystemExit(f"{board} {mode}: {r.outcome}: {r.kernel!r}")
                if mode == "in_place" and r.record.get("restored_in_place") != "1":
                    raise SystemExit(f"{board}: the call did not restart in place: {r.record}")
                d = got[mode]
                d["call"].append(took)
                d["kernel"].append(int(r.record["kernel_ns"]) / 1e9)
                if mode != "fresh":
                    d["read"].append(int(r.record["resident_read_ns"]) / 1e9)
        started = {m: p.started for m, p in pools.items()}
    finally:
        for p in pools.values():
            p.shutdown()
    row: dict = {"board": board, "app": app, "calls": calls}
    for m in MODES:
        row[f"{m}_call_ms"] = _median_ms(got[m]["call"])
        row[f"{m}_kernel_ms"] = _median_ms(got[m]["kernel"])
        if m != "fresh":
            row[f"{m}_read_ms"] = _median_ms(got[m]["read"])
            row[f"{m}_qemus_started"] = started[m]
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--board", action="append", choices=sorted(BOARDS))
    ap.add_argument("--calls", type=int, default=30)
    ap.add_argument("--app", default="hello", help="a built-in kernel app (kernel/apps/)")
    ap.add_argument("--out", type=Path,
                    default=Path(__file__).resolve().parent / "results" / "resident_calls.json")
    args = ap.parse_args()
    load = [" ".join(f"{x:.2f}" for x in os.getloadavg())]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bkres-bench-") as tmp:
        for b in args.board or sorted(BOARDS):
            rows.append(bench_board(b, args.app, args.calls, Path(tmp)))
            print(json.dumps(rows[-1]), flush=True)
    load.append(" ".join(f"{x:.2f}" for x in os.getloadavg()))
    result = {"generated_by": "bench/resident_calls.py",
              "command": " ".join(["bench/resident_calls.py", *sys.argv[1:]]),
              "load_average": load, "boards": rows}
    tmp_out = args.out.with_name(args.out.name + ".tmp")
    tmp_out.write_text(json.dumps(result, indent=1) + "\n")
    os.replace(tmp_out, args.out)
    print("| board | fresh boot ms (kernel ms) | resident, machine reset: call ms (kernel ms, "
          "channel ms) | resident, in place: call ms (kernel ms, channel ms) |")
    print("|---|---|---|---|")
    for r in rows:
        print(f"| {r['board']} | {r['fresh_call_ms']} ({r['fresh_kernel_ms']}) | "
              f"{r['machine_reset_call_ms']} ({r['machine_reset_kernel_ms']}, "
              f"{r['machine_reset_read_ms']}) | {r['in_place_call_ms']} "
              f"({r['in_place_kernel_ms']}, {r['in_place_read_ms']}) |")


if __name__ == "__main__":
    main()

"""What one call costs on a resident QEMU, beside a fresh boot per call, in the same run.

    .venv/bin/python bench/resident_calls.py [--board B ...] [--calls 30] [--app hello]
        [--out bench/results/resident_calls.json]

Per board, the built-in kernel app (default `hello`: one write, exit 0) is run `--calls` times
each way, alternating: a fresh QEMU per call (`bkport.toolchain.qemu.run`) and calls on one
resident QEMU (`bkport.toolchain.resident`, its first call, which boots it, left out). Medians of:
the host's time per call (blob out to results back), the kernel's time from having the call to
the app's exit (`kernel_ns`: boot work and the app), and, resident only, the channel: reading
the call's blob over semihosting (`resident_read_ns`). The host load average is recorded: on a
shared machine, compare the two columns of one run, not runs.
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


def bench_board(board: str, app: str, calls: int, out: Path) -> dict:
    from bkport.kernel.build import build

    image = build(board, app, out).path
    pool = resident.Pool()
    try:
        pool.run(board, image, [app], timeout=30)  # boots the worker
        fresh: dict[str, list[float]] = {"call": [], "kernel": []}
        res: dict[str, list[float]] = {"call": [], "kernel": [], "read": []}
        for _ in range(calls):
            for mode in ("fresh", "resident"):
                t0 = time.monotonic()
                r = (qemu.run if mode == "fresh" else pool.run)(board, image, [app], timeout=30)
                took = time.monotonic() - t0
                if r.outcome != "exit":
                    raise SystemExit(f"{board} {mode}: {r.outcome}: {r.kernel!r}")
                d = fresh if mode == "fresh" else res
                d["call"].append(took)
                d["kernel"].append(int(r.record["kernel_ns"]) / 1e9)
                if mode == "resident":
                    d["read"].append(int(r.record["resident_read_ns"]) / 1e9)
        started = pool.started
    finally:
        pool.shutdown()
    return {"board": board, "app": app, "calls": calls,
            "fresh_call_ms": _median_ms(fresh["call"]),
            "fresh_kernel_ms": _median_ms(fresh["kernel"]),
            "resident_call_ms": _median_ms(res["call"]),
            "resident_kernel_ms": _median_ms(res["kernel"]),
            "resident_read_ms": _median_ms(res["read"]),
            "resident_qemus_started": started}


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
    print("| board | fresh boot ms (kernel ms) | resident call ms (kernel ms, channel ms) |")
    print("|---|---|---|")
    for r in rows:
        print(f"| {r['board']} | {r['fresh_call_ms']} ({r['fresh_kernel_ms']}) | "
              f"{r['resident_call_ms']} ({r['resident_kernel_ms']}, {r['resident_read_ms']}) |")


if __name__ == "__main__":
    main()

"""Where one call of a test script's app goes on the host: the same shell loop of `N` calls of
`busybox true` run five ways, in one run, alternating rounds.

    .venv/bin/python bench/standin_calls.py --build-dir D [--board qemu_riscv64] [--calls 200]
        [--native PATH] [--out bench/results/standin_calls.json]

- `native`: a host busybox (`--native`, e.g. the benchmark's host build): a process start, the
  floor every call pays in the native baseline too;
- `client_alone`: the stand-in with no server to reach (it exits 126 at connect): its start;
- `wrapper_alone`: the dynamically linked client behind the `#!/bin/sh` + `exec` wrapper the
  driver used to install;
- `call_wrapper`: a whole call through the wrapper (what the driver installed before);
- `call`: a whole call through the validate server on a resident QEMU (the stand-in as the
  driver installs it), with the server's own time and QEMU's time from the call log;
- `call_files`: the same in a working tree of 40 small files (the scripts' scratch folders hold
  a few; the testsuite copy of an old-style applet folder holds dozens).

Per way: the loop's wall time per call (ms). The host load average is recorded: compare the
columns of one run, not runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bkport import native  # noqa: E402
from bkport.validate.server import CLIENT_C, CallServer, Target, install_stand_in  # noqa: E402

LOOP = 'i=0; while [ $i -lt {n} ]; do {cmd} true; i=$((i+1)); done'


def _loop(cmd: str, n: int, cwd: Path, env: dict[str, str]) -> float:
    t0 = time.monotonic()
    subprocess.run(["sh", "-c", LOOP.format(n=n, cmd=cmd)], cwd=cwd, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return (time.monotonic() - t0) / n * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build-dir", type=Path, required=True, help="a busybox build folder")
    ap.add_argument("--board", default="qemu_riscv64")
    ap.add_argument("--calls", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--native", type=Path, help="a host busybox binary")
    ap.add_argument("--out", type=Path,
                    default=Path(__file__).resolve().parent / "results" / "standin_calls.json")
    args = ap.parse_args()
    from bkport.plugins.busybox import validate as busybox
    from bkport.toolchain import resident

    built = busybox.build(args.board, args.build_dir, log=lambda m: None)
    load = [" ".join(f"{x:.2f}" for x in os.getloadavg())]
    got: dict[str, list[float]] = {}
    server_ms: dict[str, list[float]] = {}
    qemu_ms: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="bksc-") as tmp:
        t = Path(tmp)
        bindir, work, files = t / "bin", t / "work", t / "files"
        for d in (bindir, work, files):
            d.mkdir()
        for i in range(40):
            (files / f"f{i:02}").write_text(f"line {i}\n" * 20)
        install_stand_in(bindir / "busybox")
        (t / "wrapbin").mkdir()
        wrapper = t / "wrapbin" / "busybox"  # "$0" is the name the server runs
        # What the driver installed before: a script exec'ing the dynamically linked client.
        dynamic = native.built(CLIENT_C, shared=False)
        wrapper.write_text(f'#!/bin/sh\nexec {dynamic} "$0" "$@"\n')
        wrapper.chmod(0o755)
        env = {k: v for k, v in os.environ.items() if not k.startswith("BKPORT_")}
        sock = t / "c.sock"
        log = t / "calls.jsonl"
        ways = {"client_alone": (str(bindir / "busybox"), work, {}),
                "wrapper_alone": (str(wrapper), work, {}),
                "call": (str(bindir / "busybox"), work, {"BKPORT_VALIDATE_SOCKET": str(sock)}),
                "call_wrapper": (str(wrapper), work, {"BKPORT_VALIDATE_SOCKET": str(sock)}),
                "call_files": (str(bindir / "busybox"), files,
                               {"BKPORT_VALIDATE_SOCKET": str(sock)})}
        if args.native:
            ways = {"native": (str(args.native.resolve()), work, {}), **ways}
        with CallServer(sock, Target(args.board, built.image.resolve(), 20.0, log)):
            _loop(str(bindir / "busybox"), 3, work,  # boots the worker
                  {**env, "BKPORT_VALIDATE_SOCKET": str(sock)})
            log.unlink(missing_ok=True)
            for _ in range(args.rounds):
                for name, (cmd, cwd, extra) in ways.items():
                    got.setdefault(name, []).append(_loop(cmd, args.calls, cwd,
                                                          {**env, **extra}))
                    if log.exists():
                        for line in log.read_text().splitlines():
                            rec = json.loads(line)
                            server_ms.setdefault(name, []).append(rec["total_s"] * 1000)
                            qemu_ms.setdefault(name, []).append(rec["qemu_s"] * 1000)
                        log.unlink()
    resident.shutdown()
    load.append(" ".join(f"{x:.2f}" for x in os.getloadavg()))
    res = {"command": " ".join(["bench/standin_calls.py", *sys.argv[1:]]),
           "generated_by": "bench/standin_calls.py", "board": args.board,
           "calls_per_loop": args.calls, "rounds": args.rounds, "load_average": load,
           "ms_per_call_median_of_rounds": {k: round(statistics.median(v), 2)
                                            for k, v in got.items()},
           "server_ms_median": {k: round(statistics.median(v), 2)
                                for k, v in server_ms.items()},
           "qemu_ms_median": {k: round(statistics.median(v), 2) for k, v in qemu_ms.items()}}
    print(json.dumps(res, indent=1))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp_out = args.out.with_name(args.out.name + ".tmp")
    tmp_out.write_text(json.dumps(res, indent=1) + "\n")
    os.replace(tmp_out, args.out)


if __name__ == "__main__":
    main()

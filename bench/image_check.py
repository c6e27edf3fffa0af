"""What `bkport run` spends checking an image before each boot, beside the way it did it before.

    .venv/bin/python bench/image_check.py [IMAGE --board B] [--runs 20] [--out bench/results]

`bkport run` (and every call of a validation run) checks that the image is an ELF linked for the
board (bkport.kernel.elfimage.check_image), reading the board marker symbol. The baseline is the
former reader: every symbol of `.symtab` parsed with pyelftools. Measured in one process, side
by side, on the same file: the baseline's pass, the new first check (the string table; no cache),
and a repeated check of the same file (kept by file identity). Default image: the riscv64
busybox image of the work folder (`bkport validate` builds it), the largest one bkport boots.
Writes image_check.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bkport.kernel import elfimage  # noqa: E402
from bkport.paths import work_dir  # noqa: E402
from elftools.elf.elffile import ELFFile  # noqa: E402


def baseline(path: Path) -> set[str]:
    """The former marker reader: every symbol parsed."""
    with open(path, "rb") as f:
        st = ELFFile(f).get_section_by_name(".symtab")
        prefix = elfimage.BOARD_SYMBOL_PREFIX
        return {s.name[len(prefix):] for s in st.iter_symbols() if s.name.startswith(prefix)}


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("image", nargs="?", type=Path)
    ap.add_argument("--board", default="qemu_riscv64")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    a = ap.parse_args()
    image = a.image or work_dir() / "busybox" / a.board / "busybox.elf"
    if not image.is_file():
        raise SystemExit(f"{image}: no such image (build it: bkport validate --board {a.board} "
                         "--applets echo, or name one)")
    with open(image, "rb") as f:
        symbols = ELFFile(f).get_section_by_name(".symtab").num_symbols()
    if baseline(image) != {a.board}:
        raise SystemExit(f"{image} is not marked for {a.board}")

    def fresh() -> None:
        elfimage._CHECKED.clear()
        elfimage.check_image(a.board, image)

    rows = {
        "baseline: every symbol parsed": timed(lambda: baseline(image), a.runs),
        "first check (string table)": timed(fresh, a.runs),
        "repeated check (kept by file identity)": timed(
            lambda: elfimage.check_image(a.board, image), a.runs),
    }
    result = {
        "command": "bench/image_check.py " + " ".join(sys.argv[1:]),
        "image": str(image), "board": a.board, "size_bytes": image.stat().st_size,
        "symbols": symbols, "runs": a.runs,
        "median_ms": {k: round(statistics.median(v) * 1000, 3) for k, v in rows.items()},
        "min_ms": {k: round(min(v) * 1000, 3) for k, v in rows.items()},
    }
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "image_check.json").write_text(json.dumps(result, indent=1) + "\n")
    print(f"{image} ({result['size_bytes']} bytes, {symbols} symbols), {a.runs} runs each:")
    for k in rows:
        print(f"  {k:42} median {result['median_ms'][k]:9.3f} ms  min {result['min_ms'][k]:9.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A stand-in for the compiler, the archiver and the linker in busybox's host `make`: it records
each compile of a busybox source (directory + arguments, one JSON object a line) and writes empty
outputs, so Kbuild's own rules decide which translation units and flags this `.config` needs,
in seconds instead of a real host build.

Usage (as Kbuild's CC/LD/AR): python ccrecord.py LOG [args...]
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    log, args = argv[1], argv[2:]
    out = None
    for i, a in enumerate(args):
        if a == "-o" and i + 1 < len(args):
            out = args[i + 1]
    for a in args:  # Kbuild's `-Wp,-MD,dir/.x.o.d`: fixdep reads it right after the compile
        if a.startswith("-Wp,-MD,"):
            srcs = [s for s in args if s.endswith(".c")]
            Path(a[len("-Wp,-MD,"):]).write_text(f"{out}: {' '.join(srcs)}\n")
    if "-c" in args and out and out.endswith(".o") and any(a.endswith(".c") for a in args):
        with open(log, "a") as f:  # one short write per line: appends from -jN do not interleave
            f.write(json.dumps({"directory": os.getcwd(), "arguments": args}) + "\n")
    if out and out != "/dev/null":
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_bytes(b"")
    elif len(args) >= 2 and args[0] in ("rcs", "cr", "rc", "crs"):  # ar rcs LIB objs
        Path(args[1]).write_bytes(b"!<arch>\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

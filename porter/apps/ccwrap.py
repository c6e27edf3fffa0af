"""Stands in for the host's C compiler and archiver during a recorded host build: it appends the
call (tool, directory, arguments) to the log named by $BKPORT_RECORD, then runs the real tool, so
the host build is a real one (its programs run in the differential tests) and its compile, archive
and link commands are known exactly.

Usage (from the small shell scripts bkport.apps.record writes as cc, gcc, ar ... first on PATH):
    python ccwrap.py TOOL REAL [args...]
"""

from __future__ import annotations

import json
import os
import sys


def main(argv: list[str]) -> None:
    tool, real, args = argv[1], argv[2], argv[3:]
    log = os.environ.get("BKPORT_RECORD")
    if log:
        line = json.dumps({"tool": tool, "directory": os.getcwd(), "arguments": args})
        with open(log, "a") as f:  # one short write per line: appends from make -jN stay whole
            f.write(line + "\n")
    os.execv(real, [real, *args])  # does not return


if __name__ == "__main__":
    main(sys.argv)

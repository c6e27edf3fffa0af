"""Progress lines on stderr for build steps that take more than a few seconds.

`note("linking")` prints `bkport: linking...` on stderr, so a first build (the Rust core library
takes about two minutes) is not silent. BKPORT_QUIET=1 turns them off.
"""

from __future__ import annotations

import os
import sys


def note(message: str) -> None:
    if os.environ.get("BKPORT_QUIET"):
        return
    print(f"bkport: {message}...", file=sys.stderr, flush=True)

"""Small C helpers built on first use with the host's clang, kept in the cache.

bkport ships a few C sources where Python's per-call cost is the bottleneck (the analysis's AST
layout, bkport.analyze.flatten; the validate driver's stand-in executable, bkport.validate.client).
Each is built once per machine into `<cache>/native/` under a name carrying a hash of its source,
so an edited source is a new build and concurrent builders never see a half-written file (each
writes a temporary file and renames it). Every user has a Python path for when no helper can be
built (no clang, a read-only cache).
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
import tempfile
from pathlib import Path

from bkport.paths import cache_dir


def built(source: Path, shared: bool, flags: tuple[str, ...] = ("-O2",)) -> Path | None:
    """The helper built from `source` (a shared library, or an executable), building it if need
    be; None when it cannot be built here."""
    if os.environ.get("BKPORT_NATIVE", "1") == "0":
        return None
    try:
        src = source.read_bytes()
    except OSError:
        return None
    kind = ["-shared", "-fPIC"] if shared else []
    tag = hashlib.sha256(b"\0".join([src, platform.machine().encode(),
                                     *(a.encode() for a in (*kind, *flags))])).hexdigest()[:16]
    dest = cache_dir() / "native" / f"{source.stem}-{tag}{'.so' if shared else ''}"
    if dest.is_file():
        return dest
    clang = shutil.which("clang")
    if clang is None:
        return None
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
    except OSError:
        return None
    os.close(fd)
    try:
        r = subprocess.run([clang, *flags, *kind, "-w", "-x", "c", "-", "-o", tmp],
                           input=src, capture_output=True)
        if r.returncode != 0:
            return None
        os.chmod(tmp, 0o755)
        os.replace(tmp, dest)
        return dest
    except OSError:
        return None
    finally:
        Path(tmp).unlink(missing_ok=True)

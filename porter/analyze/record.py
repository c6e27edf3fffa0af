"""Get a compile database for a source tree: the project's own, one recorded with Bear, or (with a
loud warning) a heuristic one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bkport.analyze import busybox
from bkport.errors import InputError, ToolchainError, located
from bkport.fsutil import write_if_changed
from bkport.paths import cache_dir


@dataclass
class Database:
    path: Path
    origin: str  # "project" | "bear" | "heuristic"
    warnings: list[str] = field(default_factory=list)


def _run(cmd: list[str], cwd: Path, log: Callable[[str], None], stdin: str | None = None) -> None:
    log("$ " + " ".join(cmd))
    r = subprocess.run(cmd, cwd=cwd, input=stdin, text=True, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    if r.returncode != 0:
        tail = "\n".join(r.stdout.splitlines()[-20:])
        raise ToolchainError(f"`{' '.join(cmd)}` failed in {cwd} (exit {r.returncode}):\n{tail}")


def configure_busybox(src: Path, config: Path | None, log: Callable[[str], None]) -> None:
    """`.config` from FILE (`make oldconfig`, defaults for new symbols) or `make defconfig`."""
    if config is not None:
        busybox.read_config(config)  # validate before touching the tree
        shutil.copyfile(config, src / ".config")
        _run(["make", "oldconfig"], src, log, stdin="\n" * 5000)
    elif not (src / ".config").is_file():
        _run(["make", "defconfig"], src, log)


def record_with_bear(src: Path, jobs: int, log: Callable[[str], None]) -> Path:
    if shutil.which("bear") is None:
        raise ToolchainError("bear not found (Debian: apt-get install bear)")
    out = src / "compile_commands.json"
    _run(["bear", "--output", str(out), "--", "make", f"-j{jobs}"], src, log)
    if not out.is_file():
        raise ToolchainError(f"bear ran but wrote no {out}")
    return out


def heuristic(src: Path, log: Callable[[str], None]) -> Path:
    """Every .c file, every directory holding headers on the include path, the busybox config
    macros when there is a .config. Written to the cache, never into the tree."""
    include_dirs = sorted({str(p.parent) for p in src.rglob("*.h")})
    extra: list[str] = []
    key = hashlib.sha256(str(src.resolve()).encode()).hexdigest()[:16]
    out_dir = cache_dir() / "analyze" / "heuristic" / key
    if busybox.is_busybox(src) or (src / ".config").is_file():
        if (src / ".config").is_file():
            hdr = out_dir / "bkport_autoconf.h"
            write_if_changed(hdr, busybox.autoconf_header(busybox.read_config(src / ".config")))
            extra += ["-include", str(hdr)]
    entries = []
    for c in sorted(src.rglob("*.c")):
        args = ["cc", "-D_GNU_SOURCE", *extra, *[f"-I{d}" for d in include_dirs], "-c", str(c)]
        entries.append({"directory": str(src), "file": str(c), "arguments": args})
    if not entries:
        raise InputError(located(src, None, None, "no compile database, no build, and no .c files"))
    path = out_dir / "compile_commands.json"
    write_if_changed(path, json.dumps(entries, indent=1))
    return path


def obtain(src: Path, config: Path | None, jobs: int, log: Callable[[str], None],
           build: bool = True) -> Database:
    if not src.is_dir():
        raise InputError(located(src, None, None, "source directory not found"))
    existing = src / "compile_commands.json"
    if existing.is_file() and config is None:
        return Database(existing, "project")
    warn = []
    if build and (src / "Makefile").is_file() and shutil.which("make"):
        try:
            if busybox.is_busybox(src):
                configure_busybox(src, config, log)
            return Database(record_with_bear(src, jobs, log), "bear")
        except ToolchainError as e:
            warn.append(f"recording the build with Bear failed: {e}")
    warn.append(
        "NO COMPILE DATABASE: guessing flags (every .c file, every header directory, "
        "-D_GNU_SOURCE). Results may include code the real build never compiles and miss "
        "configured code; provide compile_commands.json or a buildable tree."
    )
    return Database(heuristic(src, log), "heuristic", warn)


def jobs_default() -> int:
    return os.cpu_count() or 1

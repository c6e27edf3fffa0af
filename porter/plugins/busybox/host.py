"""The host side of the busybox build (the plug-in's configure step), done once for every
board: a private copy of the source with the recipe's patches, the `.config` (config.py),
busybox's own generators (include/autoconf.h, applets.h, applet_tables.h, usage_compressed.h,
NUM_APPLETS.h, ...) and the list of translation units with their flags, as busybox's Kbuild
chooses them for this `.config`.

The TUs come from running `make` with ccrecord.py (beside this file) standing in for the
compiler, the archiver and the linker: Kbuild's own rules pick the sources and flags, the host
compiler builds only the generators, and the step takes seconds instead of a host build of
busybox (bear over a real build: about 2.5 minutes on 2 cores).

The result is cached under `<root>/host/<key>/`, the key hashing the recipe, the patches and the
recorder, so a second board (or a rebuild) reuses it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from bkport.errors import ToolchainError
from bkport.plugins import ConfiguredTree, Unit
from bkport.plugins.busybox import config

# Flags of busybox's Kbuild kept for the cross compile: what selects code and finds headers.
# Warnings, optimisation and gcc-only code-generation flags are the cross build's business.
KEEP_PREFIXES = ("-D", "-I", "-std=")
KEEP_FLAGS = ("-funsigned-char", "-fno-builtin-strlen", "-fno-builtin-printf")
RECORD = Path(__file__).with_name("ccrecord.py")


# The configured tree: `src` the private copy, `units` its TUs (source inside the tree, flags
# with absolute paths), `programs` the recipe's applets.
HostTree = ConfiguredTree


def recipe_key(recipe: Path) -> str:
    h = hashlib.sha256()
    files = [recipe / "app.toml", recipe / "applets.txt", recipe / "config.fragment",
             *sorted((recipe / "patches").glob("*.patch")), RECORD, Path(__file__)]
    for f in files:
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def _run(cmd: list[str], cwd: Path, log: Callable[[str], None], stdin: str | None = None,
         env: dict[str, str] | None = None) -> str:
    log("  " + " ".join(cmd[:6]) + (" ..." if len(cmd) > 6 else ""))
    proc = subprocess.run(cmd, cwd=cwd, input=stdin, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-30:])
        raise ToolchainError(f"busybox host step `{' '.join(cmd)}` failed in {cwd} "
                             f"(exit {proc.returncode}):\n{tail}")
    return proc.stdout


def _copy_source(src: Path, dest: Path) -> None:
    # The cached source may hold objects of an earlier (analysis) build: leave them out, and
    # `make mrproper` clears the rest of its generated files.
    shutil.copytree(src, dest, symlinks=True,
                    ignore=shutil.ignore_patterns("*.o", ".*.cmd", "busybox_unstripped*",
                                                  "compile_commands.json", ".pc"))


def keep_flags(args: list[str], cwd: Path) -> tuple[str, ...]:
    out: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "-include" and i + 1 < len(args):
            out += [a, str((cwd / args[i + 1]).resolve())]
            i += 2
            continue
        if a.startswith("-I"):
            out.append("-I" + str((cwd / a[2:]).resolve()))
        elif a.startswith(KEEP_PREFIXES) or a in KEEP_FLAGS:
            out.append(a)
        i += 1
    return tuple(out)


def parse_records(text: str) -> list[Unit]:
    units: dict[Path, Unit] = {}
    for line in text.splitlines():
        rec = json.loads(line)
        cwd, args = Path(rec["directory"]), rec["arguments"]
        srcs = [a for a in args if a.endswith(".c") and not a.startswith("-")]
        if len(srcs) != 1:
            continue
        src = (cwd / srcs[0]).resolve()
        units[src] = Unit(src, keep_flags(args, cwd))
    return sorted(units.values(), key=lambda u: str(u.source))


def prepare(root: Path, jobs: int, log: Callable[[str], None] = print,
            recipe: Path | None = None) -> HostTree:
    """The configured host tree for the recipe, from the cache when it is there."""
    from bkport.plugins import get, load_recipe

    recipe = recipe or config.recipe_dir()
    final = Path(root).resolve() / "host" / recipe_key(recipe)
    done = final / "units.json"
    if done.is_file():
        return _load(final)
    upstream = get("busybox").fetch(load_recipe(recipe), log)
    log(f"busybox host step in {final}")
    tmp = final.with_name(final.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    src = tmp / "src"
    _copy_source(upstream, src)
    _run(["make", "mrproper"], src, log)
    for patch in sorted((recipe / "patches").glob("*.patch")):
        _run(["patch", "-p1", "--forward", "-i", str(patch)], src, log)
    _run(["make", "allnoconfig"], src, log)
    want = config.wanted(recipe)
    dot = src / ".config"
    dot.write_text(config.merge(dot.read_text(), want))
    _run(["make", "oldconfig"], src, log, stdin="\n" * 5000)
    config.check(dot.read_text(), want)
    log_file = tmp / "records.jsonl"
    stand_in = f"{sys.executable} {RECORD} {log_file}"
    env = dict(os.environ, LC_ALL="C")
    _run(["make", f"-j{jobs}", f"CC={stand_in}", f"LD={stand_in}", f"AR={stand_in}",
          "HOSTCC=gcc", "busybox_unstripped"], src, log, env=env)
    units = parse_records(log_file.read_text())
    if not units:
        raise ToolchainError(f"busybox's make recorded no compilation ({log_file})")
    names = tuple(config.applets(recipe))
    (tmp / "units.json").write_text(json.dumps({
        "applets": names,
        "units": [{"source": str(u.source).replace(str(tmp), "@"), "flags":
                   [f.replace(str(tmp), "@") for f in u.flags]} for u in units],
    }, indent=1))
    shutil.rmtree(final, ignore_errors=True)
    tmp.rename(final)
    for old in final.parent.iterdir():  # trees of earlier recipes: 30 MB each, never reused
        if old != final and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    return _load(final)


def _load(final: Path) -> HostTree:
    # Paths are stored relative to the cache entry ("@"), so the entry survives being renamed.
    data = json.loads((final / "units.json").read_text())
    units = tuple(Unit(Path(u["source"].replace("@", str(final), 1)),
                       tuple(f.replace("@", str(final), 1) for f in u["flags"]))
                  for u in data["units"])
    return HostTree(final / "src", units, tuple(data["applets"]))

"""The host side of a recipe, done once for every board: a private copy of the source with the
recipe's patches, its configure step (autotools, CMake, Meson or plain make) and a real host
build whose compiler, archiver and linker calls are recorded (bkport.apps.ccwrap stands first on
PATH as cc, gcc and ar).

The host build gives two things: the build graph (which translation units, with which flags,
make up each program: bkport.apps.record), and the host programs the differential tests compare
the board against. Both are cached under `<work>/apps/<name>/host/<key>/`, the key hashing the
recipe, its patches, the source's identity and this code, so a second board reuses them.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bkport.apps import record
from bkport.apps.record import BuildGraph, Program, Unit
from bkport.errors import BkportError, ToolchainError
from bkport.fsutil import write_if_changed
from bkport.paths import work_dir
from bkport.recipe import Recipe

WRAP = Path(__file__).with_name("ccwrap.py")
# name on PATH -> (what the log calls it, the real tool to run)
_STAND_INS = {"cc": ("cc", "gcc"), "gcc": ("cc", "gcc"), "x86_64-linux-gnu-gcc": ("cc", "gcc"),
              "c99": ("cc", "gcc"), "ar": ("ar", "ar"), "x86_64-linux-gnu-ar": ("ar", "ar")}
BUILD_SUBDIR = "_bkbuild"  # out-of-tree build folder for CMake and Meson


class HostBuildError(BkportError):
    exit_code = 3


@dataclass(frozen=True)
class HostBuild:
    root: Path  # the cache entry
    src: Path  # the patched source tree (the build ran in src / recipe.source.subdir)
    programs: dict[str, Program]
    skipped: tuple[str, ...]

    def program(self, name: str) -> Program:
        if name not in self.programs:
            have = ", ".join(sorted(self.programs)) or "none"
            raise HostBuildError(f"the recorded host build links no program {name!r} "
                                 f"(it links: {have})")
        return self.programs[name]


def source_tree(recipe: Recipe, log: Callable[[str], None]) -> Path:
    """The unpacked upstream source: fetched from Debian, or the recipe's folder."""
    if recipe.source.debian:
        from bkport.analyze.fetch import fetch_debian

        return fetch_debian(recipe.source.debian, recipe.version, log)
    assert recipe.source.path is not None
    return recipe.source.path


def _tree_identity(tree: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(tree.rglob("*")):
        if p.is_file() and BUILD_SUBDIR not in p.parts:
            st = p.stat()
            h.update(f"{p.relative_to(tree)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def host_key(recipe: Recipe, tree: Path) -> str:
    # only what the host build depends on: editing a case or a cross flag keeps the entry
    h = hashlib.sha256(repr((recipe.source, recipe.configure)).encode())
    for f in [*recipe.source.patches, WRAP, Path(__file__), Path(record.__file__)]:
        h.update(str(f.name).encode() + b"\0" + Path(f).read_bytes() + b"\0")
    h.update(_tree_identity(tree).encode() if recipe.source.path else str(tree).encode())
    return h.hexdigest()[:16]


def _run(cmd: list[str], cwd: Path, env: dict[str, str], log: Callable[[str], None],
         what: str) -> None:
    log("  " + " ".join(cmd[:8]) + (" ..." if len(cmd) > 8 else ""))
    try:
        proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise ToolchainError(f"{cmd[0]} not found: {what} needs it (install the Debian package "
                             "that provides it)") from None
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-30:])
        raise HostBuildError(f"{what}: `{' '.join(cmd)}` failed in {cwd} (exit "
                             f"{proc.returncode}):\n{tail}")


def _stand_ins(bin_dir: Path) -> None:
    bin_dir.mkdir(parents=True, exist_ok=True)
    for name, (tool, real_name) in _STAND_INS.items():
        real = shutil.which(real_name)
        if real is None:
            raise ToolchainError(f"{real_name} not found: the host build needs it (Debian "
                                 "packages gcc and binutils)")
        script = bin_dir / name
        script.write_text(f"#!/bin/sh\nexec {sys.executable} {WRAP} {tool} {real} \"$@\"\n")
        script.chmod(0o755)


def _configure_and_build(recipe: Recipe, src: Path, bin_dir: Path, log_file: Path, jobs: int,
                         log: Callable[[str], None]) -> None:
    c = recipe.configure
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ.get('PATH', '')}", LC_ALL="C",
               CC="cc", AR="ar", **c.env)
    env.pop("BKPORT_RECORD", None)
    where = src / recipe.source.subdir
    build = where
    what = f"{recipe.name}'s host configure step"
    if c.kind == "autotools":
        if not (where / "configure").is_file():
            _run(["autoreconf", "-fi"], where, env, log, what)
        args = list(c.args)
        help_text = subprocess.run(["sh", "./configure", "--help"], cwd=where, env=env,
                                   capture_output=True, text=True).stdout
        # autoconf's own help says --disable-shared; libtool's --enable-shared[=PKGS]
        offers = "--disable-shared" in help_text or "--enable-shared" in help_text
        if offers and not any(a.startswith(("--enable-shared", "--disable-shared"))
                              for a in args):
            args.insert(0, "--disable-shared")
        _run(["sh", "./configure", *args], where, env, log, what)
    elif c.kind == "cmake":
        build = where / BUILD_SUBDIR
        _run(["cmake", "-S", ".", "-B", BUILD_SUBDIR, f"-DCMAKE_C_COMPILER={bin_dir / 'cc'}",
              f"-DCMAKE_AR={bin_dir / 'ar'}", "-DBUILD_SHARED_LIBS=OFF",
              "-DCMAKE_BUILD_TYPE=Release", *c.args], where, env, log, what)
    elif c.kind == "meson":
        build = where / BUILD_SUBDIR
        _run(["meson", "setup", BUILD_SUBDIR, "--default-library=static", *c.args], where, env,
             log, what)
    if c.kind == "none":
        return
    env["BKPORT_RECORD"] = str(log_file)
    what = f"{recipe.name}'s host build"
    if c.kind == "meson":
        _run(["ninja", "-C", str(build), f"-j{jobs}"], where, env, log, what)
    else:
        _run(["make", f"-j{jobs}", *c.make_args], build, env, log, what)


def _unit_json(u: Unit, root: str) -> dict:
    return {"source": str(u.source).replace(root, "@", 1),
            "flags": [f.replace(root, "@", 1) for f in u.flags],
            "directory": str(u.directory).replace(root, "@", 1)}


def _unit_load(d: dict, root: str) -> Unit:
    return Unit(Path(d["source"].replace("@", root, 1)),
                tuple(f.replace("@", root, 1) for f in d["flags"]),
                Path(d["directory"].replace("@", root, 1)))


def _save(graph: BuildGraph, final: Path) -> None:
    root = str(final)
    data = {"programs": {
        name: {"output": str(p.output).replace(root, "@", 1),
               "units": [_unit_json(u, root) for u in p.units],
               "archives": {str(a).replace(root, "@", 1): [_unit_json(u, root) for u in us]
                            for a, us in p.archives.items()},
               "system_libs": p.system_libs, "dynamic": p.shared}
        for name, p in sorted(graph.programs.items())},
        "skipped": graph.skipped}
    write_if_changed(final / "graph.json", json.dumps(data, indent=1))


def _load(final: Path) -> HostBuild:
    root = str(final)
    data = json.loads((final / "graph.json").read_text())
    progs = {}
    for name, p in data["programs"].items():
        progs[name] = Program(
            name, Path(p["output"].replace("@", root, 1)),
            [_unit_load(u, root) for u in p["units"]],
            {Path(a.replace("@", root, 1)): [_unit_load(u, root) for u in us]
             for a, us in p["archives"].items()},
            list(p["system_libs"]), list(p.get("dynamic", [])))
    return HostBuild(final, final / "src", progs, tuple(data["skipped"]))


def prepare(recipe: Recipe, jobs: int | None = None, log: Callable[[str], None] = print,
            root: Path | None = None) -> HostBuild:
    """The recipe's configured, built and recorded host tree, from the cache when it is there."""
    tree = source_tree(recipe, log)
    base = (root or work_dir() / "apps") / recipe.name / "host"
    final = base / host_key(recipe, tree)
    if (final / "graph.json").is_file():
        return _load(final)
    log(f"{recipe.name}: host configure, build and record in {final}")
    # Built where it stays (a build may make absolute symlinks into its own tree); graph.json,
    # written last and atomically, marks the entry complete, so a failed build is redone.
    shutil.rmtree(final, ignore_errors=True)
    final.mkdir(parents=True)
    src = final / "src"
    shutil.copytree(tree, src, symlinks=True,
                    ignore=shutil.ignore_patterns(".git", ".pc", BUILD_SUBDIR))
    for patch in recipe.source.patches:
        _run(["patch", "-p1", "--forward", "-i", str(patch)], src, dict(os.environ), log,
             f"applying {patch.name}")
    log_file = final / "record.jsonl"
    log_file.touch()
    _stand_ins(final / "bin")
    _configure_and_build(recipe, src, final / "bin", log_file, jobs or os.cpu_count() or 2, log)
    _save(record.read_log(log_file.read_text()), final)
    for old in base.iterdir():  # trees of earlier recipe versions are never reused
        if old != final and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    return _load(final)

"""Trees that must be configured before they build (issue 16, defect 5): `./configure`, only
`configure.ac` (autoreconf first), `CMakeLists.txt` or `meson.build`, and no Makefile.

The configure step and the build run in a scratch copy of the tree in bkport's cache
(`cache_dir()/analyze/configured/KEY/`), never in the user's tree, under Bear, so the compile
database and the link steps are those of the real, configured build: the project's own
functions are its own, and optional modules the configuration leaves out are not analysed. The
recording (`recorded/KEY/`, as for a Makefile tree) names the user's source files wherever the
copy's file is one of them, so findings point into the tree the user gave and edits there are
seen; generated files (config.h, a parser a generator wrote) stay in the copy, where the build
put them. The recording is reused until a top-level configure input (the files of `SYSTEMS`
and `STAMPED`) or `--configure-args` changes; a change further down (a subdirectory's
CMakeLists.txt) is not noticed: delete `cache_dir()/analyze/recorded/`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from bkport.analyze import record
from bkport.analyze.compdb import C_SUFFIXES
from bkport.errors import ToolchainError
from bkport.paths import cache_dir

# what each build system is recognised by, in the order they are tried
SYSTEMS = (("autoconf", ("configure", "configure.ac", "configure.in")),
           ("cmake", ("CMakeLists.txt",)),
           ("meson", ("meson.build",)))
MAKEFILES = ("Makefile", "makefile", "GNUmakefile")
# the top-level inputs besides the configure script whose change means configuring again
STAMPED = ("Makefile.am", "Makefile.in", "meson_options.txt", "meson.options")
BUILD_DIR = "_bkport_build"  # CMake's and Meson's build directory inside the copy
TOOLS = {"autoconf": ("make",), "cmake": ("cmake", "make"), "meson": ("meson", "ninja")}
AUTORECONF = ("autoreconf", "autoconf")  # the Debian package that provides it: autoconf


def build_system(src: Path) -> str | None:
    """`autoconf`, `cmake` or `meson` for a tree that needs configuring (no Makefile at its top),
    else None."""
    if any((src / m).is_file() for m in MAKEFILES):
        return None
    for name, files in SYSTEMS:
        if any((src / f).is_file() for f in files):
            return name
    return None


def _key(src: Path, system: str, args: tuple[str, ...]) -> str:
    """The tree, the stamps of its configure inputs and the arguments: change any, configure
    again."""
    h = hashlib.sha256(f"configure\0{src.resolve()}\0{system}\0".encode())
    h.update("\0".join(args).encode())
    for f in (*(f for _, files in SYSTEMS for f in files), *STAMPED):
        try:
            st = (src / f).stat()
        except OSError:
            continue
        h.update(f"\0{f}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


def recorded_configured(src: Path, args: tuple[str, ...]) -> record.Database | None:
    system = build_system(src)
    if system is None:
        return None
    return record.recorded_at(record.cache_recording(_key(src, system, args)))


def _steps(system: str, args: tuple[str, ...], jobs: int, tree: Path) -> list[list[str]]:
    """The configure commands, then the build command (run under Bear)."""
    if system == "autoconf":
        pre = [] if (tree / "configure").is_file() else [["autoreconf", "-fi"]]
        return [*pre, ["./configure", *args], ["make", f"-j{jobs}"]]
    if system == "cmake":
        return [["cmake", "-S", ".", "-B", BUILD_DIR, *args],
                ["cmake", "--build", BUILD_DIR, "-j", str(jobs)]]
    return [["meson", "setup", BUILD_DIR, *args], ["ninja", "-C", BUILD_DIR, f"-j{jobs}"]]


def _need(system: str, tree: Path) -> None:
    tools = list(TOOLS[system])
    if system == "autoconf" and not (tree / "configure").is_file():
        tools.append("autoreconf")
    for tool in ("bear", *tools):
        if shutil.which(tool) is None:
            pkg = {"autoreconf": "autoconf automake libtool"}.get(tool, tool)
            raise ToolchainError(f"{tool} not found, needed to configure {tree} "
                                 f"(Debian: apt-get install {pkg})")


def record_configured(src: Path, args: tuple[str, ...], jobs: int,
                      log: Callable[[str], None]) -> record.Database:
    """Copy the tree into the cache, configure and build the copy under Bear, and keep the
    compile database and link steps (RecordError when a step fails: nothing is kept)."""
    system = build_system(src)
    assert system is not None
    _need(system, src)
    key = _key(src, system, args)
    final = record.cache_recording(key)
    tree = cache_dir() / "analyze" / "configured" / key
    tmp = final.with_name(f"{final.name}.tmp{os.getpid()}")
    logfile = final.parent / f"{final.name}.log"
    logfile.unlink(missing_ok=True)
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(tree, ignore_errors=True)
    log(f"configuring a copy of {src} ({system}) in {tree}")
    # the copy keeps symbolic links as links; a VCS folder is no input of the build
    shutil.copytree(src, tree, symlinks=True, ignore=shutil.ignore_patterns(".git", ".hg"))
    tmp.mkdir(parents=True)
    try:
        *configure, build = _steps(system, args, jobs, tree)
        for step in configure:
            record._run(step, tree, log, logfile)
        events = tmp / "events.json"
        record._run(build, tree, log, logfile,
                    cmd=["bear", "intercept", "--output", str(events), "--", *build])
        raw = tmp / "raw_compile_commands.json"
        record._run(["bear", "citnames"], tree, lambda s: None, logfile,
                    cmd=["bear", "citnames", "--input", str(events), "--output", str(raw)])
        links = record.link_steps(events)
        events.unlink()
        user = _user_paths(tree, src)
        (tmp / "compile_commands.json").write_text(json.dumps(
            [_entry_to_user(e, user) for e in json.loads(raw.read_text())], indent=1))
        raw.unlink()
        for step in links:
            step["inputs"] = [user(p) for p in step["inputs"]]
        (tmp / "links.json").write_text(json.dumps(links, indent=1))
        (tmp / "recorded.json").write_text(json.dumps(
            {"format": record.RECORDING, "source": str(src), "configured": str(tree),
             "system": system, "configure_args": list(args),
             "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}))
        shutil.rmtree(final, ignore_errors=True)
        tmp.rename(final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return record.Database(final / "compile_commands.json", "configured",
                           links=final / "links.json")


def _user_paths(tree: Path, src: Path) -> Callable[[str], str]:
    """A source file of the copy -> the user's own file when the user's tree has it (the copy's
    generated files stay where they are)."""
    t = str(tree)

    def user(path: str) -> str:
        if not path.startswith(t + os.sep) or not path.endswith(C_SUFFIXES):
            return path
        mine = src / os.path.relpath(path, t)
        return str(mine) if mine.is_file() else path

    return user


def _entry_to_user(e: dict, user: Callable[[str], str]) -> dict:
    d = str(e.get("directory", ""))
    old = os.path.normpath(os.path.join(d, str(e.get("file", ""))))
    new = user(old)
    if new == old:
        return e
    args = e.get("arguments")
    if isinstance(args, list):  # the source named in the command is the user's too
        e["arguments"] = [new if not a.startswith("-") and
                          os.path.normpath(os.path.join(d, a)) == old else a for a in args]
    e["file"] = new
    return e

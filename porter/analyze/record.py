"""Get a compile database for a source tree: the project's own, one recorded with Bear, or (only
where no build can be recorded, or when asked) a heuristic one with a loud warning.

A recorded build lives in bkport's cache (`cache_dir()/analyze/recorded/KEY/`), never in the
user's tree: the compile database Bear's `citnames` makes from the intercepted executions, and the
link steps (`links.json`: which objects and archives each link takes) from the same executions.
It is written only when the build succeeded (in a scratch folder renamed into place at the end),
and reused until the tree's top Makefile or `--config` changes; a failed build leaves nothing to
trust and is an error (`RecordError`, exit 1) unless the caller allows guessing, which is then
said in the document's warnings (every output format shows them).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bkport import plugins
from bkport.errors import BkportError, InputError, ToolchainError, located
from bkport.fsutil import write_if_changed
from bkport.paths import cache_dir

RECORDING = 2  # layout of a recorded build; bump to re-record (2: links say run_in_build)
GUESS_WARNING = (
    "NO COMPILE DATABASE: guessing flags (every .c file, every header directory, "
    "-D_GNU_SOURCE). Results may include code the real build never compiles and miss "
    "configured code; provide compile_commands.json or a buildable tree."
)


class RecordError(BkportError):
    """The build run to record a compile database failed (exit 1): nothing was kept."""

    exit_code = 1


@dataclass
class Database:
    path: Path
    origin: str  # "project" | "bear" | "heuristic" | "given"
    warnings: list[str] = field(default_factory=list)
    links: Path | None = None  # links.json of a recorded build


def _tree_key(src: Path, config: Path | None) -> str:
    """The tree, its top Makefile's stamp (a regenerated or edited Makefile builds differently:
    record again) and the --config contents."""
    h = hashlib.sha256(str(src.resolve()).encode())
    try:
        st = (src / "Makefile").stat()
        h.update(f"\0{st.st_size}\0{st.st_mtime_ns}".encode())
    except OSError:
        pass
    if config is not None:
        h.update(b"\0" + config.read_bytes())
    return h.hexdigest()[:16]


def cache_recording(key: str) -> Path:
    """Where the recording named `key` is kept."""
    return cache_dir() / "analyze" / "recorded" / key


def recording_dir(src: Path, config: Path | None = None) -> Path:
    """Where the recorded build of `src` (with this --config) is kept."""
    return cache_recording(_tree_key(src, config))


def _run(step: list[str], src: Path, log: Callable[[str], None], logfile: Path,
         cmd: list[str] | None = None, stdin: str | None = None) -> None:
    """Run `cmd` (shown as `step`) in the tree; RecordError in one line if it fails."""
    log("$ " + " ".join(step))
    logfile.parent.mkdir(parents=True, exist_ok=True)
    with logfile.open("a") as out:
        out.write("$ " + " ".join(cmd or step) + "\n")
        out.flush()
        try:
            # no terminal for the build: a step that prompts fails instead of waiting forever
            r = subprocess.run(cmd or step, cwd=src, input=stdin, text=True, stdout=out,
                               stderr=subprocess.STDOUT,
                               **({} if stdin is not None else {"stdin": subprocess.DEVNULL}))
        except OSError as e:
            raise RecordError(f"recording the build of {src} failed: `{' '.join(step)}` could "
                              f"not run: {e}") from e
    if r.returncode != 0:
        raise RecordError(f"recording the build of {src} failed: `{' '.join(step)}` exited "
                          f"{r.returncode} (output: {logfile})")


def record_with_bear(src: Path, config: Path | None, jobs: int,
                     log: Callable[[str], None]) -> Database:
    """Build the tree under Bear (`make -B`: every step runs, so an earlier partial build cannot
    hide files) and keep the compile database and link steps in the cache, only on success."""
    for tool in ("bear", "make"):
        if shutil.which(tool) is None:
            raise ToolchainError(f"{tool} not found (Debian: apt-get install {tool})")
    final = recording_dir(src, config)
    tmp = final.with_name(f"{final.name}.tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    logfile = final.parent / f"{final.name}.log"
    logfile.unlink(missing_ok=True)
    try:
        plugin = plugins.for_tree(src)
        if plugin is not None:  # the app's own configure step (a Kconfig .config, say)
            plugin.configure_recording(
                src, config, lambda cmd, stdin: _run(cmd, src, log, logfile, stdin=stdin))
        events = tmp / "events.json"
        make = ["make", "-B", f"-j{jobs}"]
        _run(make, src, log, logfile, cmd=["bear", "intercept", "--output", str(events), "--",
                                           *make])
        _run(["bear", "citnames"], src, lambda s: None, logfile,
             cmd=["bear", "citnames", "--input", str(events), "--output",
                  str(tmp / "compile_commands.json")])
        links = link_steps(events)
        events.unlink()
        (tmp / "links.json").write_text(json.dumps(links, indent=1))
        (tmp / "recorded.json").write_text(json.dumps(
            {"format": RECORDING, "source": str(src), "config": str(config) if config else None,
             "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}))
        shutil.rmtree(final, ignore_errors=True)
        tmp.rename(final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return Database(final / "compile_commands.json", "bear", links=final / "links.json")


def recorded(src: Path, config: Path | None) -> Database | None:
    """A complete recording kept from an earlier run, if any."""
    return recorded_at(recording_dir(src, config))


def recorded_at(d: Path) -> Database | None:
    """The complete recording in `d`, if there is one of this bkport's layout."""
    try:
        meta = json.loads((d / "recorded.json").read_text())
    except (OSError, ValueError):
        return None
    if meta.get("format") != RECORDING or not (d / "compile_commands.json").is_file():
        return None
    origin = "configured" if meta.get("configured") else "bear"
    return Database(d / "compile_commands.json", origin, links=d / "links.json")


# --- link steps from Bear's intercepted executions --------------------------------------------

DRIVERS = ("cc", "gcc", "clang", "c++", "g++", "clang++", "tcc")
LINKERS = ("ld", "ld.bfd", "ld.gold", "ld.lld", "lld", "collect2")
ARCHIVERS = ("ar", "gcc-ar", "llvm-ar")
NOT_LINKING = ("-c", "-S", "-E", "-M", "-MM", "-fsyntax-only")
WITH_VALUE = ("-o", "-L", "-l", "-T", "-x", "-MF", "-MT", "-MQ", "-include", "-imacros", "-I",
              "-isystem", "-iquote", "-idirafter", "-Xlinker", "-e", "-soname", "-rpath", "-z",
              "-m", "--sysroot", "-u", "-dynamic-linker", "-plugin", "-specs")


VERSION_RX = re.compile(r"-\d+(\.\d+)*$")


def _tool(exe: str, names: tuple[str, ...]) -> bool:
    """`x86_64-linux-gnu-gcc-12`, `clang-14`, `arm-none-eabi-ld`: a tool of that family."""
    base = VERSION_RX.sub("", os.path.basename(exe))
    return any(base == n or base.endswith("-" + n) for n in names)


def _link(argv: list[str], cwd: str, driver: bool) -> dict | None:
    """{output, inputs, libs, dirs, kind: program|relocatable|library} of a link, or None."""
    if driver and any(a in NOT_LINKING for a in argv[1:]):
        return None
    out, inputs, libs, dirs = "a.out", [], [], []
    kind = "program"
    i = 1
    while i < len(argv):
        a = argv[i]
        i += 1
        if a in ("-r", "--relocatable", "-Wl,-r"):
            kind = "relocatable"
        elif a == "-shared":
            kind = "library"  # -shared: a shared object
        if a == "-o" and i < len(argv):
            out = argv[i]
            i += 1
        elif a.startswith("-o") and len(a) > 2 and not driver:
            out = a[2:]
        elif a == "-L" and i < len(argv):
            dirs.append(argv[i])
            i += 1
        elif a.startswith("-L"):
            dirs.append(a[2:])
        elif a == "-l" and i < len(argv):
            libs.append(argv[i])
            i += 1
        elif a.startswith("-l"):
            libs.append(a[2:])
        elif a in WITH_VALUE:
            i += 1
        elif not a.startswith("-"):
            inputs.append(a)
    if not inputs:
        return None
    return {"output": os.path.normpath(os.path.join(cwd, out)), "kind": kind,
            "inputs": [os.path.normpath(os.path.join(cwd, p)) for p in inputs],
            "libs": libs, "dirs": [os.path.normpath(os.path.join(cwd, d)) for d in dirs]}


def _archive(argv: list[str], cwd: str) -> dict | None:
    args = [a for a in argv[1:] if not a.startswith("--")]
    if len(args) < 2:
        return None
    ops = args[0].lstrip("-")
    if not any(c in ops for c in "rq"):
        return None  # t, x, d, s...: not adding members
    return {"output": os.path.normpath(os.path.join(cwd, args[1])), "kind": "archive",
            "inputs": [os.path.normpath(os.path.join(cwd, p)) for p in args[2:]],
            "libs": [], "dirs": []}


def link_steps(events: Path) -> list[dict]:
    """Every link (`cc -o prog a.o lib.a`, `ld -r`, `ld`) and archive (`ar rcs lib.a x.o`) the
    build ran, from `bear intercept` events; the linkers a compiler driver runs for it are its
    own link, not another one. A program link is `run_in_build` when the build executed its
    output afterwards (a build tool)."""
    steps: list[dict] = []
    by_pid: dict[int, str] = {}
    ran: set[str] = set()  # every file the build executed, absolute
    with events.open(errors="replace") as fh:
        for line in fh:
            try:
                e = json.loads(line)
            except ValueError:
                continue
            s = e.get("started") if isinstance(e, dict) else None
            if not s:
                continue
            ex = s.get("execution") or {}
            argv = [str(a) for a in ex.get("arguments") or []]
            exe = str(ex.get("executable") or (argv[0] if argv else ""))
            cwd = str(ex.get("working_dir") or "/")
            if not argv:
                continue
            ran.add(os.path.normpath(os.path.join(cwd, exe)))
            if _tool(exe, DRIVERS) or _tool(argv[0], DRIVERS):
                role = "driver"
            elif _tool(exe, LINKERS) or _tool(argv[0], LINKERS):
                role = "linker"
            elif _tool(exe, ARCHIVERS) or _tool(argv[0], ARCHIVERS):
                role = "archiver"
            else:
                role = ""
            pid, ppid = s.get("pid"), s.get("ppid")
            if pid is not None:
                by_pid[pid] = role
            if by_pid.get(ppid) in ("driver", "linker"):
                continue  # collect2/ld run by gcc for the link already seen
            step = None
            if role in ("driver", "linker"):
                step = _link(argv, cwd, role == "driver")
            elif role == "archiver":
                step = _archive(argv, cwd)
            if step is not None:
                steps.append(step)
    for step in steps:
        # A program the build itself runs (a generator: sqlite's lemon, toybox's scripts/*.c)
        # is a build tool, not shipped code. Libtool links `.libs/NAME` and runs it through a
        # wrapper script `NAME` (which may copy it to `.libs/lt-NAME` first).
        out = step["output"]
        d, base = os.path.split(out)
        names = {out, os.path.join(d, ".libs", "lt-" + base), os.path.join(d, "lt-" + base)}
        if os.path.basename(d) == ".libs":
            names.add(os.path.join(os.path.dirname(d), base.removeprefix("lt-")))
        step["run_in_build"] = step["kind"] == "program" and not names.isdisjoint(ran)
    return steps


# --- no build: guessing ------------------------------------------------------------------------

def heuristic(src: Path, log: Callable[[str], None]) -> Path:
    """Every .c file, every directory holding headers on the include path, and what an app
    plug-in that knows the tree adds (its configuration's macros, say). Written to the cache,
    never into the tree."""
    include_dirs = sorted({str(p.parent) for p in src.rglob("*.h")})
    extra: list[str] = []
    key = hashlib.sha256(str(src.resolve()).encode()).hexdigest()[:16]
    out_dir = cache_dir() / "analyze" / "heuristic" / key
    plugin = plugins.for_tree(src)
    if plugin is not None:
        extra += plugin.guessed_flags(src, out_dir)
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
           build: bool = True, allow_guess: bool = False,
           configure_args: tuple[str, ...] = ()) -> Database:
    """The project's own `compile_commands.json`; else the build recorded in the cache (recording
    it now if need be: a tree with no Makefile but a configure step is configured in a copy
    first, bkport.analyze.configure); else, when there is nothing to build or `build` is False,
    guessed flags. A recording that fails raises RecordError, or with `allow_guess` falls back
    to guessing with a warning naming the failure."""
    from bkport.analyze import configure

    if not src.is_dir():
        raise InputError(located(src, None, None, "source directory not found"))
    existing = src / "compile_commands.json"
    if existing.is_file() and config is None:
        if not _fetched(src):
            return Database(existing, "project")
        # A source tree bkport fetched into its own cache has no database of its own: one found
        # there was left by an older bkport, which recorded into the tree (and, after an
        # incremental build, only part of it).
        log(f"ignoring {existing}: bkport's own cache, not the project's database")
    warn = []
    if build and configure.build_system(src) is not None:
        kept = configure.recorded_configured(src, configure_args)
        if kept is not None:
            log(f"using the configured build of {src} recorded in {kept.path.parent}")
            return kept
        try:
            return configure.record_configured(src, configure_args, jobs, log)
        except (RecordError, ToolchainError) as e:
            if not allow_guess:
                raise
            warn.append(f"{e}; guessing flags instead (--allow-guess)")
    elif build and (src / "Makefile").is_file():
        kept = recorded(src, config)
        if kept is not None:
            log(f"using the build of {src} recorded in {kept.path.parent}")
            return kept
        try:
            return record_with_bear(src, config, jobs, log)
        except (RecordError, ToolchainError) as e:
            if not allow_guess:
                raise
            warn.append(f"{e}; guessing flags instead (--allow-guess)")
    warn.append(GUESS_WARNING)
    return Database(heuristic(src, log), "heuristic", warn)


def _fetched(src: Path) -> bool:
    """True for a source tree `bkport analyze` fetched into its cache (bkport.analyze.fetch)."""
    from bkport.analyze.fetch import src_root

    return src.resolve().is_relative_to(src_root().resolve())


def jobs_default() -> int:
    return os.cpu_count() or 1

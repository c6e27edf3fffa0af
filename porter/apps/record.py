"""What a recorded host build did, as a graph: which sources were compiled with which flags into
which objects, which objects went into which archives, and which objects, archives and libraries
each program was linked from.

The log is the one bkport.apps.ccwrap writes (one JSON object a line: tool, directory,
arguments). Reading the link commands is what tells programs apart: a tree that builds `lua` and
`luac` gives two programs, each with its own translation units, instead of one pile of sources.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from bkport.errors import BkportError

# Options whose value is the next argument (gcc/clang driver).
_WITH_VALUE = {"-o", "-I", "-D", "-U", "-include", "-imacros", "-isystem", "-iquote",
               "-idirafter", "-MF", "-MT", "-MQ", "-x", "-L", "-Xlinker", "-Xassembler",
               "-Xpreprocessor", "-arch", "-target", "--target", "-T", "-z", "-u", "-e"}
# Calls that produce no object or program: probes and dependency-only runs.
_NOT_A_BUILD = {"-E", "-S", "-M", "-MM", "--version", "-v", "-dumpversion", "-dumpmachine",
                "-###"}
C_SUFFIXES = (".c",)
# Flags of the host compile kept for the cross compile: what selects code and finds headers,
# and the few code-generation flags that change what C means. Optimisation, warnings, and
# host-only code generation are the cross build's business.
KEEP_PREFIXES = ("-D", "-U", "-I", "-std=", "-iquote")
KEEP_FLAGS = ("-funsigned-char", "-fsigned-char", "-fwrapv", "-fno-strict-aliasing",
              "-fno-common", "-fno-builtin")
SYSTEM_DIRS = ("/usr/include", "/usr/local/include", "/usr/lib")


class RecordError(BkportError):
    """The recorded build cannot be read."""


@dataclass(frozen=True)
class Unit:
    """One translation unit as the host build compiled it."""

    source: Path  # absolute
    flags: tuple[str, ...]  # kept flags, absolute paths
    directory: Path


@dataclass
class Program:
    name: str
    output: Path  # the host binary
    units: list[Unit] = field(default_factory=list)  # objects given to the link directly
    archives: dict[Path, list[Unit]] = field(default_factory=dict)  # in-tree archives it links
    system_libs: list[str] = field(default_factory=list)  # -lm, -lpthread, ...
    shared: list[str] = field(default_factory=list)  # shared libraries it was linked with


@dataclass
class BuildGraph:
    objects: dict[Path, Unit] = field(default_factory=dict)
    archives: dict[Path, list[Path]] = field(default_factory=dict)
    programs: dict[str, Program] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # links not taken as programs, and why


def _abs(cwd: Path, p: str) -> Path:
    return Path(os.path.normpath(cwd / p))


def keep_flags(args: list[str], cwd: Path) -> tuple[str, ...]:
    """The flags of a host compile that the cross compile keeps (paths made absolute; host
    system include directories dropped: the target has its own headers)."""
    out: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        joined = a
        if a in ("-D", "-U", "-I", "-include", "-iquote") and i + 1 < len(args):
            joined = a + args[i + 1] if a != "-include" else a
            if a == "-include":
                out += [a, str(_abs(cwd, args[i + 1]))]
                i += 2
                continue
            i += 1
        if joined.startswith(("-I", "-iquote")):
            flag = "-I" if joined.startswith("-I") else "-iquote"
            path = _abs(cwd, joined[len(flag):])
            if not str(path).startswith(SYSTEM_DIRS):
                out.append(flag + str(path))
        elif joined.startswith(KEEP_PREFIXES) or joined in KEEP_FLAGS:
            out.append(joined)
        i += 1
    return tuple(out)


def _inputs(args: list[str]) -> tuple[list[str], str | None, list[str], list[str]]:
    """(positional inputs, -o value, -L dirs, -l names) of a driver command line."""
    inputs: list[str] = []
    libdirs: list[str] = []
    libs: list[str] = []
    out = None
    i = 0
    while i < len(args):
        a = args[i]
        if a in _WITH_VALUE and i + 1 < len(args):
            if a == "-o":
                out = args[i + 1]
            elif a == "-L":
                libdirs.append(args[i + 1])
            i += 2
            continue
        if a.startswith("-L"):
            libdirs.append(a[2:])
        elif a.startswith("-l"):
            libs.append(a[2:])
        elif a.startswith("-o") and len(a) > 2:
            out = a[2:]
        elif not a.startswith("-"):
            inputs.append(a)
        i += 1
    return inputs, out, libdirs, libs


def _is_probe(cwd: Path, out: str | None) -> bool:
    name = Path(out).name if out else ""
    return "conftest" in name or str(cwd).startswith("/tmp/") and "CMakeScratch" in str(cwd)


def _compile(graph: BuildGraph, cwd: Path, args: list[str]) -> None:
    inputs, out, _, _ = _inputs(args)
    srcs = [s for s in inputs if s.endswith(C_SUFFIXES)]
    flags = keep_flags(args, cwd)
    for s in srcs:
        obj = _abs(cwd, out) if out and len(srcs) == 1 else cwd / (Path(s).stem + ".o")
        graph.objects[obj] = Unit(_abs(cwd, s), flags, cwd)


def _archive(graph: BuildGraph, cwd: Path, args: list[str]) -> None:
    rest = [a for a in args if not a.startswith("--")]
    if len(rest) < 2:
        return
    ops, archive = rest[0].lstrip("-"), _abs(cwd, rest[1])
    members = [_abs(cwd, m) for m in rest[2:] if m.endswith(".o")]
    if "d" in ops and "r" not in ops:
        drop = {m.name for m in members}
        graph.archives[archive] = [m for m in graph.archives.get(archive, [])
                                   if m.name not in drop]
        return
    if not ({"r", "q"} & set(ops)):
        return  # t, x, p: reading an archive
    # `ar r` replaces a member of the same name where it stands and appends new ones
    have = list(graph.archives.get(archive, []))
    for m in members:
        same = [i for i, h in enumerate(have) if h.name == m.name]
        if same:
            have[same[0]] = m
        else:
            have.append(m)
    graph.archives[archive] = have


def _link(graph: BuildGraph, cwd: Path, args: list[str]) -> None:
    inputs, out, libdirs, libs = _inputs(args)
    out_path = _abs(cwd, out or "a.out")
    if "-shared" in args or out_path.suffix == ".so" or ".so." in out_path.name:
        graph.skipped.append(f"{out_path.name}: a shared library (configure with static "
                             "libraries only)")
        return
    if _is_probe(cwd, out):
        return
    name = out_path.name.removesuffix(".exe")
    prog = Program(name, out_path)
    for inp in inputs:
        p = _abs(cwd, inp)
        if inp.endswith(C_SUFFIXES):
            prog.units.append(Unit(p, keep_flags(args, cwd), cwd))
        elif p.suffix == ".o" or p.suffix == ".lo":
            obj = p if p.suffix == ".o" else p.with_suffix(".o")
            unit = graph.objects.get(obj)
            if unit is None:
                raise RecordError(f"the link of {name} takes {p}, which the recorded build "
                                  "never compiled")
            prog.units.append(unit)
        elif p.suffix == ".a":
            _add_archive(graph, prog, p)
        elif p.suffix == ".so" or ".so." in p.name:
            prog.shared.append(str(p))
    search = [_abs(cwd, d) for d in libdirs] + [cwd]
    for lib in libs:
        found = next((d / f"lib{lib}.a" for d in search if d / f"lib{lib}.a" in graph.archives),
                     None)
        if found is not None:
            _add_archive(graph, prog, found)
        else:
            prog.system_libs.append(lib)
    if name in graph.programs and graph.programs[name].output != out_path:
        name = str(out_path)  # two programs of one name in different folders: keep both
        prog.name = name
    graph.programs[name] = prog


def _add_archive(graph: BuildGraph, prog: Program, path: Path) -> None:
    members = graph.archives.get(path)
    if members is None:
        prog.system_libs.append(str(path))
        return
    units = [graph.objects[m] for m in members if m in graph.objects]
    prog.archives[path] = units


def read_log(text: str) -> BuildGraph:
    """The build graph of a recorded build, in the order the commands ran."""
    graph = BuildGraph()
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            tool, cwd, args = rec["tool"], Path(rec["directory"]), list(rec["arguments"])
        except (ValueError, KeyError, TypeError) as e:
            raise RecordError(f"recorded build log line {n}: {e}") from None
        if tool == "ar":
            _archive(graph, cwd, args)
            continue
        if not args or any(a in _NOT_A_BUILD for a in args) \
                or any(a.startswith("-print-") for a in args):
            continue
        if "-c" in args:
            _compile(graph, cwd, args)
        else:
            inputs, _, _, _ = _inputs(args)
            if inputs:
                _link(graph, cwd, args)
    return graph

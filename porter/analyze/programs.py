"""What a recorded build ships: its programs and libraries, each as the source files it links,
from the link steps (`links.json`, bkport.analyze.record) and the compile database's outputs.

A program is a link without `-r`/`-shared`; its sources are the objects it links, the members of
the archives it names (by path or `-lNAME`), and, through `ld -r` objects and archives, their own
inputs. A program the build ran itself (`run_in_build`: a generator such as sqlite's lemon) is a
build tool: its sources are not shipped unless a shipped program or library also links them.
A library is a target of its own when nothing in the build links it (what the tree installs) or
when it is shared.
"""

from __future__ import annotations

import json
import os
import shlex
from dataclasses import dataclass
from pathlib import Path

from bkport.analyze.compdb import C_SUFFIXES


@dataclass(frozen=True)
class Shipped:
    """A program or library of the build, as the source files (absolute) it is made of."""

    name: str
    output: str
    kind: str  # program | library
    units: frozenset[str]


@dataclass
class Build:
    targets: list[Shipped]
    tools: dict[str, str]  # source file only build tools link -> the tool's name


def _object_sources(compile_db: Path) -> dict[str, str]:
    """object (absolute) -> source (absolute), from each entry's `output`, else its `-o`, else
    the compiler's default `DIR/STEM.o`."""
    out: dict[str, str] = {}
    try:
        entries = json.loads(compile_db.read_text())
    except (OSError, ValueError):
        return out
    for e in entries if isinstance(entries, list) else []:
        if not isinstance(e, dict) or "file" not in e or "directory" not in e:
            continue
        d = str(e["directory"])
        src = os.path.normpath(os.path.join(d, str(e["file"])))
        obj = e.get("output")
        if not obj:
            argv = e.get("arguments") or shlex.split(str(e.get("command", "")))
            obj = next((argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "-o"), None)
        if not obj:
            obj = os.path.splitext(os.path.basename(src))[0] + ".o"
        out[os.path.normpath(os.path.join(d, str(obj)))] = src
    return out


def _name(output: str, root: str, taken: set[str]) -> str:
    """The program's file name (`lt-` of libtool's copies dropped); its path under the tree
    when two programs share a name."""
    base = os.path.basename(output).removeprefix("lt-")
    if base not in taken:
        return base
    return os.path.relpath(output, root) if output.startswith(root + os.sep) else output


def shipped(links_json: Path, compile_db: Path, root: str) -> Build | None:
    """The build's programs and libraries, or None when the recording has no program or library
    (nothing to attribute by: the caller attributes per file)."""
    try:
        steps = json.loads(links_json.read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(steps, list):
        return None
    objs = _object_sources(compile_db)
    by_output = {s["output"]: s for s in steps if isinstance(s, dict) and "output" in s}
    libs_by_name: dict[str, list[str]] = {}
    for s in by_output.values():
        if s["kind"] in ("archive", "library"):
            libs_by_name.setdefault(os.path.basename(s["output"]), []).append(s["output"])

    def lib_path(name: str, dirs: list[str]) -> str | None:
        # `-lNAME` as the linker finds it: libNAME.so/.a in one of the -L dirs (a symbolic link
        # to a recorded output counts), else a recorded one of that name anywhere
        for d in dirs:
            for file in (f"lib{name}.so", f"lib{name}.a"):
                p = os.path.join(d, file)
                for q in (p, os.path.realpath(p)):
                    if q in by_output:
                        return q
        for file in (f"lib{name}.so", f"lib{name}.a"):
            cands = libs_by_name.get(file, [])
            for d in dirs:
                for c in cands:
                    if os.path.dirname(c) == d:
                        return c
            if cands:
                return cands[0]
        return None

    memo: dict[str, frozenset[str]] = {}

    def sources(path: str, seen: frozenset[str] = frozenset()) -> frozenset[str]:
        if path in memo:
            return memo[path]
        if path.endswith(C_SUFFIXES):
            return frozenset((path,))
        # a link's own step before the compile database's outputs: `cc -o prog a.c b.c`
        # compiles both into "prog", which the database gives as each one's output
        step = by_output.get(path)
        if step is None:  # libfoo.so -> libfoo.so.1.2.3, as libtool links it
            step = by_output.get(os.path.realpath(path))
        if step is None and path in objs:
            return frozenset((objs[path],))
        if step is None or path in seen:
            return frozenset()
        got: set[str] = set()
        for p in step["inputs"]:
            got |= sources(p, seen | {path})
        for lib in step.get("libs", ()):
            lp = lib_path(lib, step.get("dirs", []))
            if lp is not None:
                got |= sources(lp, seen | {path})
        memo[path] = frozenset(got)
        return memo[path]

    consumed = {q for s in by_output.values() for p in s["inputs"]
                for q in (p, os.path.realpath(p))}
    consumed |= {lp for s in by_output.values() for lib in s.get("libs", ())
                 if (lp := lib_path(lib, s.get("dirs", []))) is not None}
    targets: list[Shipped] = []
    tools: dict[str, str] = {}
    taken: set[str] = set()
    for s in by_output.values():
        kind = s["kind"]
        if kind == "program":
            pass
        elif kind == "library" or (kind == "archive" and s["output"] not in consumed):
            kind = "library"
        else:
            continue
        units = sources(s["output"])
        if not units:
            continue
        name = _name(s["output"], root, taken)
        taken.add(name)
        if s.get("run_in_build"):
            for u in units:
                tools.setdefault(u, name)
            continue
        targets.append(Shipped(name, s["output"], kind, units))
    if not targets:
        return None
    shipped_units = {u for t in targets for u in t.units}
    return Build(sorted(targets, key=lambda t: t.name),
                 {u: n for u, n in tools.items() if u not in shipped_units})

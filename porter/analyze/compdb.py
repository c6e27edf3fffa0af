"""Compile databases: load `compile_commands.json`, validate it, and normalise it for libclang.

Normalising means: one argv per entry (from `arguments` or a shell-split `command`), the compiler,
`-c`, `-o FILE`, dependency-file flags and the source itself removed, GCC-only flags dropped,
relative include paths made absolute against the entry's directory (libclang resolves them against
the analyser's cwd otherwise: CodeChecker #4223), and clang's resource directory added so builtin
headers (stddef.h, stdarg.h) are found.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bkport.analyze.names import DATA
from bkport.errors import InputError, ToolchainError, located
from bkport.fsutil import write_if_changed
from bkport.paths import cache_dir

FORMAT = 1  # of the normalised form; bump when normalise_args changes
C_SUFFIXES = (".c", ".cc", ".cpp", ".cxx", ".C")
PATH_FLAGS = ("-I", "-isystem", "-iquote", "-idirafter", "-include", "-imacros", "--sysroot",
              "-isysroot")
DROP_WITH_VALUE = ("-o", "-MF", "-MT", "-MQ", "-MJ", "--serialize-diagnostics")
DROP_EXACT = ("-c", "-M", "-MM", "-MD", "-MMD", "-MP", "-S", "-E", "-pipe", "-fsyntax-only")


@dataclass(frozen=True)
class CompileCommand:
    file: str  # absolute path of the source
    directory: str
    args: tuple[str, ...]  # normalised: no compiler, no source, no output


@cache
def gcc_only_flags() -> tuple[str, ...]:
    out = []
    for raw in (DATA / "gcc_only_flags.txt").read_text().splitlines():
        s = raw.strip()
        if s and not s.startswith("#"):
            out.append(s)
    return tuple(out)


@cache
def resource_dir() -> str | None:
    """clang's resource directory (builtin headers), from the host clang; None without clang.
    Remembered in the cache per clang binary (path, size, mtime): asking clang costs a small
    tree's analysis a tenth of its time."""
    env = os.environ.get("BKPORT_CLANG_RESOURCE_DIR")
    if env:
        return env
    for exe in ("clang", "clang-14", "clang-15", "clang-16"):
        found = shutil.which(exe)
        if not found:
            continue
        real = os.path.realpath(found)
        try:
            st = os.stat(real)
        except OSError:
            continue
        ident = f"{real}:{st.st_size}:{st.st_mtime_ns}"
        memo = cache_dir() / "clang-resource-dir.json"
        try:
            known = json.loads(memo.read_text())
            if known.get("clang") == ident and os.path.isdir(known.get("dir", "")):
                return known["dir"]
        except (OSError, ValueError, AttributeError):
            pass
        r = subprocess.run([exe, "-print-resource-dir"], capture_output=True, text=True)
        if r.returncode == 0 and r.stdout.strip():
            found_dir = r.stdout.strip()
            try:
                write_if_changed(memo, json.dumps({"clang": ident, "dir": found_dir}) + "\n")
            except OSError:
                pass  # a read-only cache: ask clang every time
            return found_dir
    return None


@cache
def _is_gcc_only(arg: str) -> bool:
    for pat in gcc_only_flags():
        if pat.endswith("*"):
            if arg.startswith(pat[:-1]):
                return True
        elif arg == pat:
            return True
    return False


def _abs(base: str, p: str) -> str:
    return p if os.path.isabs(p) else os.path.normpath(os.path.join(base, p))


def normalise_args(argv: list[str], directory: str, file: str) -> tuple[str, ...]:
    out: list[str] = []
    base = Path(directory)
    i = 1  # argv[0] is the compiler
    src_names = {file, os.path.relpath(file, directory), Path(file).name}
    while i < len(argv):
        a = argv[i]
        i += 1
        if a in DROP_WITH_VALUE:
            i += 1
            continue
        if a in DROP_EXACT or a.startswith(("-Wp,-MD", "-Wp,-MMD", "-o")) or _is_gcc_only(a):
            continue
        if a in src_names or (not a.startswith("-") and str(base / a) == file):
            continue
        flag = next((f for f in PATH_FLAGS if a == f), None)
        if flag is not None and i < len(argv):
            out += [a, _abs(directory, argv[i])]
            i += 1
            continue
        joined = next((f for f in ("-I", "-isystem", "-iquote") if a.startswith(f) and a != f),
                      None)
        if joined is not None:
            p = a[len(joined):]
            out.append(joined + _abs(directory, p))
            continue
        out.append(a)
    rd = resource_dir()
    if rd and "-resource-dir" not in out:
        out += ["-resource-dir", rd]
    return tuple(out)


def load(path: Path) -> list[CompileCommand]:
    """Read and normalise a compile database; InputError (located) if it is broken or empty.
    The normalised form is cached per (path, size, mtime, resource dir) for warm runs."""
    if not path.is_file():
        raise InputError(located(path, None, None, "compile database not found"))
    st = path.stat()
    stamp = (f"{path.resolve()}\0{st.st_size}\0{st.st_mtime_ns}\0{resource_dir()}\0{FORMAT}"
             f"\0{gcc_only_flags()}")
    memo = cache_dir() / "analyze" / "compdb" / (hashlib.sha256(stamp.encode()).hexdigest()
                                                 + ".pkl")
    try:
        return pickle.loads(memo.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    cmds = _load(path)
    write_if_changed(memo, pickle.dumps(cmds, protocol=5))
    return cmds


def _load(path: Path) -> list[CompileCommand]:
    text = path.read_text(errors="replace")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(located(path, e.lineno, e.colno, f"not valid JSON: {e.msg}")) from e
    if not isinstance(data, list):
        raise InputError(located(path, 1, 1, "a compile database is a JSON array of entries"))
    if not data:
        raise InputError(located(path, 1, 1, "compile database is empty: nothing was compiled"))
    problems = []
    out: list[CompileCommand] = []
    seen: set[str] = set()
    for n, e in enumerate(data):
        where = f"entry {n}"
        if not isinstance(e, dict) or "file" not in e or "directory" not in e:
            problems.append(located(path, None, None, f"{where}: needs 'file' and 'directory'"))
            continue
        if "arguments" in e and isinstance(e["arguments"], list):
            argv = [str(a) for a in e["arguments"]]
        elif isinstance(e.get("command"), str):
            argv = shlex.split(e["command"])
        else:
            problems.append(located(path, None, None, f"{where}: needs 'arguments' or 'command'"))
            continue
        directory = str(e["directory"])
        if not os.path.isabs(directory):
            directory = str((path.parent / directory).resolve())
        file = str(e["file"])
        file = os.path.normpath(file if os.path.isabs(file) else os.path.join(directory, file))
        if file in seen:
            continue
        seen.add(file)
        out.append(CompileCommand(file, directory, normalise_args(argv, directory, file)))
    if problems:
        raise InputError(problems)
    return out


def split_sources(cmds: list[CompileCommand]) -> tuple[list[CompileCommand], list[str]]:
    """(C/C++ entries whose source exists, skipped files with the reason)."""
    keep, skipped = [], []
    for c in cmds:
        if not c.file.endswith(C_SUFFIXES):
            skipped.append(f"{c.file}: not a C/C++ source")
        elif not os.path.isfile(c.file):
            skipped.append(f"{c.file}: source file does not exist")
        else:
            keep.append(c)
    return keep, skipped


def check_toolchain() -> None:
    if resource_dir() is None:
        raise ToolchainError("clang not found: install Debian `clang` (its resource directory "
                             "provides builtin headers), or set BKPORT_CLANG_RESOURCE_DIR")

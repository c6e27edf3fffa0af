"""What picolibc's libc.a defines for a target, and which of it needs the operating system.

picolibc leaves a few symbols undefined for the system to provide (its "OS hooks": `read`,
`write`, `open`, `lseek`, `_exit`, `getpid`, ...). A picolibc function whose archive members
reach one of them, directly or through other members, only works when something provides that
hook: such functions are not counted as supported just because their symbol exists.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bkport.errors import ToolchainError
from bkport.fsutil import write_if_changed
from bkport.paths import cache_dir
from bkport.toolchain.targets import ARCHES

PICOLIBC_ROOT = Path("/usr/lib/picolibc")
# Undefined in libc.a but not OS services: compiler runtime, linker-script symbols, startup code.
# (Every `__` name: libgcc/compiler-rt builtins, TLS offsets, heap and array bounds.)
NOT_HOOKS = re.compile(r"__\w+|_start|_init|_fini|.*\.o:")


@dataclass(frozen=True)
class PicolibcSymbols:
    arch: str
    defined: frozenset[str]
    hooks: frozenset[str]  # symbols libc.a needs from the system
    needs: dict[str, frozenset[str]]  # defined symbol -> hooks it reaches (absent: none)


def _nm(archive: Path) -> str:
    nm = shutil.which("llvm-nm") or shutil.which("llvm-nm-14")
    if nm is None:
        raise ToolchainError("llvm-nm is not installed: run scripts/setup.sh")
    res = subprocess.run([nm, archive], capture_output=True, text=True)
    if res.returncode != 0:
        raise ToolchainError(f"llvm-nm {archive} failed: {res.stderr.strip()}")
    return res.stdout


def _analyse(text: str) -> tuple[set[str], dict[str, set[str]], dict[str, set[str]]]:
    """Per archive member: defined global symbols and undefined references."""
    defs: dict[str, set[str]] = {}
    undefs: dict[str, set[str]] = {}
    member = ""
    for line in text.splitlines():
        if line.endswith(":") and " " not in line:
            member = line[:-1]
            defs.setdefault(member, set())
            undefs.setdefault(member, set())
            continue
        parts = line.split()
        if len(parts) == 2 and parts[0] == "U":
            undefs[member].add(parts[1])
        elif len(parts) == 3 and parts[1] in "TWDBRCVS" and parts[1].isupper():
            defs[member].add(parts[2])
    defined = set().union(*defs.values()) if defs else set()
    return defined, defs, undefs


def _compute(arch: str, archive: Path) -> PicolibcSymbols:
    defined, defs, undefs = _analyse(_nm(archive))
    owner = {s: m for m, ss in defs.items() for s in ss}
    hooks = {
        u for us in undefs.values() for u in us
        if u not in defined and not NOT_HOOKS.fullmatch(u)
    }
    memo: dict[str, frozenset[str]] = {}

    def reach(member: str) -> frozenset[str]:
        if member in memo:
            return memo[member]
        memo[member] = frozenset()  # cycle guard
        seen: set[str] = set()
        stack = [member]
        visited = {member}
        while stack:
            m = stack.pop()
            for u in undefs.get(m, ()):
                if u in hooks:
                    seen.add(u)
                elif u in owner and owner[u] not in visited:
                    visited.add(owner[u])
                    stack.append(owner[u])
        memo[member] = frozenset(seen)
        return memo[member]

    needs = {s: reach(m) for s, m in owner.items() if reach(m)}
    return PicolibcSymbols(arch, frozenset(defined), frozenset(hooks), needs)


def picolibc_symbols(arch: str) -> PicolibcSymbols:
    """The symbols of picolibc's libc.a for `arch` (an ARCHES name), cached by archive content."""
    archive = PICOLIBC_ROOT / ARCHES[arch].picolibc_prefix / "lib" / "libc.a"
    if not archive.exists():
        raise ToolchainError(f"{archive} is missing: run scripts/setup.sh")
    st = archive.stat()
    key = hashlib.sha256(f"{archive}:{st.st_size}:{st.st_mtime_ns}:3".encode()).hexdigest()[:16]
    cache = cache_dir() / "picolibc" / f"{arch}-{key}.json"
    if cache.exists():
        data = json.loads(cache.read_text())
        return PicolibcSymbols(arch, frozenset(data["defined"]), frozenset(data["hooks"]),
                               {k: frozenset(v) for k, v in data["needs"].items()})
    syms = _compute(arch, archive)
    write_if_changed(cache, json.dumps({
        "defined": sorted(syms.defined), "hooks": sorted(syms.hooks),
        "needs": {k: sorted(v) for k, v in sorted(syms.needs.items())},
    }))
    return syms


def header_macros(arch: str) -> frozenset[str]:
    """Names picolibc's headers #define for `arch` (object- or function-like)."""
    inc = PICOLIBC_ROOT / ARCHES[arch].picolibc_prefix / "include"
    names: set[str] = set()
    for h in inc.rglob("*.h"):
        names.update(re.findall(r"^\s*#\s*define\s+(\w+)", h.read_text(errors="replace"), re.M))
    return frozenset(names)


@functools.cache
def header_aliases(arch: str) -> dict[str, str]:
    """Object-like macros of picolibc's headers that rename one identifier to another
    (`#define tzname _tzname`): the public name is provided by the symbol it expands to."""
    inc = PICOLIBC_ROOT / ARCHES[arch].picolibc_prefix / "include"
    out: dict[str, str] = {}
    pat = re.compile(r"^\s*#\s*define\s+([A-Za-z_]\w*)[ \t]+([A-Za-z_]\w*)[ \t]*$", re.M)
    for h in sorted(inc.rglob("*.h")):
        for name, target in pat.findall(h.read_text(errors="replace")):
            out.setdefault(name, target)
    return out

"""The analyser's data files (`porter/analyze/data/`), loaded once: name maps and name lists."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bkport.errors import InputError, located

DATA = Path(__file__).resolve().parent / "data"


def _lines(name: str) -> list[str]:
    out = []
    for raw in (DATA / name).read_text().splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def read_tsv(name: str, columns: int) -> list[tuple[str, ...]]:
    """Rows of a data TSV (comments start with #), each checked to have `columns` fields."""
    rows = []
    path = DATA / name
    with path.open(newline="") as f:
        for lineno, row in enumerate(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
            if not row or row[0].startswith("#"):
                continue
            if len(row) != columns:
                raise InputError(located(path, lineno, None, f"expected {columns} columns"))
            rows.append(tuple(row))
    return rows


@dataclass(frozen=True)
class NameMap:
    exact: dict[str, str]
    patterns: tuple[tuple[re.Pattern[str], str], ...]

    def public(self, symbol: str) -> str:
        """The public API name for a link-level symbol (`open64` -> `open`)."""
        hit = self.exact.get(symbol)
        if hit is not None:
            return hit
        for rx, repl in self.patterns:
            m = rx.fullmatch(symbol)
            if m:
                return m.expand(repl)
        return symbol


@cache
def name_map() -> NameMap:
    exact: dict[str, str] = {}
    patterns = []
    for kind, symbol, public, _why in read_tsv("name_map.tsv", 4):
        if kind == "exact":
            exact[symbol] = public
        else:
            patterns.append((re.compile(symbol), public))
    return NameMap(exact, tuple(patterns))


def public_name(symbol: str) -> str:
    return name_map().public(symbol.lstrip("\x01"))


@cache
def compiler_builtins() -> tuple[frozenset[str], tuple[str, ...]]:
    """(names, name prefixes) the compiler provides itself (data/compiler_provided.txt):
    alloca, __builtin_*, __sync_*, __atomic_*."""
    names, prefixes = set(), []
    for name in _lines("compiler_provided.txt"):
        if name.endswith("*"):
            prefixes.append(name[:-1])
        else:
            names.add(name)
    return frozenset(names), tuple(prefixes)


def is_compiler_builtin(name: str) -> bool:
    """Whether the compiler, not the platform's libc, provides `name`."""
    names, prefixes = compiler_builtins()
    return name in names or name.startswith(prefixes)


@cache
def api_macros() -> frozenset[str]:
    return frozenset(_lines("api_macros.txt"))


@cache
def linux_only() -> frozenset[str]:
    return frozenset(_lines("linux_only.txt"))


@cache
def compiler_runtime() -> frozenset[str]:
    return frozenset(_lines("compiler_runtime.txt"))


@cache
def arg_checks() -> dict[str, tuple[tuple[int, tuple[str, ...]], ...]]:
    """function -> ((argument index, constant name patterns), ...): the arguments whose constant
    decides what the call does (data/arg_checks.tsv, which the spec's `arg:` lines must match:
    tests/analyze/test_arguments.py)."""
    out: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    for func, idx, patterns in read_tsv("arg_checks.tsv", 3):
        out.setdefault(func, []).append((int(idx), tuple(patterns.split())))
    return {f: tuple(v) for f, v in out.items()}

"""The shim catalog (porter/shim/data/catalog.tsv): which strategy answers which API."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bkport.errors import InputError, located
from bkport.syscalls.errno import ERRNO

STRATEGIES = ("stub", "fake", "emulate", "kernel")
KERNEL_DECL = re.compile(r"(\w+)\((.*)\)\s*->\s*(\w+)$")
CATALOG = Path(__file__).parent / "data" / "catalog.tsv"
TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Entry:
    api: str
    strategy: str
    argument: str  # errno, return value, template name or table declaration
    why: str


@cache
def load_catalog(path: Path = CATALOG) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    problems = []
    for i, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 4:
            problems.append(located(path, i, 1, "expected 4 tab-separated columns: "
                                                "api, strategy, argument, why"))
            continue
        api, strategy, arg, why = (c.strip() for c in cols)
        if strategy not in STRATEGIES:
            problems.append(located(path, i, len(api) + 2,
                                    f"unknown strategy {strategy!r}; expected one of "
                                    f"{', '.join(STRATEGIES)}"))
        elif strategy == "stub" and arg not in ERRNO:
            problems.append(located(path, i, 1, f"stub needs an errno name, found {arg!r}"))
        elif strategy == "kernel" and not KERNEL_DECL.match(arg):
            problems.append(located(path, i, 1, f"kernel needs a declaration like "
                                                f"'name(a: int) -> int', found {arg!r}"))
        elif strategy == "emulate" and not (TEMPLATES / f"emulate_{arg}.c.j2").exists():
            problems.append(located(path, i, 1, f"no template emulate_{arg}.c.j2"))
        if api in entries:
            problems.append(located(path, i, 1, f"{api} listed twice"))
        entries[api] = Entry(api, strategy, arg, why)
    if problems:
        raise InputError(problems)
    return entries

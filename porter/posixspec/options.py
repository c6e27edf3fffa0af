"""The POSIX options (`_POSIX_TIMERS`, `_POSIX_SPAWN`, ...) and whether a profile has them.

posix/options.tsv lists each option with its sysconf name and the interfaces it requires; an
option is present on a profile when every one of them is implemented (supported or partial in
the support database), or, for an option without interfaces (`_POSIX_IPV6`), as its `fixed`
column says. The layer advertises exactly the present ones (include/sys/features.h, sysconf):
tests/posixspec/test_options.py holds them together.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bkport.errors import InputError, located
from bkport.paths import source
from bkport.posixspec.interfaces import read_interfaces
from bkport.posixspec.support import SupportDB

IMPLEMENTED = ("supported", "partial")


@dataclass(frozen=True)
class PosixOption:
    name: str  # _POSIX_TIMERS
    sysconf: str  # _SC_TIMERS
    interfaces: tuple[str, ...]  # with margin codes expanded
    fixed: bool | None  # for an option without interfaces
    reason: str  # why a fixed option is absent


@dataclass(frozen=True)
class OptionState:
    option: PosixOption
    present: bool
    lacking: tuple[str, ...]  # interfaces that keep it absent (status below partial)


def options_path() -> Path:
    return source("posix/options.tsv")


def load_options(path: Path | None = None) -> list[PosixOption]:
    """posix/options.tsv; raises InputError naming the file and line of a malformed row."""
    path = path or options_path()
    by_code: dict[str, list[str]] = {}
    for row in read_interfaces():
        for code in row["margin_codes_2017"].split():
            by_code.setdefault(code, []).append(row["interface"])
    known = {row["interface"] for row in read_interfaces()}
    out: list[PosixOption] = []
    diags = []
    rows = [(n, ln) for n, ln in enumerate(path.read_text().splitlines(), 1)
            if ln.strip() and not ln.startswith("#")]
    for no, line in rows[1:]:
        cols = line.split("\t")
        if len(cols) != 5 or not cols[0].startswith("_POSIX_") or not cols[1].startswith("_SC_"):
            diags.append(located(path.name, no, 1, "expected `_POSIX_NAME<TAB>_SC_NAME<TAB>"
                                 "interfaces<TAB>fixed<TAB>reason` (5 columns)"))
            continue
        names: list[str] = []
        for item in filter(None, cols[2].split(",")):
            if item.startswith("code:"):
                found = by_code.get(item[5:], [])
                if not found:
                    diags.append(located(path.name, no, 1, f"no interface has margin code "
                                         f"{item[5:]!r}"))
                names += found
            elif item not in known:
                diags.append(located(path.name, no, 1, f"{item!r} is not a POSIX interface"))
            else:
                names.append(item)
        fixed = {"yes": True, "no": False, "": None}.get(cols[3])
        if (fixed is None) == (not names) or cols[3] not in ("yes", "no", ""):
            diags.append(located(path.name, no, 1, "an option has interfaces or a fixed "
                                 "yes/no, not both"))
            continue
        if fixed is False and not cols[4].strip():
            diags.append(located(path.name, no, 1, "a fixed `no` needs its reason"))
        out.append(PosixOption(cols[0], cols[1], tuple(sorted(set(names))), fixed,
                               cols[4].strip()))
    if diags:
        raise InputError(diags)
    return out


def option_states(options: list[PosixOption], db: SupportDB) -> list[OptionState]:
    """Each option's presence on the database's profile."""
    out = []
    for opt in options:
        if opt.fixed is not None:
            out.append(OptionState(opt, opt.fixed, ()))
            continue
        lacking = tuple(n for n in opt.interfaces
                        if (s := db.lookup(n)) is None or s.status not in IMPLEMENTED)
        out.append(OptionState(opt, not lacking, lacking))
    return out

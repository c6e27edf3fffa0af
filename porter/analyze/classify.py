"""Classify APIs against a platform profile and attach the advice catalog.

The profile is anything with `lookup(name) -> Support | None` (the POSIX-spec support database,
`bkport.posixspec.load_support`); `None` means "not a POSIX interface". Statuses reported:
supported, partial (with the note; the database's `stub` counts as partial), unsupported
(POSIX, absent from the profile), linux-only (not POSIX, Linux-specific), unknown (not POSIX:
GNU/BSD extensions, libc internals, inline assembly with instructions). What the compiler
provides itself (alloca, __builtin_*, __sync_*, __atomic_*: data/compiler_provided.txt) is
supported, provider "compiler": no platform has to supply it. Kinds that are facts about the code
rather than interfaces (types, headers) are classified when the database knows them, else "info".

Inline assembly stays "unknown" (blocking) when its template has instructions: they are written
for one architecture and cannot run on another until someone ports them or picks the C fallback,
so a porter must see it among the work to do. An empty template (`asm("" ::: "memory")`, key
`asm-barrier`) emits no instruction on any architecture: "info", never blocking.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from bkport.analyze.names import is_compiler_builtin, linux_only, read_tsv
from bkport.errors import BkportError
from bkport.fsutil import write_if_changed
from bkport.paths import cache_dir, package_dir, source

STATUSES = ("unsupported", "linux-only", "unknown", "partial", "supported", "info")
BLOCKING = frozenset({"unsupported", "linux-only", "unknown", "partial"})
INFO_KINDS = frozenset({"type", "header"})
LINUX_KINDS = frozenset({"syscall", "ioctl", "path"})
BUILTIN_KINDS = frozenset({"call", "addr", "macro"})
COMPILER = "compiler"  # the provider of compiler builtins
ASM_NOTE = "architecture-specific: an instruction template"
ASM_ADVICE = ("inline assembly: port the instructions to the target architecture, or use the C "
              "fallback the code may have")
BARRIER_NOTE = "a compiler barrier (no instructions): portable"


class SupportLike(Protocol):
    status: str
    note: str | None
    provider: str | None
    interface: Any


class Profile(Protocol):
    def lookup(self, name: str) -> SupportLike | None: ...


@dataclass(frozen=True)
class Verdict:
    api: str
    kind: str
    status: str
    note: str | None
    provider: str | None
    option_group: str | None
    pse: tuple[str, ...]
    header: str | None
    action: str
    advice: str


@cache
def advice_catalog() -> dict[str, tuple[str, str]]:
    return {api: (action, text) for api, action, text in read_tsv("advice.tsv", 3)}


def _status(s: SupportLike | None, api: str, kind: str) -> str:
    if kind in LINUX_KINDS:
        return "linux-only"
    if kind == "asm":  # instructions run on one architecture only; an empty template anywhere
        return "info" if api == "asm-barrier" else "unknown"
    if s is None:
        if kind in INFO_KINDS:
            return "info"
        return "linux-only" if api in linux_only() else "unknown"
    return {"supported": "supported", "partial": "partial", "stub": "partial",
            "missing": "unsupported"}.get(s.status, "unknown")


def classify(api: str, kind: str, profile: Profile,
             advice: dict[str, tuple[str, str]] | None = None) -> Verdict:
    if kind in BUILTIN_KINDS and is_compiler_builtin(api):
        return Verdict(api, kind, "supported", None, COMPILER, None, (), None, "none", "")
    if kind == "asm":
        if api == "asm-barrier":
            return Verdict(api, kind, "info", BARRIER_NOTE, None, None, (), None, "none", "")
        return Verdict(api, kind, "unknown", ASM_NOTE, None, None, (), None, "implement",
                       ASM_ADVICE)
    s = None if kind in LINUX_KINDS else profile.lookup(api)
    status = _status(s, api, kind)
    iface = getattr(s, "interface", None)
    groups = getattr(iface, "option_groups", None)
    group = groups[0] if groups else getattr(iface, "option_group", None)
    note = getattr(s, "note", None)
    if s is not None and s.status == "stub":
        note = f"stub: {note}" if note else "stub"
    catalog = advice if advice is not None else advice_catalog()
    key = api if kind not in LINUX_KINDS else f"{kind}:{api}"
    if status in ("supported", "info"):
        action, advice = "none", ""
    elif key in catalog:
        action, advice = catalog[key]
    else:
        default = {"unsupported": "*missing", "partial": "*partial", "linux-only": "*linux-only"}
        action, advice = catalog.get(default.get(status, "*unknown"), ("implement", ""))
        if kind == "path":
            advice = "no /proc or /sys on BlueOS: provide the file, or disable the feature"
        elif kind == "ioctl":
            advice = "Linux ioctl request: implement it in the driver, or fail with ENOTTY"
        elif kind == "syscall":
            advice = "raw Linux syscall number: call a libc function instead"
    return Verdict(api, kind, status, note, getattr(s, "provider", None), group,
                   tuple(getattr(iface, "pse", ()) or ()), getattr(iface, "header", None),
                   action, advice)


# ---- profile snapshots ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _Iface:
    option_groups: tuple[str, ...]
    pse: tuple[str, ...]
    header: str | None


@dataclass(frozen=True)
class _Support:
    status: str
    note: str | None
    provider: str | None
    interface: _Iface


class SnapshotProfile:
    """The answers of a support database, as plain data (so a warm run need not rebuild it)."""

    def __init__(self, rows: dict[str, _Support]):
        self.rows = rows

    def lookup(self, name: str) -> _Support | None:
        return self.rows.get(name)


def _profile_inputs_key(name: str) -> str:
    """Fingerprint (path, size, mtime) of everything a support database is computed from."""
    h = hashlib.sha256(name.encode())
    roots = [source("posix"), source("syscalls"), package_dir() / "posixspec",
             package_dir() / "blueos"]
    for root in roots:
        for dirpath, dirnames, files in os.walk(root):
            dirnames.sort()
            for f in sorted(files):
                path = os.path.join(dirpath, f)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:32]


def _snapshot(db: Profile) -> dict[str, _Support]:
    rows = {}
    for key, s in getattr(db, "entries", {}).items():
        iface = s.interface
        groups = tuple(getattr(iface, "option_groups", ()) or ())
        rows[key] = _Support(s.status, s.note, s.provider,
                             _Iface(groups, tuple(iface.pse or ()), iface.header))
    return rows


def profile_fingerprint(name: str) -> str:
    """Changes whenever the support database `name` could answer differently."""
    return _profile_inputs_key(name)


def load_profile(name: str, use_cache: bool = True) -> Profile:
    """The support database of `bkport.posixspec.load_support(name)`, as a snapshot cached under
    the inputs it is computed from."""
    from bkport.workspace import current

    ws = current()
    use_cache = use_cache and ws.is_default  # the snapshot key knows the default inputs only
    path = cache_dir() / "analyze" / "profiles" / f"{name}-{_profile_inputs_key(name)}.pkl"
    if use_cache and path.is_file():
        try:
            return SnapshotProfile(pickle.loads(path.read_bytes()))
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass
    try:
        db = ws.support(name)
    except BkportError:
        raise
    except Exception as e:  # translate at the boundary
        raise BkportError(f"cannot load profile {name!r}: {e}") from e
    if not hasattr(db, "entries"):
        return db
    rows = _snapshot(db)
    if use_cache:
        write_if_changed(path, pickle.dumps(rows, protocol=5))
    return SnapshotProfile(rows)


def data_path() -> Path:
    return Path(__file__).resolve().parent / "data"

"""Classify APIs against a platform profile and attach the advice catalog.

The profile is anything with `lookup(name) -> Support | None` (the POSIX-spec support database,
`bkport.posixspec.load_support`); `None` means "not a POSIX interface". Statuses reported:
supported, partial (with the note; the database's `stub` counts as partial), unsupported
(POSIX, absent from the profile), linux-only (not POSIX, Linux-specific), unknown (not POSIX:
GNU/BSD extensions, libc internals, inline assembly with instructions). What the compiler
provides itself (alloca, __builtin_*, __sync_*, __atomic_*: data/compiler_provided.txt) is
supported, provider "compiler": no platform has to supply it. Kinds that are facts about the code
rather than interfaces (types, headers) are classified when the database knows them, else "info".

A constant argument that decides what a call does (kind `arg`, api `fcntl(F_SETOWN)`: the
spec's `arg:` lines) takes the status the database records for that value (supported; partial,
e.g. an `open` flag the layer drops; unsupported, a value the layer answers EINVAL); where the
database records nothing for the function, or the value is handled, the use is "supported" and
the document leaves it out (the function's own row says all there is).

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


class ValueLike(Protocol):
    status: str
    note: str | None


def split_arg(api: str) -> tuple[str, str]:
    """`fcntl(F_SETOWN)` -> ("fcntl", "F_SETOWN")."""
    func, _, rest = api.partition("(")
    return func, rest.rstrip(")")


def _argument(api: str, kind: str, profile: Profile) -> Verdict:
    func, value = split_arg(api)
    lookup = getattr(profile, "argument", None)
    got: ValueLike | None = lookup(func, value) if lookup is not None else None
    base = profile.lookup(func)
    iface = getattr(base, "interface", None)
    groups = tuple(getattr(iface, "option_groups", ()) or ())
    status = {"supported": "supported", "partial": "partial",
              "missing": "unsupported"}.get(got.status, "unknown") if got else "supported"
    note = got.note if got else "the profile records no values for this argument"
    if status == "supported":
        action, advice = "none", ""
    elif status == "partial":
        action, advice = "avoid", (f"{func} accepts {value} but does not do all it says: make "
                                   f"the code rely on no more, or implement it in the layer")
    else:
        action, advice = "implement", (f"{func} fails for {value}: implement it in the layer, "
                                       f"or avoid it on BlueOS")
    return Verdict(api, kind, status, note, getattr(base, "provider", None),
                   groups[0] if groups else None, tuple(getattr(iface, "pse", ()) or ()),
                   getattr(iface, "header", None), action, advice)


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
    if kind == "arg":
        return _argument(api, kind, profile)
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


@dataclass(frozen=True)
class _Value:
    status: str
    note: str | None


class SnapshotProfile:
    """The answers of a support database, as plain data (so a warm run need not rebuild it).
    `args`: (function, value) -> what the profile does with that constant argument; `others`:
    (function, patterns) -> what every value the profile does not name gets; `aliases`: the
    spec's `define A B` (`O_NDELAY` -> `O_NONBLOCK`)."""

    def __init__(self, rows: dict[str, _Support],
                 args: dict[tuple[str, str], _Value] | None = None,
                 others: dict[str, list[tuple[tuple[str, ...], _Value | None]]] | None = None,
                 aliases: dict[str, str] | None = None):
        self.rows = rows
        self.args = args or {}
        self.others = others or {}
        self.aliases = aliases or {}

    def lookup(self, name: str) -> _Support | None:
        return self.rows.get(name)

    def argument(self, function: str, value: str) -> _Value | None:
        seen = 0
        name = value
        while seen < 8:
            got = self.args.get((function, name))
            if got is not None:
                return got
            if name not in self.aliases:
                break
            name, seen = self.aliases[name], seen + 1
        for patterns, other in self.others.get(function, ()):
            if any(value.startswith(p[:-1]) if p.endswith("*") else value == p
                   for p in patterns):
                return other
        return None


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


def _snapshot(db: Any) -> SnapshotProfile:
    rows = {}
    for key, s in (*getattr(db, "symbols", {}).items(), *getattr(db, "entries", {}).items()):
        iface = s.interface
        groups = tuple(getattr(iface, "option_groups", ()) or ())
        rows[key] = _Support(s.status, s.note, s.provider,
                             _Iface(groups, tuple(getattr(iface, "pse", ()) or ()),
                                    iface.header))
    args: dict[tuple[str, str], _Value] = {}
    others: dict[str, list[tuple[tuple[str, ...], _Value | None]]] = {}
    spec = getattr(db, "spec", None)
    for func, checks in getattr(db, "arguments", {}).items():
        for a in checks:
            for value, v in a.values.items():
                args.setdefault((func, value), _Value(v.status, v.note))
            pats = next((c.patterns for c in spec.interfaces[func].args if c.index == a.index),
                        ()) if spec is not None else ()
            other = _Value(a.other.status, a.other.note) if a.other is not None else None
            others.setdefault(func, []).append((pats, other))
    aliases = {c.name: c.spelled for c in spec.constants.values()
               if c.spelled.isidentifier()} if spec is not None else {}
    return SnapshotProfile(rows, args, others, aliases)


def profile_fingerprint(name: str) -> str:
    """Changes whenever the support database `name` could answer differently."""
    return _profile_inputs_key(name)


def load_profile(name: str, use_cache: bool = True, fingerprint: str | None = None) -> Profile:
    """The support database of `bkport.posixspec.load_support(name)`, as a snapshot cached under
    the inputs it is computed from (`fingerprint`: profile_fingerprint(name), when the caller
    has it already: it stats every input file)."""
    from bkport.workspace import current

    ws = current()
    use_cache = use_cache and ws.is_default  # the snapshot key knows the default inputs only
    key = fingerprint or _profile_inputs_key(name)
    path = cache_dir() / "analyze" / "profiles" / f"{name}-{key}.pkl"
    if use_cache and path.is_file():
        try:
            snap = pickle.loads(path.read_bytes())
            if isinstance(snap, SnapshotProfile):
                return snap
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            pass
    try:
        db = ws.support(name)
    except BkportError:
        raise
    except Exception as e:  # translate at the boundary
        raise BkportError(f"cannot load profile {name!r}: {e}") from e
    if not hasattr(db, "entries"):
        return db
    snap = _snapshot(db)
    if use_cache:
        write_if_changed(path, pickle.dumps(snap, protocol=5))
    return snap


def data_path() -> Path:
    return Path(__file__).resolve().parent / "data"

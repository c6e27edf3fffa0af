"""The support database: for each POSIX interface, who provides it on a profile and how well.

Computed, never typed by hand (rules: docs/posix-spec.md, "Support database"):
- `blueos`: BlueOS upstream = librs exports + the upstream kernel calls of the syscall table,
  with the partial ones of posix/blueos-known.tsv applied over them;
- `bkport`: this project's layer (posix/layer/ sources) + the syscall table's statuses +
  picolibc's libc.a for all three targets, where a picolibc function that reaches an OS hook
  (read, write, open, ...) counts only as well as whatever provides those hooks.
Interfaces of compiler-owned headers (stdarg.h, stddef.h, stdatomic.h) are supported by clang.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bkport.blueos.facts import BlueosFacts
from bkport.blueos.newlib import FILE as NEWLIB_FILE
from bkport.blueos.newlib import NewlibArchive, load_newlib
from bkport.errors import BkportError, InputError, located
from bkport.paths import source
from bkport.posixspec.layerargs import ArgSupport, ValueSupport, argument_support, resolve
from bkport.posixspec.loader import load_spec
from bkport.posixspec.model import PSE_PROFILES, Interface, Kind, Owner, PosixSpec, Symbol
from bkport.posixspec.picolibc import header_aliases, header_macros, picolibc_symbols
from bkport.syscalls.model import StatusKind, Syscall, SyscallTable
from bkport.toolchain.targets import ARCHES

PROFILES = ("blueos", "bkport")
STATUSES = ("supported", "partial", "stub", "missing")
RANK = {s: i for i, s in enumerate(STATUSES)}


@dataclass(frozen=True)
class Support:
    interface: Interface | Symbol
    status: str  # one of STATUSES
    note: str | None = None  # why partial/stub/missing, or how it is provided
    provider: str | None = None  # "kernel:Write", "librs", "picolibc", "layer", "compiler"


@dataclass(frozen=True)
class SupportDB:
    profile: str
    spec: PosixSpec
    entries: dict[str, Support]
    sources: tuple[str, ...]  # what the database was computed from, for reports
    # the macros and constants a header must define besides its interfaces (`macro` and `define`
    # lines: WIFEXITED, MB_CUR_MAX, _SC_ARG_MAX, SIGRTMIN): kept apart from `entries`, which
    # counts interfaces (coverage, the compliance report)
    symbols: dict[str, Support] = field(default_factory=dict)
    # function -> what the profile does with each deciding constant argument (`arg:` lines);
    # a function missing here: the profile's values are not recorded (no source to read them)
    arguments: dict[str, tuple[ArgSupport, ...]] = field(default_factory=dict)

    def lookup(self, name: str) -> Support | None:
        """The support of a POSIX interface; None when `name` is not a POSIX interface."""
        return self.entries.get(name)

    def lookup_name(self, name: str) -> Support | None:
        """The support of a POSIX interface, or of a macro or constant a POSIX header must
        define (`WIFEXITED`, `SIGRTMIN`); None when `name` is neither. (The analyser's profile
        snapshot answers both through `lookup`.)"""
        return self.entries.get(name) or self.symbols.get(name)

    def argument(self, function: str, value: str) -> ValueSupport | None:
        """What `function` does when `value` (a constant's name) is one of its deciding
        arguments; None when the database does not record it."""
        for a in self.arguments.get(function, ()):
            got = a.values.get(value) or a.values.get(resolve(self.spec, value))
            if got is not None:
                return got
        for a in self.arguments.get(function, ()):
            family = next((c for c in self.spec.interfaces[function].args
                           if c.index == a.index), None)
            if family is not None and family.matches(value):
                return a.other
        return None

    def counts(self, by: str = "group") -> dict[str, dict[str, int]]:
        """Status counts per option group, PSE profile or header (plus "total" per key).

        An interface with several option groups counts in each; "(none)" collects those POSIX
        gives no group. Per PSE profile only the interfaces that profile requires are counted.
        """
        out: dict[str, Counter[str]] = {}
        for s in self.entries.values():
            itf = s.interface
            if by == "group":
                keys: tuple[str, ...] = itf.groups
            elif by == "pse":
                keys = itf.pse
            elif by == "header":
                keys = (itf.header,)
            else:
                raise BkportError(f"unknown grouping {by!r}: expected group, pse or header")
            for k in keys:
                out.setdefault(k, Counter())[s.status] += 1
        return {
            k: {**{st: c[st] for st in STATUSES}, "total": sum(c.values())}
            for k, c in sorted(out.items())
        }

    def totals(self) -> dict[str, int]:
        c = Counter(s.status for s in self.entries.values())
        return {**{st: c[st] for st in STATUSES}, "total": sum(c.values())}


# ---------------------------------------------------------------- inputs


def _table() -> tuple[SyscallTable, str]:
    from bkport.workspace import current

    return current().table, "syscall table (syscalls/)"


def _facts() -> BlueosFacts:
    from bkport.blueos import load_facts

    return load_facts()


# Macros whose newlib expansion names a symbol rather than a function POSIX declares.
MACRO_SYMBOLS = {"errno": "__errno"}


def blueos_headers(spec: PosixSpec, exported: frozenset[str]) -> frozenset[str]:
    """Headers BlueOS apps have: one declaring something librs exports, or one whose macro expands
    to a symbol librs exports (errno -> __errno). Its macros then work wherever it is included."""
    out = set()
    for name, itf in spec.interfaces.items():
        if name in exported or MACRO_SYMBOLS.get(name) in exported:
            out.add(itf.header)
            out.update(itf.also)
    return frozenset(out)


def _known(path: Path) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    diags = []
    lines = [(n, ln) for n, ln in enumerate(path.read_text().splitlines(), 1)
             if ln.strip() and not ln.startswith("#")]
    for no, line in lines[1:]:
        cols = line.split("\t")
        if len(cols) != 3 or cols[1] not in ("partial", "stub") or not cols[2].strip():
            diags.append(located(path.name, no, 1, "expected `interface<TAB>partial|stub<TAB>"
                                 "note`"))
            continue
        out[cols[0]] = (cols[1], cols[2].strip())
    if diags:
        raise InputError(diags)
    return out


DEF_RE = re.compile(r"^(?!static\b)[A-Za-z_][\w \t\*]*?\b(\w+)\s*\([^;{]*\)\s*\{", re.M)
VAR_RE = re.compile(r"^(?!static\b)[A-Za-z_][\w \t\*]*?\b(\w+)\s*(\[[^\]]*\])?\s*=", re.M)
MACRO_RE = re.compile(r"^\s*#\s*define\s+(\w+)", re.M)
MARK_RE = re.compile(r"/\*\s*bkport:\s*(partial|stub):\s*(.*?)\s*\*/\s*$")


def layer_symbols(layer: Path | None = None) -> dict[str, tuple[str, str | None]]:
    """Functions, objects and macros the POSIX layer's sources define: name -> (status, note).

    A definition is supported unless the line before it is `/* bkport: partial|stub: why */`.
    """
    layer = layer or source("posix/layer")
    out: dict[str, tuple[str, str | None]] = {}
    for path in sorted(layer.rglob("*")) if layer.exists() else []:
        if path.suffix not in (".c", ".h"):
            continue
        text = path.read_text(errors="replace")
        patterns = (DEF_RE, VAR_RE, MACRO_RE) if path.suffix == ".c" else (MACRO_RE,)
        for pat in patterns:
            for m in pat.finditer(text):
                before = text[: m.start()].rstrip("\n").rsplit("\n", 1)[-1]
                mark = MARK_RE.search(before)
                out.setdefault(m.group(1), (mark.group(1), mark.group(2)) if mark else
                               ("supported", None))
    return out


# ---------------------------------------------------------------- rules


def _from_calls(calls: list[Syscall]) -> tuple[str, str | None, str] | None:
    """The best a list of serving calls gives: (status, note, provider)."""
    best: tuple[str, str | None, str] | None = None
    for c in calls:
        k = c.status.kind
        if k is StatusKind.FULL:
            cand = ("supported", None, f"kernel:{c.variant}")
        elif k is StatusKind.PARTIAL:
            cand = ("partial", c.status.note, f"kernel:{c.variant}")
        elif k is StatusKind.FAKE:
            cand = ("partial", f"{c.variant} succeeds without doing anything",
                    f"kernel:{c.variant}")
        elif k is StatusKind.STUB:
            cand = ("stub", f"{c.variant} always fails with {c.status.errno or 'ENOSYS'}",
                    f"kernel:{c.variant}")
        else:
            continue
        if best is None or RANK[cand[0]] < RANK[best[0]]:
            best = cand
    return best


def _compiler(itf: Interface, spec: PosixSpec) -> Support | None:
    if spec.headers[itf.header].owner is Owner.COMPILER:
        return Support(itf, "supported", None, "compiler")
    return None


def compute_blueos(spec: PosixSpec, table: SyscallTable, facts: BlueosFacts,
                   known: dict[str, tuple[str, str]],
                   newlib: NewlibArchive | None = None) -> dict[str, Support]:
    """BlueOS upstream: librs's C exports as their BlueOS backend makes them behave, newlib's
    functions whose OS hooks librs provides, the kernel calls of the upstream table, the macros of
    the headers BlueOS apps have (librs's and newlib's), the curated rows over all."""
    upstream = {c.variant for c in facts.kernel_calls()}
    exported = facts.c_callable() | facts.statics
    rust_only = {n for n, f in facts.functions.items() if f.abi != "C"}
    headers = blueos_headers(spec, exported) | (newlib.headers if newlib else frozenset())
    out: dict[str, Support] = {}
    for name, itf in spec.interfaces.items():
        s = _compiler(itf, spec)
        if s is None:
            kernel = _from_calls([c for c in table.serving(name) if c.variant in upstream])
            stub = facts.stubs.get(name)
            if name in exported and stub is not None:
                if stub.behaviour == "always-fails":
                    note = f"librs exports it, but its BlueOS backend always fails ({stub.note})"
                    call = kernel[2].split(":")[-1] if kernel else None
                    if call and call not in stub.note:
                        note += f"; the kernel call {call} exists, librs does not reach it"
                    s = Support(itf, "stub", note, "librs")
                else:
                    s = Support(itf, "partial", "librs exports it, but its BlueOS backend "
                                f"succeeds without doing anything ({stub.note})", "librs")
            elif name in exported and kernel and kernel[0] != "supported":
                # librs wraps the kernel call: the call's gap shows through
                s = Support(itf, kernel[0], f"{kernel[1]} ({kernel[2]})", "librs")
            elif name in exported:
                weak = facts.functions.get(name)
                s = Support(itf, "supported",
                            "weak export of librs" if weak and weak.linkage == "weak" else None,
                            "librs")
            elif name in rust_only:
                s = Support(itf, "missing", "librs exports it with the Rust ABI, not extern "
                            "\"C\": a C caller cannot use it", None)
            elif itf.kind is Kind.MACRO and itf.header in headers:
                s = Support(itf, "supported", f"macro of <{itf.header}>, which BlueOS apps have",
                            f"<{itf.header}>")
            elif newlib is not None and newlib.defines(name):
                s = _from_newlib(itf, newlib, exported)
            elif kernel:
                s = Support(itf, kernel[0], kernel[1], kernel[2])
            else:
                s = Support(itf, "missing", None, None)
            if name in known:
                s = Support(itf, known[name][0], known[name][1], s.provider or "newlib")
        out[name] = s
    return out


def _from_newlib(itf: Interface, newlib: NewlibArchive, provided: frozenset[str]) -> Support:
    """newlib's function, as well as the OS hooks it reaches are there: a hook librs does not
    provide is an undefined reference at link time."""
    lacking = sorted(newlib.needs(itf.name, provided))
    if not lacking:
        return Support(itf, "supported", None, "newlib")
    return Support(itf, "missing", f"newlib has it, but it needs {', '.join(lacking)}, which "
                   "librs does not provide (undefined at link time)", None)


def compute_bkport(spec: PosixSpec, table: SyscallTable,
                   layer: dict[str, tuple[str, str | None]],
                   pico: dict[str, Any]) -> dict[str, Support]:
    """`pico`: per arch, a PicolibcSymbols and the set of macros its headers define."""
    out: dict[str, Support] = {}

    def hook_status(hook: str) -> tuple[str, str | None, str | None]:
        if hook in layer:
            return layer[hook][0], layer[hook][1], "layer"
        got = _from_calls(table.serving(hook))
        return got if got else ("missing", None, None)

    for name, itf in spec.interfaces.items():
        s = _compiler(itf, spec)
        if s is None and name in layer:
            st, note = layer[name]
            s = Support(itf, st, note, "layer")
        if s is None and itf.body is not None and \
                spec.headers[itf.header].owner in (Owner.LAYER, Owner.COMPLETED):
            s = Support(itf, "supported", f"macro defined by the generated <{itf.header}>",
                        "layer")
        if s is None:
            # a kernel call's wrapper or picolibc's own code: whichever works better
            kernel = _from_calls(table.serving(name))
            lib = _picolibc(itf, pico, hook_status)
            if kernel and RANK[kernel[0]] <= RANK[lib.status]:
                s = Support(itf, kernel[0], kernel[1], kernel[2])
            else:
                s = lib
        out[name] = s
    return out


def _picolibc(itf: Interface, pico: dict[str, Any], hook_status: Any) -> Support:
    name = itf.name
    if itf.kind is Kind.MACRO:
        on = [a for a, (_, macros) in pico.items() if name in macros]
    else:
        on = [a for a, (syms, _) in pico.items() if name in syms.defined]
        if not on:
            # `#define tzname _tzname`: the header renames it to a symbol libc.a defines.
            alias = {a: header_aliases(a).get(name) for a in pico}
            on = [a for a, (syms, _) in pico.items() if alias[a] in syms.defined]
            if on and len(on) == len(pico) and all(alias[a] == alias[on[0]] for a in on):
                target = alias[on[0]]
                if not any(pico[a][0].needs.get(target) for a in on):
                    return Support(itf, "supported",
                                   f"picolibc's <{itf.header}> defines {name} as {target}",
                                   "picolibc")
                name = target
    if not on:
        return Support(itf, "missing", None, None)
    if len(on) < len(pico):
        off = ", ".join(a for a in pico if a not in on)
        return Support(itf, "partial", f"picolibc lacks it on {off}", "picolibc")
    needs = sorted(set().union(*(pico[a][0].needs.get(name, frozenset()) for a in on))
                   if itf.kind is not Kind.MACRO else set())
    if not needs:
        return Support(itf, "supported", None, "picolibc")
    worst, gaps = "supported", []
    for hook in needs:
        st, note, _ = hook_status(hook)
        if RANK[st] > RANK[worst]:
            worst = st
        if st != "supported":
            gaps.append(f"{hook} ({st}{': ' + note if note else ''})")
    if worst == "supported":
        return Support(itf, "supported", f"picolibc, via {', '.join(needs)}", "picolibc")
    provider = None if worst == "missing" else "picolibc"
    return Support(itf, worst, f"picolibc's {name} needs {', '.join(gaps)}", provider)


# ---------------------------------------------------------------- macros of the headers


def header_names(spec: PosixSpec) -> dict[str, Symbol]:
    """The names a header must define besides its interfaces: the `macro` lines, and the
    `define`d constants (`SIGRTMIN`, `O_DSYNC`), as Symbols."""
    out = {n: Symbol(c.name, c.header, c.name, c.loc) for n, c in spec.constants.items()
           if n not in spec.interfaces}
    out.update(spec.symbols)
    return out


def symbols_blueos(spec: PosixSpec, headers: frozenset[str]) -> dict[str, Support]:
    """A header's macros work wherever BlueOS apps have the header (as macro interfaces)."""
    out = {}
    for name, sym in header_names(spec).items():
        if spec.headers[sym.header].owner is Owner.COMPILER:
            out[name] = Support(sym, "supported", None, "compiler")
        elif sym.header in headers:
            out[name] = Support(sym, "supported", f"macro of <{sym.header}>, which BlueOS apps "
                                "have", f"<{sym.header}>")
        else:
            out[name] = Support(sym, "missing", f"no <{sym.header}> among BlueOS's headers", None)
    return out


def symbols_bkport(spec: PosixSpec, layer: dict[str, tuple[str, str | None]],
                   macros: dict[str, frozenset[str]]) -> dict[str, Support]:
    """Defined by picolibc's headers (on every target), by the layer's own sources and headers,
    by the generated header of a layer-owned one (its `define`s), or by the compiler's headers;
    else missing."""
    out = {}
    for name, sym in header_names(spec).items():
        on = [a for a, m in macros.items() if name in m]
        owner = spec.headers[sym.header].owner
        if owner is Owner.COMPILER:
            s = Support(sym, "supported", None, "compiler")
        elif owner in (Owner.LAYER, Owner.COMPLETED) and (name in spec.constants
                                                           or sym.body is not None):
            s = Support(sym, "supported", f"defined by the generated <{sym.header}>", "layer")
        elif name in layer:
            s = Support(sym, layer[name][0], layer[name][1], "layer")
        elif len(on) == len(macros):
            s = Support(sym, "supported", None, "picolibc")
        elif on:
            off = ", ".join(a for a in macros if a not in on)
            s = Support(sym, "partial", f"picolibc's headers lack it on {off}", "picolibc")
        else:
            s = Support(sym, "missing", f"neither picolibc's <{sym.header}> nor the layer "
                        "defines it", None)
        out[name] = s
    return out


# ---------------------------------------------------------------- entry point


def build_support(profile: str, spec: PosixSpec, table: SyscallTable | None = None,
                  layer_dir: Path | None = None) -> SupportDB:
    """Compute the database for `profile` ("blueos" or "bkport"), uncached."""
    if profile not in PROFILES:
        raise BkportError(f"unknown profile {profile!r}: expected one of {', '.join(PROFILES)}")
    sources: list[str] = []
    if table is None:
        table, src = _table()
        sources.append(src)
    else:
        sources.append(f"syscall table ({', '.join(table.sources)})")
    if profile == "blueos":
        known_path = source("posix/blueos-known.tsv")
        facts = _facts()
        newlib = load_newlib()
        entries = compute_blueos(spec, table, facts, _known(known_path), newlib)
        exported = facts.c_callable() | facts.statics
        symbols = symbols_blueos(spec, blueos_headers(spec, exported) | newlib.headers)
        arguments: dict[str, tuple[ArgSupport, ...]] = {}  # librs's sources are not here
        sources += [f"porter/blueos/data/{f} ({p.source})" for f, p in facts.provenance.items()
                    if f != "boards.tsv"]
        sources.append(f"porter/blueos/data/{NEWLIB_FILE} ({newlib.provenance.source})")
        sources.append("posix/blueos-known.tsv")
    else:
        pico = {a: (picolibc_symbols(a), header_macros(a)) for a in ARCHES}
        layer = layer_symbols(layer_dir)
        entries = compute_bkport(spec, table, layer, pico)
        symbols = symbols_bkport(spec, layer, {a: m for a, (_, m) in pico.items()})
        provided = {n for n, s in entries.items() if s.provider == "layer"}
        layer_root = layer_dir or source("posix/layer")
        arguments = argument_support(spec, layer_root, layer_root.parent.parent, provided)
        sources += ["posix/layer/", *(f"picolibc libc.a ({a})" for a in ARCHES)]
    return SupportDB(profile, spec, entries, tuple(sources), symbols, arguments)


@functools.cache
def _cached(profile: str, spec_id: int) -> SupportDB:
    return build_support(profile, load_spec())


def load_support(profile: str, spec: PosixSpec | None = None) -> SupportDB:
    """The support database of `profile` for this checkout; raises BkportError if unknown."""
    if profile not in PROFILES:
        raise BkportError(f"unknown profile {profile!r}: expected one of {', '.join(PROFILES)}")
    if spec is None or spec is load_spec():
        return _cached(profile, id(load_spec()))
    return build_support(profile, spec)


__all__ = ["PROFILES", "PSE_PROFILES", "STATUSES", "Support", "SupportDB", "build_support",
           "load_support"]

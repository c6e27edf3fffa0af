"""Merge per-TU facts into one project: a graph of the project's functions and variables, the
references it makes to APIs it does not define, and what ships (the programs of an app
plug-in's tree, e.g. a multi-call binary's, or else files).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from bkport.analyze.names import compiler_runtime, public_name

# ref row layout from extract.py: [kind, name, symbol, file, line, col, live, via]
GLOBAL_KINDS = ("call", "addr", "var")
API_KINDS = ("call", "addr", "var", "macro", "expansion")


def api_key(kind: str, api: str) -> str:
    """Interfaces are keyed by name; other findings by kind too ("path:/proc/meminfo")."""
    if kind == "asm":
        return api  # "asm" (instructions) or "asm-barrier" (empty template: portable)
    return api if kind in API_KINDS else f"{kind}:{api}"


@dataclass(frozen=True)
class Ref:
    """One use of an API in the project's code."""

    api: str
    kind: str  # call | addr | var | macro | type | syscall | ioctl | path | asm | header
    symbol: str  # the link-level name (open64, __errno_location...) where there is one
    file: str
    line: int
    col: int
    function: str  # node id of the enclosing function/variable ("" for headers)
    live: bool  # False: code the configuration (or dead-code folding) discards
    via: str = ""  # the API macro it was expanded from


@dataclass
class Unit:
    file: str
    errors: int
    fatal: str | None
    diagnostics: list
    cached: bool = False


@dataclass
class Project:
    root: str
    units: list[Unit]
    skipped: list[str]
    nodes: dict[str, dict]
    refs: list[Ref]
    node_apis: dict[str, set[str]]
    live_nodes: set[str]
    targets: dict[str, str] = field(default_factory=dict)  # what ships: name -> root node id
    # "file", or what the app calls its programs (targets are then their entry functions)
    target_kind: str = "file"
    core: str | None = None  # node id shared by every program (a multi-call binary's `main`)
    # programs and libraries from the build's link steps: name -> (entry node ids, its TUs)
    linked: dict[str, tuple[tuple[str, ...], frozenset[str]]] = field(default_factory=dict)

    @property
    def tus_with_errors(self) -> list[Unit]:
        return [u for u in self.units if u.errors or u.fatal]


def merge(facts: list[dict], root: str, skipped: list[str]) -> Project:
    nodes: dict[str, dict] = {}
    units = []
    # One definition seen from several TUs (a header's) is one node; different definitions of
    # one external name (each program's `main`, say) are nodes of their own, `NAME@TU`, so no
    # program's code replaces another's. `alts`: NAME -> {TU: its node id}.
    conflicts: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for f in facts:
        tu = f["file"]
        units.append(Unit(tu, f.get("errors", 0), f.get("fatal"), f.get("diagnostics", []),
                          f.get("cached", False)))
        for nid, n in f["nodes"].items():
            have = nodes.get(nid)
            if have is None:
                n["tu"] = tu
                nodes[nid] = n
            elif have["line"] == n["line"] and have["file"] == n["file"]:
                if not have["refs"] and n["refs"]:
                    n["tu"] = tu
                    nodes[nid] = n
            elif "@" not in nid:
                conflicts[nid].append((tu, n))
    alts: dict[str, dict[str, str]] = {}
    for nid, others in conflicts.items():
        found: dict[tuple[str, int], tuple[str, dict]] = {}
        for tu, n in [(nodes[nid]["tu"], nodes.pop(nid)), *others]:
            have = found.get((n["file"], n["line"]))
            if have is None or (not have[1]["refs"] and n["refs"]):
                found[(n["file"], n["line"])] = (tu, n)
        alts[nid] = {}
        for tu, n in found.values():
            q = f"{nid}@{tu}"
            alts[nid][tu] = q
            nodes[q] = {**n, "tu": tu, "only_tu": True}
    runtime = compiler_runtime()
    refs: list[Ref] = []
    edges: dict[str, set[str]] = defaultdict(set)
    macro_syms: dict[tuple[str, int, int], str] = {}
    for n in nodes.values():
        for r in n["refs"]:
            if r[0] == "macro":
                macro_syms[(r[3], r[4], r[5])] = ""
    for nid, n in nodes.items():
        for kind, name, symbol, file, line, col, live, via in n["refs"]:
            if kind not in GLOBAL_KINDS:
                continue
            if name in alts:
                if live:  # the caller's own TU's definition, else any: the link decides
                    own = alts[name].get(n["tu"])
                    edges[nid].update((own,) if own else alts[name].values())
                continue
            if name in nodes:
                if live:
                    edges[nid].add(name)
                continue
            if "@" in name or symbol in runtime:
                continue
            loc = (file, line, col)
            api = public_name(name)  # the name written in the source (open, not open64)
            if via and loc in macro_syms and (api == via or name.startswith("_")):
                if not macro_syms[loc]:
                    macro_syms[loc] = symbol or name  # errno -> __errno_location: one finding
                continue
            refs.append(Ref(api, kind, symbol or name, file, line, col, nid, live, via))
    for nid, n in nodes.items():
        for kind, name, symbol, file, line, col, live, via in n["refs"]:
            if kind in GLOBAL_KINDS:
                continue
            if kind == "macro":
                symbol = macro_syms.get((file, line, col), "")
            refs.append(Ref(name, kind, symbol, file, line, col, nid, live, via))
    for f in facts:
        for header, (file, line, col) in f.get("headers", {}).items():
            refs.append(Ref(header, "header", "", file, line, col, "", True))
    # what gcc would emit: every non-static definition, and static ones it reaches
    live_nodes = {nid for nid, n in nodes.items() if not n["static"]}
    stack = list(live_nodes)
    while stack:
        for e in edges.get(stack.pop(), ()):
            if e not in live_nodes:
                live_nodes.add(e)
                stack.append(e)
    refs = [r if (not r.function or r.function in live_nodes) else _dead(r) for r in refs]
    node_apis: dict[str, set[str]] = defaultdict(set)
    for r in refs:
        if r.live and r.function:
            node_apis[r.function].add(api_key(r.kind, r.api))
    for nid in nodes:
        nodes[nid]["out"] = edges.get(nid, set())
    return Project(root, units, skipped, nodes, refs, dict(node_apis), live_nodes)


def _dead(r: Ref) -> Ref:
    return Ref(r.api, r.kind, r.symbol, r.file, r.line, r.col, r.function, False, r.via)


def reach(project: Project, start: str, stop: set[str] | frozenset[str] = frozenset()) -> set[str]:
    seen = {start}
    stack = [start]
    nodes = project.nodes
    while stack:
        n = nodes.get(stack.pop())
        if n is None:
            continue
        for e in n["out"]:
            if e not in seen and e not in stop:
                seen.add(e)
                stack.append(e)
    return seen


def footprints(project: Project) -> dict[str, set[str]]:
    """target -> every API its code can reach (live references only)."""
    out: dict[str, set[str]] = {}
    apis = project.node_apis
    if project.linked:
        for name, (roots, tus) in project.linked.items():
            fp = set()
            for nid in reach_linked(project, roots, tus):
                fp |= apis.get(nid, set())
            out[name] = fp
        return out
    if project.target_kind != "file":
        mains = set(project.targets.values())
        core: set[str] = set()
        if project.core:
            for nid in reach(project, project.core, stop=mains):
                core |= apis.get(nid, set())
        cache: dict[str, set[str]] = {}
        for name, main in project.targets.items():
            if main not in cache:
                fp = set(core)
                for nid in reach(project, main, stop=mains - {main}):
                    fp |= apis.get(nid, set())
                cache[main] = fp
            out[name] = cache[main]
        return out
    by_file: dict[str, set[str]] = defaultdict(set)
    for r in project.refs:
        if r.live and r.kind != "header":
            by_file[r.file].add(api_key(r.kind, r.api))
    for name, file in project.targets.items():
        out[name] = by_file.get(file, set())
    return out


def reach_linked(project: Project, roots: tuple[str, ...], tus: frozenset[str]) -> set[str]:
    """What a program or library made of `tus` reaches from `roots`: a definition that exists in
    several TUs (`NAME@TU`) is followed only into its own TUs, as the link resolves it."""
    nodes = project.nodes
    seen = set(roots)
    stack = list(roots)
    while stack:
        n = nodes.get(stack.pop())
        if n is None:
            continue
        for e in n["out"]:
            if e not in seen:
                m = nodes.get(e)
                if m is not None and m.get("only_tu") and m["tu"] not in tus:
                    continue
                seen.add(e)
                stack.append(e)
    return seen


def set_linked(project: Project, shipped: list) -> None:
    """Attribute to what the build links (bkport.analyze.programs.Shipped): a program from its
    `main`, a library from every external definition of its TUs. Targets whose code did not
    parse have no entry and are left out."""
    by_tu: dict[str, list[str]] = defaultdict(list)
    for nid, n in project.nodes.items():
        if not n["static"] and "tu" in n:
            by_tu[n["tu"]].append(nid)
    linked = {}
    for t in shipped:
        if t.kind == "program":
            roots = tuple(nid for u in t.units for nid in by_tu.get(u, ())
                          if project.nodes[nid]["name"] == "main")
        else:
            roots = tuple(nid for u in sorted(t.units) for nid in by_tu.get(u, ()))
        if roots:
            linked[t.name] = (roots, t.units)
    project.linked = linked
    project.target_kind = "program"
    project.targets = {name: roots[0] for name, (roots, _) in linked.items()}
    project.core = None


def set_targets(project: Project, programs: dict[str, str] | None, kind: str = "program",
                core: str | None = None) -> None:
    """Attribute to programs (name -> entry function, called `kind`) when an app plug-in knows
    them, else to source files. `core`: the function every program runs through."""
    project.linked = {}
    if programs:
        project.target_kind = kind
        project.targets = {a: m for a, m in programs.items() if m in project.nodes}
        project.core = core if core in project.nodes else None
    else:
        project.target_kind = "file"
        project.targets = {u.file: u.file for u in project.units if not u.fatal}

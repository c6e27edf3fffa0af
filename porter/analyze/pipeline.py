"""The analysis, end to end: source tree -> compile database -> facts -> project -> document."""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bkport import plugins
from bkport.analyze import compdb, programs, record
from bkport.analyze.cache import DocCache, FactCache
from bkport.analyze.classify import Profile, advice_catalog, load_profile, profile_fingerprint
from bkport.analyze.extract import Settings
from bkport.analyze.names import api_macros, read_tsv
from bkport.analyze.runner import cache_salt, extract_all
from bkport.errors import InputError, located

# The merge, the plan and the board check are imported where they are used: a cold run does
# that while the workers parse (`analyze`'s meanwhile), not before it starts them.
if TYPE_CHECKING:
    from bkport.analyze.project import Project


@dataclass
class Options:
    profile: str = "blueos"
    config: Path | None = None
    compdb: Path | None = None
    jobs: int | None = None
    use_cache: bool = True
    build: bool = True
    allow_guess: bool = False  # a failed build recording falls back to guessed flags (warned)
    configure_args: tuple[str, ...] = ()  # for a tree configured before it builds
    target: str | None = None  # a board: also compile against its own headers (what is missing)
    limit: int | None = None  # analyse only the first N TUs (tests, quick looks)
    only: tuple[str, ...] = ()  # analyse only TUs whose path contains one of these


def settings() -> Settings:
    ioctl = {name: int(idx) for name, idx in read_tsv("ioctl_funcs.tsv", 2)}
    return Settings(api_macros(), ioctl)


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, kids) / 1024, 1)


@dataclass
class Inputs:
    src: Path
    db: record.Database
    cmds: list[compdb.CompileCommand]
    skipped: list[str]
    plugin: plugins.AppPlugin | None = None  # the app plug-in that knows this tree, if any
    build: programs.Build | None = None  # the programs and libraries the recorded build links


def inputs(src: Path, opts: Options, log: Callable[[str], None]) -> Inputs:
    """The translation units to analyse (recording a compile database if need be)."""
    src = src.resolve()
    if not src.is_dir():
        raise InputError(located(src, None, None, "source directory not found"))
    compdb.check_toolchain()
    if opts.compdb is not None:
        db = record.Database(opts.compdb.resolve(), "given")
    else:
        db = record.obtain(src, opts.config, opts.jobs or record.jobs_default(), log, opts.build,
                           allow_guess=opts.allow_guess, configure_args=opts.configure_args)
    if opts.configure_args and db.origin != "configured":
        db.warnings.append(f"--configure-args ignored: the compile database came from "
                           f"{db.origin} ({db.path}), no configure step ran")
    cmds, skipped = compdb.split_sources(compdb.load(db.path))
    plugin = plugins.for_tree(src)
    if plugin is not None:
        why = {c.file: plugin.not_shipped(src, c.file) for c in cmds}
        skipped += [f"{c.file}: {why[c.file]}" for c in cmds if why[c.file]]
        cmds = [c for c in cmds if not why[c.file]]
    linked = None
    if plugin is None and db.links is not None:
        linked = programs.shipped(db.links, db.path, str(src))
    if linked is not None:  # build tools: what the build runs on the host is not shipped
        tool = {c.file: linked.tools.get(c.file) for c in cmds}
        skipped += [f"{c.file}: build tool ({tool[c.file]}: run during the build, not shipped)"
                    for c in cmds if tool[c.file]]
        cmds = [c for c in cmds if not tool[c.file]]
    if opts.only:
        cmds = [c for c in cmds if any(o in c.file for o in opts.only)]
    if opts.limit is not None:
        cmds = cmds[: opts.limit]
    if not cmds:
        raise InputError(located(db.path, None, None,
                                 "no C translation unit to analyse in the compile database"))
    return Inputs(src, db, cmds, skipped, plugin, linked)


def collect(inp: Inputs, opts: Options, cache: FactCache,
            progress: Callable[[int, int], None] | None = None,
            meanwhile: Callable[[], None] | None = None) -> tuple[Project, dict, list]:
    """Parse (or load from cache) every TU and merge: (project, stats, facts). `meanwhile`
    runs while the workers parse."""
    t0 = time.perf_counter()
    facts, run = extract_all(inp.cmds, settings(), cache, opts.jobs, progress, meanwhile)
    elapsed = time.perf_counter() - t0
    from bkport.analyze.project import merge, set_linked, set_targets

    project = merge(facts, str(inp.src), inp.skipped)
    progs = inp.plugin.programs(inp.src) if inp.plugin is not None else None
    if progs is not None:
        set_targets(project, progs.entries, inp.plugin.unit, progs.core)
    elif inp.build is not None:
        set_linked(project, inp.build.targets)
    else:
        set_targets(project, None)
    if all(u.fatal or u.errors for u in project.units):
        bad = project.units[0]
        detail = bad.fatal or (bad.diagnostics[0][3] if bad.diagnostics else "errors")
        raise InputError(located(bad.file, None, None,
                                 f"no translation unit parsed cleanly ({len(project.units)} "
                                 f"tried); first problem: {detail}"))
    stats = {"parsed": run.parsed, "cached": run.cached, "jobs": run.jobs,
             "extract_seconds": round(elapsed, 3), "cpu_count": os.cpu_count()}
    return project, stats, facts


def targets_of(project: Project, unit: str) -> list[str]:
    """The targets a translation unit is part of: the programs and libraries linking it, or
    the file itself; none for an app plug-in's programs (attributed through its call graph)."""
    if project.linked:
        return sorted(n for n, (_, tus) in project.linked.items() if unit in tus)
    if project.target_kind == "file":
        return [unit] if unit in project.targets else []
    return []


def analyze(src: Path, opts: Options, log: Callable[[str], None] = lambda s: None,
            progress: Callable[[int, int], None] | None = None) -> dict:
    inp = inputs(src, opts, log)
    cache = FactCache(cache_salt(settings()), enabled=opts.use_cache)
    docs = DocCache(enabled=opts.use_cache)
    tu_keys = [cache.key(c.file, c.args) for c in inp.cmds]
    board = None
    if opts.target is not None:
        from bkport.analyze import target

        flags = target.board_flags(opts.target)
        board = (opts.target, target.headers_fingerprint(flags))
    fingerprint = profile_fingerprint(opts.profile)
    key = docs.key(tu_keys, opts.profile, fingerprint, str(inp.src),
                   inp.skipped, inp.db.warnings, plugins.fingerprint(inp.plugin),
                   [(t.name, t.kind, sorted(t.units)) for t in inp.build.targets]
                   if inp.build else None, board)
    doc = docs.get(key, cache.hashes)
    if doc is not None:  # nothing the document depends on changed: no parse, no merge
        n = len(inp.cmds)
        doc["units"].update(parsed=0, cached=n)
        doc["stats"].update(parsed=0, cached=n, extract_seconds=0.0, peak_rss_mb=peak_rss_mb(),
                            whole_document_cache=True)
        return doc
    ready: dict[str, Profile] = {}

    def meanwhile() -> None:
        """What comes after the parse, made ready while the workers parse: the plan's code
        and the support snapshot (on a small tree, a tenth of a cold run when done after)."""
        import bkport.analyze.plan  # noqa: F401

        try:
            ready["profile"] = load_profile(opts.profile, fingerprint=fingerprint)
        except Exception:  # said after the parse, where the profile is needed
            pass

    project, stats, facts = collect(inp, opts, cache, progress, meanwhile)
    info = {"path": str(inp.db.path), "origin": inp.db.origin,
            "entries": len(inp.cmds) + len(inp.skipped)}
    profile = ready["profile"] if "profile" in ready else \
        load_profile(opts.profile, fingerprint=fingerprint)
    from bkport.analyze.plan import build

    # A plug-in's advice says more for its app than the generic catalog.
    advice = {**advice_catalog(), **inp.plugin.advice()} if inp.plugin else None
    doc = build(project, profile, opts.profile, database=info, warnings=inp.db.warnings,
                stats=stats, advice=advice)
    if opts.target is not None:
        from bkport.analyze import target

        missing = target.refine(
            target.check(inp.cmds, opts.target, opts.jobs or record.jobs_default(), log),
            doc["findings"])
        target.annotate(doc, opts.target, missing, lambda unit: targets_of(project, unit))
    doc["stats"]["peak_rss_mb"] = peak_rss_mb()
    deps = {d for f in facts for d in (f["file"], *f.get("includes", ()))}
    docs.put(key, doc, deps, cache.hashes)
    return doc

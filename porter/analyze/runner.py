"""Run the extractor over a compile database: cached, in parallel worker processes.

Each worker owns one libclang index for its whole life. The parent looks the cache up first and
sends only the misses to the pool; results come back as plain dicts and are cached by the parent.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import nullcontext
from dataclasses import dataclass

from bkport.analyze.cache import FactCache
from bkport.analyze.compdb import CompileCommand
from bkport.analyze.extract import EXTRACTOR_VERSION, Settings

_INDEX = None
_SETTINGS: Settings | None = None


def _init(settings: Settings) -> None:
    global _INDEX, _SETTINGS
    import clang.cindex as ci

    _INDEX = ci.Index.create()
    _SETTINGS = settings


def _work(file: str, args: tuple[str, ...]) -> dict:
    from bkport.analyze.extract import extract_tu

    assert _INDEX is not None and _SETTINGS is not None
    try:
        return extract_tu(_INDEX, file, list(args), _SETTINGS)
    except Exception as e:  # a bug in the walker must not lose the other TUs
        return {"file": file, "fatal": f"extractor failed: {type(e).__name__}: {e}",
                "diagnostics": [], "errors": 1, "nodes": {}, "headers": {}, "includes": []}


def libclang_version() -> str:
    """The identity of the shared library libclang loads (its path, size and mtime): a new
    wheel or a rebuilt library is a new key. Read off the file, not the package metadata,
    whose import alone costs a cold analysis more than a small TU's parse."""
    import clang.cindex as ci

    lib = ci.conf.get_filename()
    here = os.path.join(os.path.dirname(ci.__file__), "native", lib)
    path = here if os.path.exists(here) else lib
    try:
        st = os.stat(path)
        ident = f"{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        ident = ""
    return f"libclang {path} {ident}"


def cache_salt(settings: Settings) -> str:
    h = hashlib.sha256()
    h.update(EXTRACTOR_VERSION.encode())
    h.update(libclang_version().encode())
    h.update(repr(sorted(settings.api_macros)).encode())
    h.update(repr(sorted(settings.ioctl_funcs.items())).encode())
    h.update(repr(sorted(settings.arg_checks.items())).encode())
    return h.hexdigest()


@dataclass
class RunStats:
    parsed: int = 0
    cached: int = 0
    jobs: int = 1


def extract_all(
    cmds: list[CompileCommand],
    settings: Settings,
    cache: FactCache,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> tuple[list[dict], RunStats]:
    """Facts for every command, in the order given. `meanwhile` (the caller's own work for
    after the parse) runs in this process once the workers have their TUs."""
    jobs = max(1, jobs or os.cpu_count() or 1)
    keys = [cache.key(c.file, c.args) for c in cmds]
    if jobs == 1:
        return _extract_serial(cmds, keys, settings, cache, progress)
    results: list[dict | None] = [None] * len(cmds)
    stats = RunStats(jobs=jobs)
    done = 0

    def collect(futs: dict) -> None:
        nonlocal done
        for fut in as_completed(futs):
            i = futs[fut]
            try:
                results[i] = fut.result()
            except Exception as e:  # a worker died (libclang crash): say so, go on
                results[i] = _failed(cmds[i].file, f"worker failed: {e!r}")
            cache.put(keys[i], results[i])
            done += 1
            if progress:
                progress(done, len(cmds))

    # A TU without a cache entry is parsed whatever happens: its workers start first (as many
    # as there are such TUs, up to `jobs`), and the parent loads the other TUs' facts while
    # they parse (after one edit, that loading is most of a re-run's own work).
    absent = _largest_first([i for i, k in enumerate(keys) if not cache.has_entry(k)], cmds)
    first, stale = set(absent), []
    with _pool(min(jobs, len(absent)), settings) as pool:
        futs = {pool.submit(_work, cmds[i].file, cmds[i].args): i for i in absent}
        for i, k in enumerate(keys):
            if i not in first:
                hit = cache.get(k)
                if hit is None:
                    stale.append(i)  # an entry whose headers changed since
                else:
                    results[i] = hit
                    stats.cached += 1
        done = stats.cached
        if progress:
            progress(done, len(cmds))
        if stale and len(absent) >= jobs:  # the pool is full size: it takes these too
            futs.update({pool.submit(_work, cmds[i].file, cmds[i].args): i
                         for i in _largest_first(stale, cmds)})
            stale = []
        if meanwhile is not None:
            meanwhile()
        collect(futs)
    if stale:  # after the first workers are done, so that at most `jobs` run at once
        with _pool(min(jobs, len(stale)), settings) as pool:
            collect({pool.submit(_work, cmds[i].file, cmds[i].args): i
                     for i in _largest_first(stale, cmds)})
    stats.parsed = len(cmds) - stats.cached
    return [r for r in results if r is not None], stats


def _largest_first(todo: list[int], cmds: list[CompileCommand]) -> list[int]:
    """The TUs to parse, largest source first: the workers take them in this order, so the
    last to finish are small ones and no worker is left alone with a big TU at the end (lua's
    lvm.c or lparser.c last made a cold run one long parse longer than it needed be). The
    results keep the database's order."""
    def size(i: int) -> int:
        try:
            return os.path.getsize(cmds[i].file)
        except OSError:
            return 0

    return sorted(todo, key=lambda i: (-size(i), i))


def _pool(workers: int, settings: Settings) -> ProcessPoolExecutor | nullcontext:
    """Worker processes (all started at the first submit: fork), or none for no work."""
    if workers < 1:
        return nullcontext(_NoPool())
    # Load libclang (and the native walk helper) here, once: the forked workers share the
    # mapped, relocated library instead of each loading its own.
    import clang.cindex as ci
    from bkport.analyze.flatten import native_walker

    _ = ci.conf.lib  # the property loads the library
    native_walker()
    return ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(settings,))


class _NoPool:
    def submit(self, *args: object) -> None:
        raise AssertionError("no work was expected")


def _failed(file: str, why: str) -> dict:
    return {"file": file, "fatal": why, "diagnostics": [], "errors": 1, "nodes": {},
            "headers": {}, "includes": []}


def _extract_serial(cmds: list[CompileCommand], keys: list[str | None], settings: Settings,
                    cache: FactCache, progress: Callable[[int, int], None] | None,
                    ) -> tuple[list[dict], RunStats]:
    """-j 1: everything in this process, the cache looked up first."""
    results: list[dict | None] = [None] * len(cmds)
    stats = RunStats(jobs=1)
    todo = []
    for i, k in enumerate(keys):
        hit = cache.get(k)
        if hit is not None:
            results[i] = hit
            stats.cached += 1
        else:
            todo.append(i)
    done = stats.cached
    if progress:
        progress(done, len(cmds))
    if todo:
        _init(settings)
        for i in todo:
            results[i] = _work(cmds[i].file, cmds[i].args)
            cache.put(keys[i], results[i])
            done += 1
            if progress:
                progress(done, len(cmds))
    stats.parsed = len(todo)
    return [r for r in results if r is not None], stats

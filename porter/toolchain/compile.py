"""The one compile engine for C: every C file bkport builds (the POSIX layer, apps, app plug-ins,
the kernel's C smoke app) goes through `compile_many`.

- Parallel: a thread pool over compiler processes, `jobs_n` at once (default: one per CPU).
- Cached on the command line and on the content of every file a compile read. Each compile runs
  with `-MD -MF <obj>.d`; after it succeeds, `<obj>.deps.json` (the manifest, written through a
  temporary file + rename) records a hash of the command line (output path normalised) and, for
  every file in the depfile plus the compiler executable, its size, mtime_ns and sha256. An object
  is reused when the command hash matches and every file still has the same content: same size
  and mtime_ns is taken as unchanged, anything else is rehashed, so touching a header without
  changing it rebuilds nothing (the manifest then takes the new mtime, so it is hashed once).
- A failed compile leaves no object, depfile or manifest behind; every failed file's compiler
  output is collected and raised as one `CompileFailed`. Warnings of files that compiled are
  printed once, when they are compiled (a reused object does not print them again).
- The flags are the caller's: the engine adds only `-MD -MF`, `-c` and `-o`.

The manifest functions (`up_to_date`, `record`, `read_depfile`) also serve other build steps
whose tool writes a depfile (the kernel's rustc steps) or whose inputs are known (archives, links).

Known limit, as with make and ninja: a header that would now be found earlier on the include path
(a new file shadowing the one the compile read) is not noticed; change a flag or clean the build.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from bkport.errors import BkportError

MANIFEST_VERSION = 1
_OUT = "$OUT"  # stands for the output path in a command line's hash


@dataclass(frozen=True)
class CompileJob:
    """One C file to compile: `argv` is the full command line (compiler first) without `-c`,
    `-o` or a depfile option; `cwd` is where the compiler runs (default: this process's)."""

    source: Path
    output: Path
    argv: tuple[str, ...]
    cwd: Path | None = None
    name: str | None = None  # what messages call the file (default: the source path)

    def __post_init__(self) -> None:
        # Callers pass lists and strings; a frozen job holds tuples and Paths.
        object.__setattr__(self, "source", Path(self.source))
        object.__setattr__(self, "output", Path(self.output))
        object.__setattr__(self, "argv", tuple(str(a) for a in self.argv))
        if self.cwd is not None:
            object.__setattr__(self, "cwd", Path(self.cwd))
        if not self.argv:
            raise ValueError(f"{self.source}: empty command line")
        if "-c" in self.argv[1:] or "-o" in self.argv[1:]:
            raise ValueError(f"{self.source}: give the command line without -c/-o (the engine "
                             "adds them)")

    @property
    def label(self) -> str:
        return self.name or str(self.source)

    @property
    def target(self) -> Path:
        """The output as an absolute path (a relative one is relative to `cwd`)."""
        if self.output.is_absolute():
            return self.output
        return (self.cwd or Path.cwd()) / self.output

    def command(self, depfile: bool = True) -> list[str]:
        out = str(self.target)
        dep = ["-MD", "-MF", str(depfile_path(self.target))] if depfile else []
        return [*self.argv, *dep, "-c", str(self.source), "-o", out]


@dataclass(frozen=True)
class CompileResult:
    job: CompileJob
    rebuilt: bool  # False: the object was up to date and reused (the compiler did not run)
    ok: bool
    output: str  # what the compiler printed: warnings, or the errors of a failed compile


class CompileFailed(BkportError):
    """Some files did not compile. `failures` holds their results; `output` every failed file's
    compiler output, in job order."""

    exit_code = 1

    def __init__(self, results: list[CompileResult]):
        self.results = results
        self.failures = [r for r in results if not r.ok]
        self.output = "".join(r.output for r in self.failures)
        n = len(self.failures)
        names = ", ".join(r.job.label for r in self.failures[:8]) + (" ..." if n > 8 else "")
        super().__init__(f"{n} C file{'s' if n != 1 else ''} failed to compile: {names}\n"
                         f"{self.output}")


def depfile_path(output: Path) -> Path:
    return output.with_name(output.name + ".d")


def manifest_path(output: Path) -> Path:
    return output.with_name(output.name + ".deps.json")


def command_key(argv: Sequence[str], output: Path) -> str:
    """Hash of a command line with the output path replaced by a placeholder (so the depfile's
    and the output's names count as one)."""
    out = str(output)
    norm = [a.replace(out, _OUT) for a in argv]
    return hashlib.sha256(json.dumps([MANIFEST_VERSION, norm]).encode()).hexdigest()


def read_depfile(path: Path) -> list[str]:
    """The prerequisites of every rule of a make-style depfile (clang's -MD, rustc's dep-info),
    each once, in order; `\\ ` escapes a space, `$$` a dollar."""
    text = Path(path).read_text(errors="surrogateescape").replace("\\\r\n", " ")
    text = text.replace("\\\n", " ")
    found: dict[str, None] = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue  # rustc's `# env-dep:` lines
        words = _split_words(line)
        # the targets are the words up to the one ending in ':'
        for i, w in enumerate(words):
            if w.endswith(":"):
                for dep in words[i + 1:]:
                    found.setdefault(dep, None)
                break
    return list(found)


def _split_words(line: str) -> list[str]:
    words, cur, i = [], [], 0
    while i < len(line):
        c = line[i]
        if c == "\\" and i + 1 < len(line) and line[i + 1] in " #":
            cur.append(line[i + 1])
            i += 2
            continue
        if c == "$" and line[i + 1:i + 2] == "$":
            cur.append("$")
            i += 2
            continue
        if c in " \t":
            if cur:
                words.append("".join(cur))
                cur = []
        else:
            cur.append(c)
        i += 1
    if cur:
        words.append("".join(cur))
    return words


class FileState:
    """stat and sha256 of files, remembered for one build: a header read by 500 compiles is
    statted and hashed once. Hashes are keyed by (path, size, mtime_ns), so a file that changes
    during the build is hashed again."""

    def __init__(self) -> None:
        self._stats: dict[str, os.stat_result | None] = {}
        self._digests: dict[tuple[str, int, int], str] = {}
        self._lock = threading.Lock()

    def stat(self, path: str, fresh: bool = False) -> os.stat_result | None:
        if not fresh and path in self._stats:
            return self._stats[path]
        try:
            st: os.stat_result | None = os.stat(path)
        except OSError:
            st = None
        self._stats[path] = st
        return st

    def digest(self, path: str, st: os.stat_result) -> str:
        key = (path, st.st_size, st.st_mtime_ns)
        with self._lock:
            known = self._digests.get(key)
        if known is not None:
            return known
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        value = h.hexdigest()
        with self._lock:
            self._digests[key] = value
        return value


def _write_json(path: Path, data: dict) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(data, f, separators=(",", ":"))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def up_to_date(output: Path, key: str, cwd: Path | None = None,
               files: FileState | None = None) -> bool:
    """Whether `output` was made by the command hashed as `key` (command_key) from files that
    still have the content they had then."""
    files = files or FileState()
    mpath = manifest_path(output)
    try:
        m = json.loads(mpath.read_text())
        if m.get("version") != MANIFEST_VERSION or m.get("key") != key:
            return False
        # a recorded cwd means the compile read paths relative to it
        if m.get("cwd") is not None and m["cwd"] != str(cwd or Path.cwd()):
            return False
        st = os.stat(output)
        if [st.st_size, st.st_mtime_ns] != m["output"]:
            return False  # the output was replaced or altered since
        refreshed = False
        for entry in m["deps"]:
            path, size, mtime_ns, sha = entry
            dst = files.stat(path)
            if dst is None:
                return False
            if dst.st_size == size and dst.st_mtime_ns == mtime_ns:
                continue
            if dst.st_size != size or files.digest(path, dst) != sha:
                return False
            entry[1], entry[2] = dst.st_size, dst.st_mtime_ns
            refreshed = True
    except (OSError, ValueError, KeyError, TypeError):
        return False
    if refreshed:
        # same content, new mtime: remember it, so the next check does not hash it again
        try:
            _write_json(mpath, m)
        except OSError:
            pass
    return True


def record(output: Path, key: str, deps: Iterable[str | Path], cwd: Path | None = None,
           started_ns: int | None = None, files: FileState | None = None) -> bool:
    """Write `output`'s manifest: the command hash and each dependency's size, mtime and sha256.
    Returns False (and writes nothing, so the next build redoes the step) if a dependency is
    missing or was modified while the step ran (after `started_ns`)."""
    files = files or FileState()
    base = cwd or Path.cwd()
    relative = False
    entries: list[list] = []
    seen: set[str] = set()
    now = time.time_ns()
    for d in deps:
        p = Path(d)
        if not p.is_absolute():
            relative = True
            p = base / p
        path = os.path.normpath(p)
        if path in seen:
            continue
        seen.add(path)
        st = files.stat(path, fresh=True)
        if st is None:
            return False
        if started_ns is not None and started_ns < st.st_mtime_ns <= now:
            return False  # written during the step: which version it read is unknown
        entries.append([path, st.st_size, st.st_mtime_ns, files.digest(path, st)])
    try:
        ost = os.stat(output)
    except OSError:
        return False
    _write_json(manifest_path(output), {
        "version": MANIFEST_VERSION, "key": key, "cwd": str(base) if relative else None,
        "output": [ost.st_size, ost.st_mtime_ns], "deps": entries})
    return True


def forget(output: Path) -> None:
    """Drop `output`'s manifest: the next build redoes the step."""
    manifest_path(output).unlink(missing_ok=True)


def run_cached(output: Path, argv: Sequence[str], run: Callable[[], Iterable[str | Path] | None],
               deps: Iterable[str | Path] = ()) -> bool:
    """A build step that is not a C compile (an archive, a link, a rustc run), cached the same
    way: `run()` makes `output` and may return more dependencies (e.g. from a depfile it wrote);
    `argv` is everything that decides the result besides the files. Returns whether it ran."""
    output = Path(output)
    key = command_key(argv, output)
    deps = list(deps)
    if up_to_date(output, key):
        return False
    forget(output)
    started = time.time_ns()
    more = run() or ()
    record(output, key, [*deps, *more], started_ns=started)
    return True


def executable(name: str) -> str | None:
    """The real file behind a command name (the compiler is a dependency of what it builds)."""
    path = name if os.sep in name else shutil.which(name)
    return os.path.realpath(path) if path else None


def _key(job: CompileJob) -> str:
    return command_key(job.command(), job.target)


def _compile(job: CompileJob, cache: bool, files: FileState) -> CompileResult:
    out = job.target
    dep = depfile_path(out)
    # from here until the new manifest is written, the old object must not count as current
    forget(out)
    cmd = job.command(depfile=cache)
    started = time.time_ns()
    try:
        proc = subprocess.run(cmd, cwd=job.cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, errors="replace")
    except OSError as e:
        out.unlink(missing_ok=True)
        return CompileResult(job, True, False, f"{job.label}: cannot run {cmd[0]}: {e}\n")
    text = proc.stdout
    if text and not text.endswith("\n"):
        text += "\n"
    if proc.returncode != 0:
        out.unlink(missing_ok=True)
        dep.unlink(missing_ok=True)
        return CompileResult(job, True, False, text or
                             f"{job.label}: the compiler exited with status {proc.returncode}\n")
    if cache:
        try:
            deps = read_depfile(dep)
        except OSError:
            deps = None  # no depfile: nothing to check against, so no manifest
        if deps is not None:
            compiler = executable(job.argv[0])
            record(out, _key(job), [*deps, *([compiler] if compiler else [])], job.cwd,
                   started, files)
    return CompileResult(job, True, True, text)


def _stderr(text: str) -> None:
    sys.stderr.write(text)
    sys.stderr.flush()


def compile_many(jobs: Sequence[CompileJob], *, jobs_n: int | None = None, cache: bool = True,
                 progress: Callable[[int, int], None] | None = None,
                 echo: Callable[[str], None] | None = _stderr) -> list[CompileResult]:
    """Compile `jobs` (in parallel, `jobs_n` at once; default one per CPU), reusing every object
    that is up to date. `progress(changed, total)` is called once, before anything compiles;
    `echo` gets the warnings of each file compiled (None: keep them only in the results).
    Returns one result per job, in order; raises CompileFailed if any file did not compile."""
    jobs = list(jobs)
    outs = [j.target for j in jobs]
    if len(set(outs)) != len(outs):
        dup = sorted({str(o) for o in outs if outs.count(o) > 1})
        raise ValueError(f"two jobs write the same object: {', '.join(dup[:3])}")
    files = FileState()
    results: list[CompileResult] = [CompileResult(j, False, True, "") for j in jobs]
    stale = [i for i, j in enumerate(jobs)
             if not (cache and up_to_date(j.target, _key(j), j.cwd, files))]
    if progress is not None:
        progress(len(stale), len(jobs))
    if not stale:
        return results
    for i in stale:
        jobs[i].target.parent.mkdir(parents=True, exist_ok=True)
    workers = max(1, min(jobs_n or os.cpu_count() or 2, len(stale)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(_compile, jobs[i], cache, files): i for i in stale}
        for fut in as_completed(futures):
            r = fut.result()
            results[futures[fut]] = r
            if r.ok and r.output and echo is not None:
                echo(r.output)
    if any(not r.ok for r in results):
        raise CompileFailed(results)
    return results


def rebuilt(results: Iterable[CompileResult]) -> list[CompileJob]:
    """The jobs whose compiler ran."""
    return [r.job for r in results if r.rebuilt]

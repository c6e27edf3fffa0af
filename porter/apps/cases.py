"""Run one test case of a recipe: on the host build of the same source and on the board, then
compare what each side produced.

A case is argv + stdin + input files (bkport.recipe). Both sides get the same: the program's name
as argv[0], the recipe's and the case's environment, the files placed under the run's working
directory (on the host, a fresh temporary folder stands for it), stdin from a pipe. Compared:
exit status, stdout, stderr (each after the recipe's and the case's masks: addresses, times), and
the files the case names in `compare_files`. The `expected` driver compares the board's stdout
and status with what the app's own test files say instead of with a host run.
"""

from __future__ import annotations

import difflib
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from bkport.recipe import Recipe
from bkport.recipe.fileref import CaseOutput, read_ref

PASS, FAIL, SKIP = "PASS", "FAIL", "UNTESTED"


@dataclass(frozen=True)
class Side:
    status: int | None  # None: did not finish (timeout, fault)
    stdout: bytes
    stderr: bytes
    files: dict[str, bytes]
    note: str = ""  # why it did not finish
    seconds: float = 0.0
    heap_peak: int | None = None  # board only: the app heap's peak (bytes)
    stack_peak: int | None = None  # board only: the highest stack high-water mark of a thread


@dataclass(frozen=True)
class CaseResult:
    name: str
    status: str  # PASS | FAIL | UNTESTED
    reason: str = ""
    board_seconds: float = 0.0
    host_seconds: float = 0.0
    heap_peak: int | None = None
    stack_peak: int | None = None


Outputs = Callable[[CaseOutput], bytes] | None


def case_files(recipe: Recipe, case, source_root: Path | None,
               outputs: Outputs = None) -> dict[str, bytes]:
    """The case's input files by RAM-fs path (absolute), run-wide files first."""
    return {dest: read_ref(src, source_root, outputs)
            for dest, src in (*recipe.run.files.items(), *case.files.items())}


def case_stdin(case, source_root: Path | None, outputs: Outputs = None) -> bytes:
    if case.stdin_file is not None:
        return read_ref(case.stdin_file, source_root, outputs)
    return (case.stdin or "").encode()


def output_of(side: Side | None, ref: CaseOutput, where: str) -> bytes:
    """`case:NAME/stdout` or `case:NAME/FILE` from one side's run of case NAME."""
    if side is None:
        raise MissingOutput(f"needs case {ref.case}, which did not run on the {where}",
                            ran=False)
    if ref.what == "stdout":
        return side.stdout
    if ref.what not in side.files:
        raise MissingOutput(f"{where}: case {ref.case} left no {ref.what}")
    return side.files[ref.what]


class MissingOutput(Exception):
    """An input taken from an earlier case that this side does not have. `ran`: the earlier
    case ran (and left no such output: a failure) or did not (the case is not run either)."""

    def __init__(self, message: str, ran: bool = True):
        super().__init__(message)
        self.ran = ran


def case_env(recipe: Recipe, case) -> dict[str, str]:
    return {**recipe.run.env, **case.env}


def mask(data: bytes, masks) -> str:
    # surrogateescape keeps bytes that are not UTF-8 distinct (binary outputs compare exactly)
    text = data.decode(errors="surrogateescape")
    for m in masks:
        text = m.apply(text)
    return text


def run_host(binary: Path, name: str, recipe: Recipe, case, timeout: float,
             source_root: Path | None = None, outputs: Outputs = None) -> Side:
    """The case on the host build: in a scratch folder standing for the run's working
    directory."""
    cwd = PurePosixPath(recipe.run.cwd)
    with tempfile.TemporaryDirectory(prefix="bkcase-") as tmp:
        here = Path(tmp)
        for d in recipe.run.dirs:
            rel = PurePosixPath(d)
            if rel == cwd or cwd in rel.parents:
                (here / rel.relative_to(cwd)).mkdir(parents=True, exist_ok=True)
        for path, data in case_files(recipe, case, source_root, outputs).items():
            p = PurePosixPath(path)
            if cwd not in p.parents:
                continue  # outside the working directory: board-only (e.g. /etc)
            f = here / p.relative_to(cwd)
            f.parent.mkdir(parents=True, exist_ok=True)
            f.write_bytes(data)
        env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "PWD": str(here),
               **case_env(recipe, case)}
        t0 = time.monotonic()
        try:
            proc = subprocess.run([name, *case.argv], executable=str(binary), cwd=here, env=env,
                                  input=case_stdin(case, source_root, outputs),
                                  capture_output=True,
                                  timeout=timeout)
        except subprocess.TimeoutExpired as e:
            return Side(None, e.stdout or b"", e.stderr or b"", {}, f"timed out after {timeout} s")
        files = {f: (here / f).read_bytes() for f in case.compare_files
                 if (here / f).is_file()}
        status = proc.returncode if proc.returncode >= 0 else 128 - proc.returncode
        return Side(status, proc.stdout, proc.stderr, files,
                    "" if proc.returncode >= 0 else f"killed by signal {-proc.returncode}",
                    time.monotonic() - t0)


def run_board(board: str, image: Path, name: str, recipe: Recipe, case,
              timeout: float, source_root: Path | None = None, outputs: Outputs = None) -> Side:
    from bkport.toolchain import resident

    cwd = PurePosixPath(recipe.run.cwd)
    files: dict[str, bytes | None] = {d.lstrip("/"): None for d in recipe.run.dirs}
    files.update({p.lstrip("/"): data
                  for p, data in case_files(recipe, case, source_root, outputs).items()})
    env = {**case_env(recipe, case), "PWD": str(cwd), "BKPORT_CONSOLE": "pipe"}
    if recipe.run.stack:
        env["BKPORT_STACK"] = str(recipe.run.stack)
    # A resident QEMU per worker (a fresh boot per case with `bkport validate --fresh-boot`).
    r = resident.run_app(board, image, [name, *case.argv], env, files,
                         case_stdin(case, source_root, outputs), timeout=timeout)
    got = {}
    for f in case.compare_files:
        key = str(PurePosixPath(f) if PurePosixPath(f).is_absolute() else cwd / f).lstrip("/")
        data = r.files.get(key)
        if isinstance(data, bytes):
            got[f] = data
    heap, stack = memory_peaks(r.record)
    if r.outcome != "exit":
        kernel = r.kernel.decode(errors="replace").strip().splitlines()
        why = f"{r.outcome} (status {r.status})" + (f": {kernel[-1]}" if kernel else "")
        if r.limit:
            why += f" [{r.limit}]"
        return Side(None, r.stdout, r.stderr, got, why, r.seconds, heap, stack)
    return Side(r.status, r.stdout, r.stderr, got, "", r.seconds, heap, stack)


def memory_peaks(record: dict[str, str]) -> tuple[int | None, int | None]:
    """(app heap peak, highest thread stack high-water) from a run's record (kernel exit.rs)."""
    heap = int(record["uheap_peak"].split()[0]) if "uheap_peak" in record else None
    stacks = [int(v.split()[0]) for k, v in record.items() if k.startswith("stack_")]
    return heap, max(stacks) if stacks else None


def _first_difference(what: str, want: str, got: str) -> str:
    diff = list(difflib.unified_diff(want.splitlines(), got.splitlines(), "host", "board",
                                     lineterm="", n=0))
    lines = [d for d in diff[2:] if not d.startswith("@@")][:4]
    shown = " | ".join(lines).encode(errors="surrogateescape").decode(errors="replace")
    return f"{what} differs: " + shown[:300]


def compare(host: Side, board: Side, masks, files: Sequence[str] = ()) -> str:
    """Empty when the board did what the host did; else the first difference, for people.
    `files` are the case's compare_files: one that neither side wrote is a failure, not a
    vacuous match (the case expects it; a typo in its name would otherwise pass forever)."""
    if board.status is None:
        return f"board: {board.note}"
    if host.status is None:
        return f"host: {host.note}"
    if host.status != board.status:
        err = board.stderr.decode(errors="replace").strip().splitlines()
        return (f"exit status: host {host.status}, board {board.status}"
                + (f" (board stderr: {err[-1][:200]})" if err else ""))
    for what, a, b in (("stdout", host.stdout, board.stdout), ("stderr", host.stderr,
                                                               board.stderr)):
        ma, mb = mask(a, masks), mask(b, masks)
        if ma != mb:
            return _first_difference(what, ma, mb)
    for f in sorted(set(host.files) | set(board.files)):
        if f not in board.files:
            return f"file {f}: written on the host, not on the board"
        if f not in host.files:
            return f"file {f}: written on the board, not on the host"
        if host.files[f] != board.files[f]:
            return f"file {f} differs ({len(host.files[f])} bytes on the host, " \
                   f"{len(board.files[f])} on the board)"
    neither = [f for f in files if f not in host.files and f not in board.files]
    if neither:
        return f"file {neither[0]}: written neither on the host nor on the board " \
               f"(the case's compare_files names it)"
    return ""


def compare_expected(recipe: Recipe, case, board: Side, masks,
                     source_root: Path | None = None) -> str:
    if board.status is None:
        return f"board: {board.note}"
    want = case.expected_status
    if board.status != want:
        return f"exit status {board.status}, expected {want}"
    if case.expected_stdout is not None:
        expected = read_ref(case.expected_stdout, source_root)
        a, b = mask(expected, masks), mask(board.stdout, masks)
        if a != b:
            return _first_difference("stdout", a, b).replace("host", "expected", 1)
    return ""


"""One call of an app by its test suite, run on QEMU: what goes in, what comes back.

A test script runs on the host and calls the app's executable (`APP ARGS`, or a multi-call
binary through a link named after one of its programs); that name resolves to a tiny client
(porter/validate/client.py) which hands
the call to the validate driver's server (porter/validate/server.py), and the server runs it
here. Each call is one run of the app's image on the board's QEMU, on a resident QEMU
(bkport.toolchain.resident) or one fresh boot per call (`--fresh-boot`):

- argv: the name it was called by, then its arguments;
- files: the working directory's tree, placed at the same absolute path in the RAM file system,
  plus every argument naming an existing file or directory outside it, so relative and absolute
  paths both mean what the script meant;
- the kernel starts the app in the same directory (`PWD`), with the caller's environment;
- stdin: what the caller's stdin holds (a file is read to its end first, a pipe streams while
  the app runs on a resident QEMU; a terminal gives none); the
  console is a pipe to the app (`BKPORT_CONSOLE=pipe`: isatty() is false), and /tmp exists;
- the app's stdout and stderr come out on the caller's as they come, its exit status is the
  caller's (124 for a hang, 125 for a kernel fault);
- what the app left in the working directory comes back: new and changed files are written,
  files it removed are removed. Changes outside the working directory stay in the run.

Symbolic links in the working tree go in as links (the kernel's file system has them) and come
back as links: ones the app made or changed are recreated, ones it removed are removed. Hard
links go both ways (names of one host file are one inode in the run, names of one inode in the
run become one host file), and so do modes and modification times (whole seconds, newc's).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bkport.kernel.cpio import Attrs, Entry, Linker, Symlink, Tree, set_mtime

# The most file bytes `collect` reads for one run unless told its board's boot blob size: the
# boot blob holds the files beside argv and stdin, and a run's RAM holds them after.
LIMIT = 6 << 20
# Trees that are never an app's business (the test suite's own bookkeeping is fine to copy).
SKIP_DIRS = {".git", "__pycache__"}


class TooBig(Exception):
    pass


@dataclass
class _Budget:
    limit: int
    used: int = 0
    seen: set[tuple[int, int]] = field(default_factory=set)  # hard-linked files counted once


def _add_tree(root: Path, files: Tree, linker: Linker, budget: _Budget) -> None:
    """`root` (a directory) and everything under it, at their absolute paths."""
    _add_parents(root, files)
    _add_dir(root, files, linker)
    _walk(str(root), files, linker, budget)


def _walk(top: str, files: Tree, linker: Linker, budget: _Budget) -> None:
    """What os.walk(top) would give, as `_add_tree` takes it (subdirectories then files, each
    sorted; links to directories are links, never followed), from one scandir a directory and
    string paths: a test script's call collects its tree anew each time, and pathlib's
    per-path objects were most of that cost (bench/standin_calls.py, `call_files`)."""
    try:
        with os.scandir(top) as it:
            entries = list(it)
    except OSError:
        return  # gone or unreadable meanwhile, as os.walk skips it
    dirs, plain = [], []
    for e in entries:
        try:
            is_dir = e.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if e.name not in SKIP_DIRS:
                dirs.append(e)
        else:
            plain.append(e)
    dirs.sort(key=lambda e: e.name)
    plain.sort(key=lambda e: e.name)
    descend = []
    for e in dirs:
        if e.is_symlink():
            _add_symlink_at(e.path, files, linker)
            continue
        key = e.path.lstrip("/")
        files[key] = None
        try:
            files.attrs[key] = linker.attrs(e.stat())
        except OSError:
            pass  # gone meanwhile: the run gets an empty directory
        descend.append(e.path)
    for e in plain:
        if e.is_symlink():
            _add_symlink_at(e.path, files, linker)
        else:
            _add_file_at(e.path, files, linker, budget, parents=False)
    for d in descend:
        _walk(d, files, linker, budget)


def _add_dir(p: Path, files: Tree, linker: Linker) -> None:
    files[_key(p)] = None
    try:
        files.attrs[_key(p)] = linker.attrs(p.stat())
    except OSError:
        pass  # gone meanwhile: the run gets an empty directory


def _add_symlink_at(path: str, files: Tree, linker: Linker) -> None:
    key = path.lstrip("/")
    try:
        files[key] = Symlink(os.readlink(path))
        files.attrs[key] = linker.attrs(os.lstat(path))  # `ln` of a link: one inode, two names
    except OSError:
        files.pop(key, None)  # gone meanwhile


def _add_file(p: Path, files: Tree, linker: Linker, budget: _Budget) -> None:
    _add_file_at(str(p), files, linker, budget, parents=True)


def _add_file_at(path: str, files: Tree, linker: Linker, budget: _Budget,
                 parents: bool) -> None:
    try:
        st = os.stat(path)
    except OSError:
        return  # dangling link, or gone meanwhile
    if not stat.S_ISREG(st.st_mode):
        return
    if st.st_size > budget.limit:
        raise TooBig(f"{path} is {st.st_size} bytes (at most {budget.limit} go into a run "
                     "on this board)")
    if (st.st_dev, st.st_ino) not in budget.seen:
        budget.seen.add((st.st_dev, st.st_ino))
        budget.used += st.st_size
    if budget.used > budget.limit:
        raise TooBig(f"the files for this run pass {budget.limit} bytes (at {path})")
    if parents:  # inside a walked tree the parents are there already
        _add_parents(Path(path), files)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return  # gone meanwhile
    key = path.lstrip("/")
    files[key] = data
    files.attrs[key] = linker.attrs(st)


def _add_parents(p: Path, files: dict[str, Entry]) -> None:
    for parent in reversed(p.parents):
        if parent != Path("/"):
            files.setdefault(_key(parent), None)


def _key(p: Path) -> str:
    return str(p).lstrip("/")


def _outside_paths(cwd: Path, args: list[str]) -> list[Path]:
    """The arguments that may name a path outside the working tree, made absolute."""
    out = []
    for a in args:
        if not a or a.startswith("-") or "\0" in a or len(a) > 1024:
            continue
        p = Path(os.path.normpath(cwd / a))
        if p != cwd and cwd not in p.parents:
            out.append(p)
    return out


def collect(cwd: Path, args: list[str], limit: int = LIMIT) -> Tree:
    """The initial files of a run: the working tree, plus what the arguments name outside it,
    with their modes, modification times and hard links (names of one host file are one file
    in the run). At most `limit` bytes of file data (TooBig past it)."""
    # A scratch /tmp, as every Linux system has (diff writes its stdin there).
    files = Tree({"tmp": None})
    linker = Linker()
    budget = _Budget(limit)
    _add_tree(cwd, files, linker, budget)
    for p in _outside_paths(cwd, args):
        try:
            if not p.exists():
                continue
        except OSError:
            continue
        if p.is_dir():
            if p != Path("/") and len(p.parts) > 2:  # never the whole host
                _add_tree(p, files, linker, budget)
        else:
            _add_file(p, files, linker, budget)
    return files


def write_roots(cwd: Path, args: list[str], scratch: Path | None) -> list[Path]:
    """Where a run's changes come back to the host: the working directory, and the paths the
    arguments name outside it (`cp * ../dest`, `sed -i ../f`) when they lie inside `scratch`
    (the test suite's private copy): a test never writes the host's own files."""
    roots = [cwd]
    if scratch is None:
        return roots
    for p in _outside_paths(cwd, args):
        if not (p == scratch or scratch in p.parents):
            continue
        if any(r == p or r in p.parents for r in roots):
            continue
        roots = [r for r in roots if p not in r.parents] + [p]
    return roots


def _attrs(tree: dict[str, Entry], k: str) -> Attrs:
    return tree.attr(k) if isinstance(tree, Tree) else Attrs()


def _peers(tree: dict[str, Entry], k: str) -> frozenset[str]:
    return tree.peers(k) if isinstance(tree, Tree) else frozenset([k])


def _same(a: Path, b: Path) -> bool:
    """`a` and `b` are one inode (links not followed)."""
    try:
        sa, sb = os.lstat(a), os.lstat(b)
    except OSError:
        return False
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def _remove(p: Path) -> None:
    if p.is_dir() and not p.is_symlink():
        shutil.rmtree(p)
    elif p.exists() or p.is_symlink():
        p.unlink()


def sync_back(cwd: Path, sent: dict[str, Entry], got: dict[str, Entry]) -> None:
    """Make the host's tree at `cwd` (a directory, or one path) what the app left in its
    copy of it: contents, links, hard links (names of one file in the run become one host
    file, `os.link`), and when `got` carries them (a Tree) modes and modification times."""
    root = _key(cwd)
    prefix = root + "/"

    def under(k: str) -> bool:
        return k == root or k.startswith(prefix)

    mine = {k: v for k, v in got.items() if under(k)}
    # A hard-link group's first name here is written; its other names become links to it.
    leader: dict[str, str] = {}
    if isinstance(got, Tree):
        for group in got.groups():
            here = [k for k in group if k in mine]
            for k in here[1:]:
                leader[k] = here[0]
    for k in sorted(mine):
        v, p = mine[k], Path("/" + k)
        if v is None:
            if p.is_symlink() or not p.is_dir():
                if p.exists() or p.is_symlink():
                    p.unlink()
                p.mkdir(parents=True, exist_ok=True)
        elif k in leader:
            first = Path("/" + leader[k])
            if not _same(first, p):
                _remove(p)
                p.parent.mkdir(parents=True, exist_ok=True)
                os.link(first, p, follow_symlinks=False)
        elif isinstance(v, Symlink):
            if (sent.get(k) != v or not p.is_symlink() or os.readlink(p) != v.target
                    or not _peers(sent, k) <= _peers(got, k)):
                _remove(p)
                p.parent.mkdir(parents=True, exist_ok=True)
                os.symlink(v.target, p)
        else:
            # Written anew (a new inode) also when the host file is linked to names the run
            # separated from it: the others must not change with it.
            same = sent.get(k) == v and _peers(sent, k) <= _peers(got, k)
            if same and _plain_file(p):
                a = _attrs(got, k)
                if (a.mode, a.mtime) != _mode_time(sent, k):
                    _set_attrs(p, a)
                # Else what was sent came back untouched: the host file already has it (most
                # of a test script's tree at every call), so it costs one lstat.
                continue
            if p.is_symlink() or p.is_dir():
                _remove(p)
            p.parent.mkdir(parents=True, exist_ok=True)
            tmp = p.with_name(p.name + ".bkport-tmp")
            tmp.write_bytes(v)
            if p.exists():
                shutil.copymode(p, tmp)
            os.replace(tmp, p)
            _set_attrs(p, _attrs(got, k))
    # Deepest first, so a removed directory is emptied before it goes.
    for k in sorted((k for k in sent if under(k) and k not in mine), reverse=True):
        p = Path("/" + k)
        if p.is_symlink() or p.is_file():
            p.unlink()
        elif p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
    # Directories last, deepest first: what was written into them moved their times.
    for k in sorted((k for k in mine if mine[k] is None), reverse=True):
        _set_attrs(Path("/" + k), _attrs(got, k))


def _plain_file(p: Path) -> bool:
    """`p` is a regular file, not a link to one."""
    try:
        return stat.S_ISREG(os.lstat(p).st_mode)
    except OSError:
        return False


def _mode_time(tree: dict[str, Entry], k: str) -> tuple[int | None, int | None]:
    a = _attrs(tree, k)
    return a.mode, a.mtime


def _set_attrs(p: Path, a: Attrs) -> None:
    """The run's mode and modification time on `p`, where they differ from the host's. The
    time is whole seconds (newc's): a host time in the same second is left as it is."""
    if a.mode is not None and stat.S_IMODE(p.stat().st_mode) != a.mode:
        os.chmod(p, a.mode)
    if a.mtime:
        set_mtime(p, a.mtime)


def _apps_streams(on_output: Callable[[str, bytes], None] | None,
                  ) -> Callable[[str, bytes], None] | None:
    """`on_output` for the app's stdout and stderr only (kernel messages come at the end)."""
    if on_output is None:
        return None

    def f(stream: str, data: bytes) -> None:
        if stream in ("stdout", "stderr"):
            on_output(stream, data)
    return f


@dataclass
class Call:
    """One call of the app by a test script, as the stand-in client saw it."""

    argv: list[str]  # argv[0]: the name it was called by (a path: only its basename counts)
    cwd: Path
    env: dict[str, str]
    stdin: bytes
    # The caller's stdin is a pipe: its chunks as they come (streamed to the app while it
    # runs; `stdin` is then unused).
    stdin_feed: Iterable[bytes] | None = None


@dataclass
class Answer:
    status: int
    stdout: bytes
    stderr: bytes


def run_call(board: str, image: Path, call: Call, timeout: float,
             log: Path | None = None,
             on_output: Callable[[str, bytes], None] | None = None) -> Answer:
    """Run the image for one call and carry its files back (see the module's docstring): on
    a resident QEMU, or a fresh boot with bkport.toolchain.resident.fresh_boot().
    `on_output(stream, data)` gets the app's stdout and stderr as they come; the answer holds
    all of it, and after the streamed stderr the driver's own messages."""
    from bkport.toolchain import qemu, resident

    t0 = time.monotonic()
    name = os.path.basename(call.argv[0])
    args = call.argv[1:]
    try:
        files = collect(call.cwd, args, qemu.BOOT_BLOB_MAX[board])
    except TooBig as e:
        return Answer(qemu.QEMU_ERROR_STATUS, b"", f"bkport: {name}: {e}\n".encode())
    env = {k: v for k, v in call.env.items() if not k.startswith("BKPORT_")}
    env["PWD"] = str(call.cwd)
    env["BKPORT_CONSOLE"] = "pipe"  # stdin is a file, stdout a capture: not a terminal
    if "BKPORT_UMASK" in call.env:  # the calling shell's umask (client.py)
        env["BKPORT_UMASK"] = call.env["BKPORT_UMASK"]
    try:
        r = resident.run_app(board, image, [name, *args], env, files, call.stdin, timeout,
                             on_output=_apps_streams(on_output), stdin_feed=call.stdin_feed)
    except Exception as e:  # a boot blob too large, QEMU missing: the caller sees why
        return Answer(qemu.QEMU_ERROR_STATUS, b"", f"bkport: {name}: {e}\n".encode())
    err = r.stderr + r.kernel
    if r.outcome != "exit":
        err += f"bkport: {name}: {r.outcome} on {board} after {r.seconds:.1f}s\n".encode()
    else:
        scratch = call.env.get("tsdir")  # runtest's testsuite folder: our private copy
        for root in write_roots(call.cwd, args, Path(scratch) if scratch else None):
            sync_back(root, files, r.files)
    if log is not None:
        # The name and the first argument: a multi-call binary's program is either.
        rec = {"call": [name, *args[:1]], "status": r.status,
               "outcome": r.outcome, "qemu_s": round(r.seconds, 4),
               "total_s": round(time.monotonic() - t0, 4)}
        with open(log, "a") as f:
            f.write(json.dumps(rec) + "\n")
    return Answer(r.status, r.stdout, err)

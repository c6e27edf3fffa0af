"""The argument values the support database reads from the layer's sources, against what the
layer really does: its fcntl, sysconf, pathconf, clock_gettime and open compiled for the host
(gcc, as tests/layer/test_host.py does) over a fake kernel that answers 0 and records the last
call, then called with every value of each family the host names. A value the database calls
missing must fail with EINVAL, any other must not; an open flag it calls dropped must not reach
the kernel whole, a handled one must."""

from __future__ import annotations

import ctypes
import fcntl as host_fcntl
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from bkport.appbuild.layer import generate_inputs, layer_dir
from bkport.posixspec.support import SupportDB, load_support

FAKE_KERNEL = """\
/* A kernel that answers 0 to every call and remembers the last one's number and arguments. */
long fake_nr, fake_a1;
long bk_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
    (void)a0; (void)a2; (void)a3; (void)a4; (void)a5;
    fake_nr = nr;
    fake_a1 = a1;
    return 0;
}
"""
FILES = ("fileio.c", "process.c", "sysconf.c", "futex.c", "errno.c", "time.c")


def _host_syscall_header(real: str) -> str:
    """The generated <bk/syscall.h> with its trap (inline assembly for the board) replaced by a
    call into the fake kernel; every wrapper over it stays as the layer sees it."""
    m = re.search(r"static inline long bk_syscall6\(([^)]*)\)\s*\{", real)
    assert m is not None, "the generated <bk/syscall.h> has no bk_syscall6"
    depth, i = 0, m.end() - 1
    while True:
        depth += {"{": 1, "}": -1}.get(real[i], 0)
        i += 1
        if depth == 0:
            break
    return real[:m.start()] + f"long bk_syscall6({m.group(1)});" + real[i:]


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> ctypes.CDLL:
    gcc = shutil.which("gcc") or shutil.which("cc")
    if gcc is None:
        pytest.skip("no host C compiler")
    d = tmp_path_factory.mktemp("host")
    inputs = generate_inputs(d / "b", ["cortex-m"])
    real = (inputs.syscall_include("cortex-m") / "bk" / "syscall.h").read_text()
    (d / "bk").mkdir()
    (d / "bk" / "syscall.h").write_text(_host_syscall_header(real))
    (d / "fake.c").write_text(FAKE_KERNEL)
    src = layer_dir() / "src"
    so = d / "liblayer.so"
    # -Bsymbolic: the layer's own calls (record_lock's fcntl) stay inside it, not glibc's
    cmd = [gcc, "-shared", "-fPIC", "-O1", "-Wl,-Bsymbolic", "-Wno-builtin-declaration-mismatch",
           "-DCLK_TCK=100", "-D_GNU_SOURCE", "-I", str(d), "-I", str(inputs.sysroot_include),
           *(str(src / f) for f in FILES), str(d / "fake.c")]
    subprocess.run([*cmd, "-o", str(so)], check=True, capture_output=True, text=True)
    # what the files call in the rest of the layer (sockets, umask): stubs answering 0
    undefined = subprocess.run(["nm", "-u", str(so)], check=True, capture_output=True,
                               text=True).stdout
    stubs = sorted(set(re.findall(r"\bU (_*bk_\w+)", undefined)))
    if stubs:
        (d / "stubs.c").write_text("".join(f"long {s}(void) {{ return 0; }}\n" for s in stubs))
        subprocess.run([*cmd, str(d / "stubs.c"), "-o", str(so)], check=True,
                       capture_output=True, text=True)
    return ctypes.CDLL(str(so), use_errno=True)


@pytest.fixture(scope="module")
def db() -> SupportDB:
    return load_support("bkport")


def _call(fn: ctypes._CFuncPtr, *args: object) -> tuple[int, int]:
    ctypes.set_errno(0)
    r = fn(*args)
    return r, ctypes.get_errno()


def _handled(db: SupportDB, function: str, names: dict[str, int]) -> set[int]:
    return {v for n, v in names.items()
            if (got := db.argument(function, n)) is not None and got.status != "missing"
            and got.status != "partial"}


def _check(db: SupportDB, function: str, names: dict[str, int], call) -> int:
    checked = 0
    handled = _handled(db, function, names)
    for name, value in sorted(names.items()):
        got = db.argument(function, name)
        if got is None or (got.status == "missing" and value in handled):
            continue  # another name for a handled value on the host (F_EXLCK is F_SETFL's 4)
        r, err = call(value)
        fails = r == -1 and err == 22  # EINVAL on the host
        assert fails == (got.status == "missing"), (function, name, got, r, err)
        checked += 1
    return checked


def test_fcntl_commands(lib: ctypes.CDLL, db: SupportDB) -> None:
    names = {n: getattr(host_fcntl, n) for n in dir(host_fcntl) if n.startswith("F_")
             and n not in ("F_RDLCK", "F_WRLCK", "F_UNLCK", "F_OK") and
             isinstance(getattr(host_fcntl, n), int)}
    n = _check(db, "fcntl", names, lambda v: _call(lib.fcntl, 3, v, 0))
    assert n >= 12  # F_SETOWN, F_GETOWN, F_NOTIFY... besides the nine the layer handles
    assert db.argument("fcntl", "F_SETOWN").status == "missing"  # type: ignore[union-attr]


def test_sysconf_names(lib: ctypes.CDLL, db: SupportDB) -> None:
    lib.sysconf.restype = ctypes.c_long
    names = {f"_{k}": v for k, v in os.sysconf_names.items()}
    assert _check(db, "sysconf", names, lambda v: _call(lib.sysconf, v)) >= 60


def test_pathconf_names(lib: ctypes.CDLL, db: SupportDB) -> None:
    lib.pathconf.restype = ctypes.c_long
    names = {f"_{k}": v for k, v in os.pathconf_names.items()}
    assert _check(db, "pathconf", names, lambda v: _call(lib.pathconf, b"/", v)) >= 10


def test_clock_ids(lib: ctypes.CDLL, db: SupportDB) -> None:
    names = {n: getattr(time, n) for n in dir(time) if n.startswith("CLOCK_")}
    ts = (ctypes.c_long * 2)()
    assert _check(db, "clock_gettime", names,
                  lambda v: _call(lib.clock_gettime, v, ctypes.byref(ts))) >= 5


def test_open_flags_reach_the_kernel_or_are_dropped(lib: ctypes.CDLL, db: SupportDB) -> None:
    nr = ctypes.c_long.in_dll(lib, "fake_nr")
    a1 = ctypes.c_long.in_dll(lib, "fake_a1")

    def kernel_flags(flags: int) -> int:
        nr.value = a1.value = -1
        lib.open(b"/f", flags, 0)
        assert nr.value >= 0
        return a1.value

    base = kernel_flags(os.O_WRONLY)
    assert base & os.O_ACCMODE == os.O_WRONLY
    checked = 0
    names = {n: getattr(os, n) for n in dir(os) if n.startswith("O_")}
    handled = _handled(db, "open", names)
    for name, value in sorted(names.items()):
        got = db.argument("open", name)
        if got is None or value & os.O_ACCMODE or value == 0 or name == "O_ACCMODE":
            continue
        if got.status == "partial" and value in handled:
            continue  # another name for a handled flag on the host (O_FSYNC is O_SYNC)
        if base & value == value:
            continue  # bits every open carries here: nothing to tell apart
        # the host's numbers are Linux's, so the layer's translation is the identity here: a
        # flag it carries reaches the kernel as its own bits (O_TMPFILE keeps O_DIRECTORY's only)
        carried = kernel_flags(os.O_WRONLY | value) & value == value
        assert carried == (got.status != "partial"), (name, got)
        checked += 1
    assert checked >= 10
    assert db.argument("open", "O_ASYNC").status == "partial"  # type: ignore[union-attr]


def test_the_layer_files_compiled_here_hold_the_functions() -> None:
    # if one moves, this test says so instead of passing over nothing
    text = "".join((layer_dir() / "src" / f).read_text() for f in FILES)
    for fn in ("fcntl", "sysconf", "pathconf", "clock_gettime", "open"):
        assert re.search(rf"^\w[\w \*]*\b{fn}\(", text, re.M), fn
    assert Path(layer_dir() / "src").is_dir()

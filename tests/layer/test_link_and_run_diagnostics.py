"""What `bkport build` and `bkport run` say when things go wrong: a function the platform lacks
(the support database's verdict per undefined symbol, exit 4), a fault (function and line),
output that is cut (timeout on inactivity, bytes delivered), and 10 MiB of output arriving
whole. Builds write only to the work directory and -o, never into the source trees."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bkport.paths import source

pytestmark = pytest.mark.qemu

BOARD = "qemu_riscv64"

# tcgetpgrp: declared by picolibc's <unistd.h>, provided by nothing (no job control)
MISSING = """\
#include <unistd.h>
int main(void)
{
    return tcgetpgrp(0) > 0;
}
"""

FAULT = """\
#include <stdio.h>

static void __attribute__((noinline)) poke(volatile int *p)
{
    *p = 42;
}

int main(void)
{
    puts("about to fault");
    poke((volatile int *)0x10);
    return 0;
}
"""

BIG = """\
#include <string.h>
#include <unistd.h>
int main(void)
{
    static char buf[65536];
    for (int i = 0; i < 160; i++) {
        memset(buf, 'a' + i % 26, sizeof buf);
        if (write(1, buf, sizeof buf) != (long)sizeof buf)
            return 1;
    }
    return 0;
}
"""

QUIET = """\
#include <stdio.h>
int main(void)
{
    fputs("partial", stdout);
    fflush(stdout);
    for (volatile unsigned long i = 0;; i++)
        ;
}
"""


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    """A working directory with the programs, and a BKPORT_WORK of its own."""
    root = tmp_path_factory.mktemp("diag")
    cwd = root / "cwd"
    cwd.mkdir()
    for name, text in (("missing", MISSING), ("fault", FAULT), ("big", BIG), ("quiet", QUIET)):
        (cwd / f"{name}.c").write_text(text)
    env = dict(os.environ, BKPORT_WORK=str(root / "work"))
    env.pop("BKPORT_DEBUG", None)
    return cwd, env


def bkport(ws, *args: str, text: bool = True, **kw) -> subprocess.CompletedProcess:
    cwd, env = ws
    return subprocess.run([sys.executable, "-m", "bkport.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=text, **kw)


def _tree(p: Path) -> set[Path]:
    return {q for q in p.rglob("*")}


def test_undefined_function_is_explained_from_the_support_database(ws):
    before = {t: _tree(source(t)) for t in ("kernel", "posix/layer")}
    r = bkport(ws, "build", "--board", BOARD, "missing.c", "-o", "missing.elf")
    assert r.returncode == 4, r.stderr
    assert ("bkport build: undefined symbol tcgetpgrp (used by missing.c:4 (main)): POSIX "
            "interface, "
            "missing: not provided by the bkport layer; `bkport shim` can generate a stub"
            in r.stderr)
    assert r.stderr.splitlines()[-1] == (
        f"bkport: error: {ws[0] / 'missing.c'}: cannot be linked for {BOARD}: 1 undefined symbol "
        "(see above; -v or BKPORT_DEBUG=1 shows the linker output)")
    assert "rust-lld" not in r.stderr and "-Bstatic" not in r.stderr
    assert "bkport: compiling 1 C file" in r.stderr and "bkport: linking" in r.stderr
    # Nothing written beside the sources, nor into the package's own trees.
    assert sorted(p.name for p in ws[0].iterdir()) == ["big.c", "fault.c", "missing.c", "quiet.c"]
    assert (Path(ws[1]["BKPORT_WORK"]) / "app" / BOARD).is_dir()
    for t, files in before.items():
        assert _tree(source(t)) - files == set(), f"the build wrote into {t}/"

    v = bkport(ws, "build", "--board", BOARD, "missing.c", "-o", "missing.elf", "-v")
    assert v.returncode == 4
    assert "rust-lld: error: undefined symbol: tcgetpgrp" in v.stderr


def test_fault_names_the_function_and_line(ws):
    assert bkport(ws, "build", "--board", BOARD, "fault.c", "-o", "fault.elf").returncode == 0
    r = bkport(ws, "run", "--board", BOARD, "fault.elf")
    assert r.returncode == 125, r.stderr
    assert r.stdout == "about to fault\n"
    assert "[bkport-kernel] FAULT in app thread" in r.stderr
    line = next(s for s in r.stderr.splitlines() if s.startswith("bkport run: mepc="))
    assert " is in poke+0x" in line and line.endswith("(fault.c:5)"), r.stderr


def test_ten_mib_of_output_arrive_whole(ws):
    assert bkport(ws, "build", "--board", BOARD, "big.c", "-o", "big.elf").returncode == 0
    start = time.monotonic()
    r = bkport(ws, "run", "--board", BOARD, "--timeout", "10", "big.elf", text=False)
    assert r.returncode == 0, r.stderr[-2000:]
    assert len(r.stdout) == 160 * 65536
    assert r.stdout == b"".join(bytes([97 + i % 26]) * 65536 for i in range(160))
    assert time.monotonic() - start < 60


def test_a_silent_run_times_out_and_says_what_was_delivered(ws):
    assert bkport(ws, "build", "--board", BOARD, "quiet.c", "-o", "quiet.elf").returncode == 0
    r = bkport(ws, "run", "--board", BOARD, "--timeout", "2", "quiet.elf")
    assert r.returncode == 124
    assert r.stdout == "partial"
    last = r.stderr.splitlines()[-1]
    assert last.startswith("bkport run: timeout after ")
    assert last.endswith("(no output for 2 s); output cut: 7 bytes of stdout and 0 of stderr "
                         "delivered (status 124)")
    m = bkport(ws, "run", "--board", BOARD, "--timeout", "20", "--max-time", "2", "quiet.elf")
    assert m.returncode == 124
    assert "(the run took longer than 2 s); output cut: 7 bytes" in m.stderr


def test_help_has_examples_and_exit_statuses(ws):
    k = bkport(ws, "kernel", "build", "--help")
    assert "Examples:" in k.stdout and "bkport kernel build --board qemu_riscv64" in k.stdout
    assert "4  link failed: undefined symbols" in k.stdout
    b = bkport(ws, "build", "--help")
    assert "4  link failed: undefined symbols" in b.stdout
    r = bkport(ws, "run", "--help")
    assert "--max-time" in r.stdout and "2      bad input" in r.stdout

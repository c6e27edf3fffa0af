"""Issue 16, defect 6: `--target BOARD` compiles against the board's own headers (the layer's
over picolibc) and reports the header, macro, type and functions missing there, each at its
file:line; without --target none of them is reported. fixtures/target_missing/main.c compiles
on Linux; on the boards sys/epoll.h, O_PATH, cpu_set_t (and CPU_ZERO), epoll_create1 and
memfd_create are missing (checked by compiling it for the board)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bkport.analyze.pipeline import Options, analyze

FIXTURE = Path(__file__).parent / "fixtures" / "target_missing"
BOARD = "qemu_riscv64"
EXPECTED = {  # (kind, name) -> line of main.c
    ("header", "sys/epoll.h"): 7,
    ("type", "cpu_set_t"): 12,
    ("macro", "O_PATH"): 13,
    ("function", "epoll_create1"): 14,
    ("function", "memfd_create"): 15,
    ("macro", "CPU_ZERO"): 17,
}
KEYS = {"header:sys/epoll.h", "type:cpu_set_t", "O_PATH", "epoll_create1", "memfd_create",
        "CPU_ZERO"}


@pytest.fixture()
def tree(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("clang") is None:
        pytest.fail("clang is not installed: run scripts/setup.sh")
    src = tmp_path / "target_missing"
    shutil.copytree(FIXTURE, src)
    db = tmp_path / "compile_commands.json"
    db.write_text(json.dumps([{"directory": str(src), "file": "main.c",
                               "arguments": ["cc", "-O2", "-c", "main.c"]}]))
    return src, db


def test_missing_on_the_board_with_file_and_line(tree: tuple[Path, Path],
                                                 cache_env: Path) -> None:
    src, db = tree
    main = str(src / "main.c")
    doc = analyze(src, Options(jobs=1, compdb=db, target=BOARD))
    assert doc["target"]["board"] == BOARD
    got = {(f["kind"], f["name"]): (f["file"], f["line"]) for f in doc["target"]["findings"]}
    assert got == {k: (main, line) for k, line in EXPECTED.items()}  # no cascade errors
    apis = {a["key"]: a for a in doc["apis"]}
    for key in KEYS:
        assert apis[key]["status"] in ("unsupported", "linux-only", "unknown"), key
        assert apis[key]["targets"] == [main]
        assert BOARD in apis[key]["note"]
    assert KEYS <= set(doc["matrix"][main])
    found = {(f["api"], f["line"]) for f in doc["findings"] if f.get("target") == BOARD}
    assert ("sys/epoll.h", 7) in found and ("O_PATH", 13) in found
    assert apis["printf"]["status"] == "supported"  # what the board has stays as it was


def test_not_reported_without_target(tree: tuple[Path, Path], cache_env: Path) -> None:
    src, db = tree
    doc = analyze(src, Options(jobs=1, compdb=db))
    assert "target" not in doc
    apis = {a["key"]: a for a in doc["apis"]}
    assert "O_PATH" not in apis  # the host's fcntl.h has it
    assert apis["header:sys/epoll.h"]["status"] == "info"
    assert apis["type:cpu_set_t"]["status"] == "info"
    assert not any(BOARD in (a["note"] or "") for a in apis.values())
    assert not any("target" in f for f in doc["findings"])


def test_unknown_board_is_refused(tmp_path: Path) -> None:
    env = {**os.environ, "BKPORT_CACHE": str(tmp_path / "c")}
    r = subprocess.run([sys.executable, "-m", "bkport.cli", "analyze", str(tmp_path),
                        "--target", "no_such_board"], capture_output=True, text=True, env=env)
    assert r.returncode == 2
    assert "--target" in r.stderr and "qemu_riscv64" in r.stderr


def test_a_flag_the_board_compiler_refuses_is_an_error(tree: tuple[Path, Path],
                                                        tmp_path: Path) -> None:
    """A driver error (no file:line: nothing the code lacks) is said, not taken for a clean
    compile."""
    from bkport.analyze.compdb import CompileCommand
    from bkport.analyze.target import TargetError, check_unit

    src, _ = tree
    cmd = CompileCommand(str(src / "main.c"), str(src), ("-std=no-such-standard",))
    with pytest.raises(TargetError, match=r"main\.c: compiling it for the board failed: .*"
                                          r"no-such-standard"):
        check_unit(shutil.which("clang") or "clang", cmd, [], tmp_path / "stubs")

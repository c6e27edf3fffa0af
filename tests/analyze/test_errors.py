"""Never silent: bad input fails loudly with a located message and a non-zero exit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bkport.analyze import compdb
from bkport.errors import InputError

from .conftest import write_project

FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("invalid_*.json"))
EXPECT = {
    "invalid_empty.json": "compile database is empty",
    "invalid_truncated.json": "not valid JSON",
    "invalid_not_array.json": "JSON array",
    "invalid_no_command.json": "needs 'arguments' or 'command'",
    "invalid_no_directory.json": "needs 'file' and 'directory'",
}


def bkport(*args: str, cache: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, BKPORT_CACHE=str(cache))
    return subprocess.run([sys.executable, "-m", "bkport.cli", *args], capture_output=True,
                          text=True, env=env)


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_invalid_databases(path: Path) -> None:
    with pytest.raises(InputError) as e:
        compdb.load(path)
    msg = str(e.value)
    assert str(path) in msg and EXPECT[path.name] in msg


def test_truncated_database_is_located() -> None:
    with pytest.raises(InputError) as e:
        compdb.load(Path(__file__).parent / "fixtures" / "invalid_truncated.json")
    assert "invalid_truncated.json:3:" in str(e.value)


def test_missing_directory_exits_1(tmp_path: Path) -> None:
    r = bkport("analyze", str(tmp_path / "nope"), cache=tmp_path / "c")
    assert r.returncode == 1
    assert "source directory not found" in r.stderr


def test_empty_database_exits_1(tmp_path: Path) -> None:
    (tmp_path / "compile_commands.json").write_text("[]")
    r = bkport("analyze", str(tmp_path), cache=tmp_path / "c")
    assert r.returncode == 1 and "compile database is empty" in r.stderr


def test_nothing_parses_exits_1(tmp_path: Path) -> None:
    (tmp_path / "bad.c").write_text("this is not C @@@\n")
    db = [{"directory": str(tmp_path), "file": "bad.c", "arguments": ["cc", "-c", "bad.c"]}]
    (tmp_path / "compile_commands.json").write_text(json.dumps(db))
    r = bkport("analyze", str(tmp_path), cache=tmp_path / "c")
    assert r.returncode == 1 and "no translation unit parsed cleanly" in r.stderr


def test_some_units_broken_is_partial_exit_2(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p")
    (root / "util.c").write_text("int helper(int x) { return undeclared_thing + x; }\n")
    r = bkport("analyze", str(root), "--format", "json", cache=tmp_path / "c")
    assert r.returncode == 2, r.stderr
    assert "partial results" in r.stderr
    doc = json.loads(r.stdout)
    assert doc["partial"] is True
    assert [e["file"] for e in doc["units"]["with_errors"]] == [str(root / "util.c")]
    r = bkport("analyze", str(root), "--allow-partial", cache=tmp_path / "c")
    assert r.returncode == 0 and "PARTIAL RESULTS" in r.stdout


def test_missing_sources_are_reported_as_skipped(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p")
    db = json.loads((root / "compile_commands.json").read_text())
    db.append({"directory": str(root), "file": "gone.c", "arguments": ["cc", "-c", "gone.c"]})
    db.append({"directory": str(root), "file": "start.S", "arguments": ["cc", "-c", "start.S"]})
    (root / "compile_commands.json").write_text(json.dumps(db))
    r = bkport("analyze", str(root), "--format", "json", cache=tmp_path / "c")
    assert r.returncode == 0, r.stderr
    skipped = json.loads(r.stdout)["units"]["skipped"]
    assert any("gone.c: source file does not exist" in s for s in skipped)
    assert any("start.S: not a C/C++ source" in s for s in skipped)

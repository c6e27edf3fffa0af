"""The lock refuses renumbering, reuse and removal; retiring keeps the number."""

import re
import shutil
from pathlib import Path

import pytest
from bkport.cli import cli
from bkport.errors import InputError
from bkport.syscalls.loader import load_table
from bkport.syscalls.lock import read_lock
from click.testing import CliRunner

MINI = """\
abi blueos 1;
syscall 0 Nop nop() -> long { status full; doc "zero"; }
syscall 1 Echo echo(val: long) -> long { status full; doc "one"; }
syscall 2 Thing thing(a: int) -> int { status full; doc "two"; }
"""
LOCK = """\
0 Nop nop r1
1 Echo echo r1
2 Thing thing r1
"""


def setup(tmp_path: Path, table: str, lock: str = LOCK) -> tuple[Path, Path]:
    (tmp_path / "t.bksys").write_text(table)
    (tmp_path / "abi.lock").write_text(lock)
    return tmp_path / "t.bksys", tmp_path / "abi.lock"


def problems(tmp_path, table) -> str:
    t, lock = setup(tmp_path, table)
    with pytest.raises(InputError) as exc:
        load_table(t, lock)
    return str(exc.value)


def test_locked_table_loads(tmp_path):
    t, lock = setup(tmp_path, MINI)
    assert load_table(t, lock).count == 3


def test_renumbering_is_refused(tmp_path):
    table = MINI.replace("syscall 1 Echo", "syscall 9 Echo").replace("syscall 2 Thing",
                                                                      "syscall 1 Thing")
    msg = problems(tmp_path, table.replace("syscall 9 Echo", "syscall 2 Echo"))
    assert "Echo is locked at number 1" in msg
    assert re.search(r"t\.bksys:\d+:\d+: ", msg)


def test_reusing_a_number_is_refused(tmp_path):
    msg = problems(tmp_path, MINI.replace("syscall 2 Thing thing", "syscall 2 Other other"))
    assert "number 2 is locked to Thing" in msg and "reusing it for Other is refused" in msg


def test_removal_is_refused_and_tombstone_accepted(tmp_path):
    removed = "\n".join(MINI.splitlines()[:3]) + "\n"
    assert "removed from the table" in problems(tmp_path, removed)
    tomb = MINI.replace('syscall 2 Thing thing(a: int) -> int { status full; doc "two"; }',
                        'syscall 2 Thing thing(a: int) -> int { status retired; doc "gone"; }')
    t, lock = setup(tmp_path, tomb)
    assert load_table(t, lock).by_name("Thing").status.kind.value == "retired"


def test_released_call_cannot_go_back_to_proposed(tmp_path):
    msg = problems(tmp_path, MINI.replace('{ status full; doc "two"; }',
                                          '{ status proposed; doc "two"; }'))
    assert "cannot go back to 'proposed'" in msg


def test_lock_command_appends_only_released_calls(tmp_path):
    table = MINI + ('syscall 3 New new() -> long { status full; doc "three"; }\n'
                    'syscall 4 Later later() -> long { status proposed; doc "four"; }\n')
    t, lock = setup(tmp_path, table)
    before = lock.read_text()
    result = CliRunner().invoke(cli, ["syscalls", "lock", "--table", str(t), "--lock", str(lock),
                                      "--release", "0.2.0"])
    assert result.exit_code == 0, result.output
    entries = read_lock(lock)
    assert [(e.number, e.variant, e.release) for e in entries][-1] == (3, "New", "0.2.0")
    assert all(e.variant != "Later" for e in entries)
    # Append-only: every old line is still there, in order.
    old = [line.split() for line in before.splitlines()]
    assert [[str(e.number), e.variant, e.name, e.release] for e in entries][:3] == old


def test_repository_lock_matches_upstream_numbers(repo):
    entries = read_lock(repo / "syscalls" / "abi.lock")
    assert len(entries) == 70
    assert (entries[11].number, entries[11].variant) == (11, "Write")
    assert (entries[69].number, entries[69].variant) == (69, "TimerGetOverrun")


def test_bad_lock_line_is_located(tmp_path):
    t, lock = setup(tmp_path, MINI, LOCK + "three Thing\n")
    with pytest.raises(InputError) as exc:
        load_table(t, lock)
    assert "abi.lock:4:1: expected 'NUMBER VARIANT NAME RELEASE'" in str(exc.value)


def test_copy_of_real_table_detects_renumbering(tmp_path, repo):
    tables = tmp_path / "table"
    shutil.copytree(repo / "syscalls" / "table", tables)
    src = tables / "blueos.bksys"
    text = src.read_text().replace("syscall 12 Close close", "syscall 12 Close2 close")
    src.write_text(text)
    with pytest.raises(InputError) as exc:
        load_table(tables, repo / "syscalls" / "abi.lock")
    assert "number 12 is locked to Close" in str(exc.value)

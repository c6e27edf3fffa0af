"""One workspace per command: each model loaded once, and `bkport --table` reaching every user of
the syscall table."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bkport import workspace
from bkport.cli import cli
from bkport.syscalls import loader
from bkport.workspace import Workspace, current, using
from click.testing import CliRunner

EXTRA = """
syscall {n} Frobnicate frobnicate(fd: int) -> int {{
    status proposed;
    errors EBADF;
    doc "A call only this table has.";
}}
"""


@pytest.fixture()
def own_table(tmp_path: Path) -> Path:
    table = tmp_path / "table"
    shutil.copytree(loader.default_table_dir(), table)
    n = current().table.count
    with (table / "bkport.bksys").open("a") as f:
        f.write(EXTRA.format(n=n))
    return table


def test_the_table_is_parsed_once_per_workspace(monkeypatch, own_table: Path) -> None:
    calls = []
    real = loader.parse_all
    monkeypatch.setattr(loader, "parse_all", lambda p: calls.append(p) or real(p))
    from bkport.kernel import build as kbuild
    from bkport.report.collect import syscalls

    with using(Workspace(own_table)) as ws, pytest.MonkeyPatch.context():
        kbuild.generate("riscv64", own_table.parent / "gen")
        report = syscalls()
        assert ws.table is current().table
    assert calls == [own_table]
    assert "Frobnicate" in report["calls"]
    rendered = "".join(p.read_text() for p in (own_table.parent / "gen").rglob("*")
                       if p.is_file())
    assert "frobnicate" in rendered


def test_outside_a_command_the_default_workspace_is_shared() -> None:
    assert current() is current()
    assert current().is_default
    assert "Frobnicate" not in {c.variant for c in current().table.calls}


def test_the_global_table_option_reaches_subcommands(own_table: Path) -> None:
    r = CliRunner().invoke(cli, ["--table", str(own_table), "syscalls", "list"])
    assert r.exit_code == 0, r.output
    assert "Frobnicate" in r.output
    r = CliRunner().invoke(cli, ["syscalls", "list"])
    assert "Frobnicate" not in r.output
    # the command's workspace is gone once the command ends
    assert not any(w.table_path == own_table for w in workspace._current)


def test_shim_proposals_are_checked_without_reading_the_table_again(monkeypatch) -> None:
    from bkport.shim.generate import plan

    ws = current()
    _ = ws.table_files, ws.table, ws.spec
    monkeypatch.setattr(loader, "table_files", lambda p: pytest.fail("table read again"))
    # dup's catalog strategy is "kernel": a proposed syscall, checked with the table's files
    analysis = {"profile": "bkport", "apis": [{
        "api": "dup", "status": "unsupported", "kinds": ["call"], "header": "unistd.h",
        "note": None, "provider": None, "option_group": None, "pse": [], "action": "stub",
        "advice": "", "call_sites": 1, "dead_sites": 0, "symbols": [], "via": [], "targets": [],
        "targets_blocked": 0, "key": "dup"}]}
    result = plan(analysis, ws.spec, ws.table, ws.table_files, "a.json")
    assert [c.number for c in result.proposed] == [ws.table.count]
    assert "table/proposed.bksys" in result.files

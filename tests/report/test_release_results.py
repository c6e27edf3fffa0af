"""`bkport report-results`: the steps it plans, CI's files taken as done, the per-board merge,
a step that writes nothing, and one real step on QEMU."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from bkport.cli import cli
from bkport.report import results as rr
from bkport.toolchain.targets import BOARDS
from click.testing import CliRunner

DATA = Path(__file__).parent / "data" / "rc1-riscv64"


def run(*args: str):
    return CliRunner().invoke(cli, ["report-results", *args])


def test_every_app_with_tests_is_planned_on_every_board(tmp_path):
    apps = rr.apps_with_tests()
    assert {"busybox", "zlib", "lua", "sqlite", "pcre2", "expat"} <= set(apps)
    r = run("--out", str(tmp_path / "r"), "--dry-run")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert len(lines) == len(BOARDS) * (1 + len(apps))  # per board: conformance, each app
    assert lines[0].startswith("[1/") and "bkport build --board qemu_mps2_an385 --conformance" \
        in lines[0]
    assert any("bkport validate" in ln and "apps/busybox --board qemu_riscv64 --tier quick"
               in ln for ln in lines)
    assert not (tmp_path / "r" / ".work").exists()  # a dry run writes nothing but the folder


def test_unknown_app_is_a_usage_error(tmp_path):
    r = run("--out", str(tmp_path), "--app", "nosuch")
    assert r.exit_code == 2
    assert "nosuch: no such app with a [test] table" in r.output and "zlib" in r.output


def _ci_build(root: Path, repo: Path) -> Path:
    """A build/ folder as CI leaves it: tests/conformance's, tests/apps' per-board and
    tests/busybox's all-boards files."""
    build = root / "build"
    (build / "conformance").mkdir(parents=True)
    shutil.copy(DATA / "conformance-qemu_riscv64.json", build / "conformance")
    old = json.loads((repo / "docs/compliance/0.1.0/results/conformance-qemu_mps2_an385.json")
                     .read_text())
    (build / "conformance" / "conformance-qemu_mps2_an385.json").write_text(json.dumps(old))
    (build / "validate" / "apps" / "qemu_riscv64").mkdir(parents=True)
    shutil.copy(DATA / "app-zlib.json", build / "validate" / "apps" / "qemu_riscv64")
    shutil.copy(repo / "docs/compliance/0.1.0/results/app-busybox.json", build / "validate")
    return build


def test_ci_files_are_taken_and_merged(tmp_path, repo):
    build = _ci_build(tmp_path, repo)
    out = tmp_path / "results"
    r = run("--out", str(out), "--from-ci", str(build), "--board", "qemu_riscv64",
            "--app", "zlib", "--app", "busybox")
    assert r.exit_code == 0, r.output
    assert r.output.count("from CI:") == 3 and r.output.count("done already") == 3
    assert sorted(p.name for p in out.glob("*.json")) == [
        "app-busybox.json", "app-zlib.json", "conformance-qemu_riscv64.json"]
    busybox = json.loads((out / "app-busybox.json").read_text())
    assert list(busybox["boards"]) == ["qemu_riscv64"]  # CI's file had three boards
    zlib = json.loads((out / "app-zlib.json").read_text())
    assert zlib["boards"] == json.loads((DATA / "app-zlib.json").read_text())["boards"]
    assert zlib["generator"].startswith("bkport report-results")
    # CI's qemu_mps2_an385 conformance file has schema /1 (no per-check results): not taken
    steps = rr.plan(("qemu_mps2_an385",), (), True)
    assert rr.import_ci(build, out, steps) == []
    # and the folder is what `bkport report` reads
    rep = CliRunner().invoke(cli, ["report", "--release", "0.2.0-rc1", "--results", str(out),
                                   "--out", str(tmp_path / "c")])
    assert rep.exit_code == 0, rep.output


def test_boards_merge_into_one_file_per_app(tmp_path):
    out = tmp_path / "r"
    doc = json.loads((DATA / "app-zlib.json").read_text())
    for board in ("qemu_riscv64", "qemu_virt64_aarch64"):
        part = rr.Step("app", board, "zlib").part(out)
        part.parent.mkdir(parents=True)
        one = {k: ({board: v["qemu_riscv64"]} if k in rr.PER_BOARD else v)
               for k, v in doc.items()}
        part.write_text(json.dumps(one))
    rr.merge(out, rr.plan(("qemu_riscv64", "qemu_virt64_aarch64"), ("zlib",), False))
    merged = json.loads((out / "app-zlib.json").read_text())
    for key in rr.PER_BOARD:
        assert list(merged[key]) == ["qemu_riscv64", "qemu_virt64_aarch64"], key


def test_a_step_that_writes_nothing_fails_naming_its_log(tmp_path, monkeypatch):
    monkeypatch.setattr(rr, "_bkport", lambda: ["false"])
    out = tmp_path / "r"
    r = run("--out", str(out), "--board", "qemu_riscv64", "--app", "none")
    assert r.exit_code == 1
    log = out / ".work" / "logs" / "conformance-qemu_riscv64.log"
    assert "FAILED: exit 1, no results" in r.output
    assert f"1 step(s) wrote no results: conformance on qemu_riscv64 (exit 1; log: {log})" \
        in str(r.exception)
    assert log.read_text().startswith("$ bkport build --board qemu_riscv64 --conformance")


@pytest.mark.qemu
@pytest.mark.toolchain
@pytest.mark.debian
def test_a_real_step_runs_and_resumes(tmp_path):
    out = tmp_path / "r"
    args = ("--out", str(out), "--board", "qemu_riscv64", "--app", "zlib", "--no-conformance")
    first = run(*args)
    assert first.exit_code == 0, first.output
    zlib = json.loads((out / "app-zlib.json").read_text())
    verdicts = zlib["boards"]["qemu_riscv64"]
    assert verdicts["minigzip-hello"] == "PASS" and "UNTESTED" in verdicts.values()  # quick
    again = run(*args)
    assert again.exit_code == 0 and "done already" in again.output

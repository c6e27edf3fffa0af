"""`bkport validate` as a porter calls it, on a few applets of one board."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

pytestmark = [pytest.mark.busybox, pytest.mark.qemu, pytest.mark.toolchain]


def test_validate_writes_results_table_and_exit_status(tmp_path):
    results, docs = tmp_path / "results", tmp_path / "busybox.md"
    p = subprocess.run([sys.executable, "-m", "bkport.cli", "validate", "--board", "qemu_riscv64",
                        "--applets", "echo,wc,md5sum", "--tier", "quick", "--out",
                        str(tmp_path / "work"), "--results", str(results), "--docs", str(docs)],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("qemu_riscv64: ")
    assert " echo " in p.stderr and "pass" in p.stderr  # progress, one line per applet
    board = json.loads((tmp_path / "work" / "busybox-qemu_riscv64.json").read_text())
    assert board["schema"] == "bkport.validate-busybox/1" and board["tier"] == "quick"
    by = {a["applet"]: a for a in board["applets"]}
    assert by["echo"]["pass"] >= 10 and by["echo"]["fail"] == 0
    assert by["wc"]["pass"] >= 5
    # The slow md5sum script is left out by the quick tier, and says so.
    (case,) = by["md5sum"]["cases"]
    assert case["verdict"] == "SKIPPED" and "quick tier" in case["reason"]
    app = json.loads((results / "app-busybox.json").read_text())
    assert app["schema"] == "bkport.app-results/1"
    assert app["boards"]["qemu_riscv64"]["echo/echo-prints-argument"] == "PASS"
    md = docs.read_text()
    assert re.search(r"^\| `echo` \| \d+/\d+ \|$", md, re.M), md
    assert "quick tier" in md


def test_validate_rejects_an_app_without_a_recipe(tmp_path):
    p = subprocess.run([sys.executable, "-m", "bkport.cli", "validate", str(tmp_path)],
                       capture_output=True, text=True)
    assert p.returncode == 2
    assert "no app.toml" in p.stderr

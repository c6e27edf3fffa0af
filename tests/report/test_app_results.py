"""Application results in the report: summed per applet, and only what did not pass listed."""

import json

from bkport.cli import cli
from click.testing import CliRunner


def test_app_results_are_summed_per_applet_and_failures_listed(tmp_path):
    results = tmp_path / "results"
    results.mkdir()
    boards = {
        "qemu_riscv64": {"sed/sed n": "PASS", "sed/sed a": "FAIL", "cat/cat-prints": "PASS",
                         "cat/cat -v": "UNTESTED"},
        "qemu_mps2_an385": {"sed/sed n": "PASS", "sed/sed a": "PASS", "cat/cat-prints": "PASS",
                            "cat/cat -v": "UNTESTED"},
    }
    (results / "app-busybox.json").write_text(json.dumps(
        {"schema": "bkport.app-results/1", "app": "busybox", "boards": boards}))
    out = tmp_path / "c"
    r = CliRunner().invoke(cli, ["report", "--release", "9.9.9", "--out", str(out),
                                 "--results", str(results)])
    assert r.exit_code == 0, r.output
    md = (out / "9.9.9" / "report.md").read_text()
    assert "| sed | 1/2 | 2/2 |" in md
    assert "| cat | 1/1 | 1/1 |" in md
    assert "| sed/sed a | FAIL | PASS |" in md
    assert "sed/sed n |" not in md  # passed everywhere: only in the summary
    html = (out / "9.9.9" / "report.html").read_text()
    assert "<td>sed</td><td>1/2</td><td>2/2</td>" in html
    data = json.loads((out / "9.9.9" / "report.json").read_text())
    assert data["apps"]["busybox"]["boards"]["qemu_riscv64"]["sed/sed a"] == "FAIL"

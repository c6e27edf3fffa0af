"""Per-check conformance results: interface tags, expected failures, and the report's table of
checks per interface per board."""

from bkport.appbuild import conformance
from bkport.cli import cli
from click.testing import CliRunner

OUT = ("ok 1 - fopen: opens\n"
       "not ok 2 - fdopen: bad descriptor: EBADF (/x/stdio_ops.c:9: r; errno 0 Success)\n"
       "not ok 3 - fputs: writes (/x/stdio_ops.c:10: r; errno 0 Success)\n"
       "ok 4 - an untagged check\n1..4\n")
KNOWN = {"fdopen: bad descriptor: EBADF": "gap"}


def test_expected_failures_decide_the_verdict():
    p, f = conformance.parse(OUT)
    assert f == ["fdopen: bad descriptor: EBADF", "fputs: writes"]
    r = conformance.ProgramResult("stdio_ops", "exit", 2, p, f, OUT, KNOWN)
    assert r.unexpected_failures == ["fputs: writes"] and not r.ok
    only_known = OUT.replace("not ok 3", "ok 3")
    r = conformance.ProgramResult("stdio_ops", "exit", 1, *conformance.parse(only_known),
                                  only_known, KNOWN)
    assert r.ok
    passing = OUT.replace("not ok 2 - fdopen: bad descriptor: EBADF (/x/stdio_ops.c:9: r; errno 0 "
                          "Success)", "ok 2 - fdopen: bad descriptor: EBADF")
    p, f = conformance.parse(passing)
    r = conformance.ProgramResult("stdio_ops", "exit", 1, p, f, passing, KNOWN)
    assert r.unexpected_passes == ["fdopen: bad descriptor: EBADF"] and not r.ok
    assert [c["result"] for c in r.checks()] == ["pass", "xpass", "fail", "pass"]


def test_expected_failures_file_parses():
    rows = conformance.expected_failures()
    assert rows and all(conformance.interface_of(e.check) for e in rows if "*" not in e.check)
    assert len({(e.program, e.check, e.boards) for e in rows}) == len(rows), "listed twice"


def test_report_shows_checks_per_interface_per_board(tmp_path):
    r = conformance.ProgramResult("stdio_ops", "exit", 2, *conformance.parse(OUT), OUT, KNOWN)
    conformance.save("qemu_riscv64", [r], tmp_path)
    res = CliRunner().invoke(cli, ["report", "--release", "9.9.9", "--results", str(tmp_path),
                                   "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    md = (tmp_path / "out" / "9.9.9" / "report.md").read_text()
    assert "| fdopen | 0/1 (1 known gap) |" in md
    assert "| fputs | 0/1 (1 FAIL) |" in md
    assert "| stdio_ops (untagged) | 1/1 |" in md
    assert "4 checks on qemu_riscv64" in md
    html = (tmp_path / "out" / "9.9.9" / "report.html").read_text()
    assert "2/4 interfaces pass every check, 1 with known gaps only, 1 failing; 4 checks" in html

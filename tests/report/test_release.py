"""Release-to-release comparison on real-shaped results (tests/report/data/rc1-riscv64: a subset
of the conformance run and the zlib quick tier of qemu_riscv64, see its README): per-interface
conformance changes, boards not run, inputs that changed, and the headline figures."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
from bkport.cli import cli
from bkport.errors import InputError
from bkport.report.collect import collect
from bkport.report.compare import apply_waivers, diff, read_waivers, unwaived
from bkport.report.inputs import read_declared
from click.testing import CliRunner

DATA = Path(__file__).parent / "data" / "rc1-riscv64"
LIBRS = "porter/blueos/data/librs-functions.tsv"


@pytest.fixture(scope="module")
def cur():
    return collect("0.2.0-rc1", DATA)


def kinds(prev, cur, **kw):
    return {c.id: c for c in diff(prev, cur, **kw)}


def test_fixture_is_what_the_report_reads(cur):
    b = cur["conformance"]["boards"]["qemu_riscv64"]
    assert b["ran"] and b["checks"] == 288 and set(b["tests"]) == {
        "pipe_dup", "spawn", "stdio_ops", "time_fmt"}
    assert b["interfaces"]["fdopen"] == {"pass": 1, "fail": 0, "xfail": 2, "xpass": 0}
    assert not cur["conformance"]["boards"]["qemu_mps2_an385"]["ran"]
    assert cur["apps"]["zlib"]["boards"]["qemu_riscv64"]["gzip-64K-9"] == "PASS"


def test_per_interface_changes(cur):
    prev = copy.deepcopy(cur)
    per = prev["conformance"]["boards"]["qemu_riscv64"]["interfaces"]
    per["fopen"] = {"pass": 11, "fail": 0, "xfail": 0, "xpass": 0}  # a check passed then
    per["fdopen"] = {"pass": 0, "fail": 1, "xfail": 2, "xpass": 0}  # one failed then
    per["pipe"]["xfail"] += 1  # only a known gap more then: neither better nor worse
    per["gone_since"] = {"pass": 3, "fail": 0, "xfail": 0, "xpass": 0}
    del per["posix_spawn"]  # new since
    got = kinds(prev, cur)
    fopen = got["conformance/qemu_riscv64/interface/fopen"]
    assert (fopen.kind, fopen.before, fopen.after) == (
        "regressed", "11/11 pass", "10/11 pass (1 xfail)")
    assert got["conformance/qemu_riscv64/interface/fdopen"].kind == "improved"
    assert got["conformance/qemu_riscv64/interface/pipe"].kind == "changed"
    assert got["conformance/qemu_riscv64/interface/gone_since"].kind == "regressed"
    assert got["conformance/qemu_riscv64/interface/posix_spawn"].kind == "added"
    assert len([i for i in got if "/interface/" in i]) == 5  # the other 95 did not change


def test_previous_without_per_check_results_says_so(cur):
    prev = copy.deepcopy(cur)
    del prev["conformance"]["boards"]["qemu_riscv64"]["interfaces"]
    notes: list[str] = []
    assert not [c for c in diff(prev, cur, notes=notes) if "/interface/" in c.id]
    assert any("no per-check results" in n for n in notes)


def test_a_board_not_run_is_one_blocking_line(cur):
    prev = copy.deepcopy(cur)
    for board in ("qemu_mps2_an385", "qemu_virt64_aarch64"):  # ran before, not now
        prev["conformance"]["boards"][board] = copy.deepcopy(
            cur["conformance"]["boards"]["qemu_riscv64"])
    prev["apps"]["zlib"]["boards"]["qemu_mps2_an385"] = {"example": "PASS", "gzip-1K-6": "FAIL"}
    changes = diff(prev, cur)
    assert [c.id for c in changes if "qemu_mps2_an385" in c.id or "aarch64" in c.id] == [
        "conformance/qemu_mps2_an385", "conformance/qemu_virt64_aarch64",
        "app/zlib/qemu_mps2_an385"]
    assert {c.kind for c in changes} == {"not-run"}
    assert changes[0].before == "4 tests" and changes[0].after == "not run"
    waived = apply_waivers(changes, {"conformance/qemu_mps2_an385": "board retired"})
    assert [c.id for c in unwaived(waived)] == ["conformance/qemu_virt64_aarch64",
                                                "app/zlib/qemu_mps2_an385"]
    # The other way round, a board run for the first time is one line too, not a list of tests.
    back = diff(cur, prev)
    assert [(c.id, c.kind) for c in back if "mps2" in c.id] == [
        ("conformance/qemu_mps2_an385", "added"), ("app/zlib/qemu_mps2_an385", "added")]


def _blueos_flip(cur):
    """A previous report where one interface the blueos profile supports now was missing."""
    prev = copy.deepcopy(cur)
    name = next(n for n, s in cur["interfaces"].items() if s["blueos"] == "supported")
    prev["interfaces"][name]["blueos"] = "missing"
    worse = next(n for n, s in cur["interfaces"].items() if s["blueos"] == "missing")
    prev["interfaces"][worse]["blueos"] = "supported"
    return prev, name, worse


def test_blueos_changes_from_a_changed_input_are_input_changed(cur):
    prev, better, worse = _blueos_flip(cur)
    prev["inputs"][LIBRS] = dict(prev["inputs"][LIBRS], sha256="0" * 64, rows=354)
    got = kinds(prev, cur)
    c = got[f"interface/blueos/{worse}"]
    assert c.kind == "input-changed" and c.before == "supported" and c.after == "missing"
    rows = cur["inputs"][LIBRS]["rows"]
    assert c.reason == (f"{LIBRS}: sha256 000000000000 (354 rows) -> sha256 "
                        f"{cur['inputs'][LIBRS]['sha256'][:12]} ({rows} rows)")
    assert got[f"interface/blueos/{better}"].kind == "input-changed"
    assert not unwaived(list(got.values()))


def test_blueos_changes_without_an_input_change_are_regressions(cur):
    prev, better, worse = _blueos_flip(cur)
    got = kinds(prev, cur)
    assert got[f"interface/blueos/{worse}"].kind == "regressed"
    assert got[f"interface/blueos/{better}"].kind == "improved"
    # a changed blueos input does not excuse the bkport profile
    prev["inputs"][LIBRS] = dict(prev["inputs"][LIBRS], sha256="0" * 64)
    name = next(n for n, s in cur["interfaces"].items() if s["bkport"] == "missing")
    prev["interfaces"][name]["bkport"] = "supported"
    assert kinds(prev, cur)[f"interface/bkport/{name}"].kind == "regressed"


def test_previous_report_without_inputs_uses_the_declared_digest(cur, tmp_path):
    prev, _, worse = _blueos_flip(cur)
    del prev["inputs"]
    notes: list[str] = []
    assert kinds(prev, cur, notes=notes)[f"interface/blueos/{worse}"].kind == "regressed"
    assert any("recorded no digest of 7 input(s)" in n for n in notes)
    f = tmp_path / "inputs.tsv"
    f.write_text("# release\tinput\tsha256\treason\n"
                 f"0.2.0-rc1\t{LIBRS}\t-\tlibrs's exports came from a hand-made list\n")
    c = kinds(prev, cur, declared=read_declared(f))[f"interface/blueos/{worse}"]
    assert c.kind == "input-changed"
    assert c.reason.startswith(f"{LIBRS}: absent (inputs.tsv: librs's exports came from")
    # the declared digest equal to today's: no input changed, the regression stands
    f.write_text(f"0.2.0-rc1\t{LIBRS}\t{cur['inputs'][LIBRS]['sha256']}\tunchanged\n")
    assert kinds(prev, cur, declared=read_declared(f))[f"interface/blueos/{worse}"].kind \
        == "regressed"


@pytest.mark.parametrize("line, where, what", [
    (f"0.1.0\t{LIBRS}\t-\n", ":2:1:", "needs a reason"),
    ("0.1.0\tposix/layer/x.c\t-\twhy\n", ":2:7:", "not an input"),
    (f"0.1.0\t{LIBRS}\tabc\twhy\n", ":2:46:", "64 lowercase hex"),
])
def test_inputs_file_errors_are_located(tmp_path, line, where, what):
    f = tmp_path / "inputs.tsv"
    f.write_text("# comment\n" + line)
    with pytest.raises(InputError) as e:
        read_declared(f)
    assert f"inputs.tsv{where}" in str(e.value) and what in str(e.value)


def test_report_records_its_inputs(cur, repo):
    rec = cur["inputs"][LIBRS]
    assert rec["profile"] == "blueos" and rec["source"].startswith("vivoblueos/librs, commit")
    lines = (repo / LIBRS).read_text().splitlines()
    assert rec["rows"] == len([ln for ln in lines if ln and not ln.startswith("#")]) - 1
    assert cur["inputs"]["posix/blueos-known.tsv"]["source"].startswith("hand-kept")


def test_cli_compares_an_rc_with_the_committed_release(tmp_path, repo):
    out = tmp_path / "c"
    waivers = tmp_path / "waivers.tsv"
    args = ["report", "--release", "0.2.0-rc1", "--compare", "0.1.0", "--results", str(DATA),
            "--out", str(out), "--waivers", str(waivers)]
    waivers.write_text("")
    failed = CliRunner().invoke(cli, args)
    assert failed.exit_code == 1
    # 0.1.0 ran busybox on three boards and conformance on three; the rc ran one board
    assert "not-run: conformance/qemu_mps2_an385: 17 tests -> not run" in failed.output
    assert "not-run: app/busybox/qemu_riscv64: 712 cases -> not run" in failed.output
    first = json.loads((out / "0.2.0-rc1" / "report.json").read_text())["compare"]
    blocking = {c["id"]: c for c in first["changes"] if c["kind"] in ("regressed", "not-run")}
    assert sorted(blocking) == sorted(first["unwaived_regressions"])
    assert f"{len(blocking)} unwaived" in str(failed.exception)
    # the fixture is 4 of the suite's programs: 0.1.0's other passing programs are missing;
    # the one other regression since 0.1.0 is the shipped waivers.tsv's (system became a stub)
    gone = [c for c in blocking.values() if c["kind"] == "regressed"]
    shipped = read_waivers(repo / "docs" / "compliance" / "waivers.tsv")
    assert gone and all((c["id"].startswith("conformance/qemu_riscv64/") and c["after"] is None)
                        or c["id"] in shipped for c in gone)
    assert "interface/bkport/system" in blocking and "interface/bkport/system" in shipped
    assert sum(c["kind"] == "not-run" for c in blocking.values()) == 5
    waivers.write_text("".join(f"{i}\tthe rc ran a subset on qemu_riscv64 only\n"
                               for i in blocking))
    ok = CliRunner().invoke(cli, args)
    assert ok.exit_code == 0, ok.output
    data = json.loads((out / "0.2.0-rc1" / "report.json").read_text())
    schema = json.loads((repo / "docs/schemas/compliance-report-1.schema.json").read_text())
    jsonschema.validate(data, schema)
    counts = data["compare"]["counts"]
    assert counts["not-run"] == 5 and counts["regressed"] == len(gone)
    assert data["compare"]["unwaived_regressions"] == []
    md = (out / "0.2.0-rc1" / "report.md").read_text()
    assert "- **qemu_riscv64**: 89 of 99 interfaces pass every check (10 with known gaps " \
        "only, 0 failing), 288 checks" in md
    assert "- **zlib**: 11/11 cases pass on qemu_riscv64" in md
    new = md.split("### New: ", 1)[1].split("###", 1)[0]
    assert "| `app/zlib/qemu_riscv64` | not run | 21 cases |" in new
    assert "### Not run in this release (run in the previous one) (5)" in md
    assert "no per-check results (results schema /1)" in md
    html = (out / "0.2.0-rc1" / "report.html").read_text()
    assert "Interfaces per board by their conformance checks" in html
    assert "Application cases per board" in html
    assert "89/99 interfaces pass every check, 10 with known gaps only, 0 failing; 288 checks" \
        in html
    assert ">11/11 pass, 10 not run</text>" in html  # zlib's bar: cases run, not all cases


def test_cli_input_changed_is_reported_with_its_reason_and_does_not_fail(tmp_path, repo):
    prev = collect("0.0.9", repo / "docs/compliance/0.1.0/results")
    prev["inputs"][LIBRS] = dict(prev["inputs"][LIBRS], sha256="1" * 64, rows=354)
    name = next(n for n, s in prev["interfaces"].items() if s["blueos"] == "missing")
    prev["interfaces"][name]["blueos"] = "supported"
    (tmp_path / "prev.json").write_text(json.dumps(prev))
    out = tmp_path / "c"
    r = CliRunner().invoke(cli, ["report", "--release", "0.1.0", "--compare",
                                 str(tmp_path / "prev.json"), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert f"note: input changed: {LIBRS}: sha256 111111111111 (354 rows) -> sha256" in r.output
    data = json.loads((out / "0.1.0" / "report.json").read_text())
    jsonschema.validate(data, json.loads(
        (repo / "docs/schemas/compliance-report-1.schema.json").read_text()))
    assert data["compare"]["counts"]["input-changed"] == 1
    md = (out / "0.1.0" / "report.md").read_text()
    moved = md.split("### Moved because an input changed", 1)[1].split("###", 1)[0]
    assert f"| `interface/blueos/{name}` | supported | missing | {LIBRS}: sha256 111111111111" \
        in moved


def test_inputs_are_found_in_an_installed_package(monkeypatch, repo):
    """Installed, `source` maps only the data trees (posix/, docs/, ...): porter/ is the package."""
    from bkport.report import inputs

    def installed_source(rel):
        if rel.startswith("porter/"):
            raise KeyError(rel)
        return repo / rel

    monkeypatch.setattr(inputs, "source", installed_source)
    rec = inputs.record()
    assert set(rec) == set(inputs.INPUTS) and rec[LIBRS]["rows"] > 300

"""Comparison against a previous release: regressions fail unless waived with a reason."""

import copy
import json

import pytest
from bkport.cli import cli
from bkport.errors import InputError
from bkport.report.collect import collect
from bkport.report.compare import (
    Change,
    apply_waivers,
    change_reason,
    diff,
    read_waivers,
    summary,
    unwaived,
)
from click.testing import CliRunner


@pytest.fixture(scope="module")
def current(repo):
    return collect("0.1.0", repo / "docs" / "compliance" / "0.1.0" / "results")


def test_identical_reports_have_no_changes(current):
    assert diff(current, copy.deepcopy(current)) == []


def test_classifies_improvements_and_regressions(current):
    prev = copy.deepcopy(current)
    missing = next(n for n, s in current["interfaces"].items() if s["bkport"] == "missing")
    supported = next(n for n, s in current["interfaces"].items() if s["bkport"] == "supported")
    prev["interfaces"][missing]["bkport"] = "supported"  # it used to work: now a regression
    prev["interfaces"][supported]["bkport"] = "missing"  # it did not: now an improvement
    prev["syscalls"]["calls"]["Write"]["status"] = "stub"  # Write got better since
    prev["conformance"]["boards"]["qemu_riscv64"]["tests"]["unistd_read"] = "PASS"
    kinds = {c.id: c.kind for c in diff(prev, current)}
    assert kinds[f"interface/bkport/{missing}"] == "regressed"
    assert kinds[f"interface/bkport/{supported}"] == "improved"
    assert kinds["syscall/Write"] == "improved"
    # A test that passed before and no longer reports a verdict is a regression too.
    assert kinds["conformance/qemu_riscv64/unistd_read"] == "regressed"


def test_waiver_needs_a_reason(tmp_path):
    w = tmp_path / "waivers.tsv"
    w.write_text("# comment\ninterface/bkport/fork\tno processes on BlueOS\nsyscall/Write\n")
    with pytest.raises(InputError) as exc:
        read_waivers(w)
    assert "waivers.tsv:3:1: expected 'ID<TAB>REASON'" in str(exc.value)


def test_waivers_apply_only_to_their_ids(current):
    prev = copy.deepcopy(current)
    names = [n for n, s in current["interfaces"].items() if s["bkport"] == "missing"][:2]
    for n in names:
        prev["interfaces"][n]["bkport"] = "supported"
    changes = apply_waivers(diff(prev, current), {f"interface/bkport/{names[0]}": "accepted"})
    assert [c.id for c in unwaived(changes)] == [f"interface/bkport/{names[1]}"]


def test_cli_fails_on_constructed_regression_and_passes_when_waived(tmp_path, current):
    out = tmp_path / "compliance"
    prev = copy.deepcopy(current)
    prev["release"] = "0.0.9"
    victim = next(n for n, s in current["interfaces"].items() if s["bkport"] == "missing")
    prev["interfaces"][victim]["bkport"] = "supported"
    (out / "0.0.9").mkdir(parents=True)
    (out / "0.0.9" / "report.json").write_text(json.dumps(prev))
    args = ["report", "--release", "0.1.0", "--compare", "0.0.9", "--out", str(out)]

    failed = CliRunner().invoke(cli, args)
    assert failed.exit_code != 0
    assert "1 unwaived regression" in str(failed.exception)
    data = json.loads((out / "0.1.0" / "report.json").read_text())
    assert data["compare"]["unwaived_regressions"] == [f"interface/bkport/{victim}"]

    (out / "waivers.tsv").write_text(f"interface/bkport/{victim}\tdropped on purpose for the test\n")
    passed = CliRunner().invoke(cli, args)
    assert passed.exit_code == 0, passed.output
    md = (out / "0.1.0" / "report.md").read_text()
    regressed = md.split("### Regressed (1)", 1)[1].split("###", 1)[0]
    assert f"| `interface/bkport/{victim}` | supported | missing | dropped on purpose" \
        in regressed


def test_bad_previous_report_is_located(tmp_path):
    out = tmp_path / "compliance"
    (out / "0.0.1").mkdir(parents=True)
    (out / "0.0.1" / "report.json").write_text("{\n  \"schema\": 1,\n")
    result = CliRunner().invoke(cli, ["report", "--release", "0.1.0", "--compare", "0.0.1",
                                      "--out", str(out)])
    assert result.exit_code != 0
    assert "report.json:3:1: not valid JSON" in str(result.exception)


def test_a_script_skipped_whole_and_now_run_case_by_case_is_explained(current):
    """0.1.0 skipped md5sum's script as one UNTESTED unit; 0.2.0 runs its cases: the removed
    unit says where its cases went, and a unit removed with nothing in its place says nothing."""
    prev, cur = copy.deepcopy(current), copy.deepcopy(current)
    board = next(iter(cur["apps"]["busybox"]["boards"]))
    before, after = prev["apps"]["busybox"]["boards"][board], cur["apps"]["busybox"]["boards"][board]
    for unit in ("md5sum/md5sum.tests", "gone/gone.tests"):
        before[unit] = "UNTESTED"
        after.pop(unit, None)
    after.update({"md5sum/md5sum": "PASS", "md5sum/md5sum -c EMPTY": "FAIL"})
    changes = {c.id: c for c in diff(prev, cur)}
    split = changes[f"app/busybox/{board}/md5sum/md5sum.tests"]
    assert (split.kind, split.reason) == \
        ("removed", "run case by case now: 2 new case(s) under md5sum/, 1 passing")
    gone = changes[f"app/busybox/{board}/gone/gone.tests"]
    assert (gone.kind, gone.reason) == ("removed", None)


def test_report_json_holds_each_reason_once(current):
    """Changes that share a reason (a profile's input-changed ones) name it by index."""
    shared = "porter/blueos/data/librs-functions.tsv: absent -> sha256 0123 (361 rows)"
    changes = [Change(f"interface/blueos/f{i}", "input-changed", "missing", "supported",
                      reason=shared) for i in range(3)]
    changes.append(Change("interface/bkport/g", "improved", "missing", "supported"))
    s = summary(changes)
    assert s["reasons"] == [shared]
    assert [c["reason"] for c in s["changes"]] == [0, 0, 0, None]
    assert [change_reason(s, c) for c in s["changes"]] == [shared, shared, shared, None]

"""`bkport report` checks its options before writing anything, and an installed bkport writes
under work_dir(), never into its own package, while still finding the shipped reports."""

import json
import shutil

import pytest
from bkport.cli import cli
from bkport.report import cli as report_cli
from click.testing import CliRunner


def files_under(path):
    return sorted(p for p in path.rglob("*")) if path.exists() else []


@pytest.mark.parametrize("release", ["../../etc", "0.1", "0.1.0/../../x", "v0.1.0", "0.1.0-",
                                     "0.1.0-rc1/..", ""])
def test_release_must_be_a_version(tmp_path, monkeypatch, release):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "a" / "b" / "out"
    result = CliRunner().invoke(cli, ["report", "--release", release, "--out", str(out)])
    assert result.exit_code == 2, result.output
    line = [ln for ln in result.output.splitlines() if "--release" in ln and "Error" in ln]
    assert line and repr(release) in line[0] and "expected X.Y.Z" in line[0]
    assert files_under(tmp_path) == []


def test_release_with_a_suffix_is_accepted(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["report", "--release", "0.2.0-rc.1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "0.2.0-rc.1" / "report.json").is_file()
    assert f"written to {(out / '0.2.0-rc.1').resolve()}" in result.output


def test_missing_results_folder_is_an_error(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["report", "--release", "0.1.0", "--out", str(out),
                                      "--results", str(tmp_path / "nonexistent")])
    assert result.exit_code == 2, result.output
    line = [ln for ln in result.output.splitlines() if "nonexistent" in ln]
    assert line and "--results" in line[0] and "no such folder" in line[0]
    assert "conformance-<board>.json" in line[0]
    assert not out.exists()


def test_results_folder_without_results_is_an_error(tmp_path):
    results = tmp_path / "results"
    results.mkdir()
    (results / "notes.txt").write_text("nothing\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["report", "--release", "0.1.0", "--out", str(out),
                                      "--results", str(results)])
    assert result.exit_code == 2, result.output
    line = [ln for ln in result.output.splitlines() if str(results) in ln]
    assert line and "holds no results file" in line[0] and "app-<name>.json" in line[0]
    assert not out.exists()


def test_unknown_previous_report_is_an_error_before_writing(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["report", "--release", "0.1.0", "--out", str(out),
                                      "--compare", "0.0.7"])
    assert result.exit_code == 2, result.output
    assert "no previous report '0.0.7'" in result.output
    assert not out.exists()


def test_help_documents_exit_status():
    result = CliRunner().invoke(cli, ["report", "--help"])
    assert "Exit status: 0" in result.output and "Examples:" in result.output


def test_installed_package_writes_to_work_dir_and_reads_shipped_reports(tmp_path, monkeypatch,
                                                                        repo):
    shipped = tmp_path / "package" / "_data" / "docs" / "compliance"
    shutil.copytree(repo / "docs" / "compliance" / "0.1.0" / "results",
                    shipped / "0.1.0" / "results")
    monkeypatch.setattr(report_cli, "checkout_root", lambda: None)
    monkeypatch.setattr(report_cli, "source", lambda rel: tmp_path / "package" / "_data" / rel)
    monkeypatch.setenv("BKPORT_WORK", str(tmp_path / "work"))
    before = files_under(tmp_path / "package")

    first = CliRunner().invoke(cli, ["report", "--release", "0.1.0"])
    assert first.exit_code == 0, first.output
    written = tmp_path / "work" / "compliance" / "0.1.0"
    assert f"written to {written.resolve()}" in first.output
    data = json.loads((written / "report.json").read_text())
    # the default results are the shipped ones: every board they have results for ran
    shipped_boards = {p.stem.removeprefix("conformance-")
                      for p in (shipped / "0.1.0" / "results").glob("conformance-*.json")}
    boards = data["conformance"]["boards"]
    assert shipped_boards and all(boards[b]["ran"] for b in shipped_boards)
    assert all(not v["ran"] for b, v in boards.items() if b not in shipped_boards)
    assert files_under(tmp_path / "package") == before

    # --compare finds a release that only the package ships
    prev = dict(data, release="0.0.9")
    (shipped / "0.0.9").mkdir()
    (shipped / "0.0.9" / "report.json").write_text(json.dumps(prev))
    second = CliRunner().invoke(cli, ["report", "--release", "0.1.0", "--compare", "0.0.9"])
    assert second.exit_code == 0, second.output
    assert "against 0.0.9" in second.output
    assert sorted(p.name for p in (tmp_path / "work" / "compliance").iterdir()) == ["0.1.0"]

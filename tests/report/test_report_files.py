"""The report files: schema-valid JSON, numbers that add up, and the committed report reproducible."""

import json
from pathlib import Path

import jsonschema
import pytest
from bkport import __version__
from bkport.cli import cli
from click.testing import CliRunner


def test_report_json_is_schema_valid_and_adds_up(tmp_path, repo):
    out = tmp_path / "c"
    result = CliRunner().invoke(cli, ["report", "--release", "9.9.9", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "9.9.9" / "report.json").read_text())
    schema = json.loads((repo / "docs/schemas/compliance-report-1.schema.json").read_text())
    jsonschema.validate(data, schema)
    for profile in ("blueos", "bkport"):
        p = data["coverage"]["profiles"][profile]
        for counts in [p["total"], *p["by_pse"].values(), *p["by_header"].values()]:
            assert sum(counts[k] for k in ("supported", "partial", "stub", "missing")) \
                == counts["total"]
        assert p["total"]["total"] == data["coverage"]["interfaces"] == len(data["interfaces"])
        assert sum(1 for s in data["interfaces"].values() if s[profile] == "supported") \
            == p["total"]["supported"]
    assert sum(data["syscalls"]["by_status"].values()) == data["syscalls"]["count"]
    md = (out / "9.9.9" / "report.md").read_text()
    assert f"| PSE51 | {data['coverage']['profiles']['blueos']['by_pse']['PSE51']['supported']} |" \
        in md


RELEASES = sorted(p.parent.name for p in
                  (Path(__file__).parents[2] / "docs" / "compliance").glob("*/report.json"))


def _regenerate(committed: Path, release: str, out: Path) -> dict:
    """`bkport report` as the cut ran it: the folder's own results, and --compare with the
    release its report was compared with (the shipped waivers.tsv and inputs.tsv apply)."""
    data = json.loads((committed / "report.json").read_text())
    args = ["report", "--release", release, "--out", str(out)]
    if (committed / "results").is_dir():
        args += ["--results", str(committed / "results")]
    if data.get("compare"):
        args += ["--compare", data["compare"]["previous"]]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return json.loads((out / release / "report.json").read_text())


def test_committed_report_of_current_version_is_reproducible(tmp_path, repo):
    assert __version__ in RELEASES, f"no committed report for {__version__}"
    committed = repo / "docs" / "compliance" / __version__
    out = tmp_path / "c"
    _regenerate(committed, __version__, out)
    for name in ("report.json", "report.md", "report.html"):
        assert (out / __version__ / name).read_text() == (committed / name).read_text(), \
            f"{name} differs: regenerate with `bkport report --release {__version__}` (and " \
            "--compare, as docs/report.md's 'Cutting a release' says)"


@pytest.mark.parametrize("release", [r for r in RELEASES if r != __version__])
def test_earlier_releases_results_still_reproduce(tmp_path, repo, release):
    """An earlier release's coverage came from that release's models, which have moved on; what
    its committed results say (conformance and apps per board) must still read back the same."""
    committed = repo / "docs" / "compliance" / release
    if not (committed / "results").is_dir():
        pytest.skip(f"{release} has no committed results")
    old = json.loads((committed / "report.json").read_text())
    new = _regenerate(committed, release, tmp_path / "c")
    assert new["apps"] == old["apps"]
    for board, b in old["conformance"]["boards"].items():
        assert new["conformance"]["boards"][board] == b, board

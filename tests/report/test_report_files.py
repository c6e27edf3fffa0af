"""The report files: schema-valid JSON, numbers that add up, and the committed report reproducible."""

import json

import jsonschema
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


def test_committed_report_of_current_version_is_reproducible(tmp_path, repo):
    committed = repo / "docs" / "compliance" / __version__
    assert (committed / "report.json").exists(), f"no committed report for {__version__}"
    out = tmp_path / "c"
    args = ["report", "--release", __version__, "--out", str(out)]
    if (committed / "results").is_dir():
        args += ["--results", str(committed / "results")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    for name in ("report.json", "report.md", "report.html"):
        assert (out / __version__ / name).read_text() == (committed / name).read_text(), \
            f"{name} differs: regenerate with `bkport report --release {__version__}`"

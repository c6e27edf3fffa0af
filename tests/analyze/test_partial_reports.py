"""A partial analysis names every file it could not take in whole, with the first error's
line:col, in every format; SARIF says so in its invocation; bad option values are refused."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from bkport.analyze.pipeline import Options, analyze
from bkport.analyze.report import render

from .conftest import write_project

SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-2.1.0-subset.schema.json")
                          .read_text())
BROKEN = '#include "util.h"\nint helper(int x)\n{\n    return x +* ;\n}\n'


@pytest.fixture()
def partial(tmp_path: Path, cache_env: Path) -> tuple[Path, dict]:
    root = write_project(tmp_path / "proj")
    (root / "util.c").write_text(BROKEN)  # a syntax error at 4:17
    db = json.loads((root / "compile_commands.json").read_text())
    db.append({"directory": str(root), "file": "gone.c", "arguments": ["cc", "-c", "gone.c"]})
    (root / "compile_commands.json").write_text(json.dumps(db))
    return root, analyze(root, Options(jobs=1))


def test_json_locates_the_first_error(partial, repo: Path) -> None:
    root, doc = partial
    assert doc["partial"] is True
    [unit] = doc["units"]["with_errors"]
    assert unit["file"] == str(root / "util.c")
    assert unit["first_error"] == {"file": str(root / "util.c"), "line": 4, "col": 17,
                                   "message": "expected expression"}
    assert doc["units"]["skipped"] == [f"{root / 'gone.c'}: source file does not exist"]
    out = json.loads(render(doc, "json"))
    assert out["units"]["with_errors"][0]["first_error"]["line"] == 4
    schema = json.loads((repo / "docs" / "schemas" / "analysis-1.schema.json").read_text())
    jsonschema.validate(out, schema, cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize("fmt", ["text", "md", "html", "csv"])
def test_every_format_names_the_file_and_line_col(partial, fmt: str) -> None:
    root, doc = partial
    out = render(doc, fmt)
    if fmt == "html":
        out = html.unescape(out)
    assert f"{root / 'util.c'}:4:17" in out and "expected expression" in out
    assert f"{root / 'gone.c'}" in out and "source file does not exist" in out


def test_text_lines(partial) -> None:
    root, doc = partial
    lines = render(doc, "text", top=0).splitlines()
    assert f"  {root / 'util.c'}:4:17: expected expression (1 error(s) in this translation " \
           "unit)" in lines
    assert f"  {root / 'gone.c'}: skipped: source file does not exist" in lines


def test_csv_rows_after_the_matrix(partial) -> None:
    root, doc = partial
    rows = list(csv.reader(io.StringIO(render(doc, "csv"))))
    assert rows[-2:] == [
        ["#error", f"{root / 'util.c'}:4:17", "expected expression", str(root / "util.c")],
        ["#skipped", str(root / "gone.c"), "source file does not exist", str(root / "gone.c")],
    ]


def test_sarif_invocation_reports_the_partial_run(partial) -> None:
    root, doc = partial
    sarif = json.loads(render(doc, "sarif"))
    jsonschema.validate(sarif, SARIF_SCHEMA)
    [inv] = sarif["runs"][0]["invocations"]
    assert inv["executionSuccessful"] is False
    err, skip = inv["toolExecutionNotifications"]
    assert err["level"] == "error" and "expected expression" in err["message"]["text"]
    loc = err["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "util.c", "uriBaseId": "SRCROOT"}
    assert loc["region"] == {"startLine": 4, "startColumn": 17}
    assert skip["level"] == "warning" and "gone.c" in skip["message"]["text"]
    assert skip["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "gone.c"


def test_sarif_invocation_of_a_complete_run(project: Path) -> None:
    sarif = json.loads(render(analyze(project, Options(jobs=1)), "sarif"))
    jsonschema.validate(sarif, SARIF_SCHEMA)
    assert sarif["runs"][0]["invocations"] == [{"executionSuccessful": True,
                                                "toolExecutionNotifications": []}]


def test_fatal_unit_without_location_is_still_named() -> None:
    from bkport.analyze.problems import unit_errors

    doc = {"units": {"with_errors": [{"file": "/p/a.c", "errors": 1, "diagnostics": [],
                                      "fatal": "libclang could not parse the TU"}],
                     "skipped": []}}
    [p] = unit_errors(doc)
    assert p.describe() == "/p/a.c: libclang could not parse the TU (1 error(s) in this " \
                           "translation unit)"


@pytest.mark.parametrize("args,expect", [
    (["-j", "0"], "Invalid value for '-j' / '--jobs': 0 is not in the range x>=1."),
    (["-j", "-3"], "Invalid value for '-j' / '--jobs': -3 is not in the range x>=1."),
    (["--top", "-1"], "Invalid value for '--top': -1 is not in the range x>=0."),
])
def test_bad_counts_are_refused(tmp_path: Path, args: list[str], expect: str) -> None:
    env = dict(os.environ, BKPORT_CACHE=str(tmp_path / "cache"))
    r = subprocess.run([sys.executable, "-m", "bkport.cli", "analyze", str(tmp_path), *args],
                       capture_output=True, text=True, env=env)
    assert r.returncode == 2
    assert f"Error: {expect}" in r.stderr.splitlines()
    assert not (tmp_path / "cache").exists()


def test_help_documents_exit_status() -> None:
    r = subprocess.run([sys.executable, "-m", "bkport.cli", "analyze", "--help"],
                       capture_output=True, text=True)
    text = " ".join(r.stdout.split())
    assert "Exit status: 0 done; 1 bad input" in text and "-j 0 or --top -1" in text

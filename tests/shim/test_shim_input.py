"""`bkport shim` checks ANALYSIS against docs/schemas/analysis-1.schema.json: a located one-line
error per problem (file:line:col: JSON path: what), exit 2, nothing written, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import jsonschema
import pytest
from bkport.shim.analysis import AnalysisError, offset_of, read_analysis

from .documents import analysis

GOOD = analysis([{"api": "fork", "status": "unsupported", "kinds": ["call"],
                  "action": "alternative"},
                 {"api": "chown", "status": "unsupported", "kinds": ["call"], "action": "fake"}])


def shim(path, out):
    env = {k: v for k, v in os.environ.items() if k != "BKPORT_DEBUG"}
    return subprocess.run([sys.executable, "-m", "bkport.cli", "shim", str(path), "--out",
                           str(out), "--no-compile"], capture_output=True, text=True, env=env)


def test_the_test_document_is_schema_valid(repo):
    schema = json.loads((repo / "docs/schemas/analysis-1.schema.json").read_text())
    jsonschema.validate(GOOD, schema, cls=jsonschema.Draft202012Validator)


def test_a_json_array_is_refused(tmp_path):
    f = tmp_path / "list.json"
    f.write_text("[1, 2, 3]\n")
    r = shim(f, tmp_path / "out")
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    first = r.stderr.splitlines()[0]
    assert first.startswith(f"{f}:1:1: $: expected an analysis document")
    assert "found a JSON list" in first
    assert not (tmp_path / "out").exists()


def test_an_entry_without_api_is_located(tmp_path):
    doc = json.loads(json.dumps(GOOD))
    del doc["apis"][1]["api"]
    f = tmp_path / "analysis.json"
    text = json.dumps(doc, indent=1)
    f.write_text(text)
    line = text[: text.index('"key": "chown"')].count("\n")  # the line of the entry's "{"
    r = shim(f, tmp_path / "out")
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    assert r.stderr.splitlines()[0] == f"{f}:{line}:3: $.apis[1]: 'api' is a required property"
    assert not (tmp_path / "out").exists()


def test_every_problem_is_listed_with_its_path(tmp_path):
    doc = json.loads(json.dumps(GOOD))
    doc["apis"][0]["status"] = "weird"
    doc["apis"][1]["kinds"] = ["call", 7]
    f = tmp_path / "analysis.json"
    f.write_text(json.dumps(doc, indent=2))
    with pytest.raises(AnalysisError) as e:
        read_analysis(f)
    msgs = [str(d) for d in e.value.diagnostics]
    assert len(msgs) == 2
    assert any(m.startswith(f"{f}:") and "$.apis[0].status: 'weird' is not one of" in m
               for m in msgs)
    assert any("$.apis[1].kinds[1]:" in m for m in msgs)
    assert e.value.exit_code == 2


def test_not_json_exits_2(tmp_path):
    f = tmp_path / "trunc.json"
    f.write_text('{\n  "schema": "bkport.analysis/1",\n')
    r = shim(f, tmp_path / "out")
    assert r.returncode == 2 and f"{f}:3:1: not valid JSON" in r.stderr


def test_offsets_follow_the_path():
    text = '{"a": [1, {"b": "x", "c": [true, null]}], "d": {}}'
    assert text[offset_of(text, ["a", 1, "c", 1]):].startswith("null")
    assert text[offset_of(text, ["d"]):].startswith("{}")
    assert text[offset_of(text, ["a", 5]):].startswith("[1,")  # missing: nearest existing
    assert offset_of(text, []) == 0


def test_a_valid_analysis_still_works(tmp_path):
    f = tmp_path / "analysis.json"
    f.write_text(json.dumps(GOOD))
    r = shim(f, tmp_path / "out")
    assert r.returncode == 0, r.stderr
    assert "2 shims in" in r.stdout


def test_help_documents_exit_status():
    r = subprocess.run([sys.executable, "-m", "bkport.cli", "shim", "--help"],
                       capture_output=True, text=True)
    assert "Examples:" in r.stdout and "Exit status: 0" in r.stdout and "2 a bad argument" \
        in " ".join(r.stdout.split())

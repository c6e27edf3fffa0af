"""Report formats: SARIF validated against the SARIF 2.1.0 schema (a hand-trimmed subset shipped
with the tests), JSON schema field, Markdown, HTML, CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from bkport.analyze.pipeline import Options, analyze
from bkport.analyze.report import render

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-2.1.0-subset.schema.json")
                    .read_text())


@pytest.fixture()
def doc(project: Path) -> dict:
    return analyze(project, Options(jobs=1))


def test_sarif_validates(doc: dict) -> None:
    sarif = json.loads(render(doc, "sarif"))
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    jsonschema.validate(sarif, SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    run = sarif["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert "syscall:gettid" in rules
    assert all(r["ruleId"] == rules[r["ruleIndex"]] for r in run["results"])
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in run["results"]}
    assert "main.c" in uris  # relative to %SRCROOT%


def test_sarif_schema_rejects_a_bad_level(doc: dict) -> None:
    sarif = json.loads(render(doc, "sarif"))
    sarif["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(sarif, SCHEMA)


def test_json_is_versioned_and_matches_its_schema(doc: dict, repo: Path) -> None:
    out = json.loads(render(doc, "json"))
    assert out["schema"] == "bkport.analysis/1"
    schema = json.loads((repo / "docs" / "schemas" / "analysis-1.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(out, schema, cls=jsonschema.Draft202012Validator)
    assert {"units", "targets", "apis", "plan", "findings", "matrix"} <= set(out)


def test_text_markdown_html_csv(doc: dict) -> None:
    text = render(doc, "text")
    assert "translation units: 3 analysed" in text and "syscall:gettid" in text
    md = render(doc, "md")
    assert md.startswith("# bkport analysis") and "| syscall:gettid | linux-only |" in md
    page = render(doc, "html")
    assert page.startswith("<!DOCTYPE html>") and "<link" not in page and "<script" not in page
    rows = list(csv.reader(io.StringIO(render(doc, "csv"))))
    assert rows[0][:2] == ["file", "blocking_apis"] and "syscall:gettid" in rows[0]
    main = next(r for r in rows if r[0].endswith("main.c"))
    assert main[rows[0].index("syscall:gettid")] == "linux-only"

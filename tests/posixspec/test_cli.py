"""`bkport posix`: show, coverage, gen."""

from __future__ import annotations

import json

import jsonschema
from bkport.paths import source
from bkport.posixspec.cli import COVERAGE_SCHEMA, posix
from bkport.posixspec.model import PSE_PROFILES
from bkport.posixspec.support import STATUSES
from click.testing import CliRunner


def run(*args: str):
    return CliRunner().invoke(posix, list(args))


def test_coverage_json_adds_up():
    res = run("coverage", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["schema"] == COVERAGE_SCHEMA
    schema = json.loads((source("docs/schemas") / "posix-coverage-1.schema.json")
                        .read_text())
    jsonschema.validate(data, schema)
    assert set(data["profiles"]) == {"blueos", "bkport"}
    for p, d in data["profiles"].items():
        assert d["total"]["total"] == data["interfaces"] == 1353
        assert set(d["by_pse"]) == set(PSE_PROFILES)
        for group in (d["by_group"], d["by_pse"]):
            for key, counts in group.items():
                assert sum(counts[s] for s in STATUSES) == counts["total"], (p, key)
        assert d["by_pse"]["PSE51"]["total"] == 283


def test_coverage_text_and_profiles():
    res = run("coverage", "--profile", "blueos", "--by", "group")
    assert res.exit_code == 0, res.output
    assert "POSIX_THREADS_BASE" in res.output and "bkport" not in res.output.split("\n")[0]
    res = run("coverage", "--profile", "bkport", "--by", "header", "--format", "json")
    data = json.loads(res.output)
    assert "by_header" in data["profiles"]["bkport"] and "blueos" not in data["profiles"]
    assert sum(c["total"] for c in data["profiles"]["bkport"]["by_header"].values()) == 1353


def test_coverage_lists_the_exclusions_with_their_reasons():
    res = run("coverage", "--profile", "bkport", "--list", "stub", "--pse", "PSE53",
              "--format", "json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)["profiles"]["bkport"]
    names = {r["interface"] for r in rows}
    assert {"fork", "execve"} <= names
    assert all(r["status"] == "stub" and r["reason"] for r in rows)
    fork = next(r for r in rows if r["interface"] == "fork")
    assert "fork" in fork["reason"] and fork["header"] == "unistd.h"
    # the list and the counts agree
    counts = json.loads(run("coverage", "--profile", "bkport", "--format", "json").output)
    assert len(rows) == counts["profiles"]["bkport"]["by_pse"]["PSE53"]["stub"]
    text = run("coverage", "--profile", "bkport", "--list", "stub,missing").output
    assert "fork" in text and "single-process" in text
    bad = run("coverage", "--list", "gone")
    assert bad.exit_code == 2 and "expected one or more of" in bad.output
    assert run("coverage", "--pse", "PSE52").exit_code == 2


def test_show_json():
    res = run("show", "mmap", "--format", "json")
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert d["header"] == "sys/mman.h" and d["returns"] == "void *"
    assert d["support"]["blueos"]["status"] == "stub"
    assert set(d["support"]) == {"blueos", "bkport"}


def test_show_text():
    res = run("show", "fork")
    assert res.exit_code == 0
    assert "pid_t fork(void);" in res.output and "missing" in res.output


def test_show_unknown_suggests():
    res = run("show", "pthread_creat")
    assert res.exit_code != 0
    assert "pthread_create" in str(res.exception)


def test_gen(tmp_path):
    res = run("gen", "--out", str(tmp_path))
    assert res.exit_code == 0, res.output
    assert (tmp_path / "include" / "pthread.h").exists()
    assert (tmp_path / "include" / "bkport" / "linux_abi.h").exists()

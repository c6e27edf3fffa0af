"""A recorded build lives in bkport's cache, never in the user's tree; a failed build leaves
nothing behind and is an error, or (with --allow-guess) a fallback whose warning every format
shows. Real builds: make and gcc under Bear, on a two-file project written per test."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from bkport.analyze import record
from bkport.analyze.pipeline import Options, analyze
from bkport.analyze.report import render

SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-2.1.0-subset.schema.json")
                          .read_text())

MAIN_C = """\
#include <unistd.h>
int helper(void);
int main(void) { return isatty(0) + helper(); }
"""

UTIL_OK = "int helper(void) { return 1; }\n"
UTIL_BROKEN = "int helper(void) { return 1 }\n"  # a missing ';': the build fails here

MAKEFILE = """\
prog: main.o libutil.a
\t$(CC) -o prog main.o -L. -lutil
libutil.a: util.o
\t$(AR) rcs libutil.a util.o
%.o: %.c
\t$(CC) -O2 -c -o $@ $<
"""


@pytest.fixture(autouse=True)
def _tools() -> None:
    for tool in ("bear", "make", "cc"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed: run scripts/setup.sh")


def make_project(root: Path, util: str) -> Path:
    root.mkdir(parents=True)
    (root / "Makefile").write_text(MAKEFILE)
    (root / "main.c").write_text(MAIN_C)
    (root / "util.c").write_text(util)
    return root


def test_recorded_into_the_cache_and_reused(tmp_path: Path, cache_env: Path) -> None:
    src = make_project(tmp_path / "ok", UTIL_OK)
    logs: list[str] = []
    doc = analyze(src, Options(jobs=1), log=logs.append)
    assert not (src / "compile_commands.json").exists()  # the user's tree holds no database
    db = Path(doc["database"]["path"])
    assert doc["database"]["origin"] == "bear" and db.parent == record.recording_dir(src)
    assert db.is_relative_to(cache_env)
    assert {os.path.basename(e["file"]) for e in json.loads(db.read_text())} == \
        {"main.c", "util.c"}
    assert doc["warnings"] == []
    assert any(f["api"] == "isatty" and f["live"] for f in doc["findings"])
    # the link steps come from the same build: the archive takes util.o, prog main.o and -lutil
    links = json.loads((db.parent / "links.json").read_text())
    assert [(s["output"], s["kind"], s["inputs"], s["libs"], s["dirs"]) for s in links] == [
        (str(src / "libutil.a"), "archive", [str(src / "util.o")], [], []),
        (str(src / "prog"), "program", [str(src / "main.o")], ["util"], [str(src)]),
    ]
    assert any("make -B" in m for m in logs)
    # the next run takes the recording as it is: no build
    logs.clear()
    again = analyze(src, Options(jobs=1, use_cache=False), log=logs.append)
    assert again["database"]["path"] == str(db)
    assert not any(m.startswith("$ ") for m in logs), logs
    # an edited Makefile builds differently: recorded again
    (src / "Makefile").write_text(MAKEFILE + "# edited\n")
    logs.clear()
    analyze(src, Options(jobs=1), log=logs.append)
    assert any("make -B" in m for m in logs)


def test_a_database_in_a_fetched_tree_is_not_the_projects(tmp_path: Path,
                                                          cache_env: Path) -> None:
    """bkport's own fetched sources (busybox) may hold a compile_commands.json an older bkport
    wrote there after an incremental build: a partial database, never taken as the project's."""
    from bkport.analyze.fetch import src_root

    src = make_project(src_root() / "ok-1.0", UTIL_OK)
    stale = [{"directory": str(src), "file": str(src / "util.c"),
              "arguments": ["cc", "-c", "util.c"]}]
    (src / "compile_commands.json").write_text(json.dumps(stale))
    logs: list[str] = []
    doc = analyze(src, Options(jobs=1), log=logs.append)
    assert doc["database"]["origin"] == "bear", doc["database"]
    assert any("ignoring" in m and "compile_commands.json" in m for m in logs), logs
    db = json.loads(Path(doc["database"]["path"]).read_text())
    assert {os.path.basename(e["file"]) for e in db} == {"main.c", "util.c"}
    # A user's own tree keeps its database, partial or not: it is theirs to give.
    mine = make_project(tmp_path / "mine", UTIL_OK)
    (mine / "compile_commands.json").write_text(json.dumps(stale))
    assert analyze(mine, Options(jobs=1))["database"]["origin"] == "project"


def test_failed_build_is_an_error_and_leaves_nothing(tmp_path: Path, cache_env: Path) -> None:
    src = make_project(tmp_path / "broken", UTIL_BROKEN)
    for _ in range(2):  # the second run finds nothing to trust either: the same error
        with pytest.raises(record.RecordError) as e:
            analyze(src, Options(jobs=1))
        assert e.value.exit_code == 1
        assert "make -B -j1` exited 2" in str(e.value)
        assert not (src / "compile_commands.json").exists()
        rec = record.recording_dir(src)
        assert not rec.exists()
        assert [p.name for p in rec.parent.iterdir()] == [f"{rec.name}.log"]  # the build's log
        assert "util.c" in (rec.parent / f"{rec.name}.log").read_text()


def test_failed_build_exits_1_in_one_line(tmp_path: Path, cache_env: Path) -> None:
    src = make_project(tmp_path / "broken", UTIL_BROKEN)
    r = subprocess.run([sys.executable, "-m", "bkport.cli", "analyze", str(src), "-j", "1"],
                       capture_output=True, text=True, env={**os.environ,
                                                            "BKPORT_CACHE": str(cache_env)})
    assert r.returncode == 1, r.stderr
    errors = [ln for ln in r.stderr.splitlines() if "failed" in ln]
    assert len(errors) == 1 and "recording the build of" in errors[0], r.stderr
    assert not (src / "compile_commands.json").exists()


def test_allow_guess_warns_in_every_format(tmp_path: Path, cache_env: Path) -> None:
    src = make_project(tmp_path / "broken", UTIL_BROKEN)
    doc = analyze(src, Options(jobs=1, allow_guess=True))
    assert doc["database"]["origin"] == "heuristic"
    assert not (src / "compile_commands.json").exists()
    failed, guessed = doc["warnings"]
    assert failed.startswith(f"recording the build of {src} failed")
    assert failed.endswith("guessing flags instead (--allow-guess)")
    assert guessed == record.GUESS_WARNING
    for fmt in ("text", "json", "sarif", "md", "html", "csv"):
        out = render(doc, fmt)
        flat = " ".join(out.split())  # the text table wraps long lines
        for w in (failed, guessed):
            shown = " ".join(w.split())
            assert shown in flat or json.dumps(shown)[1:-1] in flat, (fmt, w)
    sarif = json.loads(render(doc, "sarif"))
    jsonschema.validate(sarif, SARIF_SCHEMA)
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in notes if n["descriptor"]["id"] == "bkport/warning"] \
        == [failed, guessed]
    rows = render(doc, "csv").splitlines()
    assert [r.split(",")[0] for r in rows if r.startswith(("#warning", '"#warning'))] == \
        ["#warning", "#warning"]

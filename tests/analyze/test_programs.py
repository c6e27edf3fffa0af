"""Issue 16, defect 1: a tree that builds several programs keeps every program's code. Uses are
attributed per program from the link steps of the recorded build (make + gcc under Bear, on
fixtures/two_mains copied per test), and a program the build runs itself is a build tool."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from bkport.analyze.pipeline import Options, analyze

FIXTURE = Path(__file__).parent / "fixtures" / "two_mains"


@pytest.fixture(autouse=True)
def _tools() -> None:
    for tool in ("bear", "make", "cc", "ar"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed: run scripts/setup.sh")


def _tree(tmp_path: Path) -> Path:
    src = tmp_path / "two_mains"
    shutil.copytree(FIXTURE, src)
    return src


def _uses(doc: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for f in doc["findings"]:
        out.setdefault(f["api"], []).append(f)
    return out


def test_every_program_keeps_its_own_main(tmp_path: Path, cache_env: Path) -> None:
    src = _tree(tmp_path)
    doc = analyze(src, Options(jobs=1))
    assert doc["database"]["origin"] == "bear"
    uses = _uses(doc)
    # the reproducer: before, one main replaced the other and puts came out dead
    assert [(Path(f["file"]).name, f["function"], f["live"]) for f in uses["puts"]] == \
        [("b.c", "main", True)]
    assert all(f["live"] for f in uses["isatty"] + uses["system"])
    assert doc["targets"]["kind"] == "program"
    assert sorted(doc["matrix"]) == ["a", "b"]
    # per program: b links libcommon.a but never calls helper, so getpid is a's alone
    assert doc["matrix"]["a"] == ["getpid", "isatty"]
    assert doc["matrix"]["b"] == ["puts", "system"]
    system = next(a for a in doc["apis"] if a["api"] == "system")
    assert system["targets"] == ["b"]


def test_a_program_the_build_runs_is_a_build_tool(tmp_path: Path, cache_env: Path) -> None:
    src = _tree(tmp_path)
    doc = analyze(src, Options(jobs=1))
    gen = str(src / "gen.c")
    assert f"{gen}: build tool (gen: run during the build, not shipped)" in doc["units"]["skipped"]
    assert "gen" not in doc["matrix"]
    assert not any(f["file"] == gen for f in doc["findings"])
    assert "fopen" not in {a["api"] for a in doc["apis"]}


def test_without_link_steps_both_mains_still_count(tmp_path: Path, cache_env: Path) -> None:
    """A given compile database has no link steps: targets are files, and neither main is
    lost."""
    src = _tree(tmp_path)
    db = tmp_path / "compile_commands.json"
    db.write_text(json.dumps([
        {"directory": str(src), "file": name, "arguments": ["cc", "-c", name]}
        for name in ("a.c", "b.c", "common.c")]))
    (src / "gen.h").write_text("#define GENERATED 0\n")
    doc = analyze(src, Options(jobs=1, compdb=db))
    uses = _uses(doc)
    assert [f["live"] for f in uses["puts"]] == [True]
    assert doc["targets"]["kind"] == "file"
    assert doc["matrix"][str(src / "b.c")] == ["puts", "system"]
    assert doc["matrix"][str(src / "a.c")] == ["isatty"]


def test_link_steps_resolved_like_the_linker(tmp_path: Path) -> None:
    """-lNAME found in the -L directories, libtool's libfoo.so symlink to libfoo.so.1.0.0,
    an archive nothing links (what the tree installs) and a shared library are targets; an
    archive a program links is not; a program compiled and linked in one step has all its
    sources; a program the build ran is a build tool."""
    from bkport.analyze.programs import shipped

    root = tmp_path / "t"
    (root / ".libs").mkdir(parents=True)
    (root / ".libs" / "libfoo.so.1.0.0").write_text("")
    (root / ".libs" / "libfoo.so").symlink_to("libfoo.so.1.0.0")
    r = str(root)
    db = tmp_path / "cc.json"
    db.write_text(json.dumps([
        {"directory": r, "file": f"{n}.c", "output": f"{n}.o", "arguments": []}
        for n in ("main", "foo", "util", "extra")] + [
        # `cc -o one x.c y.c`: the database gives the program as both sources' output
        {"directory": r, "file": f"{n}.c", "output": "one", "arguments": []} for n in "xy"]))
    links = tmp_path / "links.json"
    links.write_text(json.dumps([
        {"kind": "archive", "output": f"{r}/libutil.a", "inputs": [f"{r}/util.o"]},
        {"kind": "archive", "output": f"{r}/libextra.a", "inputs": [f"{r}/extra.o"]},
        {"kind": "library", "output": f"{r}/.libs/libfoo.so.1.0.0", "inputs": [f"{r}/foo.o"],
         "libs": [], "dirs": []},
        {"kind": "program", "output": f"{r}/.libs/prog", "inputs": [f"{r}/main.o"],
         "libs": ["foo", "util"], "dirs": [f"{r}/.libs", r]},
        {"kind": "program", "output": f"{r}/one", "inputs": [f"{r}/x.c", f"{r}/y.c"]},
        {"kind": "program", "output": f"{r}/gen", "inputs": [f"{r}/gen.c"],
         "run_in_build": True},
    ]))
    build = shipped(links, db, r)
    assert build is not None
    got = {t.name: (t.kind, sorted(Path(u).name for u in t.units)) for t in build.targets}
    assert got == {"prog": ("program", ["foo.c", "main.c", "util.c"]),
                   "one": ("program", ["x.c", "y.c"]),
                   "libfoo.so.1.0.0": ("library", ["foo.c"]),
                   "libextra.a": ("library", ["extra.c"])}
    assert build.tools == {f"{r}/gen.c": "gen"}

"""A recipe end to end on every board: host build recorded, two programs told apart by their link
commands, cross-built, run on QEMU and compared with the host build (tests/apps/twoprog)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from bkport.apps.build import build_recipe, program_units
from bkport.apps.host import prepare
from bkport.apps.validate import validate_recipe
from bkport.recipe import load_recipe
from bkport.toolchain.targets import BOARDS

APP = Path(__file__).parent / "twoprog"


@pytest.fixture(scope="module")
def recipe():
    return load_recipe(APP)


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("twoprog")


def test_host_build_is_recorded_per_program(recipe, work) -> None:
    host = prepare(recipe, None, lambda m: None, root=work / "host")
    assert sorted(host.programs) == ["count", "greet"]
    units = {p.name: sorted(u.source.name for u in p.units) for p in program_units(recipe, host)}
    assert units == {"greet": ["greet.c"], "count": ["count.c"]}
    greet = host.programs["greet"]
    # the recorded flags: the define of greet.c's compile, the library through -L/-l
    assert greet.units[0].flags == ("-DGREETING=\"hello\"",)
    assert [a.name for a in greet.archives] == ["libcommon.a"]
    # the host programs are real: the differential driver runs them
    assert greet.output.is_file()


@pytest.mark.qemu
@pytest.mark.parametrize("board", sorted(BOARDS))
def test_validate_on_board(recipe, work, board) -> None:
    opts = SimpleNamespace(boards=[board], jobs=2, out=work / "out", build_dir=work / "build",
                           results_dir=work / "results", docs_file=work / f"{board}.md",
                           call_timeout=20.0, min_pass=None, tier="quick", fmt="text",
                           only=None)
    assert validate_recipe(recipe, opts) == 0
    doc = json.loads((work / "results" / "app-twoprog.json").read_text())
    assert doc["schema"] == "bkport.app-results/1"
    assert doc["boards"][board] == {"count-chain": "PASS", "count-file": "PASS",
                                    "count-full-tier": "UNTESTED", "count-generated": "PASS",
                                    "count-missing": "PASS", "greet-args": "PASS",
                                    "greet-chain": "PASS", "greet-fails": "PASS",
                                    "left-out": "UNTESTED"}
    assert doc["reasons"][board] == {
        "count-full-tier": "full tier only (run with --tier full)",
        "left-out": "shows that a skipped case is listed with its reason"}
    page = (work / f"{board}.md").read_text()
    assert f"| {board} | 7 | 0 | 2 | 100.0% |" in page
    f = doc["figures"][board]
    assert sorted(f["footprint"]) == ["count", "greet"]
    assert f["footprint"]["count"]["text"] > 10_000
    assert f["heap_peak"] > 0 and f["stack_peak"] > 0  # recorded by the kernel at exit
    assert f["board_seconds"] > 0 and f["host_seconds"] > 0


@pytest.mark.qemu
def test_unchanged_rebuild_compiles_nothing(recipe, work) -> None:
    from bkport.toolchain import compile as engine

    build_recipe(recipe, "qemu_riscv64", work / "build", lambda m: None)
    ran: list[int] = []
    real = engine._compile
    engine._compile = lambda *a, **k: ran.append(1) or real(*a, **k)
    try:
        images = build_recipe(recipe, "qemu_riscv64", work / "build", lambda m: None)
    finally:
        engine._compile = real
    assert ran == []
    assert sorted(images) == ["count", "greet"]


@pytest.mark.qemu
def test_a_difference_fails_the_case_with_its_reason(tmp_path, work) -> None:
    # the same app, with a board-only define that changes greet's greeting
    app = tmp_path / "twoprog"
    app.mkdir()
    text = (APP / "app.toml").read_text().replace('path = "src"', f'path = "{APP / "src"}"')
    text = text.replace('[run]', '[build.board.qemu_riscv64]\ndefines = [\'GREETING="hi"\']\n\n[run]')
    text = text.replace('three.txt" = "tests/three.txt"', f'three.txt" = "{APP}/tests/three.txt"')
    (app / "app.toml").write_text(text)
    recipe = load_recipe(app)
    opts = SimpleNamespace(boards=["qemu_riscv64"], jobs=2, out=tmp_path / "out",
                           build_dir=tmp_path / "build", results_dir=None, docs_file=None,
                           call_timeout=20.0, min_pass=None, tier="quick", fmt="text",
                           only=["greet-args", "count-file"])
    assert validate_recipe(recipe, opts) == 1
    doc = json.loads((tmp_path / "out" / "app-twoprog.json").read_text())
    assert doc["boards"]["qemu_riscv64"] == {"count-file": "PASS", "greet-args": "FAIL"}
    assert doc["reasons"]["qemu_riscv64"]["greet-args"] == \
        "stdout differs: -> hello | +> hi"


def test_a_board_the_recipe_rules_out_runs_nothing_and_says_why(tmp_path) -> None:
    app = tmp_path / "twoprog"
    app.mkdir()
    text = (APP / "app.toml").read_text().replace('path = "src"', f'path = "{APP / "src"}"')
    text = text.replace('summary = "two small programs and a library"',
                        'summary = "two small programs and a library"\n'
                        'unsupported = { qemu_riscv64 = "needs more memory" }')
    text = text.replace('three.txt" = "tests/three.txt"', f'three.txt" = "{APP}/tests/three.txt"')
    (app / "app.toml").write_text(text)
    recipe = load_recipe(app)
    opts = SimpleNamespace(boards=["qemu_riscv64"], jobs=1, out=tmp_path / "out",
                           build_dir=tmp_path / "build", results_dir=None, docs_file=None,
                           call_timeout=20.0, min_pass=None, tier="quick", fmt="text",
                           only=["greet-args"])
    assert validate_recipe(recipe, opts) == 0
    doc = json.loads((tmp_path / "out" / "app-twoprog.json").read_text())
    assert doc["boards"]["qemu_riscv64"] == {"greet-args": "UNTESTED"}
    assert doc["reasons"]["qemu_riscv64"]["greet-args"] == \
        "twoprog does not run on qemu_riscv64: needs more memory"
    assert not (tmp_path / "build").exists()

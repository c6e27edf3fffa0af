"""Every app of apps/ whose recipe uses a built-in driver, validated on every board in the quick
tier (what CI runs): built from its Debian source package, its cases run on the host build and
on QEMU, at least the recipe's min_pass of the cases run passing. Results land in
build/validate/apps/<board>/ for a reader (and a release) to look at."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bkport.paths import source, work_dir
from bkport.recipe import load_recipe
from bkport.toolchain.targets import BOARDS
from bkport.validate.options import ValidateOptions

pytestmark = [pytest.mark.qemu, pytest.mark.toolchain, pytest.mark.debian]


def _recipes() -> list[str]:
    names = []
    for toml in sorted(source("apps").glob("*/app.toml")):
        test = load_recipe(toml).test
        if test is not None and test.plugin is None:
            names.append(toml.parent.name)
    return names


@pytest.mark.parametrize("board", sorted(BOARDS))
@pytest.mark.parametrize("app", _recipes())
def test_recipe_quick_tier(app: str, board: str) -> None:
    from bkport.apps.validate import validate_recipe

    recipe = load_recipe(source("apps") / app)
    if board in recipe.unsupported:  # the recipe says why; validate lists every case as not run
        pytest.skip(recipe.unsupported[board])
    out = work_dir() / "validate" / "apps" / board
    opts = ValidateOptions(boards=(board,), out=out, jobs=2, tier="quick",
                           min_pass=recipe.test.min_pass,
                           docs_file=out / f"{app}.md")
    status = validate_recipe(recipe, opts)
    doc = json.loads((out / f"app-{app}.json").read_text())
    results = doc["boards"][board]
    ran = [c for c, v in results.items() if v != "UNTESTED"]
    passed = [c for c in ran if results[c] == "PASS"]
    failed = {c: doc["reasons"][board].get(c, "") for c in ran if results[c] == "FAIL"}
    assert ran, f"{app} ran no case on {board}"
    assert status == 0, f"{app} on {board}: {len(passed)}/{len(ran)} pass; failed: {failed}"
    # min_pass leaves room for a case or two: a case that passes in the committed full-tier
    # results must not be one of them (sqlite's output-modes faulted at exit for a day unseen).
    committed = _committed(app, board)
    regressed = {c: why for c, why in failed.items() if committed.get(c) == "PASS"}
    assert not regressed, f"{app} on {board}: passing in tests/apps/results/app-{app}.json, " \
        f"failing now: {regressed}"


def _committed(app: str, board: str) -> dict[str, str]:
    """The case verdicts the committed full-tier results (tests/apps/results/) give `board`."""
    path = Path(__file__).parent / "results" / f"app-{app}.json"
    if not path.is_file():
        return {}
    return json.loads(path.read_text()).get("boards", {}).get(board, {})

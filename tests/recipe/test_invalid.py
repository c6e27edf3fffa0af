"""Every class of bad recipe is reported at its key (file:line:col), all problems in one run.

Each tests/recipe/invalid/*.toml holds leading comments:
  # expect: app.toml:LINE:COL: MESSAGE   one exact diagnostic, in the order they are reported
  # file: RELATIVE/PATH                  a file created in the recipe folder before loading
The case is copied as app.toml into a folder named "demo", the app name every case uses.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bkport.errors import Diagnostic, InputError
from bkport.recipe import load_recipe

INVALID = sorted((Path(__file__).parent / "invalid").glob("*.toml"))


def directives(path: Path, name: str) -> list[str]:
    return [m[1] for line in path.read_text().splitlines()
            if (m := re.fullmatch(rf"# {name}: (.*)", line))]


def shown(d: Diagnostic) -> str:
    """A diagnostic as the case files write it: the file's name only, not the tmp folder."""
    where = ":".join(str(x) for x in (Path(d.loc.file).name, d.loc.line, d.loc.col)
                     if x is not None)
    return f"{where}: {d.message}"


def load_case(case: Path, tmp_path: Path) -> list[str]:
    folder = tmp_path / "demo"
    folder.mkdir()
    shutil.copy(case, folder / "app.toml")
    for rel in directives(case, "file"):
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text("")
    with pytest.raises(InputError) as exc:
        load_recipe(folder)
    return [shown(d) for d in exc.value.diagnostics]


def test_corpus_is_big_enough():
    assert len(INVALID) >= 20


@pytest.mark.parametrize("case", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_recipe_reports_every_problem_at_its_key(case: Path, tmp_path: Path):
    expected = directives(case, "expect")
    assert expected, f"{case.name} declares no '# expect:' lines"
    assert load_case(case, tmp_path) == expected

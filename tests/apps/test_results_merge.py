"""Revalidating one board (or some cases) updates those in the committed results and keeps the
rest: `bkport validate --results` merges into what is there."""
import json

import pytest
from bkport.apps.validate import APPS_SCHEMA, build_error_line, load_results, merge_results
from bkport.errors import BkportError


def _doc(boards, reasons=None, figures=None):
    return {"schema": APPS_SCHEMA, "app": "demo", "generator": "g", "boards": boards,
            "reasons": reasons or {}, "figures": figures or {}}


def test_a_run_on_one_board_keeps_the_others():
    old = _doc({"a": {"x": "PASS", "y": "FAIL"}, "b": {"x": "FAIL", "y": "FAIL"}},
               {"a": {"y": "differs"}, "b": {"x": "not built", "y": "not built"}},
               {"a": {"heap_peak": 1}, "b": {"heap_peak": 2}})
    new = _doc({"b": {"x": "PASS", "y": "PASS"}}, {}, {"b": {"heap_peak": 3}})
    got = merge_results(old, new, {"x", "y"})
    assert got["boards"] == {"a": {"x": "PASS", "y": "FAIL"}, "b": {"x": "PASS", "y": "PASS"}}
    # b's cases ran again and passed: their old reasons are gone, a's is kept
    assert got["reasons"] == {"a": {"y": "differs"}, "b": {}}
    assert got["figures"] == {"a": {"heap_peak": 1}, "b": {"heap_peak": 3}}


def test_a_run_with_only_keeps_the_boards_other_cases_and_drops_removed_cases():
    old = _doc({"a": {"x": "FAIL", "y": "PASS", "gone": "PASS"}}, {"a": {"x": "was bad"}})
    new = _doc({"a": {"x": "PASS"}})
    got = merge_results(old, new, {"x", "y"})
    assert got["boards"] == {"a": {"x": "PASS", "y": "PASS"}}
    assert got["reasons"] == {"a": {}}


def test_results_of_another_app_or_not_json_are_refused(tmp_path):
    f = tmp_path / "app-demo.json"
    assert load_results(f, "demo") is None
    f.write_text(json.dumps(_doc({})).replace('"demo"', '"other"'))
    with pytest.raises(BkportError, match="not demo's results"):
        load_results(f, "demo")
    f.write_text("{\n oops")
    with pytest.raises(BkportError, match=r"app-demo.json:2: not valid JSON"):
        load_results(f, "demo")


def test_a_build_failure_is_named_by_its_error_line_not_the_command():
    msg = ("rustc failed: /usr/bin/rustc --edition 2021 " + "-C x " * 200 + "\n"
           "error[E0425]: cannot find function `f` in module `crate::exit`\nerror: aborting")
    assert build_error_line(msg) == "error[E0425]: cannot find function `f` in module `crate::exit`"
    assert len(build_error_line("x" * 1000)) == 300


def test_the_apps_page_carries_the_analyser_section_and_build_figures():
    from bkport.apps.validate import ANALYSIS_HEADING, markdown, readme_section
    from bkport.recipe import load_recipe
    from bkport.recipe.loader import find_recipe

    recipe = load_recipe(find_recipe("zlib"))
    section = readme_section(recipe.folder / "README.md", ANALYSIS_HEADING)
    assert section and "analy" in section  # the README has the section, non-empty
    doc = _doc({"b": {"c": "PASS"}}, {}, {"b": {
        "footprint": {"minigzip": {"text": 10, "data": 2, "bss": 3}}, "build_seconds": 9.5,
        "build_cold": True, "rebuild_seconds": 0.21, "board_seconds": 1.0,
        "host_seconds": 0.1, "heap_peak": 100, "stack_peak": 50}})
    page = markdown(recipe, doc)
    assert "| b | 10 / 2 / 3 (minigzip) | 9.5 (cold) | 0.21 | 1.0 | 0.1 | 100 | 50 |" in page
    assert page.index(f"## {ANALYSIS_HEADING}") > page.index("## Figures")
    assert section.splitlines()[0] in page

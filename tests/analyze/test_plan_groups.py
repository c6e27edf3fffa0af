"""The support plan in groups: the common core every target needs first (one group, after which
some targets complete), then one step at a time; the nearest targets name their own blockers."""

from __future__ import annotations

from pathlib import Path

from bkport.analyze.pipeline import Options, analyze
from bkport.analyze.plan import common_core, plan_groups, support_plan
from bkport.analyze.report import render

CORE = {"core_x", "core_y", "core_z"}


def test_common_core_then_steps() -> None:
    missing = {"a": set(CORE), "b": CORE | {"own1"}, "c": CORE | {"own1", "own2"},
               "d": CORE | {"own3"}, "e": set(CORE), "f": set()}
    # 5 of 6 targets need the core: below 90% of all six, so it is no common core...
    assert common_core(missing) == set()
    missing["f"] = set(CORE) | {"own4"}
    assert common_core(missing) == CORE  # ...and 6 of 6 is
    plan = support_plan(missing)
    assert [p["group"] for p in plan[:3]] == ["core"] * 3
    assert {p["api"] for p in plan[:3]} == CORE
    assert [p["unblocks"] for p in plan[:3]] == [0, 0, 2]  # a and e complete with the core
    assert plan[2]["completeness_after"] == round(2 / 6, 4)
    assert [p["api"] for p in plan[3:]] == ["own1", "own2", "own3", "own4"]
    assert all(p["group"] == "single" for p in plan[3:])
    assert plan[-1]["completeness_after"] == 1.0
    assert [p["step"] for p in plan] == list(range(1, 8))  # the JSON `plan` keeps its shape
    groups = plan_groups(plan)
    assert groups[0]["group"] == "core" and groups[0]["steps"] == [1, 3]
    assert set(groups[0]["apis"]) == CORE and groups[0]["unblocks"] == 2
    assert [g["apis"] for g in groups[1:]] == [["own1"], ["own2"], ["own3"], ["own4"]]


def test_no_core_for_few_targets_or_a_single_common_api() -> None:
    assert common_core({"a": {"x", "y"}, "b": {"x", "y"}}) == set()
    assert common_core({"a": {"x"}, "b": {"x", "y"}, "c": {"x", "z"}}) == set()
    plan = support_plan({"a": {"x"}, "b": {"x", "y"}, "c": {"x", "z"}})
    assert all(p["group"] == "single" for p in plan)


TABLES = """\
/* This is a generated file, don't edit */
#define NUM_APPLETS 5
const char applet_names[] ALIGN1 = ""
"aa" "\\0"
"bb" "\\0"
"cc" "\\0"
"dd" "\\0"
"ee" "\\0"
;
int (*const applet_main[])(int argc, char **argv) = {
aa_main,
bb_main,
cc_main,
dd_main,
ee_main,
};
"""

APPLETS = {
    "aa": "return 0;",
    "bb": "return own1();",
    "cc": "return own1() + own2();",
    "dd": "return own3();",
    "ee": "return 1;",
}

MAIN = """\
int core_x(void); int core_y(void); int core_z(void);
int main(int argc, char **argv)
{
    (void)argv;
    core_x(); core_y(); core_z();
    return argc;
}
"""


def busybox_like(root: Path) -> Path:
    for d in ("applets", "libbb", "include"):
        (root / d).mkdir(parents=True)
    (root / "applets" / "applet_tables.c").write_text("/* host tool */\n")
    (root / "include" / "applet_tables.h").write_text(TABLES)
    (root / ".config").write_text("CONFIG_FOO=y\n")
    (root / "libbb" / "appletlib.c").write_text(MAIN)
    for name, body in APPLETS.items():
        (root / f"{name}.c").write_text(
            "int own1(void); int own2(void); int own3(void);\n"
            f"int {name}_main(int argc, char **argv) {{ {body} }}\n")
    return root


def test_busybox_plan_groups_and_nearest(tmp_path: Path, cache_env: Path) -> None:
    doc = analyze(busybox_like(tmp_path / "bb"), Options(jobs=1))
    t = doc["targets"]
    assert t["kind"] == "applet" and t["count"] == 5 and t["complete"] == 0
    assert t["core_missing"] == sorted(CORE)
    near = {c["target"]: c for c in t["closest"]}
    assert near["aa"]["missing"] == sorted(CORE) and near["aa"]["own"] == []
    assert near["cc"]["own"] == ["own1", "own2"]
    plan = doc["plan"]
    assert {p["api"] for p in plan if p["group"] == "core"} == CORE
    assert sum(p["unblocks"] for p in plan if p["group"] == "core") == 2  # aa, ee
    assert [p["api"] for p in plan if p["group"] == "single"] == ["own1", "own2", "own3"]
    text = render(doc, "text")
    assert "the common core, these 3 APIs" in text
    assert "+2    -> 40.0%" in text
    lines = text.splitlines()
    assert [ln for ln in lines if "core_x" in ln and "common to every applet" in ln]
    assert not [ln for ln in lines if "nearest" in ln and "core_x" in ln]  # said once, above
    assert "nearest: aa, ee lack only the common ones" in text  # one line for both
    assert "nearest: cc lacks the common ones and 2 more: own1, own2" in text
    md = render(doc, "md")
    assert "| 1-3 | common core, 3 APIs: " in md and "| 4 | own1 | 1 | 60.0% |" in md
    assert "common core, 3 APIs" in render(doc, "html")

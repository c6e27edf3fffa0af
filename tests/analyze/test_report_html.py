"""The analysis page (`--format html`), parsed back: every finding located and linked to its
source line, every chart mark equal to the document's numbers, nothing fetched from anywhere."""

from __future__ import annotations

import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from bkport.analyze import report_html
from bkport.analyze.classify import BLOCKING
from bkport.analyze.pipeline import Options, analyze
from bkport.analyze.project import api_key
from bkport.analyze.report import render
from bkport.analyze.report_charts import plan_steps, stacked_counts


class Element:
    def __init__(self, tag: str, attrs: dict[str, str]):
        self.tag, self.attrs, self.text = tag, attrs, ""
        self.children: list[Element] = []

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def find(self, tag: str, cls: str | None = None) -> list[Element]:
        out = []
        for c in self.children:
            if c.tag == tag and (cls is None or cls in c.classes()):
                out.append(c)
            out += c.find(tag, cls)
        return out


VOID = {"meta", "br", "col", "img", "hr", "input", "link"}


class Tree(HTMLParser):
    """A strict little DOM: a tag closed out of order fails the test (the page is well formed)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]
        self.ids: dict[str, Element] = {}
        self.feed(text)
        self.close()
        assert self.stack == [self.root], f"unclosed: {[e.tag for e in self.stack[1:]]}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        e = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(e)
        if "id" in e.attrs:
            assert e.attrs["id"] not in self.ids, f"duplicate id {e.attrs['id']}"
            self.ids[e.attrs["id"]] = e
        if tag not in VOID:
            self.stack.append(e)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for e in self.stack[1:]:
            e.text += data


# Several sites of one API, one of them configured out: the listing orders and counts them.
MORE_C = r"""
#include <signal.h>
#include <unistd.h>

static void on(int s) { (void)s; }

int more(void)
{
    signal(SIGHUP, on);
    signal(SIGUSR1, on);
    if (0)
        signal(SIGUSR2, on);
    return fork() + fork();
}
"""


@pytest.fixture()
def doc(project: Path) -> dict:
    (project / "more.c").write_text(MORE_C)
    db = json.loads((project / "compile_commands.json").read_text())
    db.append({"directory": str(project), "file": "more.c",
               "arguments": ["gcc", "-std=c99", "-c", "-o", "more.o", "more.c"]})
    (project / "compile_commands.json").write_text(json.dumps(db))
    return analyze(project, Options(jobs=1))


@pytest.fixture()
def tree(doc: dict) -> Tree:
    return Tree(render(doc, "html", top=100))


def test_every_finding_has_a_relative_location_linked_to_its_source_line(
        doc: dict, tree: Tree, project: Path) -> None:
    rows = tree.root.find("tr", "finding")
    needing_work = [a for a in doc["apis"] if a["status"] not in ("supported", "info")]
    expected = Counter()
    for f in doc["findings"]:
        if any(a["key"] == api_key(f["kind"], f["api"]) for a in needing_work):
            expected[(f["file"], f["line"], f["col"])] += 1
    assert len(rows) == sum(expected.values()) > 10  # every site of every such API, listed
    for row in rows:
        where = row.attrs["data-where"]
        m = re.fullmatch(r"([^/][^:]*):(\d+):(\d+)", where)
        assert m, f"not a relative file:line:col: {where}"
        path, line = project / m[1], int(m[2])
        assert expected[(str(path), line, int(m[3]))], where
        loc = row.find("a", "loc")[0]
        assert loc.text == where
        target = tree.ids[loc.attrs["href"].removeprefix("#")]  # the excerpt line, in the page
        source_line = path.read_text().splitlines()[line - 1]
        assert target.find("span", "ln")[0].text == str(line)
        assert target.text.endswith(source_line)
        uri = urlparse(row.find("a", "file")[0].attrs["href"])
        assert uri.scheme == "file" and Path(unquote(uri.path)) == path
        assert row.find("td", "code")[0].text == source_line.strip()


def test_the_listing_says_how_many_sites_it_left_out(doc: dict, project: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_html, "SITES_SHOWN", 1)
    p = report_html.page(doc, top=100)
    for a in p.apis:
        total = sum(1 for f in doc["findings"] if api_key(f["kind"], f["api"]) == a.key)
        assert len(a.findings) == min(total, 1) and a.more == total - len(a.findings)
    assert {a.key: a.more for a in p.apis}["signal"] == 3  # 4 sites, one of them dead
    # live sites first: an API with live and dead sites lists a live one
    assert all(a.findings[0].live for a in p.apis if a.sites)
    monkeypatch.undo()
    apis = report_html.page(doc, top=100).apis
    for a in apis:  # live sites first, then those the configuration discards
        assert [f.live for f in a.findings] == sorted((f.live for f in a.findings), reverse=True)
    dead = {f.code for a in apis for f in a.findings if not f.live}
    assert {"signal(SIGUSR2, on);", "fork();"} <= dead


def test_status_and_option_group_charts_match_the_document(doc: dict, tree: Tree) -> None:
    status = {b.attrs["data-status"]: int(b.attrs["data-count"])
              for b in tree.ids["chart-status"].find("rect", "bar")}
    assert status == {s: n for s, n in doc["counts"].items() if s in BLOCKING and n}
    groups: Counter[tuple[str, str]] = Counter()
    for b in tree.ids["chart-groups"].find("rect", "bar"):
        groups[(b.attrs["data-row"], b.attrs["data-status"])] += int(b.attrs["data-count"])
    want = Counter((a["option_group"] or report_html.NO_GROUP, a["status"])
                   for a in doc["apis"] if a["status"] in BLOCKING)
    assert groups == want


def test_completeness_and_plan_charts_match_the_document(doc: dict, tree: Tree) -> None:
    cols = tree.ids["chart-targets"].find("rect", "col")
    assert {c.attrs["data-target"] for c in cols} == set(doc["matrix"])
    status = {a["key"]: a["status"] for a in doc["apis"]}
    for c in cols:
        fp = [k for k in doc["matrix"][c.attrs["data-target"]] if status[k] != "info"]
        bad = [k for k in fp if status[k] in BLOCKING]
        assert int(c.attrs["data-blocking"]) == len(bad)
        assert float(c.attrs["data-value"]) == pytest.approx(1 - len(bad) / len(fp), abs=1e-4)
    values = [float(c.attrs["data-value"]) for c in cols]
    assert values == sorted(values)  # least complete first
    assert sum(c.attrs["data-blocking"] == "0" for c in cols) == doc["targets"]["complete"]
    # every target is named relative to the tree, as the findings are
    assert all(not t.startswith("/") for t in (c.find("title")[0].text for c in cols))

    steps = tree.ids["chart-plan"].find("circle", "step")
    assert [(int(s.attrs["data-step"]), s.attrs["data-api"], float(s.attrs["data-value"]))
            for s in steps] == [(p["step"], p["api"], p["completeness_after"])
                                for p in doc["plan"]]
    ys = [float(s.attrs["cy"]) for s in steps]
    assert ys == sorted(ys, reverse=True) and ys[-1] < ys[0]  # cumulative: only ever up


def test_the_page_is_self_contained(tree: Tree, doc: dict) -> None:
    page = render(doc, "html")
    assert page.startswith("<!DOCTYPE html>") and "@generated by bkport analyze" in page
    assert not tree.root.find("script") and not tree.root.find("link")
    assert not tree.root.find("img") and not tree.root.find("iframe")
    urls = re.findall(r'(?:href|src)="([^"#][^"]*)"', page)
    assert urls and all(u.startswith("file://") for u in urls)  # only the tree's own files
    assert "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_source_text_is_escaped(doc: dict, tmp_path: Path) -> None:
    """Source lines, paths and notes go through the template's escaping, never raw."""
    hostile = "<script>alert(1)</script> & x < y"
    page = report_html.render(doc, read=lambda path: [hostile] * 200)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; x" in page
    Tree(page)  # still well formed


def test_an_unreadable_source_leaves_the_finding_located_without_an_excerpt(doc: dict) -> None:
    tree = Tree(report_html.render(doc, read=lambda path: None))
    rows = tree.root.find("tr", "finding")
    assert rows and all(r.find("a", "loc") and r.find("td", "code")[0].text == "" for r in rows)


def test_chart_geometry() -> None:
    c = stacked_counts("t", [("a", {"unsupported": 3, "unknown": 1}), ("b", {"partial": 2})],
                       ["unsupported", "unknown", "partial"])
    a, b = c.rows
    # one count scale: the longest bar fills the plot, the others in proportion
    assert a.segments[-1].x + a.segments[-1].width == pytest.approx(c.width - 60)
    assert b.segments[0].width == pytest.approx(a.segments[0].width * 2 / 3, abs=0.01)
    plan = [{"step": 1, "api": "x", "completeness_after": 0.0, "group": "core"},
            {"step": 2, "api": "y", "completeness_after": 0.5, "group": "core"},
            {"step": 3, "api": "z", "completeness_after": 1.0, "group": "single"}]
    pc = plan_steps("p", 0.0, plan)
    assert pc.core_x == (pc.left, pc.points[1].x)
    assert pc.path.count("H") == 3 and pc.points[-1].y == pc.base - pc.plot_height


def test_a_tree_with_nothing_to_do_still_renders(project: Path) -> None:
    doc = analyze(project, Options(jobs=1, only=("util.c",)))  # puts: supported
    assert not doc["plan"] and all(a["status"] in ("supported", "info") for a in doc["apis"])
    tree = Tree(render(doc, "html"))
    assert not tree.root.find("tr", "finding") and "chart-plan" not in tree.ids
    assert not tree.ids["chart-status"].find("rect", "bar")
    cols = tree.ids["chart-targets"].find("rect", "col")
    assert [(c.attrs["data-value"], c.attrs["data-blocking"]) for c in cols] == [("1.0", "0")]

"""The walker's preorder layout of a definition (bkport.analyze.flatten): the native helper and
the Python visitor give the same cursors with the same subtree ends, the same tree as plain
child-by-child recursion, and the extracted facts do not depend on which one ran.

One known difference, harmless to the facts: libclang's recursive visit shows a case label's
constant twice, the second as the only child of the first (same kind, same text); child-by-child
recursion shows it once. `shape` drops such a copy."""

from __future__ import annotations

from pathlib import Path

import clang.cindex as ci
import pytest
from bkport import native
from bkport.analyze import compdb, extract, flatten

SOURCE = """\
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define SQUARE(x) ({ int y_ = (x); y_ * y_; })
#define CHECK(c) do { if (!(c)) abort(); } while (0)
struct pt { int x, y; };
static int helper(int v) { return v > 0 ? v : -v; }
int work(int argc, char **argv)
{
    struct pt p = { .x = argc, .y = (int)strlen(argv[0]) };
    if (0 && puts("never"))
        return 1;
    if (argc > 1 || getenv("X") != NULL)
        p.x += SQUARE(helper(p.y));
    switch (p.x) {
    case 1:
        return 2;
        puts("dead after return");
    case 2:
    again:
        p.y--;
        if (p.y > 0)
            goto again;
        break;
    default:
        while (p.x-- > 0)
            CHECK(p.x < 100);
    }
    return sizeof(struct pt) + (p.x ? fputs("x", stderr) : 0);
}
"""


def args() -> list[str]:
    return ["-std=gnu11", "-resource-dir", str(compdb.resource_dir())]


def parse(tmp_path: Path, text: str) -> ci.TranslationUnit:
    src = tmp_path / "t.c"
    src.write_text(text)
    tu = ci.Index.create().parse(str(src), args())
    assert not [d for d in tu.diagnostics if d.severity >= ci.Diagnostic.Error]
    return tu


def by_recursion(c: ci.Cursor) -> tuple[list[ci.Cursor], list[int], list[int]]:
    cur: list[ci.Cursor] = []
    ends: list[int] = []

    def go(x: ci.Cursor) -> None:
        for ch in flatten.children(x):
            i = len(cur)
            cur.append(ch)
            ends.append(0)
            go(ch)
            ends[i] = len(cur)

    go(c)
    return cur, [x._kind_id for x in cur], ends


def shape(flat: tuple) -> list[tuple[int, int, int, int]]:
    """(depth, kind, start, end offset) per node, without a node that repeats its parent."""
    cur, kinds, ends = flat
    out, stack = [], []
    for i in range(len(kinds)):
        while stack and ends[stack[-1]] <= i:
            stack.pop()
        ext = cur[i].extent
        row = (len(stack), kinds[i], ext.start.offset, ext.end.offset)
        parent = stack[-1] if stack else None
        if not (parent is not None and ends[parent] == i + 1 == parent + 2
                and out and out[-1][1:] == row[1:]):
            out.append(row)
        stack.append(i)
    return out


def definitions(tu: ci.TranslationUnit) -> list[ci.Cursor]:
    return [c for c in flatten.children(tu.cursor)
            if c._kind_id == extract.K_FUNC and c.is_definition()
            and not c.location.is_in_system_header]


def layout(flat: tuple) -> tuple[list[bytes], list[int], list[int]]:
    cur, kinds, ends = flat
    return [bytes(c) for c in cur], list(kinds), list(ends)


def test_native_python_and_recursion_agree(tmp_path: Path, cache_env: Path) -> None:
    if flatten.native_walker() is None:
        pytest.fail("the native walk helper did not build with the host clang")
    tu = parse(tmp_path, SOURCE)
    defs = definitions(tu)
    assert [d.spelling for d in defs] == ["helper", "work"]
    for d in defs:
        native = flatten.flatten(d)
        assert layout(native) == layout(flatten.flatten_python(d))
        want = shape(by_recursion(d))
        assert len(want) > (5 if d.spelling == "helper" else 100)
        assert shape(native) == want
        # every subtree end lies inside its parent's: a real tree, not a flat list
        ends = native[2]
        assert all(i < ends[i] <= len(ends) for i in range(len(ends)))
        assert any(ends[i] > i + 1 for i in range(len(ends)))


def test_a_definition_larger_than_the_first_buffer(tmp_path: Path, cache_env: Path) -> None:
    body = "".join(f"    s += puts(\"{i}\") + (int)strlen(\"{i}\");\n" for i in range(900))
    tu = parse(tmp_path, f"#include <stdio.h>\n#include <string.h>\nint big(void)\n{{\n"
                         f"    int s = 0;\n{body}    return s;\n}}\n")
    (d,) = definitions(tu)
    got = flatten.flatten(d)
    assert len(got[0]) > 4096 * 2  # past the first scratch size, twice
    assert shape(got) == shape(by_recursion(d))
    assert layout(got) == layout(flatten.flatten_python(d))


def facts(tmp_path: Path) -> dict:
    src = tmp_path / "t.c"
    src.write_text(SOURCE)
    doc = extract.extract_tu(ci.Index.create(), str(src), args(), extract.Settings(
        frozenset(), {}))
    assert doc["errors"] == 0
    return {k: doc[k] for k in ("nodes", "headers", "includes", "errors")}


def test_facts_do_not_depend_on_the_walker(tmp_path: Path, cache_env: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    native = facts(tmp_path)
    refs = {r[1] for r in native["nodes"]["work"]["refs"]}
    assert {"puts", "getenv", "strlen", "fputs", "abort", "helper@" + str(tmp_path / "t.c")} <= refs
    dead = {r[1] for r in native["nodes"]["work"]["refs"] if not r[6]}
    assert "puts" in dead  # `0 && puts(...)`: a dead use
    monkeypatch.setattr(flatten, "_lib", [None])  # as without a compiler
    assert facts(tmp_path) == native


def test_without_a_compiler_the_python_visitor_serves(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BKPORT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(flatten, "_lib", [])
    monkeypatch.setattr(native.shutil, "which", lambda name: None)
    assert flatten.native_walker() is None
    assert not (tmp_path / "cache" / "native").exists() or \
        not any((tmp_path / "cache" / "native").glob("*.so"))
    tu = parse(tmp_path, SOURCE)
    d = definitions(tu)[1]
    assert shape(flatten.flatten(d)) == shape(by_recursion(d))


def test_references_to_locals_are_marked_alike_by_both(tmp_path: Path, cache_env: Path) -> None:
    """With mark_locals, a reference to a local, a parameter or an enumerator gets K_LOCAL_REF;
    one to a function or a global (static or not) stays a DeclRefExpr; the helper and the
    Python pass agree node for node."""
    tu = parse(tmp_path, "#include <stdio.h>\nenum { ONE = 1 };\nstatic int g;\nint e;\n"
                         "int f(int p) { int l = p + ONE; g += l + e; return puts(\"x\") + l; }\n")
    (d,) = definitions(tu)
    cur, kinds, _ = flatten.flatten(d, mark_locals=True)
    refs = [(cur[i].spelling, k) for i, k in enumerate(kinds)
            if k in (flatten.K_LOCAL_REF, extract.K_DECL_REF)]
    marked = {name for name, k in refs if k == flatten.K_LOCAL_REF}
    kept = {name for name, k in refs if k == extract.K_DECL_REF}
    assert marked == {"p", "ONE", "l"}
    assert kept == {"g", "e", "puts"}
    py = flatten.flatten_python(d)
    flatten.mark_local_refs_python(*py)
    assert list(py[1]) == list(kinds)

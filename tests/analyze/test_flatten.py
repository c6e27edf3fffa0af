"""The walker's preorder layout of a definition (bkport.analyze.flatten): the native helper and
the Python visitor give the same cursors with the same subtree ends, the same tree as plain
child-by-child recursion, and the extracted facts do not depend on which one ran.

One known difference, harmless to the facts: libclang's recursive visit shows a case label's
constant twice, the second as the only child of the first (same kind, same text); child-by-child
recursion shows it once. `shape` drops such a copy."""

from __future__ import annotations

import os
import subprocess
import sys
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


# Every construct the walk treats apart, for the native walk (bk_walk) against the Python one:
# constant folding of && || ! and ?:, code after return/goto/break made dead and made live again
# by a label or a case, calls through pointers, address-taken functions, globals, locals,
# enumerators, types from system headers, /proc and /sys strings, asm statements, syscall
# numbers, ioctl requests, constant arguments, API macros, a static inline from a header
# (walked only when used), a definition nested in a constant condition.
RICH_H = """\
#include <limits.h>
#include <stdio.h>
static inline int twice(int x) { return puts("twice") + 2 * x; }
static inline int unused(int x) { return putchar(x); }
static inline int chain(int x) { return twice(x) + (x ? chain2(x - 1) : 0); }
static inline int chain2(int x) { return x > 3 ? 0 : chain(x); }
"""

RICH = """\
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
static inline int chain2(int x);
#include "rich.h"
#define ENABLE_X 0
#define ENABLE_Y 1
#define BARRIER() __asm__ __volatile__("" ::: "memory")
enum { RED, GREEN = 4 };
static int counter;
int shared = 3;
extern char **environ;
typedef int (*op_fn)(int);
static int inc(int v) { return v + 1; }
static op_fn pick(int which) { return which ? inc : twice; }
int rich(int argc, char **argv)
{
    struct stat st;
    pthread_t th;
    FILE *f = NULL;
    int n = GREEN + counter + shared, fd;
    struct winsize ws;
    if (ENABLE_X && getenv("A"))
        n++;
    if (ENABLE_Y || getenv("B"))
        n++;
    if (!ENABLE_Y)
        abort();
    if (!(ENABLE_X || 0))
        n += atoi("1");
    n += ENABLE_X ? system("x") : (int)strlen("y");
    n += 1 ? 2 : puts("never");
    while (0)
        exit(3);
    while (argc-- > 0)
        n += pick(argc)(n);
    if (stat("/proc/self/stat", &st) == 0 && S_ISDIR(st.st_mode))
        n++;
    fd = open("/sys/class", O_RDONLY | O_CLOEXEC);
    n += fcntl(fd, F_SETFL, O_NONBLOCK);
    n += (int)syscall(SYS_gettid);
    ioctl(0, TIOCGWINSZ, &ws);
    n += strlen(L"/proc" == 0 ? "" : "/process") + strlen("/sys") + strlen("/sys/x" "y");
    __asm__ volatile("nop");
    BARRIER();
    if (errno == EINTR || isdigit(argv[0][0]))
        n += tolower(argv[0][0]);
    n += environ != NULL;
    pthread_create(&th, NULL, NULL, NULL);
    f = fopen("x", "r");
    switch (n) {
    case RED:
        return 1;
        puts("dead after return");
    case GREEN:
    again:
        n--;
        if (n > 0)
            goto again;
        break;
        puts("dead after break? no: break is not a return");
    default: {
        if (n)
            return 2;
        else
            return 3;
        perror("dead after if/else that both return");
    }
    }
    if (0) {
    inside:
        puts("reachable by goto");
    }
    if (n == 42)
        goto inside;
    {
        return chain(n) + (f != NULL);
    }
    remove("dead at the end");
}
int also = sizeof(struct stat) + RED;
"""


def rich_facts(tmp_path: Path, settings: extract.Settings) -> dict:
    src = tmp_path / "rich.c"
    src.write_text(RICH)
    (tmp_path / "rich.h").write_text(RICH_H)
    doc = extract.extract_tu(ci.Index.create(), str(src), [*args(), "-I", str(tmp_path)],
                             settings)
    assert doc["errors"] == 0, doc["diagnostics"]
    return {k: doc[k] for k in ("nodes", "headers", "includes", "errors")}


def test_the_native_walk_gives_the_python_walks_facts(tmp_path: Path, cache_env: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from bkport.analyze.pipeline import settings

    assert flatten.native_walker() is not None and flatten.native_walker().walk is not None
    native = rich_facts(tmp_path, settings())
    refs = [r for n in native["nodes"].values() for r in n["refs"]]
    kinds = {r[0] for r in refs}
    assert {"call", "addr", "var", "type", "path", "asm", "syscall", "ioctl", "arg",
            "macro"} <= kinds
    dead = {r[1] for r in refs if not r[6]}
    live = {r[1] for r in refs if r[6]}
    assert {"getenv", "abort", "system", "exit", "remove"} <= dead
    assert {"atoi", "strlen", "perror"} & dead == {"perror"}
    assert {"puts", "pick@" + str(tmp_path / "rich.c"), "fopen", "errno", "isdigit"} <= live
    paths = {r[1] for r in refs if r[0] == "path"}
    assert paths == {"/proc/self/stat", "/sys/class", "/proc", "/sys", "/sys/xy"}  # not /process
    # static inlines from the header: walked when reached, in a fixed order
    assert {"twice", "chain", "chain2"} <= {n["name"] for n in native["nodes"].values()}
    assert "unused" not in {n["name"] for n in native["nodes"].values()}
    monkeypatch.setattr(flatten, "_lib", [None])  # as without a compiler
    python = rich_facts(tmp_path, settings())
    assert python == native
    assert list(python["nodes"]) == list(native["nodes"])
    assert [n["refs"] for n in python["nodes"].values()] == \
        [n["refs"] for n in native["nodes"].values()]


def test_the_native_walk_reports_each_kind_of_event(tmp_path: Path, cache_env: Path) -> None:
    src = tmp_path / "rich.c"
    src.write_text(RICH)
    (tmp_path / "rich.h").write_text(RICH_H)
    tu = ci.Index.create().parse(str(src), [*args(), "-I", str(tmp_path)])
    (d,) = [c for c in definitions(tu) if c.spelling == "rich"]
    w = flatten.walk(d)
    assert w is not None
    seen = {w.ev_kind[e] for e in range(w.events)}
    assert seen == {flatten.EV_REF, flatten.EV_CALL, flatten.EV_TYPE, flatten.EV_STRING,
                    flatten.EV_ASM, flatten.EV_DEAD}
    # a call's and a reference's place is read in C: the same as libclang's Python location
    for e in range(w.events):
        if w.ev_kind[e] in (flatten.EV_REF, flatten.EV_CALL):
            loc = w.cur[w.ev_node[e]].location
            assert (w.ev_line[e], w.ev_col[e]) == (loc.line, loc.column)


def test_native_definitions_are_the_python_pick(tmp_path: Path, cache_env: Path) -> None:
    src = tmp_path / "rich.c"
    src.write_text(RICH)
    (tmp_path / "rich.h").write_text(RICH_H)
    tu = ci.Index.create().parse(str(src), [*args(), "-I", str(tmp_path)])
    native = flatten.definitions(tu)
    assert native is not None
    python = [c for c in flatten.children(tu.cursor) if extract._project_definition(c)]
    assert [bytes(c) for c in native] == [bytes(c) for c in python]
    assert [c.spelling for c in native] == ["twice", "unused", "chain", "chain2", "counter",
                                            "shared", "inc", "pick", "rich", "also"]


def test_the_order_of_facts_does_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """Definitions a header's static inlines reach are walked in a fixed order: the document's
    findings follow it (it followed a set's order, which changes with PYTHONHASHSEED)."""
    src = tmp_path / "rich.c"
    src.write_text(RICH)
    (tmp_path / "rich.h").write_text(RICH_H)
    code = ("import json, sys, clang.cindex as ci\n"
            "from bkport.analyze import extract, compdb\n"
            "from bkport.analyze.pipeline import settings\n"
            f"d = extract.extract_tu(ci.Index.create(), {str(src)!r}, ['-std=gnu11', "
            f"'-resource-dir', str(compdb.resource_dir()), '-I', {str(tmp_path)!r}], "
            "settings())\n"
            "print(json.dumps([[k, n['refs']] for k, n in d['nodes'].items()]))\n")
    outs = set()
    for seed in ("1", "2", "3"):
        env = dict(os.environ, PYTHONHASHSEED=seed, BKPORT_CACHE=str(tmp_path / "cache"))
        r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, check=True)
        outs.add(r.stdout)
    assert len(outs) == 1


def test_native_inclusions_are_the_python_ones(tmp_path: Path, cache_env: Path) -> None:
    src = tmp_path / "rich.c"
    src.write_text(RICH)
    (tmp_path / "rich.h").write_text(RICH_H)
    tu = ci.Index.create().parse(str(src), [*args(), "-I", str(tmp_path)])
    assert flatten.inclusions(tu) is not None
    native = extract._inclusions(tu)
    assert native == extract._inclusions_python(tu)
    kinds = {(r[4], r[5]) for r in native}
    assert kinds == {(True, True), (False, True), (False, False)}  # all three kinds seen
    project = [r for r in native if not r[5]]
    assert [r[0] for r in project] == [str(tmp_path / "rich.h")]
    # a project file's #include of a system header: where it is written
    assert (str(tmp_path / "rich.h"), 1) in {(r[1], r[2]) for r in native if r[5] and not r[4]}

"""What counts as a live use: constant tests inside a macro's own expansion (glibc's ctype
macros under -O2), assert under NDEBUG, compiler builtins and inline assembly."""

from __future__ import annotations

import json
from pathlib import Path

from bkport.analyze.pipeline import Options, analyze


def small_project(root: Path, sources: dict[str, str], args: list[str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    entries = []
    for name, text in sources.items():
        (root / name).write_text(text)
        entries.append({"directory": str(root), "file": name,
                        "arguments": ["gcc", *args, "-c", "-o", name[:-2] + ".o", name]})
    (root / "compile_commands.json").write_text(json.dumps(entries))
    return root


def uses(doc: dict, api: str) -> list[dict]:
    return [f for f in doc["findings"] if f["api"] == api]


def apis(doc: dict) -> dict[str, dict]:
    return {a["key"]: a for a in doc["apis"]}


CTYPE = """\
#include <ctype.h>
int f(const char *s) { return tolower((unsigned char)*s); }
int g(const char *s) { return toupper(*s); }
int h(const char *s) { if (0) return tolower(*s); return 0; }
"""


def test_tolower_under_O2_is_live(tmp_path: Path, cache_env: Path) -> None:
    for opt in ("-O2", "-Os", "-O0"):
        src = small_project(tmp_path / opt, {"c.c": CTYPE}, [opt])
        doc = analyze(src, Options(jobs=1))
        lower = {f["function"]: f["live"] for f in uses(doc, "tolower")}
        assert lower == {"f": True, "h": False}, (opt, uses(doc, "tolower"))
        assert [f["live"] for f in uses(doc, "toupper")] == [True], opt
        assert apis(doc)["tolower"]["call_sites"] == 1
        assert apis(doc)["tolower"]["dead_sites"] == 1


ASSERT = """\
#include <assert.h>
int f(const char *s) { assert(s != 0); return *s; }
"""

OWN_NDEBUG = """\
#ifndef NDEBUG
# define NDEBUG 1
#endif
#include <assert.h>
int f(const char *s) { assert(s != 0); return *s; }
"""


def test_assert_under_ndebug_is_no_use(tmp_path: Path, cache_env: Path) -> None:
    on = analyze(small_project(tmp_path / "on", {"a.c": ASSERT}, ["-O2"]), Options(jobs=1))
    found = uses(on, "assert")
    assert [(f["kind"], f["live"], f["symbol"]) for f in found] == \
        [("macro", True, "__assert_fail")]  # __assert_fail is judged as assert: one finding
    assert not uses(on, "__assert_fail")
    for name, text, args in (("flag", ASSERT, ["-DNDEBUG"]), ("own", OWN_NDEBUG, [])):
        off = analyze(small_project(tmp_path / name, {"a.c": text}, args), Options(jobs=1))
        assert not uses(off, "assert"), name
        assert "assert" not in apis(off)


BUILTINS = """\
#include <alloca.h>
int f(int n)
{
    char *p = alloca(n);
    int v = 0;
    __sync_synchronize();
    __atomic_store_n(&v, 1, __ATOMIC_SEQ_CST);
    __asm__ volatile("" ::: "memory");
    p[0] = (char)v;
    return p[0] + __sync_fetch_and_add(&v, 1);
}
"""

NOP = """\
int g(void) { __asm__ volatile("nop"); return 0; }
"""


def test_compiler_builtins_and_barriers_do_not_block(tmp_path: Path, cache_env: Path) -> None:
    doc = analyze(small_project(tmp_path / "b", {"b.c": BUILTINS}, ["-O2"]), Options(jobs=1))
    a = apis(doc)
    builtins = [k for k in a if k.startswith(("__sync", "__atomic"))] + ["alloca"]
    assert {"alloca", "__sync_synchronize"} <= set(builtins)
    assert any(k.startswith("__sync_fetch_and_add") for k in builtins)  # libclang: ..._4
    for key in builtins:
        assert a[key]["status"] == "supported", key
        assert a[key]["provider"] == "compiler", key
        assert a[key]["targets_blocked"] == 0, key
    barrier = a["asm-barrier"]  # an empty template: no instruction on any architecture
    assert barrier["status"] == "info" and barrier["targets_blocked"] == 0
    # nothing left to block the file: it is complete, the plan is empty
    assert doc["targets"]["complete"] == doc["targets"]["count"] == 1
    assert doc["plan"] == []


def test_asm_with_instructions_needs_porting(tmp_path: Path, cache_env: Path) -> None:
    """`nop` is an instruction of some architectures only: the porter must see it as work."""
    doc = analyze(small_project(tmp_path / "n", {"n.c": NOP}, ["-O2"]), Options(jobs=1))
    asm = apis(doc)["asm"]
    assert asm["status"] == "unknown" and asm["targets_blocked"] == 1
    assert asm["action"] == "implement" and "architecture" in asm["note"]
    assert "port the instructions" in asm["advice"]
    assert doc["targets"]["complete"] == 0
    from bkport.analyze.report import render
    text = render(doc, "text")
    assert "implement: architecture-specific: an instruction template" in text


NESTED = """\
#define barrier() __asm__ volatile ("" ::: "memory")
#define ASSIGN(p, v) do { *(p) = (v); barrier(); } while (0)
#define INIT() do { static int g; int *q; ASSIGN(&q, &g); } while (0)
#define SPIN() __asm__ volatile ("pause")
#define WAIT() do { SPIN(); } while (0)
int f(void) { INIT(); return 0; }
int g(void) { WAIT(); return 0; }
"""


def test_asm_template_read_through_nested_macros(tmp_path: Path, cache_env: Path) -> None:
    """busybox's INIT_G -> ASSIGN_CONST_PTR -> barrier(): an empty template two macros deep is
    a barrier, not instructions that would block every applet."""
    doc = analyze(small_project(tmp_path / "m", {"m.c": NESTED}, ["-O2"]), Options(jobs=1))
    got = {f["function"]: (f["api"], f["symbol"]) for f in doc["findings"] if f["kind"] == "asm"}
    assert got == {"f": ("asm-barrier", ""), "g": ("asm", "pause")}
    assert apis(doc)["asm-barrier"]["status"] == "info"
    assert apis(doc)["asm"]["status"] == "unknown"

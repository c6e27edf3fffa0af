"""The kernel's modules depend on each other one way (issue 15: boot, cpio, exit, fs, sched, trap
and user used to import each other in a circle). Every `crate::<module>` a file of kernel/src
names (in `use` lines and in paths) is an edge from the file's top-level module; the graph must
have no cycle, so a back-import fails here instead of growing a new circle.

Two kinds of edge are not the modules' own choice and are left out: the architecture's trap
vectors calling `trap` (the hardware enters the kernel there; every other module may call
`arch`), and the generated table (`syscall_table`: errno constants, types, and the dispatcher
that calls the handlers), which is not a file of kernel/src."""

from __future__ import annotations

import re
from pathlib import Path

from bkport.kernel.build import kernel_dir

SRC = kernel_dir() / "src"
# The hardware's entry into the kernel: arch's vectors hand the frame to `trap`.
UPCALLS = {("arch", "trap")}


def _code(f: Path) -> str:
    """The file without its comments (doc comments name modules they do not use)."""
    return "\n".join(line.split("//")[0] for line in f.read_text().splitlines())


def _module_of(f: Path, src: Path) -> str:
    return f.relative_to(src).parts[0].removesuffix(".rs")


def module_graph(src: Path = SRC) -> dict[str, set[str]]:
    """Top-level module -> the top-level modules of kernel/src it names."""
    files = [f for f in sorted(src.rglob("*.rs")) if f.name != "main.rs"]
    names = {_module_of(f, src) for f in files}
    graph: dict[str, set[str]] = {m: set() for m in names}
    for f in files:
        m = _module_of(f, src)
        code = _code(f)
        used = set(re.findall(r"\bcrate::(\w+)", code))
        for group in re.findall(r"\buse\s+crate::\{([^}]*)\}", code):
            used |= set(re.findall(r"\b(\w+)\b", group))
        graph[m] |= {d for d in used if d in names and d != m and (m, d) not in UPCALLS}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle as a list of modules (first repeated last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        path.append(m)
        for d in sorted(graph[m]):
            if state.get(d) == 1:
                return path[path.index(d):] + [d]
            if d not in state and (c := visit(d)):
                return c
        state[m] = 2
        path.pop()
        return None

    for m in sorted(graph):
        if m not in state and (c := visit(m)):
            return c
    return None


def test_kernel_modules_have_no_import_cycle():
    graph = module_graph()
    # the parse sees the modules that matter (a broken regex would find no edge at all)
    assert {"boot", "exit", "fs", "sched", "trap", "user", "heap"} <= set(graph)
    assert "sched" in graph["trap"] and "fs" in graph["boot"]
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle in kernel/src: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_cycles():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": set(), "b": {"c"}, "c": {"b"}}) == ["b", "c", "b"]


def test_the_parse_reads_uses_and_paths(tmp_path: Path):
    (tmp_path / "fs").mkdir()
    (tmp_path / "fs" / "mod.rs").write_text("use crate::{sched, heap::x};\n// crate::boot\n")
    (tmp_path / "sched.rs").write_text("fn f() { crate::fs::with(|f| ()); }\n")
    (tmp_path / "heap.rs").write_text("use crate::global::Global;\n")
    (tmp_path / "boot.rs").write_text("")
    g = module_graph(tmp_path)
    assert g == {"fs": {"sched", "heap"}, "sched": {"fs"}, "heap": set(), "boot": set()}
    assert find_cycle(g) == ["fs", "sched", "fs"]

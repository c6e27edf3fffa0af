"""The kernel's modules depend on each other one way (issue 15: boot, cpio, exit, fs, sched, trap
and user used to import each other in a circle). Every `crate::<module>` a file of kernel/src
names (in `use` lines and in paths) is an edge from the file's top-level module; the graph must
have no cycle, so a back-import fails here instead of growing a new circle.

Two kinds of edge are not the modules' own choice and are left out: the architecture's trap
vectors calling `trap` (the hardware enters the kernel there; every other module may call
`arch`), and the generated table (`syscall_table`: errno constants, types, and the dispatcher
that calls the handlers), which is not a file of kernel/src.

The architecture contract is the traits of kernel/src/arch/mod.rs (`Arch`, `Frame`): portable
code reaches the ISA only through `Cpu` and the trait's items, and an ISA file's only public
surface is the types the traits name, so a helper cannot slip past the contract on one board."""

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


# --- the architecture contract -------------------------------------------------------------

# What portable code may name in `arch`: the selected CPU, the traits, and the CPU's types.
ARCH_NAMES = {"Arch", "Cpu", "Frame", "TrapFrame", "SwitchState", "UserContext"}


def _code_lines(f: Path) -> list[str]:
    return [line.split("//")[0] for line in f.read_text().splitlines()]


def _trait_items(mod_rs: Path, trait: str) -> set[str]:
    """The fn and const names declared in `pub trait <trait>` of arch/mod.rs."""
    code = "\n".join(_code_lines(mod_rs))
    m = re.search(r"\bpub trait " + trait + r"\b[^{]*\{(.*?)\n\}", code, re.S)
    if not m:
        raise AssertionError(f"{mod_rs}: no `pub trait {trait}`")
    return set(re.findall(r"\b(?:fn|const|type)\s+(\w+)", m.group(1)))


def arch_violations(src: Path = SRC) -> list[str]:
    """Places where portable code bypasses the `Arch` contract or an ISA file grows a public
    item outside it, as `file:line: what`."""
    arch_dir = src / "arch"
    items = _trait_items(arch_dir / "mod.rs", "Arch")
    out = []
    for f in sorted(src.rglob("*.rs")):
        rel = f.relative_to(src)
        isa = rel.parts[0] == "arch" and rel.name != "mod.rs"
        if rel.parts[0] == "arch" and not isa:
            continue
        for n, line in enumerate(_code_lines(f), 1):
            where = f"{rel}:{n}"
            if isa:
                # Trait impls have no `pub`; a `pub` item would be callable as `Cpu::x` (an
                # inherent fn of the CPU type) or `arch::x` on this board only.
                if re.search(r"\bpub(\([^)]*\))?\s+(fn|const|static|use|mod)\b", line):
                    out.append(f"{where}: public item outside the Arch contract: {line.strip()}")
                elif re.match(r"\s+pub(\([^)]*\))?\s+\w+\s*:", line):
                    out.append(f"{where}: public field (registers are read through Frame): "
                               f"{line.strip()}")
                continue
            for group in re.findall(r"\buse\s+crate::arch::\{([^}]*)\}", line):
                for name in re.findall(r"\b(\w+)\b", group):
                    if name not in ARCH_NAMES:
                        out.append(f"{where}: imports arch::{name} (not Cpu or a trait name)")
            for name in re.findall(r"\barch::(\w+|\*)", line):
                if name not in ARCH_NAMES:
                    out.append(f"{where}: arch::{name} bypasses the Arch trait")
            if re.search(r"\buse\s+crate::arch\s*;", line):
                out.append(f"{where}: imports the arch module itself (use Cpu and the traits)")
            for name in re.findall(r"(?:\bCpu|<Cpu\s+as\s+Arch>)::(\w+)", line):
                if name not in items:
                    out.append(f"{where}: Cpu::{name} is not an item of the Arch trait")
    return out


def test_portable_code_reaches_the_cpu_only_through_the_arch_trait():
    arch_dir = SRC / "arch"
    items = _trait_items(arch_dir / "mod.rs", "Arch")
    # the parse sees the contract (a broken regex would let everything through)
    assert {"now_ns", "putc", "restart", "switch_save", "TrapFrame", "NAME"} <= items
    assert {"nr", "set_ret", "new_thread"} <= _trait_items(arch_dir / "mod.rs", "Frame")
    mod_rs = (arch_dir / "mod.rs").read_text()
    for isa in sorted(arch_dir.glob("*.rs")):
        if isa.name == "mod.rs":
            continue
        code = isa.read_text()
        ty = re.search(r"\bimpl Arch for (\w+)", code)
        assert ty, f"{isa.name}: no `impl Arch for ...`"
        assert "impl Frame for TrapFrame" in code, isa.name
        assert f"pub type Cpu = {isa.stem}::{ty.group(1)};" in mod_rs, isa.name
    assert arch_violations() == []


def test_the_arch_check_finds_bypasses(tmp_path: Path):
    (tmp_path / "arch").mkdir()
    (tmp_path / "arch" / "mod.rs").write_text(
        "pub trait Arch {\n    const NAME: &'static str;\n    fn now_ns() -> u64;\n}\n")
    (tmp_path / "arch" / "isa.rs").write_text(
        "pub struct TrapFrame {\n    pub x: [u64; 32],\n}\n"
        "pub fn helper() {}\nimpl Arch for Isa {\n    fn now_ns() -> u64 { 0 }\n}\n")
    (tmp_path / "sched.rs").write_text(
        "use crate::arch::{Arch, Cpu, TrapFrame};\n"
        "fn ok() -> u64 { Cpu::now_ns() + <Cpu as Arch>::NAME.len() as u64 }\n"
        "// arch::helper() in a comment is fine\n")
    (tmp_path / "halt.rs").write_text(
        "use crate::arch;\nuse crate::arch::{self, Cpu};\n"
        "fn f() { arch::now_ns(); crate::arch::isa::helper(); Cpu::helper(); }\n")
    found = arch_violations(tmp_path)
    assert found == [
        "arch/isa.rs:2: public field (registers are read through Frame): pub x: [u64; 32],",
        "arch/isa.rs:4: public item outside the Arch contract: pub fn helper() {}",
        "halt.rs:1: imports the arch module itself (use Cpu and the traits)",
        "halt.rs:2: imports arch::self (not Cpu or a trait name)",
        "halt.rs:3: arch::now_ns bypasses the Arch trait",
        "halt.rs:3: arch::isa bypasses the Arch trait",
        "halt.rs:3: Cpu::helper is not an item of the Arch trait",
    ], found

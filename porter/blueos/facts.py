"""The BlueKernel snapshot (`data/*.tsv`): what the kernel and librs provide, with provenance.

Each file opens with `# ` lines: a title, `# source: ...` (upstream repository, commit, date) and
`# imported: ...`; then a TSV header and rows. `load_facts()` reads them once per process.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from bkport.errors import InputError, located

DATA = Path(__file__).resolve().parent / "data"

STUB_BEHAVIOURS = ("succeeds-doing-nothing", "always-fails")

# file -> columns, in the order written
FILES = {
    "syscalls.tsv": ("index", "variant", "handler", "args", "returns", "gate"),
    "librs-functions.tsv": ("name", "linkage", "abi", "arch"),
    "librs-statics.tsv": ("name",),
    "librs-stubs.tsv": ("name", "behaviour_on_blueos", "note"),
    "boards.tsv": ("board", "cpu", "rust_target", "qemu", "machine_args", "console", "notes"),
}


@dataclass(frozen=True)
class Provenance:
    title: str
    source: str
    imported: str

    def line(self) -> str:
        return f"{self.source}; {self.imported}"


@dataclass(frozen=True)
class KernelCall:
    index: int
    variant: str
    handler: str
    args: str  # the handler's Rust parameters, "fd: c_int, buf: *const u8"
    returns: str
    gate: str | None  # Kconfig feature the handler needs (enable_vfs, enable_net)


@dataclass(frozen=True)
class LibrsFunction:
    name: str
    linkage: str  # strong | weak
    abi: str  # C | Rust
    arch: str  # all, or the target_arch it is limited to


@dataclass(frozen=True)
class Stub:
    name: str
    behaviour: str  # one of STUB_BEHAVIOURS
    note: str


@dataclass(frozen=True)
class BlueosFacts:
    calls: tuple[KernelCall, ...]
    functions: dict[str, LibrsFunction]
    statics: frozenset[str]
    stubs: dict[str, Stub]
    boards: tuple[dict[str, str], ...]
    provenance: dict[str, Provenance] = field(default_factory=dict)

    def kernel_calls(self) -> tuple[KernelCall, ...]:
        """The numbered calls, without the `LastNR` end marker."""
        return tuple(c for c in self.calls if c.variant != "LastNR")

    def c_callable(self) -> frozenset[str]:
        """Functions a C program can call: exported with the C ABI."""
        return frozenset(n for n, f in self.functions.items() if f.abi == "C")


def read_tsv(path: Path, columns: tuple[str, ...]) -> tuple[Provenance, list[dict[str, str]]]:
    """Rows of one snapshot file; a bad header or row is an InputError naming file and line."""
    try:
        text = path.read_text()
    except OSError as e:
        raise InputError(located(str(path), 1, 1, f"cannot read BlueOS facts: {e.strerror}")) from e
    lines = text.splitlines()
    meta: dict[str, str] = {}
    title = ""
    n = 0
    while n < len(lines) and lines[n].startswith("#"):
        body = lines[n][1:].strip()
        key, sep, rest = body.partition(":")
        if sep and key in ("source", "imported"):
            meta[key] = rest.strip()
        elif not title:
            title = body
        n += 1
    for key in ("source", "imported"):
        if key not in meta:
            raise InputError(located(str(path), 1, 1, f"missing '# {key}: ...' provenance line"))
    if n >= len(lines) or tuple(lines[n].split("\t")) != columns:
        raise InputError(located(str(path), n + 1, 1,
                                 f"expected the header {chr(9).join(columns)!r} (tab-separated)"))
    rows = []
    for no, line in enumerate(lines[n + 1:], n + 2):
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) != len(columns):
            raise InputError(located(str(path), no, 1,
                                     f"expected {len(columns)} tab-separated columns "
                                     f"({', '.join(columns)}), found {len(cols)}"))
        rows.append({**dict(zip(columns, cols, strict=True)), "_line": str(no)})
    return Provenance(title, meta["source"], meta["imported"]), rows


def parse_facts(root: Path) -> BlueosFacts:
    prov: dict[str, Provenance] = {}
    rows: dict[str, list[dict[str, str]]] = {}
    for name, cols in FILES.items():
        prov[name], rows[name] = read_tsv(root / name, cols)
    path = root / "syscalls.tsv"
    calls = []
    for i, r in enumerate(rows["syscalls.tsv"]):
        if not r["index"].isdigit() or int(r["index"]) != i:
            raise InputError(located(str(path), int(r["_line"]), 1,
                                     f"{r['variant']}: index {r['index']!r} is not its "
                                     f"position {i} (numbers are declaration order)"))
        calls.append(KernelCall(i, r["variant"], r["handler"], r["args"], r["returns"],
                                r["gate"] or None))
    functions = {r["name"]: LibrsFunction(r["name"], r["linkage"], r["abi"], r["arch"])
                 for r in rows["librs-functions.tsv"]}
    stubs = {}
    for r in rows["librs-stubs.tsv"]:
        if r["behaviour_on_blueos"] not in STUB_BEHAVIOURS:
            raise InputError(located(str(root / "librs-stubs.tsv"), int(r["_line"]), 1,
                                     f"{r['name']}: behaviour {r['behaviour_on_blueos']!r}, "
                                     f"expected one of {', '.join(STUB_BEHAVIOURS)}"))
        stubs[r["name"]] = Stub(r["name"], r["behaviour_on_blueos"], r["note"])
    return BlueosFacts(tuple(calls), functions,
                       frozenset(r["name"] for r in rows["librs-statics.tsv"]), stubs,
                       tuple(rows["boards.tsv"]), prov)


@cache
def load_facts(root: Path | None = None) -> BlueosFacts:
    """The snapshot shipped with bkport (or another folder of the same files)."""
    return parse_facts(Path(root) if root else DATA)


def render_tsv(title: str, prov: Provenance, columns: tuple[str, ...],
               rows: list[tuple[str, ...]]) -> str:
    out = io.StringIO()
    out.write(f"# {title}\n# source: {prov.source}\n# imported: {prov.imported}\n")
    w = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE,
                   escapechar="\\")
    w.writerow(columns)
    w.writerows(rows)
    return out.getvalue()

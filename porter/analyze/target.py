"""`--target BOARD` (issue 16, defect 6): what fails to compile on the board. Every translation
unit is compiled again (`clang -fsyntax-only`) against the board's own headers: the POSIX
layer's headers and those generated from posix/spec over picolibc, with the board's C settings,
as bkport.appbuild compiles apps (`c_target(board).flags()` + `LayerInputs.include_flags`). The
project's own -I/-D/-U/-include/-std flags are kept, the host's machine flags dropped.

clang stops at a missing header, so each header it cannot find is stood in for by an empty one
(in a scratch folder searched last) and the unit compiled again, until nothing more is missing:
one run names every missing header, then the macros, types and functions the code needs from
them or from headers that exist but lack them. Each becomes a finding at its file:line, its API
(`header:NAME`, `type:NAME`, the macro's or function's name) marked `unsupported` on the board.

The host parse stays the analysis' source of truth (call graph, liveness, every other finding);
this adds what the target's headers lack. Completeness and the plan are those of the profile.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bkport.analyze.classify import BLOCKING, STATUSES
from bkport.analyze.compdb import CompileCommand
from bkport.analyze.project import api_key
from bkport.errors import BkportError
from bkport.paths import cache_dir

MAX_ROUNDS = 32  # stand-in headers added per unit at most (each round finds at least one)
# project flags that keep their meaning on the board (with a value, or joined to it)
KEEP_WITH_VALUE = ("-I", "-iquote", "-include", "-imacros", "-D", "-U", "-isystem", "-idirafter")
# (not -W: the project's -Werror would make warnings errors, and no warning says what is missing)
KEEP_PREFIX = ("-I", "-D", "-U", "-std=", "-iquote")
HOST_SYSTEM = ("/usr/include", "/usr/local/include")

DIAG = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?:fatal )?error: (?P<msg>.*)$")
# what a message says is missing, in order; the kind is the finding's
PATTERNS = (
    ("header", re.compile(r"^'(?P<name>[^']+)' file not found")),
    ("type", re.compile(r"^unknown type name '(?P<name>\w+)'")),
    ("type", re.compile(r"^(?:variable has|field has|incomplete definition of|"
                        r"array has) incomplete (?:element )?type '(?P<name>(?:struct|union|enum)"
                        r" \w+)'")),
    ("function", re.compile(r"^(?:implicit declaration of|call to undeclared) function "
                            r"'(?P<name>\w+)'")),
    ("macro", re.compile(r"^use of undeclared identifier '(?P<name>\w+)'")),
)


class TargetError(BkportError):
    """--target names no board, or the board's headers cannot be made (exit 1)."""

    exit_code = 1


@dataclass(frozen=True)
class Missing:
    kind: str  # header | type | function | macro | identifier
    name: str
    file: str
    line: int
    col: int
    unit: str  # the translation unit it was found in
    message: str

    @property
    def key(self) -> str:
        k = "var" if self.kind == "identifier" else self.kind
        return api_key("call" if k == "function" else k, self.name)


def board_flags(board: str) -> list[str]:
    """The board's clang flags and include path, the layer's generated headers made (once per
    content) under bkport's cache."""
    from bkport.appbuild.layer import generate_inputs
    from bkport.appbuild.target import c_target

    try:
        t = c_target(board)
    except KeyError as e:
        raise TargetError(f"--target: {e.args[0]}") from None
    inputs = generate_inputs(cache_dir() / "analyze" / "target", [t.arch])
    return [*t.flags(), "-D_GNU_SOURCE", *inputs.include_flags(t.arch)]


def headers_fingerprint(flags: list[str]) -> str:
    """Changes when any header on the board's include path does (a layer or spec edit): a
    cached document checked against older headers is not reused."""
    h = hashlib.sha256("\0".join(flags).encode())
    dirs = [flags[i + 1] for i, a in enumerate(flags[:-1]) if a in ("-I", "-isystem")]
    for d in dirs:
        for root, _, files in sorted(os.walk(d)):
            for f in sorted(files):
                try:
                    st = os.stat(os.path.join(root, f))
                except OSError:
                    continue
                h.update(f"{root}/{f}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.hexdigest()


def project_flags(args: tuple[str, ...]) -> list[str]:
    """The host command's flags that describe the project (include paths, macros, standard),
    not the host machine (-m64, -march=native, /usr/include) nor its warnings."""
    out: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        i += 1
        if a in KEEP_WITH_VALUE and i < len(args):
            if not args[i].startswith(HOST_SYSTEM):
                out += [a, args[i]]
            i += 1
        elif a.startswith(KEEP_PREFIX) and not a.startswith(tuple("-I" + h for h in HOST_SYSTEM)):
            out.append(a)
    return out


def _kind(kind: str, name: str) -> str:
    """A name spelt like a macro (O_PATH, CPU_ZERO) is one, whatever clang took it for; another
    undeclared identifier is an identifier until the host parse says what it is (`refine`)."""
    if kind != "header" and re.fullmatch(r"_*[A-Z][A-Z0-9_]*", name):
        return "macro"
    if kind == "macro":
        return "identifier"
    return kind


def refine(missing: list[Missing], host_findings: list[dict]) -> list[Missing]:
    """What the host parse knows of each name: `cpu_set_t x;` reads as an undeclared
    identifier to clang when the type is missing, and is a type. Names the host parse never saw
    as a platform API (`x` there, the project's own names) are errors that follow from another
    one, not more missing APIs: dropped. Headers and macro-spelt names are kept."""
    host: dict[str, str] = {}
    for f in host_findings:
        host.setdefault(f["api"], f["kind"])
    kinds = {"type": "type", "call": "function", "addr": "function", "var": "identifier",
             "macro": "macro"}
    out = []
    for m in missing:
        if m.kind not in ("header", "macro"):
            k = kinds.get(host.get(m.name, ""))
            if k is None:
                continue
            m = Missing(k, m.name, m.file, m.line, m.col, m.unit, m.message)
        out.append(m)
    return out


def check_unit(clang: str, cmd: CompileCommand, flags: list[str], stubs: Path) -> list[Missing]:
    """Compile one unit for the board until no header is missing; what it lacks."""
    found: dict[tuple, Missing] = {}
    stub_dir = stubs / hashlib.sha256(cmd.file.encode()).hexdigest()[:16]
    argv = [clang, "-fsyntax-only", "-ferror-limit=0", "-fno-color-diagnostics",
            "-fno-caret-diagnostics", "-Wno-everything", "-Werror=implicit-function-declaration",
            *flags, *project_flags(cmd.args), "-idirafter", str(stub_dir), cmd.file]
    for _ in range(MAX_ROUNDS):
        r = subprocess.run(argv, cwd=cmd.directory, capture_output=True, text=True,
                           errors="replace")
        new_header = False
        for line in r.stderr.splitlines():
            if line.startswith(("clang: error:", "error:")):  # the driver's, not the code's
                raise TargetError(f"{cmd.file}: compiling it for the board failed: {line}")
            m = DIAG.match(line)
            if m is None:
                continue
            msg = m["msg"].split(" [-W")[0]
            for kind, rx in PATTERNS:
                p = rx.match(msg)
                if p is None:
                    continue
                name = p["name"]
                file = os.path.normpath(os.path.join(cmd.directory, m["file"]))
                if file.startswith(str(stubs)):
                    break
                miss = Missing(_kind(kind, name), name, file, int(m["line"]), int(m["col"]),
                               cmd.file, msg)
                if kind == "header" and not (stub_dir / name).exists():
                    (stub_dir / name).parent.mkdir(parents=True, exist_ok=True)
                    (stub_dir / name).write_text("/* stand-in: missing on the target */\n")
                    new_header = True
                found.setdefault((miss.kind, name, file, miss.line, miss.col), miss)
                break
        if not new_header:
            break
    return list(found.values())


def check(cmds: list[CompileCommand], board: str, jobs: int,
          log: Callable[[str], None] = lambda s: None) -> list[Missing]:
    """Every unit compiled for `board`; what each lacks, sorted by place."""
    from bkport.toolchain.clang import clang

    flags = board_flags(board)
    cc = clang()
    log(f"compiling {len(cmds)} translation unit(s) against {board}'s headers")
    with tempfile.TemporaryDirectory(prefix="bkport-target-") as tmp, \
            ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = list(pool.map(lambda c: check_unit(cc, c, flags, Path(tmp)), cmds))
    out = [m for ms in results for m in ms]
    return sorted(out, key=lambda m: (m.file, m.line, m.col, m.kind, m.name))


def annotate(doc: dict, board: str, missing: list[Missing],
             targets_of: Callable[[str], list[str]]) -> None:
    """Add what `board` lacks to the analysis document: `target` (the board and every missing
    item at its place), the findings, and an `unsupported` API row per missing item (an
    existing row of that API, a header or type the profile knows nothing about, say, becomes
    unsupported). `targets_of(unit)`: the targets a translation unit is part of."""
    by_key = {a["key"]: a for a in doc["apis"]}
    order = {s: i for i, s in enumerate(STATUSES)}
    note = f"not in {board}'s headers (the layer's over picolibc)"
    new: set[str] = set()  # rows only the board's compile found: their sites are its findings
    for m in missing:
        a = by_key.get(m.key)
        if a is None:
            new.add(m.key)
            a = by_key[m.key] = {
                "key": m.key, "api": m.name, "kinds": [], "status": "unsupported", "note": note,
                "provider": "", "option_group": "", "pse": [], "header": "",
                "action": "implement", "advice": "", "call_sites": 0, "dead_sites": 0,
                "symbols": [], "via": [], "targets_blocked": 0, "targets": []}
            doc["apis"].append(a)
        elif not a.get("target_missing"):
            a["note"] = f"{note}; {a['note']}" if a["note"] else note
            if a["status"] not in BLOCKING:  # linux-only or unknown say more: kept
                a.update(status="unsupported", action="implement")
        a["target_missing"] = True
        kind = {"function": "call", "identifier": "var"}.get(m.kind, m.kind)
        if kind not in a["kinds"]:
            a["kinds"].append(kind)
        if m.key in new:  # a row the host parse made counts its sites already
            a["call_sites"] += 1
        for t in targets_of(m.unit):
            if t not in a["targets"]:
                a["targets"].append(t)
            fp = doc["matrix"].setdefault(t, [])
            if m.key not in fp:
                fp.append(m.key)
                fp.sort()
        a["targets"].sort()
        a["targets_blocked"] = len(a["targets"])
        doc["findings"].append({"api": m.name, "kind": kind, "symbol": "", "file": m.file,
                                "line": m.line, "col": m.col, "function": "", "live": True,
                                "via": "", "target": board})
    doc["counts"] = {s: sum(1 for a in doc["apis"] if a["status"] == s) for s in STATUSES}
    doc["apis"].sort(key=lambda a: (order[a["status"]], -a["targets_blocked"], -a["call_sites"],
                                    a["key"]))
    summary: dict[str, list[str]] = {}
    for m in missing:
        names = summary.setdefault(m.kind, [])
        if m.name not in names:
            names.append(m.name)
    doc["target"] = {
        "board": board,
        "missing": {k: sorted(v) for k, v in sorted(summary.items())},
        "findings": [{"kind": m.kind, "name": m.name, "file": m.file, "line": m.line,
                      "col": m.col, "unit": m.unit, "message": m.message} for m in missing],
    }

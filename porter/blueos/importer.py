"""Read a BlueKernel checkout (and optionally a librs checkout) into `BlueosFacts`, and refresh
the snapshot in `data/` from them.

Kernel: the header crate's `enum NR` (`header/src/lib.rs`; declaration order is the number, the
`LastNR` end marker is kept as the last row), the `syscall_table!` `(Variant, handler)` pairs and
each `define_syscall_handler!(name(a: T, ...) -> Ret { ... })` in
`kernel/src/syscall_handlers/*.rs`, with its Kconfig gate: a `#[cfg(enable_vfs)]` (or
`#[cfg(feature = "...")]`) on the handler or on its table entry.

librs (`src/**/*.rs`): `#[no_mangle]` functions (weak with `#[linkage = "weak"]`, ABI `C` for
`extern "C" fn`, `Rust` for a plain `fn`, arch from `#[cfg(target_arch = "...")]`) and statics;
and the BlueOS backend (`src/syscall/blueos/mod.rs`): a method whose body only returns success
(`Ok(())`, `Ok(0)`, `0`) is `succeeds-doing-nothing`, one whose body only returns an error
(`Err(...)`, `-1`) is `always-fails`; the note is the comment next to it, else "returns 0" /
"returns -1".

This is the one Rust reader: `bkport.syscalls.blueos_diff` uses `read_kernel` too. It is a small
lexer (comments, strings, char literals) plus bracket matching, not a Rust parser: what it does
not recognise where it expects a construct is an InputError naming file:line.
"""

from __future__ import annotations

import bisect
import datetime
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from bkport.blueos.facts import (
    DATA,
    FILES,
    BlueosFacts,
    KernelCall,
    LibrsFunction,
    Provenance,
    Stub,
    read_tsv,
    render_tsv,
)
from bkport.errors import Diagnostic, InputError, located
from bkport.fsutil import write_if_changed

KERNEL_HEADER = Path("header/src/lib.rs")
HANDLERS_DIR = Path("kernel/src/syscall_handlers")
HANDLERS_MOD = HANDLERS_DIR / "mod.rs"
LIBRS_SRC = Path("src")
LIBRS_BACKEND = Path("src/syscall/blueos/mod.rs")

SENTINEL = "LastNR"
SENTINEL_HANDLER = "(sentinel: count of syscalls)"

KERNEL_FILES = ("syscalls.tsv",)
LIBRS_FILES = ("librs-functions.tsv", "librs-statics.tsv", "librs-stubs.tsv")
TITLES = {
    "syscalls.tsv": "BlueKernel's system calls",
    "librs-functions.tsv": "librs's exported functions: `#[no_mangle]` items, their linkage "
                           "(`#[linkage = \"weak\"]`), ABI (`extern \"C\"` or Rust) "
                           "and target gate",
    "librs-statics.tsv": "librs's exported data objects: `#[no_mangle]` statics",
    "librs-stubs.tsv": "librs functions whose BlueOS backend succeeds without doing anything "
                       "or always fails",
}
IMPORTED_BY = "by bkport blueos import"

# ---------------------------------------------------------------------------------------------
# the lexer


_CHAR = re.compile(r"'(?:\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]{1,6}\}|.)|[^\\'\n])'")
_RAW = re.compile(r'b?r(#*)"')
_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = {v: k for k, v in _OPEN.items()}


class RustFile:
    """One source file in three aligned views (same offsets): `text` as read, `code` with comments
    blanked, `skel` with comments and the insides of string and char literals blanked."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.text = path.read_text(errors="replace")
        except OSError as e:
            raise InputError(located(str(path), None, None,
                                     f"cannot read: {e.strerror}")) from e
        self.comments: list[tuple[int, int, str]] = []
        self.code, self.skel = self._lex(self.text)
        self._nl = [i for i, ch in enumerate(self.text) if ch == "\n"]

    def _lex(self, t: str) -> tuple[str, str]:
        code, skel = list(t), list(t)
        n, i = len(t), 0

        def blank(view: list[str], a: int, b: int) -> None:
            for k in range(a, b):
                if view[k] != "\n":
                    view[k] = " "

        while i < n:
            ch = t[i]
            if t.startswith("//", i):
                j = t.find("\n", i)
                j = n if j < 0 else j
                self.comments.append((i, j, t[i:j]))
                blank(code, i, j)
                blank(skel, i, j)
                i = j
            elif t.startswith("/*", i):
                depth, j = 1, i + 2
                while j < n and depth:
                    if t.startswith("/*", j):
                        depth, j = depth + 1, j + 2
                    elif t.startswith("*/", j):
                        depth, j = depth - 1, j + 2
                    else:
                        j += 1
                if depth:
                    raise InputError(self._diag(i, "unterminated /* comment"))
                self.comments.append((i, j, t[i:j]))
                blank(code, i, j)
                blank(skel, i, j)
                i = j
            elif ch in "rb" and (i == 0 or not (t[i - 1].isalnum() or t[i - 1] == "_")) \
                    and (m := _RAW.match(t, i)):
                end = t.find('"' + m.group(1), m.end())
                if end < 0:
                    raise InputError(self._diag(i, "unterminated raw string"))
                blank(skel, m.end(), end)
                i = end + 1 + len(m.group(1))
            elif ch == '"':
                j = i + 1
                while j < n and t[j] != '"':
                    j += 2 if t[j] == "\\" else 1
                if j >= n:
                    raise InputError(self._diag(i, "unterminated string"))
                blank(skel, i + 1, j)
                i = j + 1
            elif ch == "'" and (m := _CHAR.match(t, i)):
                blank(skel, i + 1, m.end() - 1)
                i = m.end()
            else:
                i += 1
        return "".join(code), "".join(skel)

    def line(self, pos: int) -> int:
        return bisect.bisect_left(self._nl, pos) + 1

    def _diag(self, pos: int, message: str) -> Diagnostic:
        nl = getattr(self, "_nl", None)
        if nl is None:
            self._nl = [i for i, ch in enumerate(self.text) if ch == "\n"]
        return located(str(self.path), self.line(pos), None, message)

    def error(self, pos: int, message: str) -> InputError:
        return InputError(self._diag(pos, message))

    def close_of(self, pos: int) -> int:
        """Index of the bracket closing the one at `pos`."""
        stack = []
        for i in range(pos, len(self.skel)):
            ch = self.skel[i]
            if ch in _OPEN:
                stack.append(ch)
            elif ch in _CLOSE:
                if not stack or stack[-1] != _CLOSE[ch]:
                    break
                stack.pop()
                if not stack:
                    return i
        raise self.error(pos, f"unbalanced {self.skel[pos]!r}: expected a matching "
                              f"{_OPEN[self.skel[pos]]!r}")

    def open_of(self, pos: int) -> int | None:
        depth = 0
        for i in range(pos, -1, -1):
            ch = self.skel[i]
            if ch in _CLOSE:
                depth += 1
            elif ch in _OPEN:
                depth -= 1
                if depth == 0:
                    return i
        return None

    def attrs_before(self, pos: int) -> list[str]:
        """The outer attributes (`#[...]`) right before `pos`, nearest last."""
        out: list[str] = []
        i = pos
        while True:
            j = i - 1
            while j >= 0 and self.skel[j].isspace():
                j -= 1
            if j < 0 or self.skel[j] != "]":
                break
            k = self.open_of(j)
            if k is None or k == 0 or self.skel[k - 1] != "#":
                break
            out.append(self.code[k + 1:j])
            i = k - 1
        return out[::-1]

    def attrs_after(self, pos: int) -> tuple[list[str], int]:
        """The attributes from `pos` on, and where the item after them starts."""
        out: list[str] = []
        i = pos
        while True:
            while i < len(self.skel) and self.skel[i].isspace():
                i += 1
            if not self.skel.startswith("#[", i):
                return out, i
            j = self.close_of(i + 1)
            out.append(self.code[i + 2:j])
            i = j + 1

    def comments_in(self, a: int, b: int) -> list[str]:
        return [c for s, _, c in self.comments if a <= s < b]

    def comments_before(self, pos: int) -> list[str]:
        """Comments directly above `pos` (only whitespace and attributes between)."""
        out: list[str] = []
        i = pos
        for s, e, c in reversed(self.comments):
            if e > i:
                continue
            between = self.code[e:i]
            if between.strip() and not _QUALIFIERS.fullmatch(between):
                break
            out.append(c)
            i = s
        return out[::-1]


_QUALIFIERS = re.compile(r'(?:\s*#\[[^\]]*\]|\s*pub(?:\s*\([^()]*\))?|\s*unsafe|\s*const|\s*async'
                         r'|\s*extern(?:\s*"[^"]*")?)*\s*')


def _collapse(s: str) -> str:
    return " ".join(s.split())


def _cell(s: str) -> str:
    """A value as a TSV cell render_tsv writes unescaped: one line, no tab, quote or backslash."""
    return _collapse(s).replace('"', "'").replace("\\", "/")


def _comment_text(c: str) -> str:
    c = c.strip()
    if c.startswith("/*"):
        c = c[2:-2].strip("*! \n\t")
    else:
        c = c.lstrip("/!")
    return _collapse(c)


# ---------------------------------------------------------------------------------------------
# cfg attributes

_TOKEN = re.compile(r'\s*(?:(?P<id>[A-Za-z_]\w*)|(?P<str>"[^"]*")|(?P<p>[(),=]))')
_NOT_GATES = {"test", "doc", "debug_assertions", "unix", "windows", "miri"}


@dataclass
class Cfg:
    features: list[str] = field(default_factory=list)  # positive Kconfig/cargo features
    arches: list[str] = field(default_factory=list)  # positive target_arch values
    negative: bool = False  # only `not(...)` predicates


def _pred(toks: list[tuple[str, str]], pos: int, neg: bool, out: Cfg) -> int:
    """Evaluate one cfg predicate from toks[pos]; record its positive parts; the next pos."""
    if pos >= len(toks) or toks[pos][0] != "id":
        return len(toks)
    name = toks[pos][1]
    pos += 1
    if pos < len(toks) and toks[pos] == ("p", "("):
        pos += 1
        while pos < len(toks) and toks[pos] != ("p", ")"):
            pos = _pred(toks, pos, neg or name == "not", out)
            if pos < len(toks) and toks[pos] == ("p", ","):
                pos += 1
        return pos + 1
    value = None
    if pos + 1 < len(toks) and toks[pos] == ("p", "=") and toks[pos + 1][0] == "str":
        value = toks[pos + 1][1].strip('"')
        pos += 2
    if neg:
        return pos
    if value is None and name not in _NOT_GATES:
        out.features.append(name)
    elif name == "feature" and value is not None:
        out.features.append(value)
    elif name == "target_arch" and value is not None:
        out.arches.append(value)
    return pos


def parse_cfg(attrs: list[str]) -> Cfg:
    out = Cfg()
    seen = False
    for a in attrs:
        m = re.match(r"\s*cfg\s*\(", a)
        if not m:
            continue
        seen = True
        toks = [(k, v) for t in _TOKEN.finditer(a, m.end()) for k, v in t.groupdict().items()
                if v is not None]
        _pred(toks, 0, False, out)
    out.negative = seen and not (out.features or out.arches)
    return out


def _gate(cfg: Cfg) -> str | None:
    return ",".join(dict.fromkeys(cfg.features)) or None


# ---------------------------------------------------------------------------------------------
# kernel


@dataclass(frozen=True)
class Handler:
    name: str
    args: str
    returns: str
    gate: str | None
    negative: bool
    file: str
    line: int

    @property
    def arity(self) -> int:
        return len(split_args(self.args)) if self.args else 0


@dataclass(frozen=True)
class TableEntry:
    variant: str
    handler: str
    gate: str | None
    file: str
    line: int


@dataclass
class KernelSource:
    calls: tuple[KernelCall, ...]
    handlers: dict[str, Handler]
    table: dict[str, TableEntry]
    warnings: list[str] = field(default_factory=list)


def split_args(text: str, where: tuple[RustFile, int] | None = None) -> list[tuple[str, str]]:
    """`a: T, b: U` -> [(a, T), (b, U)] (commas inside <>, (), [] do not split)."""
    parts, depth, cur, i = [], 0, [], 0
    while i < len(text):
        ch = text[i]
        if text.startswith("->", i):
            cur.append("->")
            i += 2
            continue
        if ch in "<([":
            depth += 1
        elif ch in ">)]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    parts.append("".join(cur))
    out = []
    for p in parts:
        if not p.strip():
            continue
        m = re.fullmatch(r"\s*(?:mut\s+)?([A-Za-z_]\w*)\s*:\s*(\S.*?)\s*", p, re.S)
        if not m:
            if where:
                raise where[0].error(where[1], f"expected a parameter `name: Type`, "
                                               f"found {_collapse(p)!r}")
            raise ValueError(p)
        out.append((m.group(1), _collapse(m.group(2))))
    return out


def _need(root: Path, rel: Path, what: str) -> Path:
    p = root / rel
    if not p.is_file():
        raise InputError(located(str(p), None, None, f"not found: {what}"))
    return p


def parse_enum_nr(f: RustFile) -> list[tuple[str, int]]:
    m = re.search(r"\benum\s+NR\s*\{", f.skel)
    if not m:
        raise f.error(0, "expected `pub enum NR { ... }` (the syscall numbers)")
    close = f.close_of(m.end() - 1)
    out: list[tuple[str, int]] = []
    i = m.end()
    body = re.sub(r"#\[[^\]]*\]", lambda a: " " * len(a.group(0)), f.skel[i:close])
    for piece in re.finditer(r"[^,]+", body):
        start = i + piece.start()
        text = piece.group(0)
        if not text.strip():
            continue
        em = re.fullmatch(r"\s*([A-Za-z_]\w*)\s*(?:=\s*([0-9A-Fa-fxob_]+))?\s*", text)
        at = start + len(text) - len(text.lstrip())
        if not em:
            raise f.error(at, f"expected an enum NR variant `Name` or `Name = N`, "
                              f"found {_collapse(text)!r}")
        if em.group(2) is not None:
            n = int(em.group(2).replace("_", ""), 0)
            if n != len(out):
                raise f.error(at, f"{em.group(1)} = {n} breaks declaration order "
                                  f"(expected {len(out)})")
        out.append((em.group(1), f.line(at)))
    return out


_DEFINE = re.compile(r"\bdefine_syscall_handler!\s*\(")
_HANDLER_SHAPE = "expected `define_syscall_handler!(name(arg: Type, ...) -> Ret { body })`"


def parse_handlers(f: RustFile) -> list[Handler]:
    out = []
    for m in _DEFINE.finditer(f.skel):
        hm = re.compile(r"\s*([A-Za-z_]\w*)\s*\(").match(f.skel, m.end())
        if not hm:
            raise f.error(m.start(), _HANDLER_SHAPE)
        open_ = hm.end() - 1
        close = f.close_of(open_)
        args = split_args(f.code[open_ + 1:close], (f, open_))
        am = re.compile(r"\s*->\s*").match(f.skel, close + 1)
        if not am:
            raise f.error(close, f"{hm.group(1)}: {_HANDLER_SHAPE} (no `-> Ret`)")
        brace = f.skel.find("{", am.end())
        stop = min((x for x in (f.skel.find(";", am.end()), f.skel.find(")", am.end()))
                    if x >= 0), default=-1)
        if brace < 0 or (0 <= stop < brace):
            raise f.error(am.end(), f"{hm.group(1)}: {_HANDLER_SHAPE} (no body)")
        returns = _collapse(f.code[am.end():brace])
        if not returns:
            raise f.error(am.end(), f"{hm.group(1)}: {_HANDLER_SHAPE} (empty return type)")
        f.close_of(brace)
        cfg = parse_cfg(f.attrs_before(m.start()))
        out.append(Handler(hm.group(1), ", ".join(f"{n}: {t}" for n, t in args),
                           _cell(returns), _gate(cfg), cfg.negative, str(f.path),
                           f.line(hm.start(1))))
    return out


_TABLE = re.compile(r"\bsyscall_table!\s*[\{\(\[]")
_PAIR = re.compile(r"\(\s*([A-Za-z_]\w*)\s*,\s*([A-Za-z_]\w*)\s*\)")


def parse_table(f: RustFile) -> list[TableEntry]:
    out = []
    for m in _TABLE.finditer(f.skel):
        close = f.close_of(m.end() - 1)
        i = m.end()
        while True:
            while i < close and (f.skel[i].isspace() or f.skel[i] == ","):
                i += 1
            if i >= close:
                break
            attrs, i = f.attrs_after(i)
            pm = _PAIR.match(f.skel, i)
            if not pm or pm.end() > close:
                found = _collapse(f.code[i:min(close, i + 40)].split("\n")[0])
                raise f.error(i, f"expected a syscall_table! entry `(Variant, handler),`, "
                                 f"found {found!r}")
            out.append(TableEntry(pm.group(1), pm.group(2), _gate(parse_cfg(attrs)),
                                  str(f.path), f.line(i)))
            i = pm.end()
    return out


def read_kernel(root: Path) -> KernelSource:
    """The calls of a BlueKernel checkout, in `enum NR` order (its numbers)."""
    root = Path(root)
    header = _need(root, KERNEL_HEADER, "is this a BlueKernel checkout? expected the header "
                                        "crate's lib.rs with `enum NR`")
    mod = _need(root, HANDLERS_MOD, "is this a BlueKernel checkout? expected the syscall "
                                    "handlers with `syscall_table!`")
    nr = parse_enum_nr(RustFile(header))
    files = [mod] + sorted(p for p in (root / HANDLERS_DIR).glob("*.rs") if p.name != "mod.rs")
    handlers: dict[str, Handler] = {}
    entries: list[TableEntry] = []
    for p in files:
        f = RustFile(p)
        for h in parse_handlers(f):
            old = handlers.get(h.name)
            if old is None or (old.negative and not h.negative):
                handlers[h.name] = h
        entries += parse_table(f)
    if not entries:
        raise InputError(located(str(mod), 1, None, "expected a `syscall_table! { (Variant, "
                                                    "handler), ... }` invocation"))
    known = {v for v, _ in nr}
    table: dict[str, TableEntry] = {}
    for e in entries:
        if e.variant not in known:
            raise InputError(located(e.file, e.line, None,
                                     f"({e.variant}, {e.handler}): {e.variant} is not a variant "
                                     f"of enum NR in {header}"))
        if e.variant in table:
            raise InputError(located(e.file, e.line, None,
                                     f"{e.variant} is in syscall_table! twice (first at line "
                                     f"{table[e.variant].line})"))
        table[e.variant] = e
    calls, warnings = [], []
    for i, (variant, _line) in enumerate(nr):
        if variant == SENTINEL:
            calls.append(KernelCall(i, variant, SENTINEL_HANDLER, "", "", None))
            continue
        e = table.get(variant)
        if e is None:
            warnings.append(f"{header}: {variant} ({i}) has no syscall_table! entry "
                            f"(dispatch answers usize::MAX)")
            calls.append(KernelCall(i, variant, "", "", "", None))
            continue
        h = handlers.get(e.handler)
        if h is None:
            warnings.append(f"{e.file}:{e.line}: {e.handler} (for {variant}) has no "
                            f"define_syscall_handler!: signature left empty")
            calls.append(KernelCall(i, variant, e.handler, "", "", e.gate))
            continue
        calls.append(KernelCall(i, variant, h.name, h.args, h.returns, h.gate or e.gate))
    return KernelSource(tuple(calls), handlers, table, warnings)


# ---------------------------------------------------------------------------------------------
# librs

_NO_MANGLE = re.compile(r"#\[\s*(?:unsafe\s*\(\s*)?no_mangle\s*\)?\s*\]")
_ITEM = re.compile(r'(?:pub(?:\s*\([^()]*\))?\s+)?(?:(?:unsafe|const|async|safe)\s+)*'
                   r'(?:(?P<ext>extern)\s*(?P<abi>"[^"]*")?\s*)?(?P<kind>fn|static)\s+'
                   r'(?:mut\s+)?(?P<name>\$?[A-Za-z_]\w*)')


@dataclass
class LibrsSource:
    functions: dict[str, LibrsFunction]
    statics: list[str]  # source order
    stubs: dict[str, Stub]
    warnings: list[str] = field(default_factory=list)


def _abi(m: re.Match) -> str:
    if not m.group("ext"):
        return "Rust"
    abi = (m.group("abi") or '"C"').strip('"')
    return "C" if abi in ("C", "C-unwind", "system", "") else abi


def parse_exports(f: RustFile, lib: LibrsSource, label: str) -> None:
    seen: set[int] = set()
    for m in _NO_MANGLE.finditer(f.skel):
        attrs = f.attrs_before(m.start())
        after, start = f.attrs_after(m.end())
        if start in seen:
            continue
        seen.add(start)
        attrs += after
        im = _ITEM.match(f.code, start)
        if not im:
            found = _collapse(f.code[start:start + 60].split("\n")[0])
            raise f.error(start, f"expected a `fn` or `static` item after #[no_mangle], "
                                 f"found {found!r}")
        name = im.group("name")
        if name.startswith("$"):
            lib.warnings.append(f"{label}:{f.line(start)}: #[no_mangle] item {name} is made by "
                                f"a macro: skipped")
            continue
        if im.group("kind") == "static":
            if name not in lib.statics:
                lib.statics.append(name)
            continue
        weak = any(re.fullmatch(r'\s*linkage\s*=\s*"weak"\s*', a) for a in attrs)
        cfg = parse_cfg(attrs)
        arch = ",".join(dict.fromkeys(cfg.arches)) or "all"
        fn = LibrsFunction(name, "weak" if weak else "strong", _abi(im), arch)
        old = lib.functions.get(name)
        if old is not None:  # one definition per architecture: merge the arches
            arches = set(old.arch.split(",")) | set(arch.split(","))
            arch = "all" if "all" in arches else ",".join(sorted(arches))
            fn = LibrsFunction(name, old.linkage, old.abi, arch)
        lib.functions[name] = fn


_OK = re.compile(r"(?:return\s+)?(?:Ok\s*\(\s*(?:\(\s*\)|\d[\w.]*)\s*\)|0[\w.]*|true)\s*;?")
_ERR = re.compile(r"(?:return\s+)?(?:Err\s*\(\s*(?:[\w:]+\s*\(\s*-?\s*[\w:]+\s*\)|-?\s*[\w:]+)"
                  r"\s*\)|-\s*\d\w*|-\s*\(?\s*[\w:]+(?:\s+as\s+\w+)?\s*\)?)\s*;?")


def parse_stubs(f: RustFile) -> dict[str, Stub]:
    regions = []
    for m in re.finditer(r"\bimpl\b", f.skel):
        brace = f.skel.find("{", m.end())
        if brace < 0:
            continue
        head = f.skel[m.end():brace]
        if ";" in head or not re.search(r"\bSyscall\b[\w<>, ]*\s+for\s+\w", head):
            continue
        regions.append((brace, f.close_of(brace)))
    if not regions:
        regions = [(0, len(f.skel))]
    out: dict[str, Stub] = {}
    for a, b in regions:
        i = a
        fnre = re.compile(r"\bfn\s+([A-Za-z_]\w*)\s*(?:<[^>{]*>)?\s*\(")
        while (m := fnre.search(f.skel, i, b)) is not None:
            close = f.close_of(m.end() - 1)
            j = close + 1
            while j < b and f.skel[j] not in "{;":
                j += 1
            if j >= b or f.skel[j] == ";":
                i = j + 1
                continue
            end = f.close_of(j)
            i = end + 1
            body = _collapse(f.code[j + 1:end])
            if _OK.fullmatch(body):
                behaviour, default = "succeeds-doing-nothing", "returns 0"
            elif _ERR.fullmatch(body):
                behaviour, default = "always-fails", "returns -1"
            else:
                continue
            name = m.group(1)
            fn_start = m.start()
            notes = [_comment_text(c) for c in
                     f.comments_before(fn_start) + f.comments_in(j, end)]
            note = _cell("; ".join(n for n in notes if n)) or default
            out.setdefault(name, Stub(name, behaviour, note))
    return out


def read_librs(root: Path) -> LibrsSource:
    root = Path(root)
    src = root / LIBRS_SRC
    if not src.is_dir():
        raise InputError(located(str(src), None, None,
                                 "not found: is this a librs checkout? expected its src/ folder"))
    backend = _need(root, LIBRS_BACKEND, "expected librs's BlueOS syscall backend "
                                         "(impl Syscall for Sys)")
    lib = LibrsSource({}, [], {})
    for p in sorted(src.rglob("*.rs"), key=lambda p: p.relative_to(src).as_posix()):
        parse_exports(RustFile(p), lib, str(p))
    lib.stubs = parse_stubs(RustFile(backend))
    return lib


def read_facts(kernel: Path, librs: Path | None = None) -> BlueosFacts:
    """The facts of the checkouts (no boards; librs parts empty without `librs`)."""
    k = read_kernel(kernel)
    lib = read_librs(librs) if librs is not None else LibrsSource({}, [], {})
    return BlueosFacts(k.calls, lib.functions, frozenset(lib.statics), lib.stubs, ())


# ---------------------------------------------------------------------------------------------
# provenance


def _git(root: Path, *args: str) -> str | None:
    try:
        r = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                           timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return r.stdout.strip() if r.returncode == 0 and r.stdout.strip() else None


def _repo_name(url: str) -> str:
    url = url.strip().removesuffix("/").removesuffix(".git")
    m = re.match(r"^[a-z][a-z0-9+.-]*://[^/]+/(.+)$", url) or re.match(r"^[^/:@]+@[^:]+:(.+)$",
                                                                        url)
    if m:
        return m.group(1).strip("/")
    return Path(url).name or url


@dataclass(frozen=True)
class Origin:
    repo: str
    commit: str | None
    date: str | None

    def source(self) -> str:
        if not self.commit:
            return f"{self.repo}, commit unknown"
        return f"{self.repo}, commit {self.commit}" + (f" ({self.date})" if self.date else "")


def origin(root: Path, commit: str | None = None, date: str | None = None) -> Origin:
    """Repository name, commit and date of a checkout: git's when it is one (explicit
    `commit`/`date` win), else the folder's name and `commit`/`date`."""
    root = Path(root).resolve()
    repo, sha, day = root.name, None, None
    top = _git(root, "rev-parse", "--show-toplevel")
    if top and Path(top).resolve() == root:
        url = _git(root, "remote", "get-url", "origin")
        if url:
            repo = _repo_name(url)
        log = _git(root, "log", "-1", "--format=%h %cs")
        if log:
            sha, _, day = log.partition(" ")
    return Origin(repo, commit or sha, date or day or None)


# ---------------------------------------------------------------------------------------------
# the snapshot: rows, changes, import


def call_rows(calls) -> list[tuple[str, ...]]:
    return [(str(c.index), c.variant, c.handler, c.args, c.returns, c.gate or "") for c in calls]


def function_rows(functions: dict[str, LibrsFunction]) -> list[tuple[str, ...]]:
    return [(f.name, f.linkage, f.abi, f.arch) for _, f in sorted(functions.items())]


def static_rows(statics) -> list[tuple[str, ...]]:
    return [(s,) for s in sorted(statics)]


def stub_rows(stubs: dict[str, Stub]) -> list[tuple[str, ...]]:
    return [(s.name, s.behaviour, s.note) for s in stubs.values()]


@dataclass(frozen=True)
class Change:
    file: str
    what: str  # call | function | static | stub | source
    kind: str  # added | removed | renumbered | handler | signature | gate | linkage | abi | arch
    #            | behaviour | note | changed
    name: str
    detail: str

    def line(self) -> str:
        if self.what == "source":
            return f"~ source: {self.detail}"
        mark = {"added": "+", "removed": "-"}.get(self.kind, "~")
        label = self.kind if mark == "~" else ""
        return " ".join(x for x in (mark, self.what, self.name, label) if x) + \
            (f": {self.detail}" if self.detail else "")

    def as_json(self) -> dict[str, str]:
        return {"file": self.file, "what": self.what, "kind": self.kind, "name": self.name,
                "detail": self.detail}


def _sig(r: dict[str, str]) -> str:
    if r["returns"]:
        return f"{r['handler']}({r['args']}) -> {r['returns']}"
    return r["handler"] or "(no handler)"


def _changes(name: str, old: list[dict[str, str]], new: list[dict[str, str]]) -> list[Change]:
    out: list[Change] = []
    if name == "syscalls.tsv":
        key, what = "variant", "call"
    elif name == "librs-functions.tsv":
        key, what = "name", "function"
    elif name == "librs-statics.tsv":
        key, what = "name", "static"
    else:
        key, what = "name", "stub"
    before = {r[key]: r for r in old}
    after = {r[key]: r for r in new}

    def describe(r: dict[str, str]) -> str:
        if what == "call":
            return f"{r['index']}: {_sig(r)}" + (f" [{r['gate']}]" if r["gate"] else "")
        if what == "function":
            return f"{r['linkage']}, {r['abi']}, {r['arch']}"
        if what == "stub":
            return f"{r['behaviour_on_blueos']} ({r['note']})"
        return ""

    for k, r in after.items():
        if k not in before:
            out.append(Change(name, what, "added", k, describe(r)))
    for k, r in before.items():
        if k not in after:
            out.append(Change(name, what, "removed", k, describe(r)))
    for k, r in after.items():
        o = before.get(k)
        if o is None:
            continue
        if what == "call":
            if o["index"] != r["index"]:
                out.append(Change(name, what, "renumbered", k, f"{o['index']} -> {r['index']}"))
            if o["handler"] != r["handler"]:
                out.append(Change(name, what, "handler", k, f"{o['handler']} -> {r['handler']}"))
            elif (o["args"], o["returns"]) != (r["args"], r["returns"]):
                out.append(Change(name, what, "signature", k, f"{_sig(o)}  =>  {_sig(r)}"))
            if o["gate"] != r["gate"]:
                out.append(Change(name, what, "gate", k,
                                  f"{o['gate'] or '(none)'} -> {r['gate'] or '(none)'}"))
        else:
            cols = {"function": ("linkage", "abi", "arch"),
                    "stub": ("behaviour_on_blueos", "note")}.get(what, ())
            for c in cols:
                if o[c] != r[c]:
                    kind = "behaviour" if c == "behaviour_on_blueos" else c
                    out.append(Change(name, what, kind, k, f"{o[c]} -> {r[c]}"))
    return out


@dataclass
class FileResult:
    name: str
    source: str
    old_source: str | None
    changed: bool  # content differs from what is there (so written, unless a dry run)
    written: bool


@dataclass
class ImportResult:
    out: Path
    dry_run: bool
    kernel: Origin
    librs: Origin | None
    files: list[FileResult]
    changes: list[Change]
    warnings: list[str]
    facts: BlueosFacts

    def counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for what in ("call", "function", "static", "stub"):
            cs = [c for c in self.changes if c.what == what]
            out[what] = {"added": sum(c.kind == "added" for c in cs),
                         "removed": sum(c.kind == "removed" for c in cs),
                         "changed": len({c.name for c in cs
                                         if c.kind not in ("added", "removed")})}
        return out

    def summary(self) -> str:
        n = self.counts()
        parts = []
        for what, label in (("call", "calls"), ("function", "functions"), ("static", "statics"),
                            ("stub", "stubs")):
            c = n[what]
            parts.append(f"{label} +{c['added']} -{c['removed']} ~{c['changed']}")
        changed = [f for f in self.files if f.changed]
        if self.dry_run:
            tail = f"dry run: {len(changed)} file(s) would be written, nothing written"
        else:
            tail = f"{sum(f.written for f in self.files)} file(s) written to {self.out}"
        data = sum(c.what != "source" for c in self.changes)
        head = f"{data} change(s)" if data else "no changes"
        return f"{head}: {', '.join(parts)}; {tail}"


def _existing(path: Path, columns: tuple[str, ...]):
    if not path.is_file():
        return None, []
    prov, rows = read_tsv(path, columns)
    return prov, [{c: r[c] for c in columns} for r in rows]


def run_import(kernel: Path, librs: Path | None = None, out: Path | None = None, *,
               dry_run: bool = False, commit: str | None = None, date: str | None = None,
               librs_commit: str | None = None, librs_date: str | None = None,
               today: str | None = None) -> ImportResult:
    """Read the checkouts and refresh the snapshot files in `out` (default: the shipped data
    folder). A file is rewritten only when its rows or its source line change; boards.tsv and,
    without `librs`, the librs files are never touched."""
    out = Path(out) if out is not None else DATA
    today = today or datetime.date.today().isoformat()
    k = read_kernel(kernel)
    lib = read_librs(librs) if librs is not None else None
    k_origin = origin(kernel, commit, date)
    l_origin = origin(librs, librs_commit, librs_date) if librs is not None else None
    planned: dict[str, tuple[str, list[tuple[str, ...]]]] = {
        "syscalls.tsv": (k_origin.source(), call_rows(k.calls))}
    if lib is not None:
        assert l_origin is not None
        planned["librs-functions.tsv"] = (l_origin.source(), function_rows(lib.functions))
        planned["librs-statics.tsv"] = (l_origin.source(), static_rows(lib.statics))
        planned["librs-stubs.tsv"] = (l_origin.source(), stub_rows(lib.stubs))
    files, changes, prov = [], [], {}
    for name, (source, rows) in planned.items():
        cols = FILES[name]
        old_prov, old_rows = _existing(out / name, cols)
        new_rows = [dict(zip(cols, r, strict=True)) for r in rows]
        changes += _changes(name, old_rows, new_rows)
        same = old_prov is not None and old_prov.source == source and old_rows == new_rows
        if old_prov is not None and old_prov.source != source:
            changes.append(Change(name, "source", "changed", name,
                                  f"{old_prov.source} -> {source}"))
        p = old_prov if same else Provenance(TITLES[name], source, f"{today} {IMPORTED_BY}")
        prov[name] = p
        written = False
        if not same and not dry_run:
            written = write_if_changed(out / name, render_tsv(TITLES[name], p, cols, rows))
        files.append(FileResult(name, source, old_prov.source if old_prov else None,
                                not same, written))
    facts = BlueosFacts(k.calls, lib.functions if lib else {},
                        frozenset(lib.statics if lib else ()), lib.stubs if lib else {}, (), prov)
    return ImportResult(out, dry_run, k_origin, l_origin, files, changes,
                        k.warnings + (lib.warnings if lib else []), facts)

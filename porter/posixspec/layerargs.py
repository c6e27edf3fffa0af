"""Which constant arguments the POSIX layer handles, read from its C sources.

For each function the spec gives an `arg:` check (`fcntl`'s cmd, `sysconf`'s name, `open`'s
oflag, a clock id...), the layer's definition is followed along that parameter: into the layer
functions it is passed to (`clock_gettime(clk)` -> `__bk_now(clk)` -> `__bk_clock_to_kernel(clk)`
-> `bk_clockid_to_linux(clk)`, the generated `<bkport/abi_translate.h>`, rendered here from the
spec) until a `switch` on it, or a chain of `if (v == NAME)` tests. Its `case` labels (tests) are
the values the layer knows; one whose code fails (`bk_fail(...)`, an `E*` errno, `return -1` in a
helper) does not support them, and `default:` (the code after the chain) says what every other
value gets. A bit-mask parameter (`arg: oflag flags O_*`) has no
switch: the names of its family the followed code mentions (directly or in a table it reads,
`oflag_map`) are handled, every other bit is dropped. A parameter the layer passes on without
looking (socket families go to the kernel) restricts nothing: no record.

Reading C with regular expressions is enough here because the layer is this project's own code,
written in one style; `tests/posixspec/test_layer_args.py` pins what it finds for the layer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bkport.posixspec.model import ArgCheck, PosixSpec

IDENT = re.compile(r"[A-Za-z_]\w*")
DEF_RX = re.compile(r"^(?:static\s+)?(?:inline\s+)?[A-Za-z_][\w \t\*]*?\b([A-Za-z_]\w*)\s*"
                    r"\(([^;{}()]*)\)\s*\{", re.M)
LABEL_RX = re.compile(r"\bcase\s+([^:;]+?)\s*:(?!:)|\bdefault\s*:")
FAILS_RX = re.compile(r"\bbk_fail\s*\(|\bE(?:INVAL|NOTSUP|OPNOTSUPP|NOSYS)\b")
MINUS_ONE_RX = re.compile(r"^\s*(?:errno\s*=\s*0\s*;\s*)?return\s+(?:\(\w+\)\s*)?-1\s*;\s*$")
RETURNS_MINUS_ONE = re.compile(r"\breturn\s+(?:\(\w+\)\s*)?-1\s*;")  # (clockid_t)-1 too
MAX_DEPTH = 4  # helpers followed from the function itself


@dataclass(frozen=True)
class ValueSupport:
    status: str  # "supported" | "partial" | "missing"
    note: str | None


@dataclass(frozen=True)
class ArgSupport:
    """What a profile does with the values of one deciding parameter."""

    function: str
    param: str  # as the spec names it
    index: int
    values: dict[str, ValueSupport]  # the values named in the code that decides
    other: ValueSupport | None  # every other value of the family; None: not restricted
    where: str  # "posix/layer/src/fileio.c:161": the switch (or the function) that decides

    def of(self, value: str) -> ValueSupport | None:
        return self.values.get(value, self.other)


@dataclass(frozen=True)
class _Def:
    name: str
    file: str  # relative to the repository
    line: int
    params: tuple[str, ...]
    body: str  # comments and strings blanked, offsets kept
    raw: str  # the body as written (for comments)
    text: str  # the whole file, blanked
    body_at: int  # offset of the body's `{` in the file


def _blank(text: str) -> str:
    """Comments and string/char literals replaced by spaces (newlines kept): offsets and line
    numbers stay, and nothing inside them looks like code."""
    def repl(m: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))
    return re.sub(r'/\*.*?\*/|//[^\n]*|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', repl,
                  text, flags=re.S)


def _block_end(text: str, start: int) -> int:
    """The offset just past the `}` matching the `{` at `start`."""
    depth = 0
    for i in range(start, len(text)):
        c = text[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def _params(text: str) -> tuple[str, ...]:
    out = []
    for p in text.split(","):
        p = p.strip()
        if p in ("", "void", "..."):
            continue
        p = re.sub(r"\[[^\]]*\]", "", p)
        names = IDENT.findall(p)
        out.append(names[-1] if names else "")
    return tuple(out)


def layer_definitions(layer: Path, root: Path,
                      extra: dict[str, str] | None = None) -> dict[str, list[_Def]]:
    """Every function the layer's .c files define, by name (statics may repeat across files),
    and those of `extra` (display name -> C text: generated headers the layer includes)."""
    out: dict[str, list[_Def]] = {}
    files = [(p.relative_to(root).as_posix() if p.is_relative_to(root) else str(p),
              p.read_text(errors="replace")) for p in sorted(layer.rglob("*.c"))]
    for rel, raw in [*files, *(extra or {}).items()]:
        text = _blank(raw)
        for m in DEF_RX.finditer(text):
            if m.group(1) in ("if", "while", "for", "switch", "return", "sizeof"):
                continue
            brace = m.end() - 1
            end = _block_end(text, brace)
            out.setdefault(m.group(1), []).append(_Def(
                m.group(1), rel, text.count("\n", 0, m.start()) + 1, _params(m.group(2)),
                text[brace:end], raw[brace:end], text, brace))
    return out


def _split_args(text: str) -> list[str]:
    out, depth, cur = [], 0, []
    for c in text:
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        if c == "," and depth == 0:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(c)
    out.append("".join(cur).strip())
    return out


def _calls_with(body: str, param: str) -> list[tuple[str, int]]:
    """(callee, argument index) for every call in `body` that passes `param` as it is."""
    out = []
    for m in re.finditer(r"\b([A-Za-z_]\w*)\s*\(", body):
        start = m.end()
        depth, i = 1, start
        while i < len(body) and depth:
            depth += {"(": 1, ")": -1}.get(body[i], 0)
            i += 1
        args = _split_args(body[start:i - 1])
        for n, a in enumerate(args):
            if a == param:
                out.append((m.group(1), n))
    return out


def _pick(defs: dict[str, list[_Def]], name: str, near: str) -> _Def | None:
    cands = defs.get(name) or []
    same = [d for d in cands if d.file == near]
    return (same or cands or [None])[0]


def _group_status(chunk: str, raw: str, api: bool, fn: str) -> ValueSupport:
    if FAILS_RX.search(chunk) or (not api and RETURNS_MINUS_ONE.search(chunk)):
        err = re.search(r"\bE[A-Z]{3,}\b", chunk)
        return ValueSupport("missing", f"the layer's {fn} fails"
                            + (f" with {err.group(0)}" if err else "") + " for it")
    if api and MINUS_ONE_RX.match(chunk):
        why = " ".join(re.findall(r"/\*\s*(.*?)\s*\*/", raw, re.S)).strip()
        if re.search(r"\b(unsupported|not supported)\b", why):
            return ValueSupport("partial", f"the layer's {fn} answers -1 ({why})")
        return ValueSupport("supported", f"the layer's {fn} answers -1" + (f" ({why})" if why
                                                                            else ""))
    return ValueSupport("supported", None)


def _switch(d: _Def, param: str, api: bool, fn: str) -> tuple[dict[str, ValueSupport],
                                                               ValueSupport | None, int] | None:
    m = re.search(rf"\bswitch\s*\(\s*{re.escape(param)}\s*\)\s*\{{", d.body)
    if m is None:
        return None
    start = m.end() - 1
    end = _block_end(d.body, start)
    inner, raw_inner = d.body[start + 1:end - 1], d.raw[start + 1:end - 1]
    labels = []
    for lm in LABEL_RX.finditer(inner):
        depth = inner.count("{", 0, lm.start()) - inner.count("}", 0, lm.start())
        if depth == 0:
            labels.append(lm)
    values: dict[str, ValueSupport] = {}
    other: ValueSupport | None = None
    pending: list[str | None] = []
    for n, lm in enumerate(labels):
        pending.append(lm.group(1))  # None: default
        stop = labels[n + 1].start() if n + 1 < len(labels) else len(inner)
        chunk = re.sub(r"^\s*#.*$", "", inner[lm.end():stop], flags=re.M)
        if not chunk.strip():
            continue  # falls through into the next label's code
        status = _group_status(chunk, raw_inner[lm.end():stop], api, fn)
        for label in pending:
            if label is None:
                other = status if status.status != "supported" else None
            elif IDENT.fullmatch(label):
                values[label] = status
        pending = []
    # without a default (or with one that works) other values restrict nothing: other is None
    line = d.text.count("\n", 0, d.body_at + m.start()) + 1
    if other is not None:
        other = ValueSupport(other.status, f"{other.note}: no case for it in the switch at "
                             f"{d.file}:{line}")
    return values, other, line


IF_RX = r"\bif\s*\(\s*{p}\s*==\s*([A-Za-z_]\w*)\s*\)\s*(return\b[^;]*;|[^;{{]*;|\{{)"


def _if_chain(d: _Def, param: str, api: bool, fn: str) -> tuple[dict[str, ValueSupport],
                                                                ValueSupport | None, int] | None:
    """`if (v == CLOCK_REALTIME) return ...;` tests in a row (the generated translators): each
    names a value; the code after the last one is what every other value gets."""
    rx = re.compile(IF_RX.format(p=re.escape(param)))
    hits = list(rx.finditer(d.body))
    if not hits:
        return None
    values: dict[str, ValueSupport] = {}
    for m in hits:
        stmt = m.group(2)
        if stmt == "{":
            stmt = d.body[m.end() - 1:_block_end(d.body, m.end() - 1)]
        values.setdefault(m.group(1), _group_status(stmt, stmt, api, fn))
    rest = re.sub(r"^\s*#.*$", "", d.body[hits[-1].end():], flags=re.M)
    rest_raw = d.raw[hits[-1].end():]
    line = d.text.count("\n", 0, d.body_at + hits[0].start()) + 1
    tail = _group_status(rest, rest_raw, api, fn)
    other = None
    if tail.status != "supported":
        other = ValueSupport(tail.status, f"{tail.note}: no test for it in the chain at "
                             f"{d.file}:{line}")
    return values, other, line


def _mentioned(d: _Def, defs: dict[str, list[_Def]], param: str, check: ArgCheck,
               seen: set[str]) -> set[str]:
    """Names of the family the code that reads a bit mask mentions, with the file-level tables
    it reads (`oflag_map`), following the helpers the mask is passed to."""
    seen.add(d.name)
    names = {n for n in IDENT.findall(d.body) if check.matches(n)}
    for ident in set(IDENT.findall(d.body)):
        t = re.search(rf"\b{ident}\s*\[[^\]]*\]\s*=\s*\{{", d.text)
        if t is not None:
            table = d.text[t.end() - 1:_block_end(d.text, t.end() - 1)]
            names |= {n for n in IDENT.findall(table) if check.matches(n)}
    for callee, idx in _calls_with(d.body, param):
        h = _pick(defs, callee, d.file)
        if h is not None and h.name not in seen and idx < len(h.params):
            names |= _mentioned(h, defs, h.params[idx], check, seen)
    return names


def _follow(d: _Def, defs: dict[str, list[_Def]], index: int, api: bool, fn: str,
            depth: int = 0) -> tuple[dict[str, ValueSupport], ValueSupport | None, str] | None:
    if index >= len(d.params):
        return None
    param = d.params[index]
    got = _switch(d, param, api, fn) or _if_chain(d, param, api, fn)
    if got is not None:
        values, other, line = got
        return values, other, f"{d.file}:{line}"
    if depth >= MAX_DEPTH:
        return None
    for callee, idx in _calls_with(d.body, param):
        h = _pick(defs, callee, d.file)
        if h is not None and h.name != d.name:
            res = _follow(h, defs, idx, False, fn, depth + 1)
            if res is not None:
                return res
    return None


def _value(spec: PosixSpec, name: str) -> int | None:
    c = spec.constants.get(name)
    return c.value if c is not None else None


def argument_support(spec: PosixSpec, layer: Path, root: Path,
                     provided: set[str]) -> dict[str, tuple[ArgSupport, ...]]:
    """function -> what the layer does with each of its deciding parameters, for the functions
    the layer itself provides (`provided`)."""
    from bkport.posixspec.gen_abi import render_translate_header

    generated = {"<bkport/abi_translate.h>": render_translate_header(spec, "")}
    defs = layer_definitions(layer, root, generated)
    out: dict[str, tuple[ArgSupport, ...]] = {}
    for name, itf in sorted(spec.interfaces.items()):
        if not itf.args or name not in provided:
            continue
        d = _pick(defs, name, "")
        if d is None:
            continue
        rows = []
        for check in itf.args:
            if check.index >= len(d.params):
                continue
            where = f"{d.file}:{d.line}"
            if check.flags:
                names = _mentioned(d, defs, d.params[check.index], check, set())
                masks = [v for n in names if n.endswith(("MODE", "MASK"))
                         and (v := _value(spec, n)) is not None]
                family = {c for c in (*spec.constants, *spec.symbols) if check.matches(c)}
                for c in family:  # a value inside a mask the code reads is handled by it
                    v = _value(spec, c)
                    if v is not None and any(v & ~m == 0 for m in masks):
                        names.add(c)
                if not names:
                    continue  # passed on without looking: restricts nothing
                values = {n: ValueSupport("supported", None) for n in names}
                other = ValueSupport("partial", f"the layer's {name} drops this flag: the call "
                                     "goes on without it")
                rows.append(ArgSupport(name, check.param, check.index, values, other, where))
                continue
            res = _follow(d, defs, check.index, True, name)
            if res is None:
                continue
            values, other, where = res
            rows.append(ArgSupport(name, check.param, check.index, values, other, where))
        if rows:
            out[name] = tuple(rows)
    return out


def resolve(spec: PosixSpec, value: str) -> str:
    """The name an alias stands for (`_SC_PAGE_SIZE` -> `_SC_PAGESIZE`, `O_NDELAY` ->
    `O_NONBLOCK`), following the spec's `define NAME OTHER` lines."""
    for _ in range(8):
        c = spec.constants.get(value)
        if c is None or not IDENT.fullmatch(c.spelled):
            return value
        value = c.spelled
    return value

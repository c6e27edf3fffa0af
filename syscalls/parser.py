"""Text -> raw declarations. Syntax only: meaning is checked by `syscalls.loader`.

Each top-level declaration is parsed on its own, so one run reports every syntax error in a
file instead of stopping at the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from bkport.errors import Diagnostic, Location, located
from lark import (
    Lark,
    Token,
    Tree,
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
)

_DECL_START = re.compile(r"^(?:abi|gate|extern|struct|syscall)\b", re.M)


@cache
def _parser() -> Lark:
    grammar = (Path(__file__).parent / "bksys.lark").read_text()
    return Lark(grammar, parser="lalr", propagate_positions=True, maybe_placeholders=True)


@dataclass
class RawParam:
    name: str
    kind: str  # "ptr" or "named"
    direction: str | None
    type: str
    nullable: bool
    length: str | None
    loc: Location


@dataclass
class RawSyscall:
    number: int
    variant: str
    name: str
    params: list[RawParam]
    returns: str
    loc: Location
    attrs: dict[str, list[tuple[list[str], Location]]] = field(default_factory=dict)


@dataclass
class RawStruct:
    name: str
    external: bool
    fields: list[tuple[str, str, Location]]
    loc: Location


@dataclass
class RawFile:
    path: str
    abi: list[tuple[str, int, Location]] = field(default_factory=list)
    gates: list[tuple[str, str, Location]] = field(default_factory=list)
    structs: list[RawStruct] = field(default_factory=list)
    syscalls: list[RawSyscall] = field(default_factory=list)


def _loc(path: str, node: Tree | Token) -> Location:
    meta = node if isinstance(node, Token) else node.meta
    return Location(path, meta.line, meta.column)


def _unquote(tok: Token) -> str:
    return bytes(tok[1:-1], "utf-8").decode("unicode_escape")


def _expected(e: UnexpectedInput) -> str:
    names = sorted(getattr(e, "expected", None) or getattr(e, "allowed", None) or [])
    pretty = {
        "SEMICOLON": "';'", "LBRACE": "'{'", "RBRACE": "'}'", "LPAR": "'('", "RPAR": "')'",
        "COMMA": "','", "COLON": "':'", "MORETHAN": "'>'", "LESSTHAN": "'<'", "NAME": "a name",
        "INT": "a number", "STRING": "a quoted string", "NULLABLE": "'?'", "__ANON_0": "'->'",
    }
    words = [pretty.get(n, n.strip("_").lower()) for n in names]
    return ", ".join(dict.fromkeys(words)) or "something else"


def _syntax_error(path: str, e: UnexpectedInput) -> Diagnostic:
    if isinstance(e, UnexpectedToken):
        got = "end of declaration" if e.token.type == "$END" else repr(str(e.token))
        return located(path, e.line, e.column, f"expected {_expected(e)}, found {got}")
    if isinstance(e, UnexpectedCharacters):
        return located(path, e.line, e.column,
                       f"unexpected character {e.char!r}; expected {_expected(e)}")
    if isinstance(e, UnexpectedEOF):
        return located(path, e.line, e.column, f"unexpected end of file; expected {_expected(e)}")
    return located(path, getattr(e, "line", None), getattr(e, "column", None), str(e))


def _chunks(text: str) -> list[tuple[int, str]]:
    """Split at declaration keywords that start a line; keep line numbers by padding."""
    starts = [m.start() for m in _DECL_START.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    out = []
    for i, s in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        line = text.count("\n", 0, s)
        out.append((line, "\n" * line + text[s:end]))
    return out


def parse_text(text: str, path: str) -> tuple[RawFile, list[Diagnostic]]:
    raw = RawFile(path)
    errors: list[Diagnostic] = []
    for _line, chunk in _chunks(text):
        if not chunk.strip():
            continue
        try:
            tree = _parser().parse(chunk)
        except UnexpectedInput as e:
            errors.append(_syntax_error(path, e))
            continue
        for decl in tree.children:
            _collect(raw, decl, path)
    return raw, errors


def _collect(raw: RawFile, decl: Tree, path: str) -> None:
    kind = decl.data
    ch = decl.children
    if kind == "abi":
        raw.abi.append((str(ch[0]), int(ch[1]), _loc(path, decl)))
    elif kind == "gate":
        raw.gates.append((str(ch[0]), _unquote(ch[1]), _loc(path, ch[0])))
    elif kind == "struct":
        external = ch[0] is not None
        fields = [(str(f.children[0]), str(f.children[1]), _loc(path, f))
                  for f in ch[2:] if isinstance(f, Tree)]
        raw.structs.append(RawStruct(str(ch[1]), external, fields, _loc(path, ch[1])))
    elif kind == "syscall":
        raw.syscalls.append(_syscall(decl, path))


def _syscall(decl: Tree, path: str) -> RawSyscall:
    number, variant, name, *rest = decl.children
    params: list[RawParam] = []
    attrs: dict[str, list[tuple[list[str], Location]]] = {}
    returns = ""
    for node in rest:
        if node is None:
            continue
        if isinstance(node, Token):
            returns = str(node)
        elif node.data == "param":
            params.append(_param(node, path))
        else:
            key = node.data.removesuffix("_attr")
            values = [_unquote(t) if t.type == "STRING" else str(t)
                      for t in node.children if t is not None]
            attrs.setdefault(key, []).append((values, _loc(path, node)))
    return RawSyscall(int(number), str(variant), str(name), params, returns,
                      _loc(path, number), attrs)


def _param(node: Tree, path: str) -> RawParam:
    pname, ptype, nullable, length = node.children
    if ptype.data == "ptr":
        direction, target = (str(t) for t in ptype.children)
        kind = "ptr"
    else:
        direction, target, kind = None, str(ptype.children[0]), "named"
    return RawParam(
        str(pname), kind, direction, target, nullable is not None,
        str(length.children[0]) if length is not None else None, _loc(path, pname),
    )

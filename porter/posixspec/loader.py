"""Load posix/spec/**/*.h.spec into a PosixSpec. Format: docs/posix-spec.md.

Two passes: a line reader turns each file into raw records, reporting every malformed line as
`file:line: what was expected`; then the C parts (typedefs, structs, prototypes, extern objects)
are parsed together by pycparser, with `#line` markers so its errors point into the spec files.
The loader never reads system headers: the spec is self-contained.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from bkport.errors import Diagnostic, InputError, located
from bkport.paths import source
from bkport.posixspec.model import (
    POSIX_EDITIONS,
    PSE_PROFILES,
    ArgCheck,
    Constant,
    Header,
    Interface,
    Kind,
    Owner,
    Param,
    PosixSpec,
    Symbol,
    TypeDecl,
)
from pycparser import c_ast, c_generator, c_parser

SUFFIX = ".spec"
KEYS = ("proto", "macro", "var", "body", "group", "codes", "category", "pse", "posix", "removed",
        "also", "arg")
DIRECTIVES = "header, owner, typedef, struct, define, macro or interface"
ARG_PATTERN = re.compile(r"[A-Za-z_]\w*\*?")
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
INT = re.compile(r"-?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)")
MACRO_FORM = re.compile(r"[A-Za-z_]\w*(\((\s*[A-Za-z_]\w*\s*(,\s*[A-Za-z_]\w*\s*)*)?\))?")
EXPR = re.compile(r"\(.*\)|\{.*\}")
# What pycparser does not know and the spec may use: compiler builtins and C99 complex types.
PARSE_PRELUDE = "typedef int __builtin_va_list; typedef _Bool bool;\n"
COMPLEX = re.compile(r"\b(_Complex|complex|_Imaginary|imaginary)\b")


def spec_dir() -> Path:
    return source("posix/spec")


@dataclass
class _Raw:
    """One interface block as read, before C parsing."""

    name: str
    header: str
    line: int
    path: str
    keys: dict[str, tuple[str, int]] = field(default_factory=dict)


@dataclass
class _File:
    path: str
    header: str | None = None
    owner: Owner | None = None
    cdecls: list[tuple[str, int]] = field(default_factory=list)  # typedef/struct lines
    defines: list[tuple[str, str, int]] = field(default_factory=list)
    macros: list[tuple[str, str, int, _Raw]] = field(default_factory=list)  # name, form, line
    blocks: list[_Raw] = field(default_factory=list)


def _read(path: Path, display: str, diags: list[Diagnostic]) -> _File:
    f = _File(display)
    block: _Raw | None = None
    expected_header = display.split("posix/spec/", 1)[-1].removesuffix(SUFFIX)
    for no, raw in enumerate(path.read_text().splitlines(), 1):
        text = raw.split("#", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not text:
            continue
        if text[0] in " \t":
            if block is None:
                diags.append(located(display, no, 1, "expected a directive at column 1 "
                                     f"({DIRECTIVES}); indented lines belong to an interface "
                                     "or a macro"))
                continue
            key, sep, value = text.strip().partition(":")
            if not sep or key not in KEYS:
                diags.append(located(display, no, 3, "expected `KEY: value` with KEY one of "
                                     + ", ".join(KEYS)))
            elif key in block.keys:
                diags.append(located(display, no, 3, f"expected one `{key}:` per interface, "
                                     f"{key} is already given on line {block.keys[key][1]}"))
            else:
                block.keys[key] = (value.strip(), no)
            continue
        block = None
        word, _, rest = text.partition(" ")
        rest = rest.strip()
        if f.header is None and word != "header":
            diags.append(located(display, no, 1, "expected `header NAME.h` first"))
            f.header = expected_header
        if word == "header":
            if f.header is not None:
                diags.append(located(display, no, 1, "expected one `header` line per file"))
            elif rest != expected_header:
                diags.append(located(display, no, 8, f"expected `header {expected_header}` "
                                     f"(the file's path names the header), got `{rest}`"))
            f.header = expected_header
        elif word == "owner":
            try:
                f.owner = Owner(rest)
            except ValueError:
                diags.append(located(display, no, 7, "expected owner picolibc, layer, "
                                     f"picolibc+layer or compiler, got `{rest}`"))
        elif word in ("typedef", "struct"):
            if not text.endswith(";"):
                diags.append(located(display, no, len(text), "expected `;` ending the "
                                     "declaration (one declaration per line)"))
            else:
                f.cdecls.append((text, no))
        elif word == "define":
            parts = rest.split(None, 1)
            if len(parts) != 2 or not IDENT.fullmatch(parts[0]):
                diags.append(located(display, no, 8, "expected `define NAME VALUE`"))
            else:
                f.defines.append((parts[0], parts[1].strip(), no))
        elif word == "macro":
            if not MACRO_FORM.fullmatch(rest):
                diags.append(located(display, no, 7, "expected `macro NAME` or `macro "
                                     f"NAME(a, b)`, got `{rest}`"))
            else:
                name = IDENT.match(rest).group(0)  # type: ignore[union-attr]
                block = _Raw(name, f.header or expected_header, no, display)  # its `body:`
                f.macros.append((name, rest, no, block))
        elif word == "interface":
            if not IDENT.fullmatch(rest):
                diags.append(located(display, no, 11, "expected `interface NAME` with a C "
                                     f"identifier, got `{rest}`"))
                continue
            block = _Raw(rest, f.header or expected_header, no, display)
            f.blocks.append(block)
        else:
            diags.append(located(display, no, 1, f"expected {DIRECTIVES}, got `{word}`"))
    if f.owner is None and f.header is not None:
        diags.append(located(display, 1, None, "expected an `owner` line"))
    return f


def _macro_body(f: _File, raw: _Raw, diags: list[Diagnostic]) -> str | None:
    """A `macro` line's `body:`, the only key it takes, and only where the header is
    generated (elsewhere nothing would define it)."""
    for key, (_, line) in raw.keys.items():
        if key != "body":
            diags.append(located(f.path, line, 3, f"expected only `body:` under a `macro` "
                                 f"line, got `{key}:`"))
    body, line = raw.keys.get("body", (None, 0))
    if body is not None and f.owner not in (Owner.LAYER, Owner.COMPLETED):
        diags.append(located(f.path, line, 3, "expected `body:` under a `macro` line only in "
                             "a header the layer generates (owner layer or picolibc+layer)"))
    return body


def _words(raw: _Raw, key: str, allowed: tuple[str, ...] | None,
           diags: list[Diagnostic]) -> tuple[str, ...]:
    if key not in raw.keys:
        return ()
    value, line = raw.keys[key]
    words = tuple(value.split())
    for w in words:
        if allowed is not None and w not in allowed:
            diags.append(located(raw.path, line, 3, f"expected {key} values among "
                                 f"{' '.join(allowed)}, got `{w}`"))
    return words


def _arg_checks(raw: _Raw, diags: list[Diagnostic]) -> tuple[tuple[str, bool,
                                                                    tuple[str, ...]], ...]:
    """`arg: PARAM [flags] PATTERN...[; PARAM ...]` -> ((param, flags, patterns), ...); the
    parameter's position is known once the prototype is parsed."""
    if "arg" not in raw.keys:
        return ()
    value, line = raw.keys["arg"]
    out = []
    for part in value.split(";"):
        words = part.split()
        flags = len(words) > 1 and words[1] == "flags"
        pats = words[2:] if flags else words[1:]
        if not words or not IDENT.fullmatch(words[0]) or not pats \
                or not all(ARG_PATTERN.fullmatch(p) for p in pats):
            diags.append(located(raw.path, line, 3, "expected `arg: PARAM [flags] PATTERN...` "
                                 "(patterns: NAME or PREFIX*), checks separated by `;`, got "
                                 f"`{part.strip()}`"))
            continue
        out.append((words[0], flags, tuple(pats)))
    return tuple(out)


def _interface(raw: _Raw, diags: list[Diagnostic]) -> Interface | None:
    forms = [k for k in ("proto", "macro", "var") if k in raw.keys]
    if len(forms) != 1:
        diags.append(located(raw.path, raw.line, 1, f"expected exactly one of proto:, macro: or "
                             f"var: for interface {raw.name}, got {len(forms)}"))
        return None
    if "posix" not in raw.keys:
        diags.append(located(raw.path, raw.line, 1, f"expected a `posix:` line for "
                             f"interface {raw.name} (editions it belongs to)"))
    kind = Kind(forms[0])
    decl, line = raw.keys[forms[0]]
    if kind is Kind.MACRO and not re.search(rf"(^|\W){re.escape(raw.name)}(\(.*\))?$", decl):
        diags.append(located(raw.path, line, 3, f"expected a macro form naming {raw.name}: "
                             f"`{raw.name}`, `{raw.name}(args)` or `T {raw.name}(T arg)`"))
    body = raw.keys.get("body", (None, 0))[0]
    if body is not None and not (kind is Kind.MACRO and MACRO_FORM.fullmatch(decl)):
        diags.append(located(raw.path, raw.keys["body"][1], 3, "expected `body:` only under "
                             "an untyped macro form (`macro: NAME` or `macro: NAME(a, b)`)"))
    if "arg" in raw.keys and kind is not Kind.FUNCTION:
        diags.append(located(raw.path, raw.keys["arg"][1], 3, "expected `arg:` only under a "
                             "`proto:` (a function's parameter)"))
    groups = _words(raw, "group", None, diags)
    for g in groups:
        if not re.fullmatch(r"(POSIX|XSI)_[A-Z0-9_]+", g):
            diags.append(located(raw.path, raw.keys["group"][1], 3, "expected option group "
                                 f"names like POSIX_THREADS_BASE, got `{g}`"))
    return Interface(
        name=raw.name, header=raw.header, kind=kind, decl=decl, option_groups=groups,
        codes=_words(raw, "codes", None, diags),
        pse=_words(raw, "pse", PSE_PROFILES, diags),
        posix=_words(raw, "posix", POSIX_EDITIONS, diags),
        removed=_words(raw, "removed", POSIX_EDITIONS, diags),
        also=_words(raw, "also", None, diags),
        category=raw.keys.get("category", (None, 0))[0],
        body=body,
        loc=located(raw.path, raw.line, None, "").loc,
    )


def _c_source(decls: list[tuple[str, str, int]]) -> str:
    out = [PARSE_PRELUDE]
    for text, path, line in decls:
        out.append(f'#line {line} "{path}"\n{COMPLEX.sub("", text)}\n')
    return "".join(out)


def _parse_c(decls: list[tuple[str, str, int]], diags: list[Diagnostic]) -> list[c_ast.Node]:
    """Parse all C lines at once; on failure parse each alone to report every bad line."""
    # Placeholders first, so a type may be used in a file read before the one declaring it
    # (pycparser needs typedef names up front, and does not mind their redefinition).
    typedefs = [d for d in decls if d[0].startswith("typedef")]
    names = "".join(f"typedef int {n};\n" for t, _, _ in typedefs if (n := _typedef_name(t)))
    prelude = PARSE_PRELUDE.count(";") + names.count(";")
    try:
        return c_parser.CParser().parse(names + _c_source(decls), "spec").ext[prelude:]
    except c_parser.ParseError:
        pass
    for d in decls:
        try:
            c_parser.CParser().parse(PARSE_PRELUDE + names + _c_source([d]), "spec")
        except c_parser.ParseError as e:
            m = re.match(r"(.*?):(\d+):(\d+): (.*)", str(e))
            if m:
                diags.append(located(m.group(1), int(m.group(2)), int(m.group(3)),
                                     f"expected a C declaration: {m.group(4)}"))
            else:
                diags.append(located(d[1], d[2], None, f"expected a C declaration: {e}"))
    return []


def _int(text: str) -> int:
    neg, digits = text.startswith("-"), text.lstrip("-")
    if digits[:2].lower() == "0x":
        value = int(digits, 16)
    else:
        value = int(digits, 8 if digits.startswith("0") else 10)
    return -value if neg else value


def _check_exprs(exprs: list[tuple[str, str, int]], typedefs: list[str],
                 diags: list[Diagnostic]) -> None:
    """Expression-valued constants must at least be C initializers."""
    names = "".join(f"typedef int {n};\n" for t in typedefs if (n := _typedef_name(t)))
    for value, path, line in exprs:
        try:
            c_parser.CParser().parse(f'{PARSE_PRELUDE}{names}#line {line} "{path}"\n'
                                     f"int __bk_value = {value};\n", "spec")
        except c_parser.ParseError as e:
            diags.append(located(path, line, None, f"expected a C expression: {e}"))


def _typedef_name(text: str) -> str | None:
    m = re.search(r"\(\*\s*(\w+)\)", text) or re.search(r"(\w+)\s*(\[[^\]]*\]\s*)*;$", text)
    return m.group(1) if m else None


def _decl_name(node: c_ast.Node) -> str | None:
    if isinstance(node, c_ast.Typedef):
        return node.name
    if isinstance(node, c_ast.Decl):
        if node.name:
            return node.name
        if isinstance(node.type, c_ast.Struct):
            return f"struct {node.type.name}"
    return None


def _signature(fn: c_ast.FuncDecl) -> tuple[str, tuple[Param, ...], bool]:
    gen = c_generator.CGenerator()
    params: list[Param] = []
    variadic = False
    for p in fn.args.params if fn.args else []:
        if isinstance(p, c_ast.EllipsisParam):
            variadic = True
        elif isinstance(p, c_ast.Typename) and gen.visit(p.type) == "void":
            continue
        else:
            params.append(Param(getattr(p, "name", None), gen.visit(p.type)))
    return gen.visit(fn.type), tuple(params), variadic


def load_spec_from(directory: Path) -> PosixSpec:
    """Load and validate every `*.h.spec` under `directory`; raise InputError listing problems."""
    diags: list[Diagnostic] = []
    files = []
    root = directory.parent.parent if directory.parent.name == "posix" else directory
    for path in sorted(directory.rglob(f"*.h{SUFFIX}")):
        rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        if not rel.startswith("posix/spec/"):
            rel = "posix/spec/" + path.relative_to(directory).as_posix()
        files.append(_read(path, rel, diags))
    if not files:
        raise InputError(located(str(directory), None, None, "expected *.h.spec files here"))

    interfaces: dict[str, Interface] = {}
    constants: dict[str, Constant] = {}
    cdecls: list[tuple[str, str, int, str]] = []  # text, path, line, header
    aliases: list[tuple[str, str, _File, int]] = []
    exprs: list[tuple[str, str, int]] = []
    symbols: dict[str, Symbol] = {}
    arg_checks: dict[str, tuple[tuple[tuple[str, bool, tuple[str, ...]], ...], int]] = {}
    for f in files:
        for name, form, line, raw in f.macros:
            body = _macro_body(f, raw, diags)
            if name in symbols:
                diags.append(located(f.path, line, 7, f"expected each macro once: {name} is "
                                     f"already declared at {symbols[name].loc}"))
            else:
                symbols[name] = Symbol(name, f.header or "", form,
                                       located(f.path, line, None, "").loc, body)
        cdecls += [(t, f.path, line, f.header or "") for t, line in f.cdecls]
        for raw in f.blocks:
            if raw.name in interfaces:
                prev = interfaces[raw.name].loc
                diags.append(located(raw.path, raw.line, 11, f"expected each interface once: "
                                     f"{raw.name} is already declared at {prev}"))
                continue
            itf = _interface(raw, diags)
            if itf is not None:
                interfaces[raw.name] = itf
                checks = _arg_checks(raw, diags)
                if checks:
                    arg_checks[raw.name] = (checks, raw.keys["arg"][1])
        for name, value, line in f.defines:
            if name in constants:
                diags.append(located(f.path, line, 8, f"expected each constant once: {name} "
                                     f"is already defined at {constants[name].loc}"))
            elif INT.fullmatch(value):
                constants[name] = Constant(name, _int(value), f.header or "", value,
                                           located(f.path, line, None, "").loc)
            elif EXPR.fullmatch(value):
                constants[name] = Constant(name, None, f.header or "", value,
                                           located(f.path, line, None, "").loc)
                exprs.append((value, f.path, line))
            else:
                aliases.append((name, value, f, line))
    for name, value, f, line in aliases:
        if value in constants or value in symbols:
            # an alias of a macro without an ABI value (_SC_PAGE_SIZE -> _SC_PAGESIZE): no value
            known = constants[value].value if value in constants else None
            constants[name] = Constant(name, known, f.header or "", value,
                                       located(f.path, line, None, "").loc)
        else:
            diags.append(located(f.path, line, 8 + len(name) + 1, "expected an integer "
                                 "literal or another constant as the value, or a C expression "
                                 f"in ( ) or {{ }}, got `{value}`"))

    # C parsing: types first (file order), then every function and object declaration.
    funcs = [i for i in interfaces.values() if i.kind is not Kind.MACRO]
    lines = [(t, p, n) for t, p, n, _ in cdecls]
    lines += [(i.decl, i.loc.file, i.loc.line + 1) for i in funcs]  # decl is on the next line
    nodes = _parse_c(lines, diags)
    _check_exprs(exprs, [t for t, _, _, _ in cdecls], diags)
    types: dict[str, TypeDecl] = {}
    if nodes:
        for node, (text, path, line, header) in zip(nodes, cdecls, strict=False):
            name = _decl_name(node)
            if name is None:
                diags.append(located(path, line, 1, "expected a typedef or a struct definition"))
            elif name in types:
                diags.append(located(path, line, 1, f"expected each type once: {name} is "
                                     f"already declared at {types[name].loc}"))
            else:
                types[name] = TypeDecl(name, header, text, located(path, line, None, "").loc)
        for node, itf in zip(nodes[len(cdecls):], funcs, strict=True):
            line = (itf.loc.line or 0) + 1
            if not isinstance(node, c_ast.Decl) or node.name != itf.name:
                diags.append(located(itf.loc.file, line, 3, f"expected a declaration of "
                                     f"{itf.name}, got one of {_decl_name(node)}"))
            elif itf.kind is Kind.FUNCTION:
                if not isinstance(node.type, c_ast.FuncDecl):
                    diags.append(located(itf.loc.file, line, 3, "expected a function "
                                         "prototype (use `var:` for objects)"))
                    continue
                returns, params, variadic = _signature(node.type)
                checks, arg_line = arg_checks.get(itf.name, ((), 0))
                args = _bind_args(itf, params, checks, arg_line, diags)
                interfaces[itf.name] = _replace(itf, returns, params, variadic, args)
            elif isinstance(node.type, c_ast.FuncDecl):
                diags.append(located(itf.loc.file, line, 3, "expected an object declaration "
                                     "(use `proto:` for functions)"))
    if diags:
        raise InputError(diags)
    headers = {
        f.header: Header(
            f.header, f.owner or Owner.PICOLIBC, f.path,
            tuple(t for t in types.values() if t.header == f.header),
            tuple(c for c in constants.values() if c.header == f.header),
            tuple(r.name for r in f.blocks),
            tuple(name for name, _, _, _ in f.macros),
        )
        for f in files if f.header
    }
    for name, sym in symbols.items():
        clash = interfaces.get(name) or constants.get(name)
        if clash is not None:
            diags.append(located(sym.loc.file, sym.loc.line, 7, f"expected `macro {name}` to "
                                 f"declare a name no interface or constant has: it is declared "
                                 f"at {clash.loc}"))
    if diags:
        raise InputError(diags)
    return PosixSpec(headers, interfaces, types, constants, symbols)


def _replace(itf: Interface, returns: str, params: tuple[Param, ...], variadic: bool,
             args: tuple[ArgCheck, ...] = ()) -> Interface:
    from dataclasses import replace

    return replace(itf, returns=returns, params=params, variadic=variadic, args=args)


def _bind_args(itf: Interface, params: tuple[Param, ...],
               checks: tuple[tuple[str, bool, tuple[str, ...]], ...], line: int,
               diags: list[Diagnostic]) -> tuple[ArgCheck, ...]:
    names = [p.name for p in params]
    out = []
    for param, flags, pats in checks:
        if param not in names:
            diags.append(located(itf.loc.file, line, 3, f"expected `arg:` to name a parameter "
                                 f"of {itf.name} ({', '.join(n or '?' for n in names)}), got "
                                 f"`{param}`"))
            continue
        out.append(ArgCheck(param, names.index(param), pats, flags))
    return tuple(out)


@functools.cache
def _cached(directory: str) -> PosixSpec:
    return load_spec_from(Path(directory))


def load_spec(directory: Path | None = None) -> PosixSpec:
    """The spec of this checkout (posix/spec/), loaded once per process."""
    return _cached(str((directory or spec_dir()).resolve()))

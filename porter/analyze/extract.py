"""Per-translation-unit facts from libclang (runs in worker processes).

One TU in, one plain dict out (picklable, cacheable). Only project code is walked: function and
variable definitions outside system headers. The result is a small graph: nodes (functions and
global variables) with their references to other globals (calls, address-taken functions, variable
uses) and to other API kinds (macros, types, syscall numbers, ioctl requests, /proc and /sys paths,
inline assembly). Whether a referenced global is the project's own or an API is decided later, over
the whole project (a name defined in no TU is an API).

Code the configuration discards is kept but marked dead: `if (0)`/`if (ENABLE_X && ...)` branches
whose condition folds to a constant (a Kconfig project's `ENABLE_*` are 0/1 macros from its
autoconf.h). A constant test written inside a macro's expansion (glibc's `tolower` under `-O2`
tests `sizeof (c) > 1`) decides only which part of the expansion runs: the macro's use stays live.
"""

from __future__ import annotations

import ctypes
import functools
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import clang.cindex as ci
from bkport.analyze.flatten import (
    EV_CALL,
    EV_DEAD,
    EV_REF,
    EV_STRING,
    EV_TYPE,
    INC_FROM_SYSTEM,
    INC_OF_SYSTEM,
    flatten,
    walk,
)
from bkport.analyze.flatten import children as _children
from bkport.analyze.flatten import definitions as native_definitions
from bkport.analyze.flatten import inclusions as native_inclusions

EXTRACTOR_VERSION = "10"

# cursor kinds, by id (CursorKind.X.value), compared against Cursor._kind_id (no ctypes call)
K_STRUCT, K_UNION, K_ENUM, K_FUNC, K_VAR, K_PARM, K_TYPEDEF = 2, 3, 5, 8, 9, 10, 20
K_TYPE_REF = 43
K_UNEXPOSED_EXPR, K_DECL_REF, K_CALL = 100, 101, 103
K_INT_LIT, K_STRING, K_PAREN, K_UNARY, K_BINARY, K_COND_OP = 106, 109, 111, 112, 114, 116
K_CAST = 117
K_LABEL, K_CASE, K_DEFAULT = 201, 203, 204
K_COMPOUND, K_IF, K_WHILE, K_RETURN, K_ASM, K_MS_ASM = 202, 205, 207, 214, 215, 229
BO_LAND, BO_LOR = 20, 21
NOT_EXPANDED = frozenset({0, K_FUNC, K_PARM, K_STRING, 202, 350})  # 202 compound, 350 TU
UO_LNOT = 10
# the kinds walk() looks at itself; any other node is only the sum of its children
WALKED = frozenset({K_DECL_REF, K_RETURN, K_COMPOUND, K_BINARY, K_CALL, K_TYPE_REF, K_STRING,
                    K_ASM, K_MS_ASM, K_IF, K_COND_OP, K_WHILE})
FOLDABLE = frozenset({K_PAREN, K_UNEXPOSED_EXPR, K_CAST, K_BINARY, K_UNARY, K_INT_LIT})
LINK_INTERNAL = 2

ASM_RX = re.compile(r'\b_*asm_*\s*(?:(?:volatile|__volatile__|goto|inline)\s*)*\(\s*'
                    r'((?:"(?:[^"\\]|\\.)*"\s*)+)')
ASM_CODE_RX = re.compile(r"^\s*[^#\s]", re.M)  # a line that is not blank nor a # comment
IDENT_RX = re.compile(r"[A-Za-z_]\w*")
PATH_RX = re.compile(r'^L?"(/(?:proc|sys)(?:/[^"]*)?)"$')
SYSCALL_FUNCS = {"syscall": 0}
TYPE_RX = re.compile(r"^(pthread_\w+|sem_t|sigset_t|timer_t|mqd_t|posix_spawn\w*|jmp_buf|"
                     r"sigjmp_buf|ucontext_t|stack_t|siginfo_t|fd_set|cpu_set_t|regex_t|glob_t|wordexp_t|"
                     r"nl_item|iconv_t|locale_t|DIR|FILE|va_list)$")


def _arg_checks() -> dict[str, tuple[tuple[int, tuple[str, ...]], ...]]:
    from bkport.analyze.names import arg_checks

    return arg_checks()


def _bind(lib: Any) -> None:
    """Register the libclang entry points the Python bindings do not wrap."""
    if getattr(lib, "_bkport_bound", False):
        return
    lib.clang_Cursor_Evaluate.argtypes = [ci.Cursor]
    lib.clang_Cursor_Evaluate.restype = ctypes.c_void_p
    lib.clang_EvalResult_getKind.argtypes = [ctypes.c_void_p]
    lib.clang_EvalResult_getKind.restype = ctypes.c_int
    lib.clang_EvalResult_getAsLongLong.argtypes = [ctypes.c_void_p]
    lib.clang_EvalResult_getAsLongLong.restype = ctypes.c_longlong
    lib.clang_EvalResult_dispose.argtypes = [ctypes.c_void_p]
    lib.clang_EvalResult_dispose.restype = None
    lib.clang_getCursorBinaryOperatorKind.argtypes = [ci.Cursor]
    lib.clang_getCursorBinaryOperatorKind.restype = ctypes.c_int
    lib.clang_getCursorUnaryOperatorKind.argtypes = [ci.Cursor]
    lib.clang_getCursorUnaryOperatorKind.restype = ctypes.c_int
    lib._bkport_bound = True


_REFERENCED: Any = None
_NULL: list[bytes] = []


def _null_cursor() -> bytes:
    if not _NULL:
        _NULL.append(bytes(ci.conf.lib.clang_getNullCursor()))
    return _NULL[0]


def _referenced(c: ci.Cursor, tu: ci.TranslationUnit) -> ci.Cursor:
    """What `c` refers to (a null cursor, of kind InvalidFile, for nothing): one ctypes call,
    where cindex's `referenced` makes three (it compares with a fresh null cursor)."""
    global _REFERENCED
    if _REFERENCED is None:
        fn = ci.conf.lib["clang_getCursorReferenced"]  # a fresh entry: no cindex errcheck
        fn.argtypes = [ci.Cursor]
        fn.restype = ci.Cursor
        _REFERENCED = fn
    ref = _REFERENCED(c)
    ref._tu = tu  # cindex's methods on it take the TU from here
    return ref


_LOC_FNS: list[Any] = []


def _expansion(c: ci.Cursor, names: dict[int | None, str]) -> tuple[str, int, int]:
    """(file, line, column) of `c`'s location, the file's name interned (small pickles).
    `names` maps the TU's file handles to names: one per TU, as a handle means nothing in
    another TU."""
    if not _LOC_FNS:
        get_loc = ci.conf.lib["clang_getCursorLocation"]  # fresh entries: no errcheck
        get_loc.argtypes, get_loc.restype = [ci.Cursor], ci.SourceLocation
        inst = ci.conf.lib["clang_getInstantiationLocation"]
        inst.argtypes = [ci.SourceLocation, ctypes.POINTER(ctypes.c_void_p),
                         ctypes.POINTER(ctypes.c_uint), ctypes.POINTER(ctypes.c_uint),
                         ctypes.POINTER(ctypes.c_uint)]
        inst.restype = None
        f, line, col = ctypes.c_void_p(), ctypes.c_uint(), ctypes.c_uint()
        _LOC_FNS[:] = [get_loc, inst, f, line, col, ctypes.byref(f), ctypes.byref(line),
                       ctypes.byref(col)]
    get_loc, inst, f, line, col, fp, lp, cp = _LOC_FNS
    inst(get_loc(c), fp, lp, cp, None)
    return names.get(f.value) or _file_name(names, f.value), line.value, col.value


def _file_name(names: dict[int | None, str], handle: int | None) -> str:
    """The name of the file of a libclang file handle (the null handle: ""), remembered in
    `names`."""
    if handle is None:
        return names.setdefault(None, "")
    name = names[handle] = sys.intern(ci.File(ctypes.cast(handle, ci.c_object_p)).name)
    return name


@dataclass
class Settings:
    """What the walker looks for; plain data so it pickles to workers."""

    # "name" (object-like) or "name()" (function-like); a trailing "!" ("assert()!"): a use only
    # where its expansion references something (assert under NDEBUG is `((void) 0)`: no use)
    api_macros: frozenset[str]
    ioctl_funcs: dict[str, int] = field(default_factory=dict)  # function -> request arg index
    # function -> ((arg index, name prefixes/names), ...): the constants written in that argument
    # are findings `fcntl(F_SETOWN)` (data/arg_checks.tsv, the spec's `arg:` lines)
    arg_checks: dict[str, tuple[tuple[int, tuple[str, ...]], ...]] = field(
        default_factory=lambda: _arg_checks())

    def code_macros(self) -> frozenset[str]:
        """Names of the API macros that count only where they expand to code."""
        return frozenset(m.rstrip("!").removesuffix("()") for m in self.api_macros
                         if m.endswith("!"))

    def macro_regex(self, text: str | None = None) -> re.Pattern[str] | None:
        """A regex finding the API macros' uses; with `text`, only of those whose name is
        in it (the others cannot match there, and a regex of ~80 alternatives tries each at
        every character)."""
        names = [m.rstrip("!") for m in self.api_macros]
        if text is not None:
            names = [m for m in names if m.removesuffix("()") in text]
        return _macro_regex(tuple(sorted(m for m in names if not m.endswith("()"))),
                            tuple(sorted(m[:-2] for m in names if m.endswith("()"))))


@functools.lru_cache(maxsize=256)
def _macro_regex(objs: tuple[str, ...], funcs: tuple[str, ...]) -> re.Pattern[str] | None:
    if not objs and not funcs:
        return None
    a = "|".join(objs) or "(?!)"
    b = "|".join(funcs) or "(?!)"
    return re.compile(rf"(?<![\w.>])(?:({a})\b|({b})\s*\()")


class _Walker:
    def __init__(self, tu: ci.TranslationUnit, settings: Settings):
        self.tu = tu
        self.lib = ci.conf.lib
        _bind(self.lib)
        self.settings = settings
        self.main = tu.spelling
        self.decls: dict[bytes, tuple | None] = {}  # by the cursor's bytes: no ctypes hash
        self.spelled: dict[bytes, str] = {}  # called functions' names, by the cursor's bytes
        self.types: dict[bytes, str | None] = {}  # a system type's finding name, if it is one
        # the functions whose calls special_call looks into
        self.special = frozenset({*SYSCALL_FUNCS, *settings.arg_checks, *settings.ioctl_funcs})
        self.files: dict[str, str] = {}
        self.nodes: dict[str, dict] = {}
        self.macro_at: dict[tuple[str, int, int], str] = {}
        self.extents: dict[str, tuple[str, int, int]] = {}
        self.dead: dict[str, list[tuple[int, int]]] = {}
        self.project_macros: frozenset[str] = frozenset()
        self.project_files: list[str] = []
        self.file_names: dict[int | None, str] = {None: ""}
        # the definition being walked, in preorder (bkport.analyze.flatten)
        self.cur: Sequence[ci.Cursor] = []
        self.kinds: list[int] = []
        self.ends: list[int] = []
        self.nxt: list[int] = []

    # ---- helpers -------------------------------------------------------------------------------
    def loc(self, c: ci.Cursor) -> tuple[str, int, int]:
        """(file, line, column) where `c` is expanded: two ctypes calls, and a file's name
        read once per file (cindex's properties make one call each and a File per use)."""
        return _expansion(c, self.file_names)

    def decl_info(self, ref: ci.Cursor) -> tuple | None:
        """(kind, name, symbol, static, in_system) for a referenced function or global variable."""
        key = bytes(ref)
        try:
            return self.decls[key]
        except KeyError:
            pass
        info = None
        kind = ref._kind_id
        if kind in (K_FUNC, K_VAR):
            linkage = ref.linkage.value
            if kind == K_FUNC or linkage in (LINK_INTERNAL, 4):  # 4: external
                name = ref.spelling
                in_sys = ref.location.is_in_system_header
                static = linkage == LINK_INTERNAL
                defined_in_header = in_sys and kind == K_VAR and ref.get_definition() is not None
                if not name.startswith("__builtin_") and not (in_sys and static) \
                        and not defined_in_header:
                    sym = ref.mangled_name or name if in_sys else name
                    info = ("function" if kind == K_FUNC else "var", sys.intern(name),
                            sys.intern(sym.lstrip("\x01")), static, in_sys)
        self.decls[key] = info
        return info

    def node_id(self, info: tuple) -> str:
        return f"{info[1]}@{self.main}" if info[3] else info[1]

    def kids(self, i: int) -> list[int]:
        """The indexes of node i's children in the current definition."""
        ends = self.ends
        out, j, end = [], i + 1, ends[i]
        while j < end:
            out.append(j)
            j = ends[j]
        return out

    def fold(self, i: int) -> int | None:
        """The constant value of a condition, or None (partial folding of && || !)."""
        k = self.kinds[i]
        if k not in FOLDABLE:
            return None
        c = self.cur[i]
        if k in (K_PAREN, K_UNEXPOSED_EXPR, K_CAST):
            ch = self.kids(i)
            return self.fold(ch[-1]) if ch else None
        if k == K_BINARY:
            op = self.lib.clang_getCursorBinaryOperatorKind(c)
            if op in (BO_LAND, BO_LOR):
                lhs, rhs = self.kids(i)
                a, b = self.fold(lhs), self.fold(rhs)
                if op == BO_LAND:
                    if a == 0 or b == 0:
                        return 0
                    return 1 if a is not None and b is not None else None
                if a or b:
                    return 1
                return 0 if a == 0 and b == 0 else None
        if k == K_UNARY and self.lib.clang_getCursorUnaryOperatorKind(c) == UO_LNOT:
            v = self.fold(i + 1) if self.ends[i] > i + 1 else None
            return None if v is None else int(not v)
        if k in (K_INT_LIT, K_BINARY, K_UNARY):
            res = self.lib.clang_Cursor_Evaluate(c)
            if res:
                try:
                    if self.lib.clang_EvalResult_getKind(res) == 1:
                        return int(self.lib.clang_EvalResult_getAsLongLong(res))
                finally:
                    self.lib.clang_EvalResult_dispose(res)
        return None

    def asm_template(self, c: ci.Cursor) -> str | None:
        """The instruction template of an asm statement, read from the source (or from the
        project macro it was written through); None when it cannot be found."""
        start = c.extent.start
        text = _read(start.file.name) if start.file else None
        if not text:
            return None
        m = ASM_RX.match(text, start.offset)
        if m is None:
            name = IDENT_RX.match(text, start.offset)
            m = self.asm_in_macro(name.group(0), set()) if name else None
        if m is None:
            return None
        return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1)))

    def asm_in_macro(self, name: str, seen: set[str]) -> re.Match[str] | None:
        """The first asm statement of project macro `name`'s definition, following the project
        macros it uses: projects write an empty barrier two macros deep (INIT_G ->
        ASSIGN_CONST_PTR -> barrier() -> `asm volatile ("":::"memory")`), and an unread template
        would count as instructions to port in every program."""
        if name in seen or len(seen) >= 8:  # recursive or absurdly deep macros: give up
            return None
        seen.add(name)
        for path in self.project_files:
            d = re.search(rf"^[ \t]*#[ \t]*define[ \t]+{name}\b((?:.*\\\n)*.*)",
                          _read(path) or "", re.M)
            if d is None:
                continue
            body = d.group(1)
            m = ASM_RX.search(body)
            if m is not None:
                return m
            for ident in IDENT_RX.finditer(body):
                if ident.group(0) in self.project_macros:
                    m = self.asm_in_macro(ident.group(0), seen)
                    if m is not None:
                        return m
            return None
        return None

    def mark_dead(self, c: ci.Cursor, within: ci.Cursor) -> None:
        """Record the source text of `c`, a dead part of the construct `within`, as dead, when
        `c` is written as its own text: a proper part of `within`'s. When both come out of one
        macro expansion, both extents are the whole macro use (libclang maps a macro's tokens to
        where it is expanded), and the dead part is just a branch inside the expansion."""
        ext = c.extent
        s = ext.start
        if s.file is None:
            return
        start, end = s.offset, ext.end.offset
        outer = within.extent
        o_start, o_end = outer.start.offset, outer.end.offset
        if start <= o_start and end >= o_end:
            return  # not text of its own: a branch inside a macro's expansion
        self.dead.setdefault(s.file.name, []).append((start, end))

    def first_token(self, c: ci.Cursor) -> str | None:
        """The identifier written where `c` starts (the macro name for SYS_x, TIOCGWINSZ...):
        read from the source, because libclang yields no tokens for macro-expanded ranges."""
        start = c.extent.start
        if start.file is None:
            return None
        text = _read(start.file.name)
        m = IDENT_RX.match(text, start.offset) if text else None
        return m.group(0) if m else None

    def arg_constants(self, c: ci.Cursor, patterns: tuple[str, ...]) -> list[str]:
        """The constants of a family written in an argument (`O_RDWR | O_DSYNC`), read from
        its source text: libclang sees only the values. An argument written through a project
        macro spans that macro's use, where no constant of the family is written: none."""
        ext = c.extent
        s, e = ext.start, ext.end
        if s.file is None or e.file is None or s.file.name != e.file.name:
            return []
        text = _read(s.file.name)
        if not text or not 0 <= s.offset < e.offset <= len(text) or e.offset - s.offset > 400:
            return []
        out = []
        for ident in IDENT_RX.findall(text, s.offset, e.offset):
            if ident not in out and any(ident.startswith(p[:-1]) if p.endswith("*")
                                        else ident == p for p in patterns):
                out.append(ident)
        return out

    # ---- recording -----------------------------------------------------------------------------
    def ref(self, node: dict, kind: str, name: str, c: ci.Cursor, live: bool,
            symbol: str = "", via: str = "", at: tuple[str, int, int] | None = None) -> None:
        f, line, col = at or self.loc(c)
        if not via:
            via = self.macro_at.get((f, line, col), "")
        node["refs"].append([kind, name, symbol, f, line, col, live, via])

    def global_ref(self, node: dict, c: ci.Cursor, ref: ci.Cursor, live: bool, call: bool,
                   at: tuple[str, int, int] | None = None) -> None:
        info = self.decl_info(ref)
        if info is None:
            return
        kind = "call" if call else ("addr" if info[0] == "function" else "var")
        if live:
            node["edges"].add(self.node_id(info))
        self.ref(node, kind, self.node_id(info), c, live, symbol=info[2], at=at)

    # ---- walking -------------------------------------------------------------------------------
    def walk(self, i: int, node: dict, live: bool) -> bool:
        """Record what node i uses; True if it certainly returns (so what follows is dead)."""
        ends = self.ends
        k = self.kinds[i]
        if k not in WALKED:  # most nodes: only the sum of the walked nodes below them
            self.walk_below(i, node, live)
            return False
        if k == K_DECL_REF:
            c = self.cur[i]
            ref = _referenced(c, self.tu)
            if ref._kind_id in (K_FUNC, K_VAR):
                self.global_ref(node, c, ref, live, call=False)
            return False
        if k == K_RETURN:
            self.walk_below(i, node, live)
            return True
        if k == K_COMPOUND:
            kinds = self.kinds
            ended = False
            j, end = i + 1, ends[i]
            while j < end:
                if ended and kinds[j] in (K_LABEL, K_CASE, K_DEFAULT):
                    ended = False  # reachable by goto / switch
                if ended and live:
                    self.mark_dead(self.cur[j], self.cur[i])
                if self.walk(j, node, live and not ended):
                    ended = True
                j = ends[j]
            return ended
        c = self.cur[i]
        if k == K_BINARY:
            op = self.lib.clang_getCursorBinaryOperatorKind(c)
            if op in (BO_LAND, BO_LOR):
                lhs, rhs = self.kids(i)
                val = self.fold(lhs)
                self.walk(lhs, node, live)
                dead = val == 0 if op == BO_LAND else bool(val)
                if live and dead:
                    self.mark_dead(self.cur[rhs], c)
                self.walk(rhs, node, live and not dead)
                return False
        elif k == K_CALL:
            ch = self.kids(i)
            ref = _referenced(c, self.tu)
            if ref._kind_id == K_FUNC:
                self.call_found(node, i, c, ref, live)
                ch = ch[1:]
            for x in ch:
                self.walk(x, node, live)
            return False
        elif k == K_TYPE_REF:
            ref = _referenced(c, self.tu)
            if bytes(ref) != _null_cursor() and ref.location.is_in_system_header:
                self.type_found(node, c, ref, live)
            return False
        elif k == K_STRING:
            self.string_found(node, c, live)
            return False
        elif k in (K_ASM, K_MS_ASM):
            self.asm_found(node, c, live)
            return False
        else:  # K_IF, K_COND_OP, K_WHILE
            ch = self.kids(i)
            if len(ch) >= 2:
                val = self.fold(ch[0])
                self.walk(ch[0], node, live)
                if live and val == 0:
                    self.mark_dead(self.cur[ch[1]], c)
                then_returns = self.walk(ch[1], node, live and val != 0)
                else_returns = False
                for x in ch[2:]:
                    if live and val:
                        self.mark_dead(self.cur[x], c)
                    else_returns = self.walk(x, node, live and (val is None or val == 0))
                if k != K_IF or val is None:
                    return k == K_IF and then_returns and else_returns
                return then_returns if val else else_returns
        self.walk_below(i, node, live)
        return False

    def walk_below(self, i: int, node: dict, live: bool) -> None:
        """Walk the topmost nodes walk() looks at inside node i's subtree, in order."""
        nxt, ends = self.nxt, self.ends
        end = ends[i]
        j = nxt[i + 1]
        while j < end:
            self.walk(j, node, live)
            j = nxt[ends[j]]

    # ---- what the walk finds (the Python walk and the native one's events alike) ----------------
    def call_found(self, node: dict, i: int, c: ci.Cursor, ref: ci.Cursor, live: bool,
                   at: tuple[str, int, int] | None = None) -> None:
        """Node i, a call of the function `ref` (expanded `at`, when known): the call, and
        what its arguments say."""
        self.global_ref(node, c, ref, live, call=True, at=at)
        key = bytes(ref)
        name = self.spelled.get(key)
        if name is None:
            name = self.spelled[key] = ref.spelling
        if name in self.special:
            self.special_call(node, c, name, [self.cur[x] for x in self.kids(i)[1:]], live)

    def type_found(self, node: dict, c: ci.Cursor, ref: ci.Cursor, live: bool) -> None:
        """A reference to `ref`, a type declared in a system header."""
        key = bytes(ref)
        try:
            name = self.types[key]
        except KeyError:
            name = ref.spelling
            rk = ref._kind_id
            if rk in (K_STRUCT, K_UNION):
                name = ("struct " if rk == K_STRUCT else "union ") + name
            elif not TYPE_RX.match(name):
                name = None
            self.types[key] = name
        if name is not None:
            self.ref(node, "type", name, c, live)

    def string_found(self, node: dict, c: ci.Cursor, live: bool) -> None:
        m = PATH_RX.match(c.spelling)
        if m:
            self.ref(node, "path", m.group(1), c, live)

    def asm_found(self, node: dict, c: ci.Cursor, live: bool) -> None:
        template = self.asm_template(c)
        barrier = template is not None and not ASM_CODE_RX.search(template)
        self.ref(node, "asm", "asm-barrier" if barrier else "asm", c, live,
                 symbol="?" if template is None else template[:80])

    def replay(self, node: dict, walked: Any) -> None:
        """The native walk's events (bkport.analyze.flatten.walk), in the order the Python
        walk would have met them."""
        cur, self.ends = walked.cur, walked.ends
        self.cur = cur
        tu = self.tu
        kinds, nodes, extra, refs = walked.ev_kind, walked.ev_node, walked.ev_b, walked.ev_ref
        files, lines, cols, names = walked.ev_file, walked.ev_line, walked.ev_col, self.file_names
        for e in range(walked.events):
            t, i = kinds[e], nodes[e]
            if t == EV_DEAD:
                self.mark_dead(cur[i], cur[extra[e]])
                continue
            live = extra[e] != 0
            c = cur[i]
            if t == EV_REF or t == EV_CALL:
                ref = refs[e]
                ref._tu = tu
                f = files[e]
                at = (names.get(f) or _file_name(names, f), lines[e], cols[e])
                if t == EV_REF:
                    self.global_ref(node, c, ref, live, call=False, at=at)
                else:
                    self.call_found(node, i, c, ref, live, at=at)
            elif t == EV_TYPE:
                ref = refs[e]
                ref._tu = tu
                self.type_found(node, c, ref, live)
            elif t == EV_STRING:
                self.string_found(node, c, live)
            else:
                self.asm_found(node, c, live)

    def special_call(self, node: dict, c: ci.Cursor, name: str, args: list, live: bool) -> None:
        if name in SYSCALL_FUNCS and args:
            tok = self.first_token(args[SYSCALL_FUNCS[name]])
            if tok and re.match(r"^(SYS_|__NR_)\w+$", tok):
                self.ref(node, "syscall", re.sub(r"^(SYS_|__NR_)", "", tok), c, live, symbol=tok)
        for i, pats in self.settings.arg_checks.get(name, ()):
            if len(args) > i:
                for const in self.arg_constants(args[i], pats):
                    self.ref(node, "arg", f"{name}({const})", args[i], live, symbol=const)
        idx = self.settings.ioctl_funcs.get(name)
        if idx is not None and len(args) > idx:
            tok = self.first_token(args[idx])
            if tok and re.match(r"^[A-Z][A-Z0-9_]+$", tok):
                self.ref(node, "ioctl", tok, args[idx], live)

    def run(self) -> dict:
        eager, lazy = [], {}
        defs = native_definitions(self.tu)
        if defs is None:
            defs = [c for c in _children(self.tu.cursor) if _project_definition(c)]
        for c in defs:
            k = c._kind_id
            static = c.linkage.value == LINK_INTERNAL
            if static and k == K_FUNC and self.loc(c)[0] != self.main:
                lazy[f"{c.spelling}@{self.main}"] = c  # static inline in a header: only if used
            else:
                eager.append(c)
        for c in eager:
            self.definition(c)
        # in sorted order: a set's order changes with the hash seed, and the order definitions
        # are walked in is the order of the document's findings
        pending = [e for n in list(self.nodes.values()) for e in sorted(n["edges"]) if e in lazy]
        while pending:
            nid = pending.pop()
            c = lazy.pop(nid, None)
            if c is not None:
                node = self.definition(c)
                pending += [e for e in sorted(node["edges"]) if e in lazy]
        self.scan_macros()
        return {"nodes": self.nodes}

    def scan_macros(self) -> None:
        """API macros in live project code: a regex finds candidates in the walked definitions,
        libclang confirms an expression was expanded there (not a comment, string, declaration,
        or code the preprocessor skipped)."""
        if not self.settings.api_macros:
            return
        code_only = self.settings.code_macros()
        by_file: dict[str, list] = {}
        for nid, (f, start, end) in self.extents.items():
            by_file.setdefault(f, []).append((start, end, nid))
        for f, spans in by_file.items():
            text = _read(f)
            if text is None:
                continue
            key = (f, self.settings.api_macros)
            rx = _FILE_RX[key] if key in _FILE_RX else \
                _FILE_RX.setdefault(key, self.settings.macro_regex(text))
            if rx is None:
                continue
            own = _defined_macros(f, text)
            cf = ci.File.from_name(self.tu, f)
            for start, end, nid in spans:
                node = self.nodes[nid]
                expanded: set[tuple[int, int]] | None = None
                for m in rx.finditer(text, start, end):
                    name = m.group(1) or m.group(2)
                    if name in self.project_macros or name in own:
                        continue
                    off = m.start()
                    loc = ci.SourceLocation.from_offset(self.tu, cf, off)
                    cur = ci.Cursor.from_location(self.tu, loc)
                    if cur is not None and cur._kind_id == K_COMPOUND:
                        # a macro that is a whole statement: its statement starts right here
                        cur = next((x for x in _children(cur)
                                    if x.extent.start.offset == off), None)
                    if cur is None or cur._kind_id in NOT_EXPANDED or 70 <= cur._kind_id < 80:
                        continue  # a comment, a string, skipped code: nothing expanded here
                    live = not any(a <= off < b for a, b in self.dead.get(f, ()))
                    line, col = loc.line, loc.column
                    if name in code_only:
                        if expanded is None:  # where this node's references are
                            expanded = {(r[4], r[5]) for r in node["refs"] if r[3] == f}
                        if (line, col) not in expanded:
                            continue  # expands to no code here (assert under NDEBUG)
                    self.macro_at[(f, line, col)] = name
                    node["refs"].append(["macro", name, "", f, line, col, live, name])
        if self.macro_at:
            for node in self.nodes.values():
                for r in node["refs"]:
                    if r[0] != "macro":
                        r[7] = self.macro_at.get((r[3], r[4], r[5]), r[7])

    def definition(self, c: ci.Cursor) -> dict:
        kind = "function" if c._kind_id == K_FUNC else "var"
        static = c.linkage.value == LINK_INTERNAL
        name = c.spelling
        nid = f"{name}@{self.main}" if static else name
        ext = c.extent
        s, e = ext.start, ext.end
        f = s.file.name if s.file else ""
        self.extents[nid] = (f, s.offset, e.offset)
        node = self.nodes.setdefault(nid, {"kind": kind, "name": name, "static": static,
                                           "file": f, "line": s.line, "refs": [], "edges": set()})
        walked = walk(c)
        if walked is not None:
            self.replay(node, walked)
            return node
        self.cur, kinds, self.ends = flatten(c, mark_locals=True)
        n = len(kinds)
        # nxt[j]: the first node at or after j that walk() looks at (n: none), so that a walk
        # jumps over the nodes that are only the sum of their children
        nxt = [n] * (n + 1)
        for j in range(n - 1, -1, -1):
            nxt[j] = j if kinds[j] in WALKED else nxt[j + 1]
        self.kinds, self.nxt = kinds, nxt
        j = nxt[0]
        while j < n:
            self.walk(j, node, True)
            j = nxt[self.ends[j]]
        return node


def _project_definition(c: ci.Cursor) -> bool:
    """Whether a top-level cursor is a function or variable the project defines (as
    bk_definitions in data/flatten.c decides it)."""
    k = c._kind_id
    if k not in (K_FUNC, K_VAR):
        return False
    if not c.is_definition() and (k == K_FUNC or c.storage_class == ci.StorageClass.EXTERN):
        return False  # a declaration (tentative definitions `int x;` count as definitions)
    return not c.location.is_in_system_header


_TEXT: dict[str, str | None] = {}
_FILE_RX: dict[tuple[str, frozenset[str]], re.Pattern[str] | None] = {}  # (file, macros) -> regex
_DEFINES: dict[str, frozenset[str]] = {}
DEFINE_RX = re.compile(r"^[ \t]*#[ \t]*define[ \t]+(\w+)", re.M)


def _read(path: str) -> str | None:
    if path not in _TEXT:
        try:
            _TEXT[path] = Path(path).read_bytes().decode("latin-1")
        except OSError:
            _TEXT[path] = None
    return _TEXT[path]


_LINES: dict[str, list[str]] = {}


def _lines(path: str) -> list[str]:
    if path not in _LINES:
        _LINES[path] = (_read(path) or "").splitlines()
    return _LINES[path]


def _defined_macros(path: str, text: str | None = None) -> frozenset[str]:
    if path not in _DEFINES:
        text = text if text is not None else _read(path)
        _DEFINES[path] = frozenset(DEFINE_RX.findall(text or ""))
    return _DEFINES[path]


INCLUDE_RX = re.compile(r'^\s*#\s*(?:include|include_next|import)\s*[<"]([^>"]+)[>"]')


def _inclusions(tu: ci.TranslationUnit) -> list[tuple[str, str, int, int, bool, bool]]:
    """(included path, includer, line, col, includer is system, included is system) for each
    #include; the includer's position only for project -> system inclusions."""
    got = native_inclusions(tu)
    if got is None:
        return _inclusions_python(tu)
    n, files, flags, froms, lines, cols = got
    names: dict[int | None, str] = {}
    out = []
    for k in range(n):
        f = files[k]
        path = names.get(f) or _file_name(names, f)
        fl = flags[k]
        if fl & INC_FROM_SYSTEM:
            out.append((path, "", 0, 0, True, True))
        elif fl & INC_OF_SYSTEM:
            src = froms[k]
            out.append((path, names.get(src) or _file_name(names, src), lines[k], cols[k],
                        False, True))
        else:
            out.append((path, "", 0, 0, False, False))
    return out


def _inclusions_python(tu: ci.TranslationUnit) -> list[tuple[str, str, int, int, bool, bool]]:
    """_inclusions by a Python callback per #include (without the native helper). The location
    is read inside the callback: libclang frees it afterwards."""
    out: list = []
    lib = ci.conf.lib
    names: dict[int, str] = {}
    system: dict[str, bool] = {}  # included file -> in a system directory

    def visit(fobj: Any, stack: Any, depth: int, acc: list) -> None:
        if depth == 0:
            return
        key = fobj if isinstance(fobj, int) else ctypes.cast(fobj, ctypes.c_void_p).value
        path = names.get(key)
        if path is None:
            path = names[key] = sys.intern(ci.File(fobj).name)
        loc = stack[0]
        if lib.clang_Location_isInSystemHeader(loc):
            acc.append((path, "", 0, 0, True, True))
            return
        inc_sys = system.get(path)
        if inc_sys is None:
            first = ci.SourceLocation.from_position(tu, ci.File(fobj), 1, 1)
            inc_sys = system[path] = bool(first.is_in_system_header)
        if inc_sys:
            f = loc.file
            acc.append((path, f.name if f else "", loc.line, loc.column, False, True))
        else:
            acc.append((path, "", 0, 0, False, False))

    lib.clang_getInclusions(tu, ci.callbacks["translation_unit_includes"](visit), out)
    return out


def _empty(file: str, fatal: str) -> dict:
    return {"file": file, "fatal": fatal, "diagnostics": [], "errors": 1, "nodes": {},
            "headers": {}, "includes": []}


def extract_tu(index: ci.Index, file: str, args: list[str], settings: Settings) -> dict:
    """Parse one TU and return its facts (see module docstring). Never raises on bad code."""
    try:
        tu = index.parse(file, args)
    except ci.TranslationUnitLoadError as e:
        return _empty(file, f"libclang could not parse the TU: {e}")
    diags = []
    errors = 0
    for d in tu.diagnostics:
        if d.severity >= ci.Diagnostic.Error:
            errors += 1
            loc = d.location
            diags.append([loc.file.name if loc.file else file, loc.line, loc.column, d.spelling])
    headers: dict[str, list] = {}
    includes: set[str] = set()
    project: set[str] = {file}
    for path, src, line, col, src_sys, inc_sys in _inclusions(tu):
        includes.add(path)
        if src_sys:
            continue
        if not inc_sys:
            project.add(path)
            continue
        lines = _lines(src)
        m = INCLUDE_RX.match(lines[line - 1]) if 0 < line <= len(lines) else None
        headers.setdefault(m.group(1) if m else os.path.basename(path), [src, line, col])
    walker = _Walker(tu, settings)
    walker.project_macros = frozenset().union(*(_defined_macros(p) for p in project))
    walker.project_files = sorted(project)
    facts = walker.run()
    for n in facts["nodes"].values():
        n["edges"] = sorted(n["edges"])
    facts.update(file=file, fatal=None, diagnostics=diags[:20], errors=errors,
                 includes=sorted(includes), headers=headers)
    return facts

"""A definition's AST in preorder, and its walk, for the walker (bkport.analyze.extract).

`flatten(c)` gives c's descendants in preorder: their cursors, their kinds and, for each, the
index just past its own subtree (node i's children are i + 1, ends[i + 1], ...). `walk(c)` goes
further: it also does the walk itself (constant folding, dead code, the nodes worth a look) and
hands back only the nodes that say something, as events; `definitions(tu)` lists the
definitions to walk. The walk is most of an analysis's cost on a tree of small, code-heavy
files (lua), and in Python its cost was libclang calling back once per node and a Python call
per node walked. So all three are done by a small C helper (data/flatten.c, built by
bkport.native with the host clang, which the analysis needs anyway); without it (no compiler, a
read-only cache, BKPORT_NATIVE=0) the same layout comes from a Python visitor and the walk is
extract.py's, slower and otherwise identical (tests/analyze/test_flatten.py compares them).
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import clang.cindex as ci
from bkport import native
from bkport.analyze.names import DATA

Flat = tuple  # (Sequence[ci.Cursor], list[int] kinds, list[int] ends)

_SOURCE = DATA / "flatten.c"
_lib: list[Any] = []  # [] not tried yet; [None] unavailable; [fn] bk_flatten
_scratch: list[Any] = []  # [cap, cursors, kinds, ends, open]: reused by every call


def native_walker() -> Any:
    """bk_flatten from the cached helper, built if need be; None when it cannot be had."""
    if _lib:
        return _lib[0]
    fn = None
    so = native.built(_SOURCE, shared=True)
    if so is not None:
        try:
            fn = ctypes.CDLL(str(so)).bk_flatten
        except OSError:
            fn = None  # a library that will not load: the Python way
    if fn is not None:
        fn.argtypes = [ctypes.c_void_p, ctypes.POINTER(ci.Cursor), ctypes.POINTER(ci.Cursor),
                       ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int),
                       ctypes.POINTER(ctypes.c_int), ctypes.c_int]
        fn.restype = ctypes.c_int
        lib = ci.conf.lib
        fn.visit_children = ctypes.cast(lib.clang_visitChildren, ctypes.c_void_p).value
        mark = ctypes.CDLL(str(so)).bk_mark_local_refs
        mark.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ci.Cursor),
                         ctypes.POINTER(ctypes.c_int), ctypes.c_int, ctypes.c_int]
        mark.restype = None
        mark.fns = (ctypes.cast(lib.clang_getCursorReferenced, ctypes.c_void_p).value,
                    ctypes.cast(lib.clang_getCursorLinkage, ctypes.c_void_p).value)
        fn.mark_local_refs = mark
        fn.walk = _bind_walk(ctypes.CDLL(str(so)))
    _lib.append(fn)
    return fn


class _Fns(ctypes.Structure):
    """data/flatten.c's struct bk_fns: the libclang entry points bk_walk calls."""

    _fields_ = [*((name, ctypes.c_void_p) for name in (
        "visit_children", "referenced", "linkage", "binary_op", "unary_op", "evaluate",
        "eval_kind", "eval_int", "eval_dispose", "location", "in_system_header", "spelling",
        "cstring", "dispose_string", "is_definition", "storage_class", "expansion",
        "get_location", "get_inclusions")), ("null_cursor", ci.Cursor)]


_FNS_FROM = ("clang_visitChildren", "clang_getCursorReferenced", "clang_getCursorLinkage",
             "clang_getCursorBinaryOperatorKind", "clang_getCursorUnaryOperatorKind",
             "clang_Cursor_Evaluate", "clang_EvalResult_getKind",
             "clang_EvalResult_getAsLongLong", "clang_EvalResult_dispose",
             "clang_getCursorLocation", "clang_Location_isInSystemHeader",
             "clang_getCursorSpelling", "clang_getCString", "clang_disposeString",
             "clang_isCursorDefinition", "clang_Cursor_getStorageClass",
             "clang_getInstantiationLocation", "clang_getLocation", "clang_getInclusions")


class _Events(ctypes.Structure):
    """data/flatten.c's struct bk_events."""

    _fields_ = [("kind", ctypes.POINTER(ctypes.c_int)), ("a", ctypes.POINTER(ctypes.c_int)),
                ("b", ctypes.POINTER(ctypes.c_int)), ("ref", ctypes.POINTER(ci.Cursor)),
                ("file", ctypes.POINTER(ctypes.c_void_p)), ("line", ctypes.POINTER(ctypes.c_uint)),
                ("col", ctypes.POINTER(ctypes.c_uint)), ("cap", ctypes.c_int)]


def _bind_walk(so: Any) -> Any:
    """bk_walk (with bk_definitions as its `definitions`) and the libclang entry points they
    call, or None (a libclang without one of them)."""
    lib = ci.conf.lib
    fns = _Fns()
    try:
        for (field, _), name in zip(_Fns._fields_, _FNS_FROM, strict=False):
            setattr(fns, field, ctypes.cast(getattr(lib, name), ctypes.c_void_p).value)
        null = ci.conf.lib["clang_getNullCursor"]  # a fresh entry: no cindex errcheck
        null.argtypes, null.restype = [], ci.Cursor
        fns.null_cursor = null()
        fn, defs, incl = so.bk_walk, so.bk_definitions, so.bk_inclusions
    except AttributeError:
        return None
    ints = ctypes.POINTER(ctypes.c_int)
    cursors = ctypes.POINTER(ci.Cursor)
    fn.argtypes = [ctypes.POINTER(_Fns), cursors, cursors, ints, ints, ints, ctypes.c_int,
                   ctypes.POINTER(_Events), ctypes.c_int, ints]
    fn.restype = ctypes.c_int
    defs.argtypes = [ctypes.POINTER(_Fns), cursors, cursors, ctypes.c_int]
    defs.restype = ctypes.c_int
    ptrs = ctypes.POINTER(ctypes.c_void_p)
    uints = ctypes.POINTER(ctypes.c_uint)
    incl.argtypes = [ctypes.POINTER(_Fns), ctypes.c_void_p, ptrs, ints, ptrs, uints, uints,
                     ctypes.c_int]
    incl.restype = ctypes.c_int
    fn.fns = fns
    fn.definitions = defs
    fn.inclusions = incl
    return fn


def _buffers(cap: int) -> list[Any]:
    if not _scratch or _scratch[0] < cap:
        _scratch[:] = [cap, (ci.Cursor * cap)(), (ctypes.c_int * cap)(),
                       (ctypes.c_int * cap)(), (ctypes.c_int * cap)()]
    return _scratch


# bk_walk's events (data/flatten.c): a use of a global, a call of a function, a type declared
# in a system header, a string that may be a /proc or /sys path, an asm statement, a dead part
EV_REF, EV_CALL, EV_TYPE, EV_STRING, EV_ASM, EV_DEAD = 1, 2, 3, 4, 5, 6


@dataclass
class Walked:
    """A definition walked by bk_walk: its layout (as flatten's) and `events` events, each
    (ev_kind, ev_node, ev_b, ev_ref, ev_file, ev_line, ev_col): ev_b is whether the node is live,
    or for EV_DEAD the construct the dead node is part of; ev_ref the referenced cursor of
    EV_REF, EV_CALL, EV_TYPE; (ev_file, ev_line, ev_col) where an EV_REF or EV_CALL node is
    expanded (a libclang file handle). The arrays are scratch space, valid until the next
    walk."""

    cur: Sequence[ci.Cursor]
    kinds: Sequence[int]
    ends: Sequence[int]
    events: int
    ev_kind: Sequence[int]
    ev_node: Sequence[int]
    ev_b: Sequence[int]
    ev_ref: Sequence[ci.Cursor]
    ev_file: Sequence[int | None]
    ev_line: Sequence[int]
    ev_col: Sequence[int]


_walk_scratch: list[Any] = []  # [cap, cursors, kinds, ends, nxt, events, its arrays...]


def _walk_buffers(cap: int) -> list[Any]:
    if not _walk_scratch or _walk_scratch[0] < cap:
        ints, uints, ev_cap = ctypes.c_int, ctypes.c_uint, 2 * cap
        arrays = [(ints * ev_cap)(), (ints * ev_cap)(), (ints * ev_cap)(),
                  (ci.Cursor * ev_cap)(), (ctypes.c_void_p * ev_cap)(), (uints * ev_cap)(),
                  (uints * ev_cap)()]
        events = _Events(*(ctypes.cast(a, f[1]) for a, f in zip(arrays, _Events._fields_,
                                                                  strict=False)), ev_cap)
        _walk_scratch[:] = [cap, (ci.Cursor * cap)(), (ints * cap)(), (ints * cap)(),
                            (ints * (cap + 1))(), events, *arrays]
    return _walk_scratch


def walk(c: ci.Cursor) -> Walked | None:
    """c's definition walked by the native helper (bk_walk: extract.py's _Walker.walk in C,
    locals marked as by flatten(mark_locals=True)); None when the helper is not there or
    leaves this definition to the Python walk."""
    fn = native_walker()
    if fn is None or fn.walk is None:
        return None
    w = fn.walk
    n = ctypes.c_int()
    cap = _walk_scratch[0] if _walk_scratch else 4096
    while True:
        _, cur, kinds, ends, nxt, events, *arrays = _walk_buffers(cap)
        got = w(ctypes.byref(w.fns), ctypes.byref(c), cur, kinds, ends, nxt, cap,
                ctypes.byref(events), K_LOCAL_REF, ctypes.byref(n))
        if got != -1:
            break
        cap *= 2
    if got < 0:
        return None
    return Walked(cur, kinds, ends, got, *arrays)


def definitions(tu: ci.TranslationUnit) -> Sequence[ci.Cursor] | None:
    """The functions and variables `tu` defines outside system headers, in order, by the native
    helper (bk_definitions); None without it."""
    fn = native_walker()
    if fn is None or fn.walk is None:
        return None
    d = fn.walk.definitions
    root = tu.cursor
    cap = 256
    while True:
        out = (ci.Cursor * cap)()
        n = d(ctypes.byref(fn.walk.fns), ctypes.byref(root), out, cap)
        if n <= cap:
            break
        cap = n
    defs = out[:n]
    for c in defs:
        c._tu = tu  # keeps the TU alive, as cindex's own get_children does
    return defs


# bk_inclusions' flags: the #include is in a system header; the file included is one
INC_FROM_SYSTEM, INC_OF_SYSTEM = 1, 2


def inclusions(tu: ci.TranslationUnit) -> tuple | None:
    """The files `tu` includes, by the native helper (bk_inclusions): (count, file handles,
    flags, includer handles, lines, columns), the includer's position only for a project file
    including a system header; None without the helper."""
    fn = native_walker()
    if fn is None or fn.walk is None:
        return None
    incl = fn.walk.inclusions
    cap = 512
    while True:
        ptrs, uints = ctypes.c_void_p * cap, ctypes.c_uint * cap
        files, flags, froms, lines, cols = ptrs(), (ctypes.c_int * cap)(), ptrs(), uints(), \
            uints()
        n = incl(ctypes.byref(fn.walk.fns), tu.obj, files, flags, froms, lines, cols, cap)
        if n <= cap:
            return n, files, flags, froms, lines, cols
        cap = n


def flatten(c: ci.Cursor, mark_locals: bool = False) -> Flat:
    """c's descendants in preorder: (cursors, kinds, subtree ends). With `mark_locals`, a
    reference to anything but a function or a global variable (a local, a parameter, an
    enumerator) has the kind K_LOCAL_REF instead of DeclRefExpr: the walker passes over it."""
    fn = native_walker()
    if fn is not None:
        cap = _scratch[0] if _scratch else 4096
        while True:
            _, cur, kinds, ends, open_ = _buffers(cap)
            n = fn(fn.visit_children, ctypes.byref(c), cur, kinds, ends, open_, cap)
            if n != -1:
                break
            cap *= 2
        if n >= 0:
            if mark_locals:
                m = fn.mark_local_refs
                m(*m.fns, cur, kinds, n, K_LOCAL_REF)
            out = (ci.Cursor * n)()  # the caller's own copy: the scratch is reused
            ctypes.memmove(out, cur, n * ctypes.sizeof(ci.Cursor))
            return out, kinds[:n], ends[:n]
    flat = flatten_python(c)
    if mark_locals:
        mark_local_refs_python(*flat)
    return flat


# The kind walk() gives a reference to no function nor global (not a libclang kind: those are
# never negative).
K_LOCAL_REF = -101
_K_DECL_REF, _K_FUNC, _K_VAR = 101, 8, 9
_LINKED = (2, 4)  # CXLinkage_Internal, CXLinkage_External
_ref_fns: list[Any] = []


def mark_local_refs_python(cur: Sequence[ci.Cursor], kinds: list[int], _ends: list[int]) -> None:
    """bk_mark_local_refs (data/flatten.c), for when the helper is not there."""
    if not _ref_fns:
        referenced = ci.conf.lib["clang_getCursorReferenced"]  # fresh entries: no errcheck
        referenced.argtypes, referenced.restype = [ci.Cursor], ci.Cursor
        linkage = ci.conf.lib["clang_getCursorLinkage"]
        linkage.argtypes, linkage.restype = [ci.Cursor], ctypes.c_int
        _ref_fns[:] = [referenced, linkage]
    referenced, linkage = _ref_fns
    for i, k in enumerate(kinds):
        if k != _K_DECL_REF:
            continue
        ref = referenced(cur[i])
        rk = ref._kind_id
        if rk == _K_FUNC or (rk == _K_VAR and linkage(ref) in _LINKED):
            continue
        kinds[i] = K_LOCAL_REF


def _visit(child: ci.Cursor, parent: ci.Cursor, acc: tuple) -> int:
    keys, open_, cur, ends = acc
    key = bytes(parent)  # a CXCursor's bytes: the parent is a cursor visited before
    while keys[-1] != key:
        if len(keys) == 1:  # a parent outside the subtree: not a preorder visit, give up
            keys.append(None)
            return 0  # CXChildVisit_Break
        keys.pop()
        ends[open_.pop()] = len(cur)
    open_.append(len(cur))
    cur.append(child)
    ends.append(0)
    keys.append(bytes(child))
    return 2  # CXChildVisit_Recurse


_VISIT = ci.callbacks["cursor_visit"](_visit)


def flatten_python(c: ci.Cursor) -> Flat:
    """flatten() by a Python visitor: one callback per node."""
    cur: list[ci.Cursor] = []
    ends: list[int] = []
    acc = ([bytes(c)], [], cur, ends)
    ci.conf.lib.clang_visitChildren(c, _VISIT, acc)
    if acc[0][-1] is None:
        cur, ends = [], []
        _by_children(c, cur, ends)
    else:
        for i in acc[1]:
            ends[i] = len(cur)
    return cur, [x._kind_id for x in cur], ends


def _by_children(c: ci.Cursor, cur: list[ci.Cursor], ends: list[int]) -> None:
    for x in children(c):
        i = len(cur)
        cur.append(x)
        ends.append(0)
        _by_children(x, cur, ends)
        ends[i] = len(cur)


def _child(child: ci.Cursor, _parent: ci.Cursor, acc: tuple) -> int:
    child._tu = acc[0]  # keeps the TU alive, as cindex's own get_children does
    acc[1].append(child)
    return 1  # CXChildVisit_Continue


_CHILD = ci.callbacks["cursor_visit"](_child)


def children(c: ci.Cursor) -> Sequence[ci.Cursor]:
    """c's direct children (cindex's get_children without its per-child bookkeeping)."""
    out: list[ci.Cursor] = []
    ci.conf.lib.clang_visitChildren(c, _CHILD, (c._tu, out))
    return out

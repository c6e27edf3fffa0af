"""A definition's AST in preorder, for the walker (bkport.analyze.extract).

`flatten(c)` gives c's descendants in preorder: their cursors, their kinds and, for each, the
index just past its own subtree (node i's children are i + 1, ends[i + 1], ...). The walk is
most of an analysis's cost on a small tree, and most of the walk was libclang calling back into
Python once per node. So the layout is made by a small C helper (data/flatten.c, built by
bkport.native with the host clang, which the analysis needs anyway); without it (no compiler, a
read-only cache, BKPORT_NATIVE=0) the same layout comes from a Python visitor, slower and
otherwise identical (tests/analyze/test_flatten.py compares them).
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
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
    _lib.append(fn)
    return fn


def _buffers(cap: int) -> list[Any]:
    if not _scratch or _scratch[0] < cap:
        _scratch[:] = [cap, (ci.Cursor * cap)(), (ctypes.c_int * cap)(),
                       (ctypes.c_int * cap)(), (ctypes.c_int * cap)()]
    return _scratch


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

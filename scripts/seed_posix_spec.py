#!/usr/bin/env python3
"""Seed posix/spec/ once from porter/posixspec/data/interfaces.tsv and this machine's headers.

Run once (`.venv/bin/python scripts/seed_posix_spec.py`); from then on the spec files are the
source of truth and are edited by hand. The loader (bkport.posixspec) never reads system headers.

Prototypes come from glibc's /usr/include parsed with libclang (POSIX mode first, then
_GNU_SOURCE for 2024 additions), with glibc's private type names mapped to the POSIX ones.
Interfaces no installed header declares get the prototypes in MANUAL below, written from the
standard. Constants come from Linux's asm-generic headers (the values BlueKernel uses).
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import clang.cindex as ci
from seed_posix_spec_data import (  # scripts/ is on sys.path when this script runs
    CONST_PATTERNS,
    EVAL_PATTERNS,
    EXTRA_CONSTS,
    HEADER_FOR,
    MACRO_BODIES,
    MANUAL,
    OWNED_CONSTS,
    OWNED_EXPRS,
    TYPE_FIX,
    TYPES,
)

ROOT = Path(__file__).resolve().parent.parent
TSV = ROOT / "porter" / "posixspec" / "data" / "interfaces.tsv"
OUT = ROOT / "posix" / "spec"
PICOLIBC = Path("/usr/lib/picolibc")
PICO_PREFIXES = ("arm-none-eabi", "aarch64-linux-gnu", "riscv64-unknown-elf")
COMPILER_HEADERS = {"stdarg.h", "stddef.h", "stdatomic.h", "stdbool.h", "tgmath.h"}



def _c_int(text: str, values: dict[str, int]) -> int | None:
    """Evaluate a small integer constant expression (literals, names, << | + - ~ ( ))."""
    toks = re.findall(r"0[xX][0-9a-fA-F]+|\d+[uUlL]*|[A-Za-z_]\w*|<<|>>|[()|+\-~&]|\S", text)
    out = []
    for t in toks:
        if re.fullmatch(r"0[xX][0-9a-fA-F]+", t):
            out.append(str(int(t, 16)))
        elif re.fullmatch(r"\d+[uUlL]*", t):
            d = t.rstrip("uUlL")
            out.append(str(int(d, 8) if d.startswith("0") and len(d) > 1 else int(d)))
        elif t in values:
            out.append(f"({values[t]})")
        elif t in ("<<", ">>", "(", ")", "|", "+", "-", "~", "&"):
            out.append(t)
        else:
            return None
    try:
        # only digits and C operators reach eval
        return int(eval("".join(out), {"__builtins__": {}}))
    except Exception:
        return None


def owned_constants() -> dict[str, list[str]]:
    src = "#define _GNU_SOURCE\n" + "".join(f"#include <{h}>\n" for h in OWNED_CONSTS)
    out = subprocess.run(["clang", "-E", "-dM", "-x", "c", "-"], input=src, capture_output=True,
                         text=True, check=True).stdout
    raw = {}
    for line in out.splitlines():
        m = re.fullmatch(r"#define (\w+) (.+)", line)
        if m:
            raw[m.group(1)] = m.group(2).strip()
    values: dict[str, int] = {}
    tu = ci.Index.create().parse("o.c", args=["-x", "c"], unsaved_files=[("o.c", src)])
    for cur in tu.cursor.walk_preorder():
        if cur.kind == ci.CursorKind.ENUM_CONSTANT_DECL:
            values[cur.spelling] = cur.enum_value
    for _ in range(4):  # resolve macros naming enumerators or other macros
        for name, text in raw.items():
            if name not in values and (v := _c_int(text, values)) is not None:
                values[name] = v
    consts = {}
    for header in sorted(set(OWNED_CONSTS) | set(OWNED_EXPRS)):
        pat = OWNED_CONSTS.get(header, "(?!)")
        names = sorted(n for n in values if re.fullmatch(pat, n))
        consts[header] = [f"define {n} {values[n]}" for n in names] + OWNED_EXPRS.get(header, [])
    return consts


def linux_constants() -> dict[str, list[str]]:
    """Linux's asm-generic values, the ones BlueKernel uses through the libc crate."""
    src = "".join(f"#include <{h}>\n" for h in (
        "asm-generic/errno.h", "asm-generic/fcntl.h", "asm-generic/signal.h",
        "linux/time.h", "linux/stat.h", "linux/fcntl.h", "linux/fs.h"))
    out = subprocess.run(
        ["clang", "-E", "-dM", "-nostdinc", "-I/usr/include", "-I/usr/include/x86_64-linux-gnu",
         "-x", "c", "-"], input=src, capture_output=True, text=True, check=True).stdout
    values = {}
    raw: dict[str, str] = {}
    for line in out.splitlines():
        m = re.fullmatch(r"#define (\w+) (\w+)", line)
        if m:
            values[m.group(1)] = m.group(2)
        m = re.fullmatch(r"#define (\w+) (.+)", line)
        if m:
            raw[m.group(1)] = m.group(2).strip()
    evaluated: dict[str, int] = {}
    for _ in range(3):
        for name, text in raw.items():
            if name not in evaluated and (v := _c_int(text, evaluated)) is not None:
                evaluated[name] = v
    consts: dict[str, list[str]] = {}
    for header, pat in EVAL_PATTERNS.items():
        consts[header] = [f"define {n} {evaluated[n]}" for n in sorted(evaluated)
                          if re.fullmatch(pat, n)]
    for header, pat in CONST_PATTERNS.items():
        lines = []
        for name in sorted(values):
            val = values[name]
            if not re.fullmatch(pat, name):
                continue
            if not re.fullmatch(r"[0-9]+", val):
                if val not in values or not re.fullmatch(r"[0-9]+", values[val]):
                    continue
            lines.append(f"define {name} {val}")
        consts[header] = lines + EXTRA_CONSTS.get(header, []) + consts.get(header, [])
    return consts


def type_line(spec: str) -> str:
    if not spec.startswith("type "):
        return spec + ";"
    name, _, ctype = spec[5:].partition(" = ")
    if ctype.endswith("]"):
        i = ctype.index("[")
        return f"typedef {ctype[:i]} {name}{ctype[i:]};"
    if "(*)" in ctype:
        return f"typedef {ctype.replace('(*)', f'(*{name})')};"
    return f"typedef {ctype} {name};"


def fix_type(t: str) -> str:
    for pat, rep in TYPE_FIX:
        t = re.sub(pat, rep, t)
    t = re.sub(r"\bconst struct sockaddr_\w+\b", "const struct sockaddr", t)
    t = t.replace("__SOCKADDR_ARG", "struct sockaddr *restrict")
    t = t.replace("__CONST_SOCKADDR_ARG", "const struct sockaddr *")
    return t


def render_param(ptype: str, name: str) -> str:
    ptype = fix_type(ptype)
    if "(*)" in ptype:
        return ptype.replace("(*)", f"(*{name})", 1)
    if ptype.endswith("]"):
        i = ptype.index("[")
        return f"{ptype[:i].rstrip()} {name}{ptype[i:]}"
    sep = "" if ptype.endswith("*") else " "
    return f"{ptype}{sep}{name}"


def proto_of(cur: ci.Cursor) -> str:
    args = []
    for i, a in enumerate(cur.get_arguments()):
        name = a.spelling.lstrip("_") or f"arg{i}"
        if name in ("restrict", "const", "int", "char", "long", "void"):
            name = f"{name}_"
        args.append(render_param(a.type.spelling, name))
    if cur.type.kind == ci.TypeKind.FUNCTIONPROTO and cur.type.is_function_variadic():
        args.append("...")
    rt = fix_type(cur.result_type.spelling)
    noret = "_Noreturn " if any(
        t.spelling in ("__noreturn__", "_Noreturn", "noreturn") for t in cur.get_tokens()
    ) else ""
    sep = "" if rt.endswith("*") else " "
    return f"{noret}{rt}{sep}{cur.spelling}({', '.join(args) or 'void'});"


def scan_glibc(headers: set[str], defines: list[str]) -> tuple[dict, dict, dict]:
    res = subprocess.run(["clang", "-print-resource-dir"], capture_output=True, text=True)
    dirs = [Path("/usr/include"), Path("/usr/include/x86_64-linux-gnu"),
            Path(res.stdout.strip(), "include")]
    src = "".join(
        f"#include <{h}>\n" for h in sorted(headers) if any((d / h).exists() for d in dirs)
    )
    idx = ci.Index.create()
    args = ["-x", "c", "-std=gnu11", *defines, f"-I{res.stdout.strip()}/include"]
    tu = idx.parse("seed.c", args=args, unsaved_files=[("seed.c", src)],
                   options=ci.TranslationUnit.PARSE_DETAILED_PROCESSING_RECORD)
    funcs: dict[str, str] = {}
    vars_: dict[str, str] = {}
    macros: dict[str, str] = {}
    for cur in tu.cursor.get_children():
        if cur.kind == ci.CursorKind.FUNCTION_DECL and cur.spelling not in funcs:
            funcs[cur.spelling] = proto_of(cur)
        elif cur.kind == ci.CursorKind.VAR_DECL:
            vars_[cur.spelling] = f"extern {render_param(cur.type.spelling, cur.spelling)};"
        elif cur.kind == ci.CursorKind.MACRO_DEFINITION:
            toks = [t.spelling for t in cur.get_tokens()]
            if len(toks) > 1 and toks[1] == "(" and cur.spelling not in macros:
                end = toks.index(")")
                params = "".join(toks[2:end]).replace(",", ", ")
                macros[cur.spelling] = f"{cur.spelling}({params})"
            elif cur.spelling not in macros:
                macros[cur.spelling] = cur.spelling
    return funcs, vars_, macros


def picolibc_has(header: str) -> bool:
    return all((PICOLIBC / p / "include" / header).exists() for p in PICO_PREFIXES)


def owner_of(header: str) -> str:
    if header in COMPILER_HEADERS:
        return "compiler"
    return "picolibc" if picolibc_has(header) else "layer"


def main() -> int:
    global OUT
    if len(sys.argv) > 1:  # seed elsewhere, e.g. to diff against the edited spec
        OUT = Path(sys.argv[1])
    rows = list(csv.DictReader((ln for ln in TSV.open(newline="") if not ln.startswith("#")),
                               delimiter="\t"))
    for r in rows:
        if not r["header"]:
            r["header"] = HEADER_FOR[r["interface"]]
    headers = {r["header"] for r in rows} | {
        h for r in rows for h in r["also_declared_in"].split() if h
    }
    posix = scan_glibc(headers, ["-D_POSIX_C_SOURCE=200809L", "-D_XOPEN_SOURCE=700"])
    gnu = scan_glibc(headers, ["-D_GNU_SOURCE"])
    by_header: dict[str, list[tuple[dict, str, str]]] = defaultdict(list)
    missing = []
    for r in rows:
        name = r["interface"]
        form = None
        if name in MANUAL:
            form = MANUAL[name]
        else:
            for funcs, vars_, macros in (posix, gnu):
                if name in funcs:
                    form = ("proto", funcs[name])
                elif name in vars_:
                    form = ("var", vars_[name])
                elif name in macros:
                    form = ("macro", macros[name])
                if form:
                    break
        if form is None:
            missing.append(f"{r['header']}\t{name}")
            form = ("macro", f"{name}(...)")
        by_header[r["header"]].append((r, *form))
    if missing:
        print("no prototype found (written as macro forms; fix by hand):", file=sys.stderr)
        print("\n".join(missing), file=sys.stderr)
    consts = linux_constants()
    for header, lines in owned_constants().items():
        consts.setdefault(header, []).extend(lines)
    for header in sorted(set(by_header) | set(TYPES) | set(consts)):
        preamble = [type_line(t) for t in TYPES.get(header, [])] + consts.get(header, [])
        write_spec(header, by_header.get(header, []), preamble)
    print(f"{len(rows)} interfaces in {len(by_header)} spec files, {len(missing)} unresolved")
    return 0


def write_spec(header: str, items: list[tuple[dict, str, str]], preamble: list[str]) -> None:
    lines = [
        f"# <{header}>: declarative POSIX header for bkport. Format: docs/posix-spec.md.",
        "# Seeded by scripts/seed_posix_spec.py; edited by hand since.",
        f"header {header}",
        f"owner {owner_of(header)}",
        "",
        *preamble,
        *([""] if preamble else []),
    ]
    for r, kind, text in sorted(items, key=lambda t: t[0]["interface"]):
        lines.append(f"interface {r['interface']}")
        lines.append(f"  {kind}: {text}")
        if r["interface"] in MACRO_BODIES:
            lines.append(f"  body: {MACRO_BODIES[r['interface']]}")
        if r["also_declared_in"]:
            lines.append(f"  also: {r['also_declared_in']}")
        if r["margin_codes_2017"]:
            lines.append(f"  codes: {r['margin_codes_2017'].replace('|', ' ')}")
        if r["option_group_2017_xrat"]:
            lines.append(f"  group: {r['option_group_2017_xrat']}")
        if r["rtems_category"]:
            lines.append(f"  category: {r['rtems_category']}")
        pse = [p for p in ("PSE51", "PSE52", "PSE53", "PSE54") if r[p] == "Y"]
        if pse:
            lines.append(f"  pse: {' '.join(pse)}")
        posix = []
        if r["in_posix_2003_rtems"] == "Y":
            posix.append("2003")
        if r["in_posix_2017"] == "Y":
            posix.append("2017")
        if r["in_posix_2024_gnulib"] == "Y" or r["in_posix_2024_rtems"] == "Y":
            posix.append("2024")
        lines.append(f"  posix: {' '.join(posix)}")
        if r["removed_by_2024_gnulib"] == "Y":
            lines.append("  removed: 2024")
        lines.append("")
    path = OUT / (header + ".spec")
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        print(f"keeping existing {path.relative_to(ROOT)} (delete it to reseed)", file=sys.stderr)
        return
    path.write_text("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())

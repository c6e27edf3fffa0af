"""Build an application for a board: C sources + the POSIX layer + picolibc + libgcc, linked as
one relocatable object that provides `app_main`, then linked into the validation kernel image.

Steps:
1. the layer's generated inputs (per syscall arch) and `libbkposix.a` built with the board's C
   settings (bkport.appbuild.layer; shared by the boards of one toolchain);
2. each source compiled with clang for the board, with the board's C settings
   (`bkport.appbuild.target.c_target(board)`: the AN547 gets ARMv8.1-M code, the AN385 ARMv7-M);
   errors shown as the compiler printed them;
3. `ld.lld -r`: the app's objects with the layer, the board's libc and libgcc multilibs
   (`libs(board)`) pulled in as needed, into one
   object whose only entry is `app_main` (what kernel/src/user.rs calls);
4. the C runtime routines the kernel's own runtime also defines (kernel/rt/lib.rs: memcpy,
   strlen, ...) made weak in that object, so the image has one copy of each;
5. the kernel image built by bkport.kernel.build with that object (the kernel's linker script
   lays out the app's TLS template).
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bkport.appbuild.layer import LayerInputs, build_layer, generate_inputs, llvm_tool
from bkport.appbuild.target import c_target, libs
from bkport.errors import BkportError, ToolchainError
from bkport.paths import display, source
from bkport.toolchain.clang import clang
from bkport.toolchain.compile import (
    CompileFailed,
    CompileJob,
    CompileResult,
    compile_many,
    executable,
    run_cached,
)
from bkport.toolchain.progress import note
from bkport.toolchain.targets import BOARDS

APP_CFLAGS = ("-std=gnu11", "-O2", "-g", "-ffunction-sections", "-fdata-sections", "-Wall",
              "-D_GNU_SOURCE")


class CompileError(BkportError):
    """The app's sources did not compile: `output` is what the compiler printed."""

    exit_code = 1

    def __init__(self, output: str):
        self.output = output
        super().__init__("compilation failed (compiler output above)")


class LinkError(BkportError):
    """The app links against symbols nothing provides (exit status 4). `symbols` holds one line
    per undefined symbol with what the support database knows and the advice; `output` is the
    linker's full output (`bkport build -v` or BKPORT_DEBUG=1 shows it)."""

    exit_code = 4

    def __init__(self, what: str, board: str, symbols: list[str], output: str):
        self.symbols = symbols
        self.output = output
        n = len(symbols)
        super().__init__(f"{what}: cannot be linked for {board}: {n} undefined symbol"
                         f"{'s' if n != 1 else ''} (see above; -v or BKPORT_DEBUG=1 shows the "
                         f"linker output)")


def explain_undefined(name: str, refs: tuple[str, ...] = (), profile: str = "bkport") -> str:
    """One line: the undefined symbol, where it is used, what the support database knows about
    it and what to do."""
    from bkport.workspace import current

    where = f" (used by {', '.join(refs[:3])}{', ...' if len(refs) > 3 else ''})" if refs else ""
    s = current().support(profile).lookup(name)
    if s is None:
        what = ("not a POSIX interface: define it in your sources or add the source or library "
                "that does (bkport build -I/--app DIR/src)")
    elif s.status == "missing":
        what = ("POSIX interface, missing: not provided by the bkport layer; `bkport shim` can "
                "generate a stub (bkport analyze --format json, then bkport shim)")
    else:
        note = f": {s.note}" if s.note else ""
        via = f" by {s.provider}" if s.provider else ""
        what = (f"POSIX interface, {s.status}{via}{note}; the support database says it is "
                "provided, yet the link did not find it: the layer or libc build is out of "
                "date or lacks it (please report)")
    return f"undefined symbol {name}{where}: {what}"


@dataclass(frozen=True)
class AppImage:
    board: str
    path: Path
    app_object: Path
    sizes: object  # bkport.kernel.elfsize.Sizes


def kernel_runtime_symbols() -> list[str]:
    """The C symbols the kernel's runtime crate defines: `#[no_mangle] ... fn NAME` and the
    `.global NAME` of its assembly (kernel/rt/lib.rs)."""
    text = (source("kernel/rt/lib.rs")).read_text()
    names = re.findall(r"#\[no_mangle\][^{;]*?\bfn\s+(\w+)", text, re.S)
    names += re.findall(r"\.globa?l\s+(\w+)", text)
    return sorted(set(names))


def compile_sources(sources: list[Path], target: str, inputs: LayerInputs, out: Path,
                    extra: list[str] | None = None) -> list[Path]:
    """Compile the app's sources into `out` with the C settings of `target` (a board, or an
    arch for its defaults; `c_target`), in parallel; an object is reused while its command line
    and every file it read are unchanged. Warnings are printed as they come; errors raise
    CompileError with every failed file's compiler output."""
    return [r.job.output for r in compile_app(sources, target, inputs, out, extra)]


def compile_app(sources: list[Path], target: str, inputs: LayerInputs, out: Path,
                extra: list[str] | None = None,
                progress: Callable[[int, int], None] | None = None) -> list[CompileResult]:
    """compile_sources, returning the engine's results (which files were compiled)."""
    t = c_target(target)
    argv = [clang(), *t.flags(), *APP_CFLAGS, *inputs.include_flags(t.arch), *(extra or [])]
    # numbered: two sources with one stem (a/util.c, b/util.c) get objects of their own
    jobs = [CompileJob(src, out / f"{i:03d}-{Path(src).stem}.o", argv)
            for i, src in enumerate(sources)]
    try:
        return compile_many(jobs, progress=progress)
    except CompileFailed as e:
        raise CompileError(e.output) from None


def link_app(objs: list[Path], target: str, layer: Path, out: Path) -> Path:
    """One relocatable object: the app, the layer, and the libc and libgcc of `target` (a board,
    or an arch for its defaults; `libs`), entry `app_main`. Relinked only when an input's
    content or the commands changed (the kernel link after it then sees an unchanged object
    too)."""
    raw = out.with_suffix(".r.o")
    ld, objcopy = llvm_tool("ld.lld"), llvm_tool("llvm-objcopy")
    inputs = [*map(str, objs), "--start-group", str(layer), *map(str, libs(target)),
              "--end-group"]
    link = [ld, "-r", "-o", str(raw), "-u", "app_main", *inputs]
    weaken = [objcopy, *(f"--weaken-symbol={s}" for s in kernel_runtime_symbols()), str(raw),
              str(out)]

    def run() -> list[str]:
        note("linking the app with the POSIX layer and picolibc")
        proc = subprocess.run(link, capture_output=True, text=True)
        if proc.returncode != 0:
            raise ToolchainError(f"linking the app failed:\n{proc.stderr}")
        proc = subprocess.run(weaken, capture_output=True, text=True)
        if proc.returncode != 0:
            out.unlink(missing_ok=True)
            raise ToolchainError(f"llvm-objcopy failed:\n{proc.stderr}")
        return [t for t in (executable(ld), executable(objcopy)) if t]

    out.parent.mkdir(parents=True, exist_ok=True)
    run_cached(out, [*link, "&&", *weaken], run,
               [*objs, layer, *libs(target), source("kernel/rt/lib.rs")])
    return out


def build_app(board: str, sources: list[Path], out: Path, extra_cflags: list[str] | None = None,
              name: str | None = None) -> AppImage:
    from bkport.kernel import build as kbuild

    if board not in BOARDS:
        raise BkportError(f"unknown board {board!r}; boards: {', '.join(sorted(BOARDS))}")
    arch = BOARDS[board].arch.name
    name = name or Path(sources[0]).stem
    out = Path(out).resolve()  # the kernel build resolves paths from kernel/src/
    inputs = generate_inputs(out, [arch])
    # the board's own C settings throughout: the layer, the app's sources and the libraries
    layer = build_layer(board, out, inputs)
    sources = [Path(s).resolve() for s in sources]

    def progress(changed: int, total: int) -> None:
        if changed:
            files = f"{total} C file{'s' if total != 1 else ''}"
            note(f"compiling {files} for {board}" if changed == total else
                 f"compiling {changed} of {files} for {board} (changed)")

    objs = [r.job.output for r in compile_app(sources, board, inputs,
                                              out / board / name / "obj", extra_cflags,
                                              progress)]
    app_obj = link_app(objs, board, layer, out / board / name / f"{name}.o")
    try:
        image = kbuild.build(board, app_obj, out / "kernel")
    except kbuild.UndefinedSymbolsError as e:
        what = ", ".join(display(s) for s in sources[:3]) + (", ..." if len(sources) > 3 else "")
        raise LinkError(what, board, [explain_undefined(u.name, u.refs) for u in e.undefined],
                        e.output) from None
    return AppImage(board, image.path, app_obj, image.sizes)


"""Cross-build busybox for a board and link it into a validation-kernel image.

1. the host step (host.py, the plug-in's configure step): configured tree, generated headers,
   the TU list — once for all boards;
2. the POSIX layer for the board's architecture (bkport.appbuild.layer);
3. every TU compiled with clang for the board, in parallel, each object reused while its
   command line and every header it read (clang's -MD list) are unchanged;
4. the objects into `libbusybox.a`, so that only what the applets reach is linked, as busybox's
   own link does with libbb/lib.a; then bkport.appbuild.app.link_app (busybox + shims + layer +
   picolibc + libgcc -> one object entered at `app_main`; the layer's start code calls busybox's
   `main` in libbb/appletlib.c) and bkport.kernel.build.build for the image;
5. the image copied to `<out>/<board>/busybox.elf`: `bkport run` passes the image's stem as
   argv[0], and argv[0] "busybox" makes busybox take the applet from argv[1].
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from bkport.appbuild.app import AppImage, link_app
from bkport.appbuild.layer import LayerInputs, build_layer, generate_inputs, llvm_tool
from bkport.appbuild.target import c_target
from bkport.errors import BkportError, ToolchainError
from bkport.paths import work_dir
from bkport.plugins.busybox import config, host
from bkport.toolchain.clang import clang
from bkport.toolchain.compile import CompileFailed, CompileJob, compile_many
from bkport.toolchain.targets import BOARDS

# -Os: busybox's own choice, and the image must fit the Cortex-M board's 4 MiB. Warnings are
# off except those that mean a missing or wrong declaration (they would fail only at link or
# run time otherwise).
BUSYBOX_CFLAGS = ("-Os", "-g", "-ffunction-sections", "-fdata-sections", "-fno-common",
                  "-Wno-everything", "-Werror=implicit-function-declaration",
                  "-Werror=implicit-int", "-Werror=incompatible-function-pointer-types",
                  "-Werror=int-conversion", "-Werror=return-type",
                  # busybox's documented knob (include/libbb.h): its `*const` global pointers,
                  # assigned once through a cast, are miscompiled by clang, which hoists reads
                  # of a const object above the assignment.
                  "-DBB_GLOBAL_CONST=")


class BusyboxCompileError(BkportError):
    """Some busybox TUs did not compile: `output` has each TU's name and the compiler's text."""

    exit_code = 1

    def __init__(self, failed: list[tuple[str, str]]):
        self.failed = failed
        self.output = "".join(f"--- {name} ---\n{text}" for name, text in failed)
        names = ", ".join(n for n, _ in failed[:8]) + (" ..." if len(failed) > 8 else "")
        super().__init__(f"{len(failed)} busybox translation unit(s) failed to compile: {names}"
                         f"\n{self.output}")


def default_out() -> Path:
    return work_dir() / "busybox"


def target_flags(arch: str) -> list[str]:
    """The arch's C flags as every app gets them. busybox does floating point (awk, sleep 0.5,
    sort -g); every arch compiles C with the standard FP ABI since AArch64 dropped
    -mgeneral-regs-only, and the kernel saves the FP state in every trap frame."""
    return list(c_target(arch).flags())


def jobs_for(tree: host.HostTree, arch: str, inputs: LayerInputs,
             obj_dir: Path, recipe: Path | None = None) -> list[CompileJob]:
    recipe = recipe or config.recipe_dir()
    compat = ["-I" + str(recipe / "include")]
    jobs = []
    for u in tree.units:
        rel = u.source.relative_to(tree.src)
        # busybox's -I first (its own headers), then the compat headers, then the layer's
        # include order (layer wrappers, generated sysroot, picolibc).
        cmd = (clang(), *target_flags(arch), *BUSYBOX_CFLAGS, *u.flags, *compat,
               *inputs.include_flags(arch))
        jobs.append(CompileJob(u.source, obj_dir / rel.with_suffix(".o"), cmd, name=str(rel)))
    for shim in sorted((recipe / "shims").glob("*.c")):
        cmd = (clang(), *target_flags(arch), *BUSYBOX_CFLAGS, "-std=gnu11", "-D_GNU_SOURCE",
               *compat, *inputs.include_flags(arch))
        jobs.append(CompileJob(shim, obj_dir / "shims" / (shim.stem + ".o"), cmd,
                               name=f"apps/busybox/shims/{shim.name}"))
    return jobs


def compile_all(jobs: list[CompileJob], workers: int, log: Callable[[str], None]) -> list[Path]:
    """Every TU through the compile engine (bkport.toolchain.compile): an object is reused while
    its command line and the content of every file it read are unchanged."""
    try:
        results = compile_many(jobs, jobs_n=workers)
    except CompileFailed as e:
        results = e.results
    compiled = sum(r.rebuilt for r in results)
    failed = [(r.job.label, r.output) for r in results if not r.ok]
    log(f"  {compiled} compiled, {len(jobs) - compiled} up to date, {len(failed)} failed")
    if failed:
        raise BusyboxCompileError(failed)
    return [j.output for j in jobs]


def archive(objs: list[Path], lib: Path) -> Path:
    lib.unlink(missing_ok=True)
    proc = subprocess.run([llvm_tool("llvm-ar"), "rcs", str(lib), *map(str, objs)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise ToolchainError(f"llvm-ar failed for {lib}:\n{proc.stderr}")
    return lib


@contextlib.contextmanager
def locked(out: Path):
    """One build at a time in `out`: the host tree, the generated layer inputs and the kernel's
    work directories are shared by every board built there (two pytest sessions, or the tests
    and `bkport validate`, would otherwise overwrite each other's files)."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / ".lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def build_busybox(board: str, out: Path | None = None, jobs: int | None = None,
                  log: Callable[[str], None] = print, recipe: Path | None = None) -> AppImage:
    """Build busybox for `board` under `out` (default build/busybox) with the recipe folder
    `recipe` (default apps/busybox); returns the image at `<out>/<board>/busybox.elf`."""
    if board not in BOARDS:
        raise BkportError(f"unknown board {board!r}; boards: {', '.join(sorted(BOARDS))}")
    out = Path(out or default_out()).resolve()
    with locked(out):
        return _build(board, out, jobs, log, recipe or config.recipe_dir())


def _build(board: str, out: Path, jobs: int | None, log: Callable[[str], None],
           recipe: Path) -> AppImage:
    from bkport.kernel import build as kbuild

    arch = BOARDS[board].arch.name
    workers = jobs or os.cpu_count() or 2
    t0 = time.monotonic()
    tree = host.prepare(out, workers, log, recipe)
    log(f"busybox for {board}: {len(tree.units)} TUs, {len(tree.programs)} applets")
    inputs = generate_inputs(out, [arch])
    layer = build_layer(arch, out, inputs)
    work = out / board
    objs = compile_all(jobs_for(tree, arch, inputs, work / "obj", recipe), workers, log)
    lib = archive(objs, work / "libbusybox.a")
    # ld.lld -r wants one object file before any archive: busybox's `main` (appletlib.o), which
    # reaches every applet through the applet table.
    main_obj = next(o for o in objs if o.name == "appletlib.o")
    app_obj = link_app([main_obj, lib], arch, layer, work / "busybox.o")
    image = kbuild.build(board, app_obj, out / "kernel")
    path = work / "busybox.elf"
    tmp = path.with_suffix(".elf.tmp")
    shutil.copyfile(image.path, tmp)
    os.replace(tmp, path)  # a run booting the previous image never reads half a new one
    s = image.sizes
    log(f"  {path}: text {s.text} data {s.data} bss {s.bss} (footprint {s.footprint} bytes), "
        f"{time.monotonic() - t0:.0f} s")
    return AppImage(board, path, app_obj, image.sizes)

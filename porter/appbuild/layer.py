"""The POSIX layer (posix/layer/) compiled for one toolchain into `libbkposix.a`.

The C settings are a board's (`bkport.appbuild.target.c_target(board)`; an arch name gives the
arch's defaults). Objects and the archive live under `<build>/<toolchain key>/` (`CTarget.key`:
the arch's name for its default settings, e.g. `cortex-m/` for the AN385, a name of its own for
a board that overrides them, the AN547's ARMv8.1-M build), so boards sharing a toolchain share
one layer build and boards of one arch with different CPUs do not mix objects.

Inputs the layer needs, generated into the build directory (never committed):
- `<gen>/syscall/<arch>/user/bk/syscall.h`: the syscall wrappers (`bkport syscalls gen`);
- `<gen>/sysroot/include/`: the POSIX headers picolibc lacks and `bkport/linux_abi.h`
  (`bkport posix gen`).
Include order: the layer's own headers, then the generated sysroot, then picolibc's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

from bkport.appbuild.target import c_target
from bkport.errors import ToolchainError
from bkport.paths import source
from bkport.toolchain.clang import clang
from bkport.toolchain.compile import CompileFailed, CompileJob, compile_many, executable, run_cached
from bkport.toolchain.progress import note
from bkport.toolchain.targets import ARCHES

# Flags every layer source is compiled with (apps get the same minus the warnings policy).
LAYER_CFLAGS = ("-std=c11", "-O2", "-g", "-ffunction-sections", "-fdata-sections",
                "-Wall", "-Wextra", "-Werror", "-D_GNU_SOURCE")


def layer_dir() -> Path:
    return source("posix/layer")


def layer_sources() -> list[Path]:
    return sorted((layer_dir() / "src").glob("*.c"))


@dataclass(frozen=True)
class LayerInputs:
    """Generated headers for one build directory."""

    gen: Path

    def syscall_include(self, arch: str) -> Path:
        return self.gen / "syscall" / arch / "user"

    @property
    def sysroot_include(self) -> Path:
        return self.gen / "sysroot" / "include"

    def include_flags(self, arch: str) -> list[str]:
        return ["-I", str(layer_dir() / "include"), "-I", str(self.sysroot_include),
                "-I", str(self.syscall_include(arch))]


def generate_inputs(build: Path, arches: list[str] | None = None) -> LayerInputs:
    """Generate the syscall wrappers and the sysroot headers under `build/gen`."""
    from bkport.posixspec.gen import write_headers
    from bkport.syscalls.gen import generate_all
    from bkport.workspace import current

    gen = Path(build) / "gen"
    ws = current()
    generate_all(ws.table, arches or list(ARCHES), gen / "syscall")
    write_headers(ws.spec, gen / "sysroot", with_test=False)
    return LayerInputs(gen)


def llvm_tool(name: str) -> str:
    for cand in (name, f"{name}-14"):
        path = shutil.which(cand)
        if path:
            return path
    raise ToolchainError(f"{name} not found: run scripts/setup.sh (Debian package 'llvm')")


def compile_command(src: Path, target: str, inputs: LayerInputs, out: Path,
                    extra: list[str] | None = None) -> list[str]:
    return [*layer_argv(target, inputs, extra), "-c", str(src), "-o", str(out)]


def layer_argv(target: str, inputs: LayerInputs, extra: list[str] | None = None) -> list[str]:
    """The compiler command line of every layer source for a board or an arch (`c_target`),
    without -c/-o (the compile engine's CompileJob.argv)."""
    t = c_target(target)
    return [clang(), *t.flags(), *LAYER_CFLAGS, *inputs.include_flags(t.arch), *(extra or [])]


def archive(lib: Path, objs: list[Path]) -> Path:
    """`llvm-ar rcs` of `objs`, redone only when an object's content, the list or the tool
    changed, or the archive is missing or was altered."""
    ar = llvm_tool("llvm-ar")

    def run() -> list[str]:
        # built aside and renamed: a concurrent link never reads half an archive, and `rcs` on
        # an existing archive would keep members no longer in the list
        tmp = lib.with_name(f".{lib.name}.{os.getpid()}-{threading.get_ident()}.tmp")
        tmp.unlink(missing_ok=True)
        proc = subprocess.run([ar, "rcs", str(tmp), *map(str, objs)], capture_output=True,
                              text=True)
        if proc.returncode != 0:
            tmp.unlink(missing_ok=True)
            raise ToolchainError(f"llvm-ar failed for {lib}:\n{proc.stderr}")
        os.replace(tmp, lib)
        return [executable(ar) or ar]

    run_cached(lib, [ar, "rcs", str(lib), *map(str, objs)], run, objs)
    return lib


def layer_dir_for(target: str, build: Path) -> Path:
    """Where the layer for a board or an arch is built: `<build>/<toolchain key>/`."""
    return Path(build) / c_target(target).key


def build_layer(target: str, build: Path, inputs: LayerInputs | None = None) -> Path:
    """Compile every layer source with the C settings of `target` (a board, or an arch for its
    defaults); return the archive `<build>/<toolchain key>/libbkposix.a`. Raises ToolchainError
    with the compiler's own messages on failure. Objects and the archive are reused while their
    command line and the content of every file they read are unchanged
    (bkport.toolchain.compile), so the boards of one toolchain compile it once."""
    t = c_target(target)
    inputs = inputs or generate_inputs(build, [t.arch])
    obj_dir = layer_dir_for(target, build) / "layer"
    argv = layer_argv(target, inputs)
    what = target if target == t.key else f"{target}, toolchain {t.key}"
    jobs = [CompileJob(src, obj_dir / (src.stem + ".o"), argv) for src in layer_sources()]

    def progress(changed: int, total: int) -> None:
        if changed:
            files = f"{total} C files" if changed == total else \
                f"{changed} of {total} C files changed"
            note(f"compiling the POSIX layer for {what} ({files})")

    try:
        compile_many(jobs, progress=progress)
    except CompileFailed as e:
        raise ToolchainError(f"the POSIX layer does not compile for {what}:\n"
                             + e.output) from None
    return archive(obj_dir.parent / "libbkposix.a", [j.output for j in jobs])

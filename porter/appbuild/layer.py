"""The POSIX layer (posix/layer/) compiled for one architecture into `libbkposix.a`.

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
    from bkport.posixspec.loader import load_spec
    from bkport.syscalls import load_table
    from bkport.syscalls.gen import generate_all

    gen = Path(build) / "gen"
    generate_all(load_table(), arches or list(ARCHES), gen / "syscall")
    write_headers(load_spec(), gen / "sysroot", with_test=False)
    return LayerInputs(gen)


def llvm_tool(name: str) -> str:
    for cand in (name, f"{name}-14"):
        path = shutil.which(cand)
        if path:
            return path
    raise ToolchainError(f"{name} not found: run scripts/setup.sh (Debian package 'llvm')")


def compile_command(src: Path, arch: str, inputs: LayerInputs, out: Path,
                    extra: list[str] | None = None) -> list[str]:
    return [*layer_argv(arch, inputs, extra), "-c", str(src), "-o", str(out)]


def layer_argv(arch: str, inputs: LayerInputs, extra: list[str] | None = None) -> list[str]:
    """The compiler command line of every layer source, without -c/-o (the compile engine's
    CompileJob.argv)."""
    return [clang(), *c_target(arch).flags(), *LAYER_CFLAGS, *inputs.include_flags(arch),
            *(extra or [])]


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


def build_layer(arch: str, build: Path, inputs: LayerInputs | None = None) -> Path:
    """Compile every layer source for `arch`; return the archive. Raises ToolchainError with the
    compiler's own messages on failure. Objects and the archive are reused while their command
    line and the content of every file they read are unchanged (bkport.toolchain.compile)."""
    inputs = inputs or generate_inputs(build, [arch])
    obj_dir = Path(build) / arch / "layer"
    argv = layer_argv(arch, inputs)
    jobs = [CompileJob(src, obj_dir / (src.stem + ".o"), argv) for src in layer_sources()]

    def progress(changed: int, total: int) -> None:
        if changed:
            what = f"{total} C files" if changed == total else \
                f"{changed} of {total} C files changed"
            note(f"compiling the POSIX layer for {arch} ({what})")

    try:
        compile_many(jobs, progress=progress)
    except CompileFailed as e:
        raise ToolchainError(f"the POSIX layer does not compile for {arch}:\n"
                             + e.output) from None
    return archive(Path(build) / arch / "libbkposix.a", [j.output for j in jobs])

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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bkport.appbuild.target import c_target
from bkport.errors import ToolchainError
from bkport.paths import source
from bkport.toolchain.clang import clang
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
    return [clang(), *c_target(arch).flags(), *LAYER_CFLAGS, *inputs.include_flags(arch),
            *(extra or []), "-c", str(src), "-o", str(out)]


def build_layer(arch: str, build: Path, inputs: LayerInputs | None = None) -> Path:
    """Compile every layer source for `arch`; return the archive. Raises ToolchainError with the
    compiler's own messages on failure."""
    inputs = inputs or generate_inputs(build, [arch])
    obj_dir = Path(build) / arch / "layer"
    obj_dir.mkdir(parents=True, exist_ok=True)
    # Any header (the layer's or a generated one) changing rebuilds everything: simple, and the
    # layer compiles in a few seconds.
    headers = [*layer_dir().rglob("*.h"), *inputs.gen.rglob("*.h")]
    newest = max((h.stat().st_mtime for h in headers), default=0.0)

    def one(src: Path) -> tuple[Path, str]:
        obj = obj_dir / (src.stem + ".o")
        if obj.exists() and obj.stat().st_mtime >= max(newest, src.stat().st_mtime):
            return obj, ""
        proc = subprocess.run(compile_command(src, arch, inputs, obj), capture_output=True,
                              text=True)
        if proc.returncode != 0:
            obj.unlink(missing_ok=True)
            return obj, proc.stderr or f"{src}: compiler failed\n"
        return obj, ""

    stale = [src for src in layer_sources()
             if not (obj_dir / (src.stem + ".o")).exists()
             or (obj_dir / (src.stem + ".o")).stat().st_mtime < max(newest, src.stat().st_mtime)]
    if stale:
        note(f"compiling the POSIX layer for {arch} ({len(stale)} C files)")
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(one, layer_sources()))
    objs = [o for o, _ in results]
    errors = [e for _, e in results if e]
    if errors:
        raise ToolchainError(f"the POSIX layer does not compile for {arch}:\n" + "".join(errors))
    lib = Path(build) / arch / "libbkposix.a"
    lib.unlink(missing_ok=True)
    proc = subprocess.run([llvm_tool("llvm-ar"), "rcs", str(lib), *map(str, objs)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise ToolchainError(f"llvm-ar failed: {proc.stderr}")
    return lib

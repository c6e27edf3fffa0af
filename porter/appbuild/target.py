"""Per-board (or per-architecture) C settings for apps and the layer: compiler flags, picolibc's
multilib and libgcc (the compiler's helper routines: 64-bit division on Cortex-M, 128-bit long
double on AArch64, ...), chosen to match the validation kernel's Rust target. All of them come
from the board table (kernel/boards.toml): an arch's settings, or a board's where the table
overrides them for that board. Builds for a board ask for the board's (`c_target(board)`), so the
Cortex-M55 board gets ARMv8.1-M code and the Cortex-M3 board ARMv7-M code; `CTarget.key` names
the toolchain, so boards whose settings are the same share the layer's objects and archive.

libgcc is whichever the installed cross gcc links with for those flags
(`<gcc> <gcc_flags> -print-libgcc-file-name`), so no gcc version is written down here; without
that gcc, the newest `/usr/lib/gcc*/<triple>/<version>/<multilib>/libgcc.a`.

RISC-V: the kernel's `riscv64gc-unknown-none-elf` uses the lp64d float ABI, and lld refuses to
link objects of different float ABIs, so C is compiled for rv64imafdc/lp64d with picolibc's
matching multilib.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from dataclasses import astuple, dataclass, field, replace
from functools import cache
from pathlib import Path

from bkport.boards import Arch, Board
from bkport.errors import ToolchainError
from bkport.toolchain.clang import PICOLIBC, picolibc_include


@dataclass(frozen=True)
class CTarget:
    arch: str  # the syscall ABI (ARCHES name): headers and syscall wrappers
    clang_target: str
    clang_flags: tuple[str, ...]
    picolibc_prefix: str
    libc_dir: str  # under /usr/lib/picolibc/<prefix>/lib
    gcc: str
    gcc_flags: tuple[str, ...]
    # the folder name of this toolchain's builds (the layer's objects and archive): the arch's
    # name for the arch's own settings, else derived from the settings (`toolchain_key`)
    key: str = field(default="", compare=False)

    def flags(self) -> list[str]:
        return [f"--target={self.clang_target}", *self.clang_flags, "-ffreestanding",
                "-isystem", str(picolibc_include(self.arch))]

    def libc(self, prefix: str | None = None) -> Path:
        return PICOLIBC / (prefix or self.picolibc_prefix) / "lib" / self.libc_dir / "libc.a"

    @property
    def libgcc(self) -> str:
        return str(find_libgcc(self.gcc, self.gcc_flags, self.libc_dir))


def arch_c_target(a: Arch) -> CTarget:
    """An arch's default C settings (those of its boards that override nothing)."""
    return CTarget(a.name, a.clang_target, a.clang_flags, a.picolibc_prefix,
                   a.picolibc_multilib, a.gcc, a.gcc_flags, key=a.name)


def board_c_target(b: Board) -> CTarget:
    """A board's C settings: its arch's, with the board table's overrides."""
    t = CTarget(b.arch.name, b.clang_target, b.clang_flags, b.arch.picolibc_prefix,
                b.picolibc_multilib, b.arch.gcc, b.gcc_flags)
    return replace(t, key=toolchain_key(t, arch_c_target(b.arch)))


def toolchain_key(t: CTarget, arch_default: CTarget) -> str:
    """The folder name of `t`'s builds: the arch's name when `t` is the arch's own settings
    (so a board that overrides nothing shares the arch's layer build, and folders of earlier
    builds stay valid), else the arch, the clang target and a digest of every setting
    ("cortex-m-thumbv8.1m.main-1f2e3d4c"): equal settings, one folder, whichever board asks."""
    if t == arch_default:
        return arch_default.key
    settings = "\0".join(map(str, astuple(t)[:-1]))
    digest = hashlib.sha256(settings.encode()).hexdigest()[:8]
    return f"{t.arch}-{t.clang_target.split('-')[0]}-{digest}"


def c_target(name: str) -> CTarget:
    """The C settings of a board ("qemu_mps3_an547": its own toolchain where the board table
    overrides the arch's) or of an arch ("cortex-m": the arch's defaults)."""
    from bkport.toolchain.targets import ARCHES, BOARDS

    if name in BOARDS:
        return board_c_target(BOARDS[name])
    if name not in ARCHES:
        raise KeyError(f"no board or arch named {name!r}; boards: "
                       f"{', '.join(sorted(BOARDS))}; arches: {', '.join(sorted(ARCHES))}")
    return arch_c_target(ARCHES[name])


@cache
def find_libgcc(gcc: str, flags: tuple[str, ...], multilib: str = ".") -> Path:
    """The libgcc.a `gcc` links with for `flags`. Asked once per process and flags; without
    that gcc, the newest `/usr/lib/gcc*/<triple>/*/<multilib>/libgcc.a` (or gcc's default
    multilib's)."""
    exe = shutil.which(gcc)
    if exe is not None:
        proc = subprocess.run([exe, *flags, "-print-libgcc-file-name"], capture_output=True,
                              text=True)
        path = Path(proc.stdout.strip())
        # a gcc that does not know its libgcc prints the bare name "libgcc.a"
        if proc.returncode == 0 and path.is_absolute() and path.exists():
            return path
    triple = gcc.removesuffix("-gcc")
    # gcc's default multilib (".") last: riscv64-unknown-elf-gcc keeps rv64imafdc/lp64d there
    for sub in dict.fromkeys((multilib, ".")):
        found = [p for p in Path("/usr/lib").glob(f"gcc*/{triple}/*/{sub}/libgcc.a")
                 if p.is_file()]
        if found:
            return max(found, key=lambda p: _version_key(p.relative_to("/usr/lib").parts[2]))
    raise ToolchainError(f"libgcc.a for {triple} ({' '.join(flags)}) not found: run "
                         f"scripts/setup.sh (the {gcc} package provides it)")


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", version))


def libs(name: str) -> list[Path]:
    """picolibc's libc.a and libgcc.a for an arch or a board (see `c_target`), checked to
    exist."""
    t = c_target(name)
    libc = t.libc()
    if not libc.exists():
        raise ToolchainError(f"{libc} not found: run scripts/setup.sh (picolibc provides it)")
    return [libc, Path(t.libgcc)]

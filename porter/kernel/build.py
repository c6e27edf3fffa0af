"""Build the validation kernel for a board: generated syscall table + kernel + one app, one image.

Steps (each a plain `rustc` run with Debian's compiler and a cached `core`/`alloc` sysroot):
1. render the syscall table for the board's arch into `<out>/gen/<arch>/`, and the board's
   constants and linker script from kernel/boards.toml into `<out>/gen/boards/<board>/`
   (in-process, only rewriting files whose content changed);
2. `bkrt`: the runtime crate (mem* routines, 64-bit division helpers);
3. the app: a Rust app directory (crate root generated here, mounting the generated user-side
   `bk_syscall.rs` and the kernel's shared `abi.rs`) compiled to one object, or a ready object /
   archive providing `app_main`;
4. the kernel binary crate, mounting the generated kernel table and board constants, linked with
   rust-lld and the board's generated linker script together with the app object.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bkport.errors import BkportError, ToolchainError
from bkport.fsutil import write_if_changed
from bkport.kernel import elfsize, fuzzgen
from bkport.kernel.elfimage import board_marker
from bkport.paths import display, source, work_dir
from bkport.toolchain.compile import (
    CompileFailed,
    CompileJob,
    compile_many,
    executable,
    read_depfile,
    run_cached,
)
from bkport.toolchain.progress import note
from bkport.toolchain.rust import RUSTC, sysroot
from bkport.toolchain.targets import BOARDS, Board

GATES = ("enable_vfs",)  # the feature gates the validation kernel implements
# Apps named on the command line: kernel/apps/<name>, and the table-generated fuzz app.
BUILTIN_APPS = ("ktest", "hello", "fuzz", "bench", "c_smoke")


class KernelBuildError(BkportError):
    exit_code = 3


class KernelInputError(KernelBuildError):
    """Bad input to the build: unknown board, an app that does not exist (exit status 2)."""

    exit_code = 2


# `rust-lld: error: undefined symbol: NAME` then `>>> referenced by FILE:LINE (PATH:LINE)` and
# `>>>               OBJECT:(FUNCTION)` lines.
_UNDEFINED = re.compile(r"error: undefined symbol: (\S+)")
_REF_SRC = re.compile(r">>> referenced by (\S+)")
_REF_FUNC = re.compile(r">>>\s+\S*:\((.+)\)\s*$")


@dataclass(frozen=True)
class Undefined:
    """One symbol the link could not find, and where the program uses it."""

    name: str
    refs: tuple[str, ...] = ()  # "file.c:4 (main)" as the linker reported them


class UndefinedSymbolsError(KernelBuildError):
    """The final link found symbols nothing defines. `undefined` lists them, `output` is the
    linker's full output (shown with -v or BKPORT_DEBUG=1)."""

    exit_code = 4

    def __init__(self, what: str, undefined: list[Undefined], output: str):
        self.what = what
        self.undefined = undefined
        self.output = output
        names = ", ".join(u.name for u in undefined)
        n = len(undefined)
        super().__init__(f"linking {what} failed: {n} undefined symbol{'s' if n != 1 else ''}: "
                         f"{names} (-v or BKPORT_DEBUG=1 shows the linker output)")


def undefined_symbols(output: str) -> list[Undefined]:
    """The undefined symbols an lld error output names, each once, in order."""
    found: dict[str, list[str]] = {}
    cur: list[str] | None = None
    src: str | None = None
    for line in output.splitlines():
        m = _UNDEFINED.search(line)
        if m:
            cur = found.setdefault(m[1].strip("'`"), [])
            src = None
            continue
        if cur is None:
            continue
        m = _REF_SRC.search(line)
        if m:
            src = m[1]
            continue
        m = _REF_FUNC.search(line)
        if m and src is not None:
            ref = f"{src} ({m[1]})"
            if ref not in cur:
                cur.append(ref)
            src = None
        elif m:
            ref = f"({m[1]})"
            if ref not in cur:
                cur.append(ref)
        elif not line.strip().startswith(">>>"):
            cur = None
    return [Undefined(k, tuple(v)) for k, v in found.items()]


@dataclass(frozen=True)
class Image:
    board: str
    path: Path
    app: str
    sizes: elfsize.Sizes


def kernel_dir() -> Path:
    return source("kernel")


def default_app() -> Path:
    return kernel_dir() / "apps" / "ktest"


def build_dir() -> Path:
    return Path(os.environ.get("BKPORT_KERNEL_BUILD", work_dir() / "kernel"))


def board(name: str) -> Board:
    try:
        return BOARDS[name]
    except KeyError:
        raise KernelInputError(
            f"unknown board {name!r}; boards: {', '.join(sorted(BOARDS))}"
        ) from None


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["RUSTC_BOOTSTRAP"] = "1"
    return env


def _rustc(args: list[str], env: dict[str, str] | None = None, what: str = "") -> None:
    cmd = [RUSTC, "--edition", "2021", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env or _env())
    if proc.returncode != 0:
        undefined = undefined_symbols(proc.stderr)
        if undefined:
            raise UndefinedSymbolsError(what or "the image", undefined,
                                        f"{' '.join(cmd)}\n{proc.stderr}")
        raise ToolchainError(f"rustc failed: {' '.join(cmd)}\n{proc.stderr[-6000:]}")


def generate(arch: str, out: Path) -> Path:
    """Render the syscall table for `arch` under `out`; returns `out/<arch>`."""
    from bkport.syscalls.gen import PER_ARCH, _renderer
    from bkport.workspace import current

    table = current().table
    for rel, spec in PER_ARCH:
        write_if_changed(out / rel.format(arch=arch), _renderer(spec)(table, arch))
    return out / arch


def generate_board(b: Board, out: Path) -> Path:
    """Render the board's kernel constants (`board.rs`, mounted as `crate::board`) and its linker
    script (`link.ld`: MEMORY from the table + kernel/link/common.ld.in) from kernel/boards.toml
    into `out/boards/<board>/`, rewriting only files whose content changed; returns that
    directory."""
    from bkport.boards import render_linker_script, render_rust

    d = out / "boards" / b.name
    write_if_changed(d / "board.rs", render_rust(b))
    write_if_changed(d / "link.ld", render_linker_script(b))
    return d


def _c_object(app: Path, b: Board, gen: Path, work: Path) -> Path:
    """A freestanding C app (no libc) against the generated <bk/syscall.h>."""
    clang = shutil.which("clang")
    if clang is None:
        raise ToolchainError("clang not found: apt package 'clang'")
    obj = work / "app.o"
    argv = [clang, f"--target={b.clang_target}", *b.clang_flags, "-ffreestanding",
            "-fno-builtin", "-nostdlib", "-O2", "-Wall", "-I", str(gen / "user")]
    try:
        compile_many([CompileJob(app, obj, argv)])
    except CompileFailed as e:
        raise ToolchainError(f"clang failed: {' '.join(e.failures[0].job.command())}\n"
                             f"{e.output[-4000:]}") from None
    return obj


def _sysroot_libs(root: Path, target: str) -> list[Path]:
    return sorted((root / "lib" / "rustlib" / target / "lib").glob("*.rlib"))


def _rustc_cached(args: list[str], out: Path, emit: str, deps: Sequence[Path] = (),
                  env: dict[str, str] | None = None, what: str = "",
                  say: str | None = None) -> bool:
    """`_rustc` redone only when the command line, the environment it reads or the content of a
    file it read changed: rustc's dep-info lists the sources, `deps` names the rest (libraries,
    objects and linker scripts it links). Returns whether rustc ran."""
    env = env or _env()
    dep = out.with_name(out.name + ".d")
    full = [*args, "--emit", f"{emit},dep-info={dep}"]
    key = [RUSTC, "--edition", "2021", *full,
           *(f"{k}={env[k]}" for k in ("RUSTC_BOOTSTRAP", "BK_GEN_MODS") if k in env)]

    def run() -> list[str]:
        if say:
            note(say)
        _rustc(full, env, what)
        return [*read_depfile(dep), *(t for t in (executable(RUSTC),) if t)]

    return run_cached(out, key, run, deps)


def _app_object(app: Path, target: str, root: Path, gen: Path, work: Path) -> Path:
    if app.suffix in (".o", ".a", ".obj"):
        return app
    main = app / "main.rs" if app.is_dir() else app
    if not main.exists():
        raise KernelInputError(f"app {app}: no main.rs")
    crate_root = work / "app_root.rs"
    write_if_changed(crate_root, (
        "// @generated by porter/kernel/build.py: crate root of a validation-kernel Rust app\n"
        "#![no_std]\n"
        "#![allow(dead_code, unused_macros, unused_imports, clippy::all)]\n"
        f'#[path = "{gen / "user" / "bk_syscall.rs"}"]\n'
        "#[macro_use]\npub mod bk_syscall;\n"
        f'#[path = "{kernel_dir() / "src" / "abi.rs"}"]\npub mod abi;\n'
        f'#[path = "{main.resolve()}"]\nmod app;\n'
    ))
    obj = work / "app.o"
    _rustc_cached(["--crate-type", "lib", "--crate-name", "bkapp", "--target", target,
                   "--sysroot", str(root), "-C", "opt-level=2", "-C", "panic=abort",
                   "-C", "codegen-units=1", "-C", "debuginfo=0", str(crate_root),
                   "-o", str(obj)], obj, "obj", _sysroot_libs(root, target),
                  say=f"compiling the Rust app {display(app)}")
    return obj


def build(board_name: str, app: Path | str | None = None, out: Path | None = None,
          link_args: Sequence[str] = (), cfgs: Sequence[str] = ()) -> Image:
    """Build the image of `app` for a board. `link_args` go to the linker as they are (e.g. a
    `-T` fragment or libraries the app needs). `cfgs` are extra `--cfg` names for the kernel
    crate: the tests' fault-injection switches (`bk_test_boot_tick`), never set in a release
    build; give such a build its own `out`."""
    b = board(board_name)
    arch, target = b.arch.name, b.rust_target
    out = Path(out) if out else build_dir()
    if app is not None and str(app) in BUILTIN_APPS:
        app_name = str(app)
        if app_name == "fuzz":
            app = fuzzgen.generate(out / "gen", b.arch.word_bits, set(GATES))
        elif app_name == "c_smoke":
            app = kernel_dir() / "apps" / app_name / "main.c"
        else:
            app = kernel_dir() / "apps" / app_name
    else:
        app = Path(app) if app else default_app()
        if not app.exists():
            raise KernelInputError(f"app {app} does not exist (built-in apps: "
                                   f"{', '.join(sorted(BUILTIN_APPS))})")
        app_name = app.stem if app.suffix else app.name
    work = out / board_name / app_name
    work.mkdir(parents=True, exist_ok=True)
    root = sysroot(target)
    gen = generate(arch, out / "gen")
    board_gen = generate_board(b, out / "gen")
    kdir = kernel_dir()

    rt = work / "libbkrt.rlib"
    libs = _sysroot_libs(root, target)
    _rustc_cached(["--crate-type", "rlib", "--crate-name", "bkrt", "--target", target,
                   "--sysroot", str(root), "-C", "opt-level=2", "-C", "panic=abort",
                   "-C", "debuginfo=0", str(kdir / "rt" / "lib.rs"), "-o", str(rt)],
                  rt, "link", libs)

    if app.suffix == ".c":
        obj = _c_object(app, b, gen, work)
    else:
        obj = _app_object(app, target, root, gen, work)

    mods = work / "gen_mods.rs"
    write_if_changed(mods, (
        "// @generated by porter/kernel/build.py: mounts the generated syscall table and the\n"
        "// board's constants\n"
        f'#[path = "{gen / "kernel" / "syscall_table.rs"}"]\npub mod syscall_table;\n'
        f'#[path = "{gen / "kernel" / "stub_handlers.rs"}"]\npub mod stub_handlers;\n'
        f'#[path = "{board_gen / "board.rs"}"]\npub mod board;\n'
    ))
    elf = work / "kernel.elf"
    env = _env()
    env["BK_GEN_MODS"] = str(mods)
    features = [a for g in GATES for a in ("--cfg", f'feature="{g}"')]
    linker = shutil.which("rust-lld") or "rust-lld"
    # what the link reads besides the sources rustc lists: the objects, libraries and linker
    # scripts it is handed (link_args may name files too)
    inputs = [rt, Path(obj), *libs, board_gen / "link.ld",
              *(p for la in link_args for p in (Path(la), Path(la.removeprefix("-T")))
                if p.is_file()),
              *(t for t in (executable(linker),) if t)]
    _rustc_cached(["--crate-type", "bin", "--crate-name", "bkkernel", "--target", target,
                   "--sysroot", str(root), "-C", "opt-level=s", "-C", "panic=abort",
                   "-C", "codegen-units=1", "-C", "debuginfo=0",
                   "--cfg", f'bk_arch="{arch}"', *features,
                   *(a for c in cfgs for a in ("--cfg", c)),
                   "--extern", f"bkrt={rt}", "-L", str(rt.parent),
                   "-C", f"linker={linker}", "-C", "linker-flavor=ld.lld",
                   "-C", f"link-arg=-T{board_gen / 'link.ld'}",
                   "-C", f"link-arg={obj}", "-C", "link-arg=--gc-sections",
                   # marks the image with the board it is linked for (bkport.kernel.elfimage)
                   "-C", f"link-arg=--defsym={board_marker(board_name)}=1",
                   *(a for la in link_args for a in ("-C", f"link-arg={la}")),
                   str(kdir / "src" / "main.rs"), "-o", str(elf)], elf, "link", inputs, env=env,
                  what=f"{display(Path(app))} for {board_name}",
                  say=f"compiling and linking the kernel for {board_name} -> {display(elf)}")
    return Image(board_name, elf, app_name, elfsize.sizes(elf))

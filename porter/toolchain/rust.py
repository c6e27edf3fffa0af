"""Bare-metal Rust with Debian's rustc: `core`/`alloc` compiled from rust-src, cached per target.

The rustup toolchains on our machines carry no bare-metal targets and cannot download any, so we
build the sysroot ourselves (RUSTC_BOOTSTRAP lets the stable compiler build `core`). The result
is cached under the bkport cache, keyed by the compiler version and target.
"""

from __future__ import annotations

import difflib
import fcntl
import hashlib
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

from bkport.errors import ToolchainError
from bkport.paths import cache_dir
from bkport.toolchain.progress import note

RUSTC = os.environ.get("BKPORT_RUSTC", "/usr/bin/rustc")
RUST_SRC = Path(os.environ.get("BKPORT_RUST_SRC", "/usr/lib/rustlib/src/rust/library"))

# Provides the memcpy/memset family and friends that `core` expects when linking.
_BUILTINS_SRC = """\
#![no_std]
#![compiler_builtins]
#![feature(compiler_builtins)]
#![allow(clippy::missing_safety_doc)]
// Minimal compiler_builtins: bkport's kernels link C (picolibc) or define their own mem* routines.
"""


def rustc_version() -> str:
    if not Path(RUSTC).exists():
        raise ToolchainError(
            f"Debian rustc not found at {RUSTC}: run scripts/setup.sh (apt package 'rustc')"
        )
    out = subprocess.run([RUSTC, "--version"], capture_output=True, text=True, check=True)
    return out.stdout.strip()


@cache
def known_targets() -> frozenset[str]:
    """The targets this rustc can build `core` for (`rustc --print target-list`)."""
    rustc_version()  # a clear error when rustc is missing
    out = subprocess.run([RUSTC, "--print", "target-list"], capture_output=True, text=True,
                         check=True)
    return frozenset(out.stdout.split())


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["RUSTC_BOOTSTRAP"] = "1"
    return env


def _run(cmd: list[str]) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, env=_env())
    if proc.returncode != 0:
        raise ToolchainError(f"command failed: {' '.join(cmd)}\n{proc.stderr[-4000:]}")


def sysroot(target: str, with_alloc: bool = True) -> Path:
    """Return a sysroot holding libcore (+ liballoc, compiler_builtins) for `target`."""
    if not (RUST_SRC / "core/src/lib.rs").exists():
        raise ToolchainError(f"rust-src not found at {RUST_SRC}: apt package 'rust-src'")
    key = hashlib.sha256(f"{rustc_version()}|{target}|{with_alloc}".encode()).hexdigest()[:16]
    root = cache_dir() / "rust-sysroot" / f"{target}-{key}"
    done = root / ".complete"
    if done.exists():
        return root
    if target not in known_targets():
        # a board's rust_target (kernel/boards.toml) this compiler lacks: say so, instead of
        # rustc's "could not find specification for target" from deep inside the core build
        near = difflib.get_close_matches(target, sorted(known_targets()), n=3)
        similar = f"; similar: {', '.join(near)}" if near else ""
        raise ToolchainError(f"{rustc_version()} has no target {target!r} (the rust_target of "
                             f"kernel/boards.toml){similar}")
    root.parent.mkdir(parents=True, exist_ok=True)
    # One builder per sysroot: threads of one process (parallel kernel builds) and other
    # processes wait for it instead of racing in the same temporary directory.
    with open(root.with_name(root.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if done.exists():
            return root
        note(f"building the Rust core library for {target} (first time, ~2 min; cached in "
             f"{root.parent})")
        return _build_sysroot(target, with_alloc, root)


def _build_sysroot(target: str, with_alloc: bool, root: Path) -> Path:
    tmp_root = root.with_name(root.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp_root, ignore_errors=True)
    tmp_lib = tmp_root / "lib" / "rustlib" / target / "lib"
    tmp_lib.mkdir(parents=True)
    common = [RUSTC, "--edition", "2021", "--target", target, "-C", "opt-level=2",
              "-C", "panic=abort", "-C", "debuginfo=0", "--crate-type", "rlib",
              "-L", str(tmp_lib), "--cap-lints", "allow"]
    _run(common + ["--crate-name", "core", "-Z", "force-unstable-if-unmarked",
                   str(RUST_SRC / "core/src/lib.rs"), "-o", str(tmp_lib / "libcore.rlib")])
    cb = tmp_root / "compiler_builtins.rs"
    cb.write_text(_BUILTINS_SRC)
    _run(common + ["--crate-name", "compiler_builtins", "-Z", "force-unstable-if-unmarked",
                   "--extern", f"core={tmp_lib / 'libcore.rlib'}",
                   str(cb), "-o", str(tmp_lib / "libcompiler_builtins.rlib")])
    if with_alloc:
        _run(common + ["--crate-name", "alloc", "-Z", "force-unstable-if-unmarked",
                       "--extern", f"core={tmp_lib / 'libcore.rlib'}",
                       "--extern", f"compiler_builtins={tmp_lib / 'libcompiler_builtins.rlib'}",
                       str(RUST_SRC / "alloc/src/lib.rs"), "-o", str(tmp_lib / "liballoc.rlib")])
    (tmp_root / ".complete").write_text(rustc_version() + "\n")
    root.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(tmp_root, root)
    except OSError:
        # Another process finished first; keep theirs.
        shutil.rmtree(tmp_root, ignore_errors=True)
    return root


def compile_check(src: Path, target: str, out_dir: Path, crate_name: str = "gen",
                  extra: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    """Compile `src` as a no_std rlib for `target`; return the finished process (not raised)."""
    root = sysroot(target)
    out_dir.mkdir(parents=True, exist_ok=True)
    cmd = [RUSTC, "--edition", "2021", "--target", target, "--sysroot", str(root),
           "--crate-type", "rlib", "--crate-name", crate_name, "-C", "panic=abort",
           "-D", "warnings", "--out-dir", str(out_dir), str(src)] + (extra or [])
    return subprocess.run(cmd, capture_output=True, text=True, env=_env())

"""The generated code compiles for the three targets: Rust with Debian rustc + core built from
rust-src, C with clang against picolibc. Object code is produced, so the trap asm is checked too."""

import subprocess
from pathlib import Path

import pytest
from bkport.syscalls import load_table
from bkport.syscalls.gen import generate_all
from bkport.toolchain import clang, rust
from bkport.toolchain.targets import ARCHES

pytestmark = pytest.mark.toolchain

KERNEL_ROOT = """\
#![no_std]
#[path = "{dir}/syscall_table.rs"]
mod syscall_table;
#[path = "{dir}/stub_handlers.rs"]
mod stub_handlers;
mod uaccess {{
    pub fn check_user(addr: usize, len: usize, _write: bool) -> bool {{
        addr.checked_add(len).is_some()
    }}
}}
mod syscall_handlers {{
    pub use crate::stub_handlers::*;
}}
pub fn entry(ctx: &syscall_table::Context) -> usize {{
    syscall_table::dispatch_syscall(ctx)
}}
"""

USER_ROOT = """\
#![no_std]
#[path = "{dir}/bk_syscall.rs"]
mod bk_syscall;
use bk_syscall::bk_syscall;
pub fn write_hello(buf: &[u8]) -> usize {{
    unsafe {{ bk_syscall!(Write, 1, buf.as_ptr(), buf.len()) }}
}}
pub fn nop() -> bool {{
    bk_syscall::is_error(unsafe {{ bk_syscall!(Nop) }})
}}
pub fn six(a: usize) -> usize {{
    unsafe {{ bk_syscall!(Sendto, a, a, a, a, a, a) }}
}}
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen")
    generate_all(load_table(), list(ARCHES), out)
    return out


@pytest.mark.parametrize("arch", list(ARCHES))
@pytest.mark.parametrize("gates", [(), ("enable_vfs", "enable_net")], ids=["gates-off", "gates-on"])
def test_generated_kernel_rust_compiles(generated, tmp_path, arch, gates):
    root = tmp_path / "lib.rs"
    root.write_text(KERNEL_ROOT.format(dir=generated / arch / "kernel"))
    cfg = [x for g in gates for x in ("--cfg", f'feature="{g}"')]
    proc = rust.compile_check(root, ARCHES[arch].rust_target, tmp_path / "out", extra=cfg)
    assert proc.returncode == 0, proc.stderr
    assert list((tmp_path / "out").glob("*.rlib"))


@pytest.mark.parametrize("arch", list(ARCHES))
def test_generated_user_rust_compiles(generated, tmp_path, arch):
    root = tmp_path / "lib.rs"
    root.write_text(USER_ROOT.format(dir=generated / arch / "user"))
    proc = rust.compile_check(root, ARCHES[arch].rust_target, tmp_path / "out",
                              extra=["-C", "opt-level=2"])
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("arch", list(ARCHES))
def test_generated_c_header_compiles_and_traps(generated, tmp_path, arch):
    table = load_table()
    names = [c.name for c in table.calls if c.on(arch)]
    src = tmp_path / "use_all.c"
    src.write_text(
        "#include <bk/syscall.h>\n"
        "void *const bk_all[] = {\n" + "".join(f"    (void *)bk_{n},\n" for n in names) + "};\n"
        "long hello(void) { static const unsigned char m[] = \"hi\\n\";"
        " return bk_write(1, m, 3); }\n"
    )
    obj = tmp_path / "use_all.o"
    proc = clang.compile_c(src, arch, obj, extra=["-I", str(generated / arch / "user")])
    assert proc.returncode == 0, proc.stderr
    dis = subprocess.run(["llvm-objdump", "-d", str(obj)], capture_output=True, text=True).stdout
    trap = "ecall" if arch == "riscv64" else "svc"
    assert trap in dis
    if arch == "cortex-m":
        # The number travels in r7, saved around the trap (Thumb's frame pointer).
        assert "mov\tr7, r6" in dis and "push\t{r7}" in dis


def test_compile_failure_is_reported(tmp_path):
    bad = tmp_path / "lib.rs"
    bad.write_text("#![no_std]\npub fn f() -> u32 { \"not a number\" }\n")
    proc = rust.compile_check(bad, ARCHES["riscv64"].rust_target, tmp_path / "out")
    assert proc.returncode != 0 and "mismatched types" in proc.stderr

"""The kernel core (kernel/core/: cpio parser, free-list allocator, run queues, file system, file
data, pipes) built for the host with Debian's rustc and its unit tests run, the same files the
kernel image mounts."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from bkport.kernel.build import kernel_dir
from bkport.toolchain.rust import RUSTC

CORE = kernel_dir() / "core"


def _modules() -> list[str]:
    return re.findall(r"^pub mod (\w+);", (CORE / "mod.rs").read_text(), re.M)


@pytest.fixture(scope="module")
def core_tests(tmp_path_factory) -> Path:
    if not Path(RUSTC).exists():
        pytest.fail(f"{RUSTC} is not installed: run scripts/setup.sh")
    exe = tmp_path_factory.mktemp("kcore") / "kcore-tests"
    # The kernel's edition; debug assertions on so arithmetic overflow panics instead of wrapping.
    cmd = [RUSTC, "--edition", "2021", "--test", "-D", "warnings", "-C", "opt-level=1",
           "-C", "debug-assertions=on", str(CORE / "host.rs"), "-o", str(exe)]
    proc = subprocess.run(cmd, capture_output=True, text=True,
                          env={**os.environ, "RUSTC_BOOTSTRAP": "1"})
    assert proc.returncode == 0, f"{' '.join(cmd)}\n{proc.stderr[-6000:]}"
    return exe


@pytest.mark.toolchain
def test_core_unit_tests_pass_on_the_host(core_tests: Path):
    proc = subprocess.run([str(core_tests), "--test-threads", "2"], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    passed = re.findall(r"^test kcore::(\w+)::tests::(\w+) \.\.\. ok$", proc.stdout, re.M)
    by_module: dict[str, int] = {}
    for module, _ in passed:
        by_module[module] = by_module.get(module, 0) + 1
    # every module of the core has tests, and none was skipped
    assert sorted(by_module) == sorted(_modules())
    assert all(n >= 4 for n in by_module.values()), by_module
    assert re.search(rf"test result: ok\. {len(passed)} passed; 0 failed; 0 ignored", proc.stdout)


def test_core_files_use_no_kernel_state():
    """The layering rule of kernel/core/mod.rs: core files see `core`, `alloc` and each other."""
    for f in sorted(CORE.glob("*.rs")):
        code = "\n".join(line.split("//")[0] for line in f.read_text().splitlines())
        assert "crate::" not in code, f"{f.name} reaches into the kernel"
    assert set(_modules()) == {f.stem for f in CORE.glob("*.rs")} - {"mod", "host"}

"""Kernel tests: each (board, app) image is built once per session, builds run in parallel."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest
from bkport.toolchain.targets import BOARDS

BOARD_NAMES = sorted(BOARDS)
APPS = ("ktest", "fuzz", "hello", "c_smoke")


def _need_tools() -> None:
    for tool in ("rust-lld", "qemu-system-arm", "qemu-system-aarch64", "qemu-system-riscv64"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed: run scripts/setup.sh")


@pytest.fixture(scope="session")
def kernel_images(tmp_path_factory):
    """(board, app) -> Image, for every board and built-in app."""
    _need_tools()
    from bkport.kernel.build import build

    out = tmp_path_factory.mktemp("kernel-build")
    # Generate once up front so parallel builds do not race on the shared generated files.
    build(BOARD_NAMES[0], "hello", out)
    jobs = [(b, a) for b in BOARD_NAMES for a in APPS]
    with ThreadPoolExecutor(max_workers=2) as pool:
        images = dict(zip(jobs, pool.map(lambda j: build(j[0], j[1], out), jobs), strict=True))
    return images


@pytest.fixture(params=BOARD_NAMES)
def board(request) -> str:
    return request.param

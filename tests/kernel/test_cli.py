"""`bkport kernel build` and `bkport run` as a user calls them."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.qemu


def bkport(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bkport.cli", *args], capture_output=True,
                          **kw)


def test_build_prints_image_and_sizes(tmp_path):
    p = bkport("kernel", "build", "--board", "qemu_riscv64", "--app", "hello",
               "--out", str(tmp_path), text=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip().endswith("kernel.elf")
    assert "text " in p.stderr and "bss " in p.stderr


def test_build_rejects_unknown_app(tmp_path):
    p = bkport("kernel", "build", "--board", "qemu_riscv64", "--app", "nope",
               "--out", str(tmp_path), text=True)
    assert p.returncode != 0
    assert "does not exist" in p.stderr


def test_run_passes_status_output_and_files(kernel_images, tmp_path):
    img = kernel_images[("qemu_riscv64", "ktest")].path
    files = tmp_path / "in_root"
    (files / "in").mkdir(parents=True)
    (files / "in" / "data.txt").write_bytes(b"from the host\n")
    (files / "in" / "gone.txt").write_bytes(b"x")
    (tmp_path / "stdin").write_bytes(b"input\n")
    out = tmp_path / "out"
    p = bkport("run", "--board", "qemu_riscv64", "--files", str(files), "--out", str(out),
               "--stdin", str(tmp_path / "stdin"), "--env", "A=1", str(img), "--", "files",
               "two words")
    assert p.returncode == 0, p.stdout + p.stderr
    assert b" checks, 0 failed" in p.stdout
    assert (out / "out" / "report.txt").read_bytes() == b"argc=3\n"
    assert not (out / "in" / "gone.txt").exists()


@pytest.mark.parametrize(("mode", "status"), [("exit42", 42), ("hang", 124), ("fault", 125)])
def test_run_statuses(kernel_images, mode, status):
    img = kernel_images[("qemu_mps2_an385", "ktest")].path
    p = bkport("run", "--board", "qemu_mps2_an385", "--timeout", "3", str(img), "--", mode)
    assert p.returncode == status, p.stderr


@pytest.mark.parametrize(("console", "want"), [("tty", b"console: chr\n"), ("pipe", b"console: fifo\n")])
def test_run_console_kind_cwd_and_streams(kernel_images, tmp_path, console, want):
    img = kernel_images[("qemu_riscv64", "c_smoke")].path
    (tmp_path / "root" / "w").mkdir(parents=True)
    p = bkport("run", "--board", "qemu_riscv64", "--console", console, "--files",
               str(tmp_path / "root"), "--cwd", "/w", str(img), "--", "streams")
    assert p.returncode == 0, p.stderr
    assert p.stdout == b"out1\ndle\x10\x10!\n/w\n" + want
    assert p.stderr == b"err1\nerr2\n"

"""`bkport build` from the command line: compiler errors come through as clang printed them,
and a successful build writes the image where -o says and reports its sizes."""

import subprocess
import sys
from pathlib import Path

import pytest
from bkport.appbuild.cli import app_sources

BKPORT = [sys.executable, "-m", "bkport.cli"]


def bkport(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*BKPORT, *args], cwd=cwd, capture_output=True, text=True)


@pytest.mark.toolchain
def test_compiler_errors_are_shown_verbatim(tmp_path):
    (tmp_path / "bad.c").write_text("int main(void)\n{\n    return undefined_x;\n}\n")
    r = bkport("build", "--board", "qemu_riscv64", "bad.c", "--build-dir", str(tmp_path / "b"),
               cwd=tmp_path)
    assert r.returncode == 1
    assert "bad.c:3:12: error: use of undeclared identifier 'undefined_x'" in r.stderr
    assert "    return undefined_x;" in r.stderr  # the source line and caret, as clang prints
    assert "compilation failed" in r.stderr


def test_app_folder_sources(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "include").mkdir()
    for p in ("main.c", "src/util.c", "notes.txt"):
        (tmp_path / p).write_text("")
    srcs, incs = app_sources(tmp_path)
    assert [s.relative_to(tmp_path).as_posix() for s in srcs] == ["main.c", "src/util.c"]
    assert incs == [f"-I{tmp_path / 'include'}", f"-I{tmp_path}"]


@pytest.mark.qemu
def test_build_writes_image_and_sizes(tmp_path):
    (tmp_path / "hi.c").write_text('#include <stdio.h>\nint main(void) { puts("hi"); return 7; }\n')
    r = bkport("build", "--board", "qemu_mps2_an385", "hi.c", "-o", "hi.elf", "--build-dir",
               str(tmp_path / "b"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "hi.elf").exists()
    assert r.stdout.strip() == "hi.elf"
    assert "qemu_mps2_an385: text " in r.stderr and "image footprint" in r.stderr
    run = bkport("run", "--board", "qemu_mps2_an385", "hi.elf", cwd=tmp_path)
    assert run.returncode == 7 and "hi\n" in run.stdout

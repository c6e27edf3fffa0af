"""The printf_float conformance program's glibc column is glibc's: the program built with the
host's gcc and glibc must pass every row (on the boards it checks picolibc's column)."""

import shutil
import subprocess

from bkport.appbuild.conformance import conformance_dir


def test_printf_table_matches_host_glibc(tmp_path):
    gcc = shutil.which("gcc")
    assert gcc, "gcc is needed"
    exe = tmp_path / "printf_float"
    src = conformance_dir() / "printf_float.c"
    build = subprocess.run([gcc, "-O2", "-Wall", "-Wextra", "-Werror", f"-I{conformance_dir()}",
                            "-o", str(exe), str(src)], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    run = subprocess.run([str(exe)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout
    assert "not ok" not in run.stdout

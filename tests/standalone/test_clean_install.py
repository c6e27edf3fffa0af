"""bkport stands alone: an export of the repository with nothing beside it, installed
non-editable into a fresh venv, runs every command from an unrelated directory and writes nothing
into its own installed package.

The export is the tracked files as they are in the work tree (so a developer's uncommitted change
is what gets tested); CI's fresh clone makes it the submission itself.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.standalone

HELLO_C = r"""
#include <stdio.h>
int main(int argc, char **argv) {
    printf("hello from %s with %d args\n", argv[0], argc);
    return 3;
}
"""

PROJECT_C = r"""
#include <stdio.h>
#include <unistd.h>
#include <sys/stat.h>
int main(int argc, char **argv) {
    struct stat st;
    if (argc > 0 && stat(argv[0], &st) == 0 && S_ISREG(st.st_mode)) puts("regular");
    if (fork() == 0) execl("/bin/true", "true", (char *)0);
    fflush(stdout);
    fclose(stdout);
    return 0;
}
"""


def _tree_digest(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_size for p in sorted(root.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    base = tmp_path_factory.mktemp("standalone")
    src = base / "export" / "bkport"
    files = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True,
                           check=True).stdout.decode().split("\0")
    for rel in filter(None, files):
        if (REPO / rel).is_file():
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, src / rel)
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                          "--disable-pip-version-check", str(src)],
                         capture_output=True, text=True)
    assert pip.returncode == 0, pip.stderr[-3000:]
    site = Path(subprocess.run([str(venv / "bin" / "python"), "-c",
                                "import bkport, pathlib; print(pathlib.Path(bkport.__file__)"
                                ".parent)"], capture_output=True, text=True,
                               check=True).stdout.strip())
    # The source export goes away: the installed package must not need it.
    shutil.rmtree(base / "export")
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    return {"bin": venv / "bin" / "bkport", "site": site, "cwd": elsewhere, "base": base,
            "before": _tree_digest(site)}


def run(inst, *args, check=True, timeout=900):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BKPORT_")}
    env["BKPORT_WORK"] = str(inst["base"] / "work")
    p = subprocess.run([str(inst["bin"]), *args], cwd=inst["cwd"], capture_output=True,
                       text=True, env=env, timeout=timeout)
    if check:
        assert p.returncode == 0, f"bkport {' '.join(args)}: {p.returncode}\n{p.stderr[-3000:]}"
    return p


def test_installs_one_top_level_package(installed):
    site_packages = installed["site"].parent
    ours = [p.name for p in site_packages.iterdir() if p.name in ("porter", "syscalls")]
    assert ours == []
    assert (installed["site"] / "blueos" / "data" / "syscalls.tsv").is_file()
    assert (installed["site"] / "_data" / "kernel" / "src").is_dir()


def test_syscalls_check_and_diff_against_the_snapshot(installed):
    p = run(installed, "syscalls", "check")
    assert p.stdout.startswith("ok: ") and "70 numbers locked" in p.stdout


def test_posix_coverage(installed):
    p = run(installed, "posix", "coverage", "--format", "json")
    data = json.loads(p.stdout)
    assert data["schema"] == "bkport.posix-coverage/1"
    assert {"blueos", "bkport"} <= set(json.dumps(data).split('"'))


def test_analyze_a_small_project_with_the_default_profile(installed):
    proj = installed["cwd"] / "proj"
    proj.mkdir()
    (proj / "main.c").write_text(PROJECT_C)
    run(installed, "analyze", "proj", "--no-build", "--format", "json", "-o", "a.json")
    data = json.loads((installed["cwd"] / "a.json").read_text())
    status = {a["api"]: a["status"] for a in data["apis"]}
    assert data["profile"] == "blueos"
    assert status["fork"] == "unsupported" and status["execl"] == "unsupported"
    for ok in ("fclose", "fflush", "S_ISREG", "stat", "puts"):
        assert status[ok] == "supported", (ok, status[ok])


@pytest.mark.toolchain
@pytest.mark.qemu
def test_build_and_run_a_c_program(installed):
    (installed["cwd"] / "hello.c").write_text(HELLO_C)
    run(installed, "build", "--board", "qemu_riscv64", "hello.c", "-o", "hello.elf")
    p = run(installed, "run", "--board", "qemu_riscv64", "hello.elf", "--", "a", "b",
            check=False)
    assert "hello from" in p.stdout and "with 3 args" in p.stdout, p.stderr
    assert p.returncode == 3, p.stderr


def test_report_of_the_current_release(installed):
    p = run(installed, "report", "--release", "0.1.0")
    out = installed["base"] / "work" / "compliance" / "0.1.0"
    assert str(out) in p.stdout + p.stderr
    data = json.loads((out / "report.json").read_text())
    assert data["release"] == "0.1.0"
    assert data["conformance"], "the shipped 0.1.0 results are read"


@pytest.mark.busybox
def test_analyze_busybox_with_the_default_profile(installed):
    """The README's main job, from the installed package: busybox from Debian's source package,
    and BlueOS's verdicts on the calls a porter checks first."""
    run(installed, "analyze", "--format", "json", "-o", "busybox.json", timeout=1800)
    data = json.loads((installed["cwd"] / "busybox.json").read_text())
    assert data["profile"] == "blueos" and data["targets"]["count"] == 399
    apis = {a["api"]: a for a in data["apis"]}
    for name in ("fclose", "fflush", "write", "S_ISREG", "errno"):
        assert apis[name]["status"] == "supported", (name, apis[name])
        assert apis[name]["targets_blocked"] == 0
    assert apis["exit"]["status"] == "partial" and "newlib" in apis["exit"]["note"]
    assert apis["fork"]["status"] == "unsupported"


def test_nothing_was_written_into_the_installed_package(installed):
    # runs last in this module: every command above has had its chance to write
    assert _tree_digest(installed["site"]) == installed["before"]
    assert not (installed["cwd"] / "build").exists()

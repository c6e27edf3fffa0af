"""`bkport shim` and control flow: the setjmp family is never shimmed, and a function that never
returns gets a stub that reports and ends the program, never one that returns."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bkport.cli import cli
from bkport.errors import InputError
from bkport.shim.generate import load_control
from click.testing import CliRunner

from .documents import analysis

JUMPS = ["setjmp", "_setjmp", "sigsetjmp", "longjmp", "_longjmp", "siglongjmp"]
# (api, the analysis's advice): a fake or stub advice must not make them return either.
NORETURN = [("exit", "fake"), ("_exit", "stub"), ("_Exit", "stub"), ("abort", "fake"),
            ("pthread_exit", "stub"), ("quick_exit", "stub")]

ANALYSIS = analysis(
    [{"api": n, "status": "unsupported", "kinds": ["call"], "action": "implement"}
     for n in JUMPS]
    + [{"api": n, "status": "unsupported", "kinds": ["call"], "action": a} for n, a in NORETURN]
    + [{"api": "fork", "status": "unsupported", "kinds": ["call"], "action": "alternative"}],
)


@pytest.fixture
def generated(tmp_path) -> Path:
    src = tmp_path / "analysis.json"
    src.write_text(json.dumps(ANALYSIS))
    result = CliRunner().invoke(cli, ["shim", str(src), "--out", str(tmp_path / "out"),
                                      "--no-compile"])
    assert result.exit_code == 0, result.output
    return tmp_path / "out"


def test_setjmp_family_is_never_shimmed(generated):
    summary = json.loads((generated / "shims.json").read_text())
    skipped = {s["api"]: s["reason"] for s in summary["skipped"]}
    assert set(JUMPS) <= set(skipped)
    for name in JUMPS:
        assert not (generated / "c" / f"{name}.c").exists(), name
        assert "no shim can stand in for it" in skipped[name]
    assert "posix/layer/src/setjmp.c" in skipped["_longjmp"]
    assert not {s["api"] for s in summary["shims"]} & set(JUMPS)


def test_noreturn_functions_get_a_stub_that_never_returns(generated):
    summary = json.loads((generated / "shims.json").read_text())
    shims = {s["api"]: s for s in summary["shims"]}
    for name, _ in NORETURN:
        assert (shims[name]["strategy"], shims[name]["argument"]) == ("stub", "noreturn"), name
        text = (generated / "c" / f"{name}.c").read_text()
        body = re.sub(r"/\*.*?\*/", "", text[text.index("{", text.index(f" {name}(")):],
                      flags=re.S)
        assert re.search(rf"_Noreturn void {name}\(", text), name
        assert not re.search(r"\breturn\b", body), f"{name} shim returns:\n{text}"
        assert "__builtin_trap();" in body and "is not supported on BlueOS" in body
    assert "abort();" in (generated / "c" / "pthread_exit.c").read_text()
    assert "abort();" in (generated / "c" / "exit.c").read_text()
    # abort() itself must not call abort(), nor _exit call anything that ends in _exit.
    assert "_exit(128 + SIGABRT);" in (generated / "c" / "abort.c").read_text()
    assert "abort();" not in (generated / "c" / "_exit.c").read_text()
    # An ordinary stub still returns its failure.
    assert "return (pid_t)-1;" in (generated / "c" / "fork.c").read_text()


def test_every_listed_api_has_an_answer_and_a_reason():
    control = load_control()
    assert {n for n, c in control.items() if c.answer == "none"} == set(JUMPS)
    assert {n for n, _ in NORETURN} <= {n for n, c in control.items() if c.answer == "abort"}
    assert all(c.why for c in control.values())


def test_bad_control_line_is_located(tmp_path):
    bad = tmp_path / "control.tsv"
    bad.write_text("# api\tanswer\twhy\nexit\tabort\tok\nexit\treturn\tno\n")
    with pytest.raises(InputError) as exc:
        load_control.__wrapped__(bad)
    assert "control.tsv:3:1: expected 3 tab-separated columns" in str(exc.value)


@pytest.mark.toolchain
def test_noreturn_stubs_compile_without_warnings_for_the_three_targets(tmp_path):
    """-Werror: clang warns when a _Noreturn function can return."""
    src = tmp_path / "analysis.json"
    src.write_text(json.dumps(ANALYSIS))
    result = CliRunner().invoke(cli, ["shim", str(src), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "compiled 7 shim file(s) for cortex-m, aarch64, riscv64: 21 ok, 0 failed" \
        in result.output


HOST_MAIN = r"""
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv) {
    if (!strcmp(argv[1], "pthread_exit"))
        pthread_exit(NULL);
    if (!strcmp(argv[1], "abort"))
        abort();
    if (!strcmp(argv[1], "exit"))
        exit(0);
    return 0;
}
"""


def test_noreturn_stubs_end_the_program_on_the_host(generated, tmp_path):
    """Host gcc + glibc: the shims override the libc functions, as they do on the boards."""
    gcc = shutil.which("gcc")
    assert gcc, "gcc is needed"
    main = tmp_path / "main.c"
    main.write_text(HOST_MAIN)
    for name, want in [("pthread_exit", -6), ("exit", -6), ("abort", 134)]:
        exe = tmp_path / name
        build = subprocess.run([gcc, "-Wall", "-Werror", "-o", str(exe), str(main),
                                str(generated / "c" / f"{name}.c")],
                               capture_output=True, text=True)
        assert build.returncode == 0, build.stderr
        run = subprocess.run([str(exe), name], capture_output=True, text=True)
        assert run.returncode == want, (name, run.returncode, run.stderr)
        assert run.stderr == f"bkport: {name}() is not supported on BlueOS: ending the program\n"

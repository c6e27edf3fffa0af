"""The newlib snapshot: members read from a real static library, and the hooks a function reaches
follow newlib's own references, stopping at what librs provides."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from bkport.blueos.facts import Provenance
from bkport.blueos.newlib import load_newlib, read_archive, read_headers, render, render_headers

SOURCES = {
    "fmt.c": "int _write(int, const void *, unsigned);\n"
             "int put(const char *s) { return _write(1, s, 1); }\n",
    "top.c": "int put(const char *);\nint sayhi(void) { return put(\"hi\"); }\n",
    "pure.c": "int twice(int x) { return 2 * x; }\n",
    "proc.c": "int _fork(void); int _wait(int *);\n"
              "int run(void) { int st; if (_fork() == 0) return 0; return _wait(&st); }\n",
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    clang, ar = shutil.which("clang"), shutil.which("llvm-ar") or shutil.which("llvm-ar-14")
    if not clang or not ar:
        pytest.fail("clang and llvm-ar are needed: run scripts/setup.sh")
    d = tmp_path_factory.mktemp("newlib")
    objs = []
    for name, text in SOURCES.items():
        (d / name).write_text(text)
        obj = d / name.replace(".c", ".o")
        subprocess.run([clang, "--target=thumbv7m-none-eabi", "-O1", "-c", str(d / name), "-o",
                        str(obj)], check=True)
        objs.append(str(obj))
    subprocess.run([ar, "rcs", str(d / "libc.a"), *objs], check=True)
    inc = d / "include"
    (inc / "sys").mkdir(parents=True)
    (inc / "stdio.h").write_text("")
    (inc / "sys" / "stat.h").write_text("")
    prov = Provenance("", "fixture archive", "today by the test")
    (d / "data").mkdir()
    (d / "data" / "newlib-members.tsv").write_text(render(read_archive(d / "libc.a"), prov))
    (d / "data" / "newlib-headers.tsv").write_text(render_headers(read_headers(inc), prov))
    return d / "data"


@pytest.mark.toolchain
def test_members_and_reach(archive):
    lib = load_newlib(archive)
    assert lib.members["fmt.o"] == (frozenset({"put"}), frozenset({"_write"}))
    assert lib.headers == {"stdio.h", "sys/stat.h"}
    assert lib.needs("sayhi", frozenset()) == {"_write"}  # through put, in another member
    assert lib.needs("sayhi", frozenset({"_write"})) == frozenset()  # librs provides the hook
    assert lib.needs("sayhi", frozenset({"put"})) == frozenset()  # librs's put wins the link
    assert lib.needs("twice", frozenset()) == frozenset()
    assert lib.needs("run", frozenset({"_write"})) == {"_fork", "_wait"}
    assert not lib.defines("nothere") and lib.needs("nothere", frozenset()) == frozenset()
    assert lib.provenance.source == "fixture archive"


def test_shipped_snapshot_names_its_debian_package():
    lib = load_newlib()
    assert "libnewlib-arm-none-eabi 3.3.0" in lib.provenance.source
    assert lib.defines("strncpy") and lib.defines("exit")
    assert lib.needs("exit", frozenset()) >= {"_exit"}


def test_a_folder_without_newlib_is_refused_naming_the_file(tmp_path):
    from bkport.blueos.newlib import read_install
    from bkport.errors import InputError

    with pytest.raises(InputError) as e:
        read_install(tmp_path)
    assert str(tmp_path / "libc.a") in str(e.value) and "newlib library folder" in str(e.value)


def test_shipped_snapshot_has_libm():
    lib = load_newlib()
    assert any(m.startswith("libm.a:") for m in lib.members)
    assert lib.defines("sin") and lib.needs("sin", frozenset()) <= {"errno"}

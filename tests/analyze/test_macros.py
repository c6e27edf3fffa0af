"""POSIX macros that are not interfaces (issue 16, defect 4): WIFEXITED and the other W*, CMSG_*,
MB_CUR_MAX are declared by the spec's `macro` lines and classified like functions, per profile,
instead of "unknown"."""

from __future__ import annotations

import json

import pytest
from bkport.analyze.names import api_macros
from bkport.analyze.pipeline import Options, analyze
from bkport.posixspec.loader import load_spec

MACROS = """\
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
int status(int st)
{
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    if (WIFSIGNALED(st))
        return 128 + WTERMSIG(st);
    return WIFSTOPPED(st) ? WSTOPSIG(st) : -1;
}
int fds(struct msghdr *m)
{
    struct cmsghdr *c = CMSG_FIRSTHDR(m);
    int fd;
    memcpy(&fd, CMSG_DATA(c), sizeof fd);
    return fd + (int)MB_CUR_MAX + SIGRTMIN;
}
"""
W = ("WIFEXITED", "WEXITSTATUS", "WIFSIGNALED", "WTERMSIG", "WIFSTOPPED", "WSTOPSIG")


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    root = tmp_path_factory.mktemp("macros")
    src = root / "src"
    src.mkdir()
    (src / "m.c").write_text(MACROS)
    (src / "compile_commands.json").write_text(json.dumps([{
        "directory": str(src), "file": "m.c",
        "arguments": ["gcc", "-D_GNU_SOURCE", "-c", "-o", "m.o", "m.c"]}]))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BKPORT_CACHE", str(root / "cache"))
        return {p: analyze(src, Options(jobs=1, profile=p)) for p in ("bkport", "blueos")}


def _apis(doc: dict) -> dict[str, dict]:
    return {a["key"]: a for a in doc["apis"]}


@pytest.mark.parametrize("profile", ["bkport", "blueos"])
def test_no_posix_macro_is_unknown(docs: dict[str, dict], profile: str) -> None:
    apis = _apis(docs[profile])
    # SIGRTMIN: a constant the spec `define`s with its Linux value, classified all the same
    for name in (*W, "CMSG_FIRSTHDR", "CMSG_DATA", "MB_CUR_MAX", "SIGRTMIN"):
        assert name in apis, name
        assert apis[name]["status"] != "unknown", (name, apis[name])
        assert apis[name]["header"], name
    assert apis["WIFEXITED"]["header"] == "sys/wait.h"
    # MB_CUR_MAX expands to a glibc function call: one finding, named after the macro
    assert not [k for k in apis if "mb_cur_max" in k]


def test_bkport_profile_supports_what_picolibc_defines(docs: dict[str, dict]) -> None:
    apis = _apis(docs["bkport"])
    for name in (*W, "MB_CUR_MAX"):
        assert apis[name]["status"] == "supported", name
        assert apis[name]["provider"] == "picolibc", name
    # the layer's generated <sys/socket.h> does not define the CMSG_* macros: a real gap
    assert apis["CMSG_DATA"]["status"] == "unsupported"
    assert "<sys/socket.h>" in apis["CMSG_DATA"]["note"]


def test_blueos_profile_supports_the_macros_of_its_headers(docs: dict[str, dict]) -> None:
    apis = _apis(docs["blueos"])
    assert apis["WIFEXITED"]["status"] == "supported"
    assert apis["WIFEXITED"]["provider"] == "<sys/wait.h>"


def test_every_function_like_spec_macro_is_looked_for() -> None:
    """The extractor's list (data/api_macros.txt, read without loading the spec) names every
    function-like macro the spec declares, and each of its entries that POSIX has is in the spec."""
    spec = load_spec()
    listed = {m.rstrip("!") for m in api_macros()}
    wanted = {f"{s.name}()" for s in spec.symbols.values() if "(" in s.form}
    assert wanted - listed == set()
    declared = set(spec.interfaces) | set(spec.symbols) | set(spec.constants)
    # GNU/BSD extensions the analyser also looks for: no POSIX header declares them
    extensions = {"major", "minor", "makedev", "h_errno", "isascii", "toascii", "alloca", "_res",
                  "WCOREDUMP"}
    for m in listed:
        name = m.removesuffix("()")
        assert name in declared or name in extensions or name.startswith("CPU_"), m

"""Issue 16, defect 5: a tree with a configure step and no Makefile is configured in a copy in
the cache (never in the user's tree), built under Bear, then analysed; --configure-args reaches
the configure step. Real runs: autoreconf + ./configure + make (fixtures/configure_ac, with
configure.ac only), cmake + make (fixtures/cmake_two), meson + ninja (fixtures/meson_two)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bkport.analyze.pipeline import Options, analyze

FIXTURES = Path(__file__).parent / "fixtures"


def _tree(tmp_path: Path, name: str, *tools: str) -> Path:
    for tool in ("bear", "make", "cc", *tools):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed: run scripts/setup.sh")
    src = tmp_path / name
    shutil.copytree(FIXTURES / name, src)
    return src


def bkport(*args: str, cache: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "BKPORT_CACHE": str(cache)}
    return subprocess.run([sys.executable, "-m", "bkport.cli", *args], capture_output=True,
                          text=True, env=env)


def _listing(src: Path) -> list[str]:
    return sorted(str(p.relative_to(src)) for p in src.rglob("*"))


def _apis(doc: dict) -> set[str]:
    return {a["api"] for a in doc["apis"]}


def test_configure_ac_only_is_configured_in_a_copy(tmp_path: Path, cache_env: Path) -> None:
    src = _tree(tmp_path, "configure_ac", "autoreconf")
    before = _listing(src)
    logs: list[str] = []
    doc = analyze(src, Options(jobs=1), log=logs.append)
    assert "$ autoreconf -fi" in logs and "$ ./configure" in logs
    assert _listing(src) == before  # no configure, config.h, Makefile or object in the tree
    assert doc["database"]["origin"] == "configured"
    assert not doc["warnings"]
    # the build's own files, named in the user's tree; extra.c is in no build
    assert sorted(Path(u).name for u in doc["matrix"]) == ["prog"]
    assert {f["file"] for f in doc["findings"]} == {str(src / "main.c"), str(src / "own.c")}
    apis = _apis(doc)
    assert "own_helper" not in apis  # the project's own function
    assert "fork" not in apis  # extra.c: not built
    assert "socket" not in apis  # net.c: only with --enable-net
    assert doc["matrix"]["prog"] == ["getpid", "printf"]
    # reused while nothing the configure step reads changed
    logs.clear()
    analyze(src, Options(jobs=1, use_cache=False), log=logs.append)
    assert not any(m.startswith("$ ") for m in logs)
    # a changed Makefile.in is configured and built again: extra.c is now built and analysed
    # (linked into prog, but main never calls it: not in prog's footprint)
    mk = src / "Makefile.in"
    mk.write_text(mk.read_text().replace("main.o own.o $(NET_OBJ)", "main.o own.o extra.o"))
    logs.clear()
    doc = analyze(src, Options(jobs=1), log=logs.append)
    assert "$ ./configure" in logs
    assert [(f["api"], f["line"]) for f in doc["findings"]
            if f["file"] == str(src / "extra.c") and f["kind"] == "call"] == [("fork", 4)]
    assert "fork" not in doc["matrix"]["prog"]


def test_configure_args_reach_configure(tmp_path: Path, cache_env: Path) -> None:
    src = _tree(tmp_path, "configure_ac", "autoreconf")
    r = bkport("analyze", str(src), "--configure-args", "--enable-net", "--format", "json",
               "-o", str(tmp_path / "a.json"), "-j", "1", cache=cache_env)
    assert r.returncode == 0, r.stderr
    doc = json.loads((tmp_path / "a.json").read_text())
    assert doc["matrix"]["prog"] == ["getpid", "printf", "socket"]
    sock = [f for f in doc["findings"] if f["api"] == "socket"]
    assert [(f["file"], f["line"]) for f in sock] == [(str(src / "net.c"), 4)]


def test_unbalanced_configure_args_refused(tmp_path: Path, cache_env: Path) -> None:
    src = _tree(tmp_path, "configure_ac", "autoreconf")
    r = bkport("analyze", str(src), "--configure-args", "'unbalanced", cache=cache_env)
    assert r.returncode == 2
    assert "--configure-args" in r.stderr and "No closing quotation" in r.stderr
    assert not (cache_env / "analyze" / "configured").exists()  # refused before anything ran


def test_cmake_tree_two_programs_and_an_option(tmp_path: Path, cache_env: Path) -> None:
    src = _tree(tmp_path, "cmake_two", "cmake")
    doc = analyze(src, Options(jobs=1))
    assert doc["database"]["origin"] == "configured"
    assert doc["matrix"] == {"bye": ["system"], "hello": ["puts"]}
    assert not (src / "_bkport_build").exists() and not (src / "CMakeCache.txt").exists()
    doc = analyze(src, Options(jobs=1, configure_args=("-DWITH_PIPE=ON",)))
    assert doc["matrix"]["hello"] == ["pipe", "puts"]


def test_failed_configure_is_an_error(tmp_path: Path, cache_env: Path) -> None:
    src = _tree(tmp_path, "cmake_two", "cmake")
    (src / "CMakeLists.txt").write_text("cmake_minimum_required(VERSION 3.13)\nproject(x C)\n"
                                        "add_executable(hello missing.c)\n")
    r = bkport("analyze", str(src), "-j", "1", cache=cache_env)
    assert r.returncode == 1
    assert "recording the build of" in r.stderr and "`cmake -S . -B _bkport_build` exited" \
        in r.stderr
    assert not list((cache_env / "analyze" / "recorded").glob("*/recorded.json"))


def test_configure_args_without_a_configure_step_are_a_warning(tmp_path: Path,
                                                                cache_env: Path) -> None:
    src = _tree(tmp_path, "two_mains")
    doc = analyze(src, Options(jobs=1, configure_args=("--enable-net",)))
    assert doc["database"]["origin"] == "bear"
    assert any(w.startswith("--configure-args ignored") for w in doc["warnings"])


def test_meson_tree_with_a_generator(tmp_path: Path, cache_env: Path) -> None:
    src = _tree(tmp_path, "meson_two", "meson", "ninja")
    doc = analyze(src, Options(jobs=1, configure_args=("-Dwith_pipe=true",)))
    assert doc["database"]["origin"] == "configured"
    assert doc["matrix"] == {"bye": ["system"], "hello": ["pipe", "puts"]}
    gen = str(src / "gen.c")
    assert f"{gen}: build tool (gen: run during the build, not shipped)" in doc["units"]["skipped"]
    assert not (src / "_bkport_build").exists()

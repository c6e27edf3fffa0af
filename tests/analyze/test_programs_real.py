"""Issue 16, defects 1 and 5 on real trees from Debian (fetched by bkport into its source cache):
Lua 5.4.4 (upstream's tree from the orig tarball: a Makefile building `lua` and `luac`) and
Expat 2.5.0 (configure.ac only: autoreconf, configure and make in a copy). Each program keeps
its own code; the analysis runs with an empty cache of its own."""

from __future__ import annotations

import shutil
import tarfile
from pathlib import Path

import pytest
from bkport.analyze.fetch import fetch_debian, src_root
from bkport.analyze.pipeline import Options, analyze

pytestmark = pytest.mark.debian


def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Analyse with a cache of the test's own (the source stays in bkport's shared one)."""
    monkeypatch.setenv("BKPORT_CACHE", str(tmp_path / "cache"))


def test_lua_and_luac_each_keep_their_main(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    fetch_debian("lua5.4", "5.4.4")
    orig = next(src_root().glob("lua5.4_5.4.4.orig.tar.*"))
    with tarfile.open(orig) as tar:
        tar.extractall(tmp_path, filter="data")
    src = tmp_path / "lua-5.4.4"
    _isolated(tmp_path, monkeypatch)
    doc = analyze(src, Options())
    assert doc["database"]["origin"] == "bear"
    assert doc["targets"]["kind"] == "program"
    assert sorted(doc["matrix"]) == ["lua", "luac"]  # liblua.a: linked by both, no target
    lua, luac = set(doc["matrix"]["lua"]), set(doc["matrix"]["luac"])
    # lua.c's own calls (its interrupt handler, its prompt) and luac.c's (its listing's printf)
    assert {"sigaction", "isatty"} <= lua and not {"sigaction", "isatty"} & luac
    assert "printf" in luac
    live = {Path(f["file"]).name for f in doc["findings"] if f["live"] and f["function"]}
    assert {"lua.c", "luac.c"} <= live  # neither program's code marked dead


def test_expat_configured_from_configure_ac(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    for tool in ("autoreconf", "automake", "libtoolize"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed: run scripts/setup.sh")
    src = fetch_debian("expat", "2.5.0") / "expat"
    assert not (src / "configure").exists() and not (src / "Makefile").exists()
    _isolated(tmp_path, monkeypatch)
    doc = analyze(src, Options(configure_args=("--without-docbook", "--without-examples",
                                               "--without-tests")))
    assert doc["database"]["origin"] == "configured"
    assert not (src / "configure").exists() and not (src / "Makefile").exists()
    # --without-examples/--without-tests reach configure: xmlwf and the library, nothing else
    assert sorted(t.split(".so")[0] for t in doc["matrix"]) == ["libexpat", "xmlwf"]
    assert {"fopen", "printf"} & set(doc["matrix"]["xmlwf"])
    files = {f["file"] for f in doc["findings"]}
    assert str(src / "xmlwf" / "xmlwf.c") in files  # the user's own file, not the copy's

"""The build graph read from a recorded host build: programs told apart by their link commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bkport.apps.record import RecordError, keep_flags, read_log


def _log(*calls: tuple[str, str, list[str]]) -> str:
    return "".join(json.dumps({"tool": t, "directory": d, "arguments": a}) + "\n"
                   for t, d, a in calls)


def test_two_programs_each_get_their_own_units() -> None:
    # lua's shape: a library archive, and two programs each with its own main
    log = _log(
        ("cc", "/t/src", ["-O2", "-DLUA_COMPAT", "-c", "-o", "lapi.o", "lapi.c"]),
        ("cc", "/t/src", ["-O2", "-c", "-o", "lauxlib.o", "lauxlib.c"]),
        ("ar", "/t/src", ["rcu", "liblua.a", "lapi.o", "lauxlib.o"]),
        ("cc", "/t/src", ["-O2", "-DLUA_USE_LINUX", "-c", "-o", "lua.o", "lua.c"]),
        ("cc", "/t/src", ["-O2", "-c", "-o", "luac.o", "luac.c"]),
        ("cc", "/t/src", ["-o", "lua", "lua.o", "liblua.a", "-lm", "-ldl"]),
        ("cc", "/t/src", ["-o", "luac", "luac.o", "liblua.a", "-lm"]),
    )
    g = read_log(log)
    assert sorted(g.programs) == ["lua", "luac"]
    lua, luac = g.programs["lua"], g.programs["luac"]
    assert [u.source.name for u in lua.units] == ["lua.c"]
    assert [u.source.name for u in luac.units] == ["luac.c"]
    assert lua.units[0].flags == ("-DLUA_USE_LINUX",)
    assert [u.source.name for u in lua.archives[Path("/t/src/liblua.a")]] == ["lapi.c",
                                                                            "lauxlib.c"]
    assert lua.system_libs == ["m", "dl"]
    assert lua.output == Path("/t/src/lua")


def test_library_found_through_search_dirs_and_one_step_builds() -> None:
    log = _log(
        ("cc", "/t", ["-c", "common.c"]),  # object named after the source, in cwd
        ("ar", "/t", ["rcs", "lib/libcommon.a", "common.o"]),
        ("cc", "/t/app", ["-Iinc", "-o", "tool", "tool.c", "extra.c", "-L../lib", "-lcommon"]),
    )
    g = read_log(log)
    tool = g.programs["tool"]
    assert [u.source for u in tool.units] == [Path("/t/app/tool.c"), Path("/t/app/extra.c")]
    assert tool.units[0].flags == ("-I/t/app/inc",)
    assert list(tool.archives) == [Path("/t/lib/libcommon.a")]
    assert tool.system_libs == []


def test_probes_shared_libraries_and_preprocessing_are_not_programs() -> None:
    log = _log(
        ("cc", "/t", ["-E", "x.c"]),
        ("cc", "/t", ["--version"]),
        ("cc", "/t", ["-o", "conftest", "conftest.c"]),
        ("cc", "/t", ["-c", "-fPIC", "a.c", "-o", "a.o"]),
        ("cc", "/t", ["-shared", "-o", "libz.so.1", "a.o"]),
    )
    g = read_log(log)
    assert g.programs == {}
    assert any("libz.so.1" in s for s in g.skipped)


def test_archive_replacement_keeps_one_member_per_name() -> None:
    log = _log(
        ("cc", "/t", ["-c", "a.c"]), ("cc", "/t", ["-c", "b.c"]),
        ("ar", "/t", ["cr", "libx.a", "a.o", "b.o"]),
        ("ar", "/t", ["-rcs", "libx.a", "a.o"]),
        ("cc", "/t", ["main.c", "libx.a", "-o", "m"]),
    )
    g = read_log(log)
    assert [u.source.name for u in g.programs["m"].archives[Path("/t/libx.a")]] == ["a.c",
                                                                                 "b.c"]


def test_link_of_an_object_never_compiled_is_an_error() -> None:
    with pytest.raises(RecordError, match="never compiled"):
        read_log(_log(("cc", "/t", ["-o", "p", "ghost.o"])))


def test_bad_log_line_names_the_line() -> None:
    with pytest.raises(RecordError, match="line 2"):
        read_log(_log(("cc", "/t", ["-c", "a.c"])) + "{not json\n")


def test_kept_flags_drop_host_system_folders_and_optimisation() -> None:
    args = ["-O2", "-g", "-Wall", "-I", "inc", "-I/usr/include/x", "-D", "A=1", "-UB",
            "-std=gnu99", "-include", "cfg.h", "-fPIC", "-funsigned-char", "-c", "a.c"]
    assert keep_flags(args, Path("/t")) == ("-I/t/inc", "-DA=1", "-UB", "-std=gnu99",
                                            "-include", "/t/cfg.h", "-funsigned-char")

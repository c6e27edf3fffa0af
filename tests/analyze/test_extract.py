"""Each kind of finding, on the synthetic project (tests/analyze/conftest.py)."""

from __future__ import annotations

from pathlib import Path

from bkport.analyze.pipeline import Options, analyze


def _doc(project: Path, **kw) -> dict:
    return analyze(project, Options(jobs=1, **kw))


def _live(doc: dict, kind: str) -> dict[str, dict]:
    return {f["api"]: f for f in doc["findings"] if f["kind"] == kind and f["live"]}


def test_counts_every_unit(project: Path) -> None:
    doc = _doc(project)
    assert doc["schema"] == "bkport.analysis/1"
    assert doc["units"]["total"] == 3 and not doc["units"]["with_errors"]
    assert doc["partial"] is False
    assert doc["targets"]["kind"] == "file"


def test_calls_and_project_functions(project: Path) -> None:
    calls = _live(_doc(project), "call")
    assert {"sigaction", "signal", "qsort", "pthread_mutex_init", "stat", "snprintf", "puts",
            "syscall", "ioctl"} <= set(calls)
    assert "helper" not in calls and "scan" not in calls  # defined by the project
    assert calls["sigaction"]["function"] == "main"


def test_address_taken(project: Path) -> None:
    doc = _doc(project)
    addr = _live(doc, "addr")
    assert "strcmp" not in addr  # strcmp is called inside cmp, not address-taken
    calls = _live(doc, "call")
    assert "strcmp" in calls
    # on_int/cmp are the project's own: edges, not findings
    assert "on_int" not in addr and "cmp" not in addr


def test_api_macros(project: Path) -> None:
    macros = _live(_doc(project), "macro")
    assert {"FD_SET", "FD_ZERO", "S_ISDIR", "errno", "SIGRTMIN"} <= set(macros)
    assert macros["errno"]["symbol"] == "__errno_location"
    assert macros["SIGRTMIN"]["symbol"] == "__libc_current_sigrtmin"


def test_types(project: Path) -> None:
    types = _live(_doc(project), "type")
    assert {"struct sigaction", "pthread_mutex_t", "fd_set", "struct stat"} <= set(types)


def test_syscall_ioctl_paths_asm(project: Path) -> None:
    doc = _doc(project)
    assert "gettid" in _live(doc, "syscall")
    assert "TIOCGWINSZ" in _live(doc, "ioctl")
    assert {"/proc/self/status", "/sys/class/net"} <= set(_live(doc, "path"))
    asm = _live(doc, "asm")
    assert asm["asm"]["symbol"] == "nop"
    assert asm["asm-barrier"]["symbol"] == ""  # through a project macro, empty template
    keys = {a["key"]: a for a in doc["apis"]}
    assert keys["asm"]["status"] == "unknown" and keys["asm-barrier"]["status"] == "info"
    assert keys["syscall:gettid"]["status"] == "linux-only"
    assert keys["path:/proc/self/status"]["status"] == "linux-only"


def test_large_file_and_isoc99_names_map_back(project: Path) -> None:
    doc = _doc(project)
    calls = _live(doc, "call")
    assert calls["open"]["symbol"] == "open64"  # called as open64, reported as open
    assert calls["sscanf"]["symbol"] == "__isoc99_sscanf"


def test_dead_branch_is_marked_not_dropped(project: Path) -> None:
    doc = _doc(project)
    forks = [f for f in doc["findings"] if f["api"] == "fork"]
    assert forks and not any(f["live"] for f in forks)
    fork = {a["key"]: a for a in doc["apis"]}["fork"]
    assert fork["call_sites"] == 0 and fork["dead_sites"] == 1
    assert fork["targets_blocked"] == 0


def test_headers(project: Path) -> None:
    headers = {f["api"] for f in _doc(project)["findings"] if f["kind"] == "header"}
    assert {"sys/ioctl.h", "pthread.h", "stdio.h"} <= headers
    assert "util.h" not in headers


def test_cache_hit_and_reclassify_without_reparse(project: Path) -> None:
    first = _doc(project)
    assert first["units"]["parsed"] == 3
    again = _doc(project, profile="bkport")
    assert again["units"]["parsed"] == 0 and again["units"]["cached"] == 3
    assert again["profile"] == "bkport" and "whole_document_cache" not in again["stats"]
    same = _doc(project, profile="bkport")  # nothing changed: the whole document is reused
    assert same["stats"]["whole_document_cache"] is True
    assert same["apis"] == again["apis"]
    (project / "util.h").write_text("int helper(int x);\nint scan(const char *s);\n/* edit */\n")
    third = _doc(project)
    assert third["units"]["parsed"] == 3  # every TU includes util.h

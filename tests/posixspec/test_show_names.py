"""`bkport posix show` for a header's macros and constants, and for a function's deciding
arguments (the values each profile handles, and where that was read)."""

from __future__ import annotations

import json

from bkport.posixspec.cli import posix
from click.testing import CliRunner


def run(*args: str):
    return CliRunner().invoke(posix, list(args))


def test_show_a_header_macro() -> None:
    res = run("show", "WIFEXITED", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["header"] == "sys/wait.h" and data["form"] == "header-macro"
    assert data["declaration"] == "WIFEXITED(stat_val)"
    assert data["source"].startswith("posix/spec/sys/wait.h.spec:")
    assert data["support"]["bkport"]["status"] == "supported"


def test_show_a_constant() -> None:
    res = run("show", "SIGRTMIN")
    assert res.exit_code == 0, res.output
    assert "<signal.h>" in res.output and "bkport" in res.output


def test_show_the_argument_values_of_fcntl() -> None:
    res = run("show", "fcntl", "--format", "json")
    assert res.exit_code == 0, res.output
    args = json.loads(res.output)["arguments"]
    assert args["blueos"] == []  # nothing recorded for BlueOS
    (cmd,) = args["bkport"]
    assert cmd["param"] == "cmd" and cmd["index"] == 1
    assert cmd["values"]["F_SETLK"]["status"] == "supported"
    assert "F_SETOWN" not in cmd["values"]
    assert cmd["other"]["status"] == "missing" and "EINVAL" in cmd["other"]["note"]
    assert cmd["decided_at"].startswith("posix/layer/src/")
    text = run("show", "fcntl").output
    assert "any other: missing" in text and "values not recorded" in text


def test_an_unknown_name_suggests_header_macros_too() -> None:
    res = run("show", "WIFEXITEX")
    assert res.exit_code != 0
    assert "WIFEXITED" in str(res.exception or res.output)

"""Constant arguments that decide what a call does (issue 16, defect 7): `fcntl(fd, F_SETOWN, 1)`
is a finding at its file:line naming F_SETOWN (the layer answers EINVAL), `fcntl(fd, F_SETLK, &l)`
is not; likewise sysconf names, open flags the layer drops and clock ids it lacks. The values come
from the support database, which reads them from the layer's sources."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from bkport.analyze.names import arg_checks
from bkport.analyze.pipeline import Options, analyze
from bkport.paths import source
from bkport.posixspec.loader import load_spec


def small_project(root: Path, sources: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    entries = []
    for name, text in sources.items():
        (root / name).write_text(text)
        entries.append({"directory": str(root), "file": name,
                        "arguments": ["gcc", "-D_GNU_SOURCE", "-c", "-o", name[:-2] + ".o", name]})
    (root / "compile_commands.json").write_text(json.dumps(entries))
    return root


ARGS = """\
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#define CLOCK_UPTIME 5 /* FreeBSD's, as a BSD program's compatibility header might give it */
int locks(int fd)
{
    struct flock l = { .l_type = F_WRLCK };
    if (fcntl(fd, F_SETLK, &l) < 0)
        return -1;
    return fcntl(fd, F_SETOWN, 1);
}
long conf(void)
{
    return sysconf(_SC_PAGESIZE) + sysconf(_SC_PAGE_SIZE) + sysconf(_SC_XOPEN_VERSION);
}
int files(void)
{
    int fd = open("/tmp/x", O_RDWR | O_CREAT | O_ASYNC, 0600);
    return fd + open("/tmp/y", O_RDONLY | O_NDELAY);
}
long clocks(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    clock_gettime(CLOCK_UPTIME, &ts);
    return ts.tv_sec;
}
int dead(int fd)
{
    if (0)
        return fcntl(fd, F_GETOWN);
    return 0;
}
"""


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    root = tmp_path_factory.mktemp("args")
    src = small_project(root / "src", {"a.c": ARGS})
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BKPORT_CACHE", str(root / "cache"))
        return {p: analyze(src, Options(jobs=1, profile=p)) for p in ("bkport", "blueos")}


def _apis(doc: dict) -> dict[str, dict]:
    return {a["key"]: a for a in doc["apis"]}


def _sites(doc: dict, api: str) -> list[tuple[int, bool]]:
    return [(f["line"], f["live"]) for f in doc["findings"] if f["api"] == api]


def test_an_unsupported_fcntl_command_is_a_finding_at_its_line(docs: dict[str, dict]) -> None:
    doc = docs["bkport"]
    a = _apis(doc)["arg:fcntl(F_SETOWN)"]
    assert a["status"] == "unsupported"
    assert "EINVAL" in a["note"] and "posix/layer/src/fileio.c" in a["note"]
    assert a["kinds"] == ["arg"] and a["symbols"] == ["F_SETOWN"]
    assert _sites(doc, "fcntl(F_SETOWN)") == [(10, True)]
    assert "arg:fcntl(F_SETOWN)" in doc["matrix"][next(iter(doc["matrix"]))]


def test_a_supported_command_is_no_finding(docs: dict[str, dict]) -> None:
    doc = docs["bkport"]
    assert "arg:fcntl(F_SETLK)" not in _apis(doc)
    assert _sites(doc, "fcntl(F_SETLK)") == []
    assert _apis(doc)["fcntl"]["status"] == "supported"  # the function's own row


def test_sysconf_names_and_aliases(docs: dict[str, dict]) -> None:
    apis = _apis(docs["bkport"])
    assert apis["arg:sysconf(_SC_XOPEN_VERSION)"]["status"] == "unsupported"
    assert "arg:sysconf(_SC_PAGESIZE)" not in apis
    assert "arg:sysconf(_SC_PAGE_SIZE)" not in apis  # the spec's alias of _SC_PAGESIZE


def test_open_flags_the_layer_drops_are_partial(docs: dict[str, dict]) -> None:
    apis = _apis(docs["bkport"])
    assert apis["arg:open(O_ASYNC)"]["status"] == "partial"
    assert "drops" in apis["arg:open(O_ASYNC)"]["note"]
    for handled in ("O_RDWR", "O_CREAT", "O_RDONLY", "O_NDELAY"):  # O_NDELAY: O_NONBLOCK
        assert f"arg:open({handled})" not in apis


def test_clock_ids(docs: dict[str, dict]) -> None:
    apis = _apis(docs["bkport"])
    assert apis["arg:clock_gettime(CLOCK_UPTIME)"]["status"] == "unsupported"
    assert "arg:clock_gettime(CLOCK_MONOTONIC)" not in apis


def test_a_use_in_dead_code_is_dead(docs: dict[str, dict]) -> None:
    assert _sites(docs["bkport"], "fcntl(F_GETOWN)") == [(31, False)]


def test_the_document_stays_valid(docs: dict[str, dict]) -> None:
    schema = json.loads((source("docs/schemas") / "analysis-1.schema.json").read_text())
    jsonschema.validate(docs["bkport"], schema)
    apis = _apis(docs["bkport"])
    assert apis["arg:fcntl(F_SETOWN)"]["action"] == "implement"
    assert apis["arg:open(O_ASYNC)"]["action"] == "avoid"


def test_a_profile_that_records_no_values_reports_none(docs: dict[str, dict]) -> None:
    # BlueOS's librs sources are not in the tree: nothing to read the values from
    assert not [k for k in _apis(docs["blueos"]) if k.startswith("arg:")]


def test_the_analyser_checks_the_arguments_the_spec_declares() -> None:
    spec = load_spec()
    declared = {n: tuple((a.index, a.patterns) for a in i.args)
                for n, i in spec.interfaces.items() if i.args}
    assert arg_checks() == declared

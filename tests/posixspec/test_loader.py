"""The spec loads, declares every interface of interfaces.tsv, and rejects malformed files."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bkport.errors import InputError
from bkport.posixspec import load_spec, load_spec_from
from bkport.posixspec.interfaces import read_interfaces
from bkport.posixspec.loader import PARSE_PRELUDE, _typedef_name
from bkport.posixspec.model import Kind, Owner
from pycparser import c_parser

INVALID = Path(__file__).parent / "invalid"


@pytest.fixture(scope="module")
def spec():
    return load_spec()


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return list(read_interfaces())


def test_every_row_is_declared_with_its_header(spec, rows):
    assert len(rows) == 1353
    missing = [r["interface"] for r in rows if r["interface"] not in spec.interfaces]
    assert missing == []
    assert spec.count == len(rows)
    for r in rows:
        itf = spec.interfaces[r["interface"]]
        assert itf.header, r["interface"]
        if r["header"]:
            assert itf.header == r["header"], r["interface"]
        # the spec file declaring it is the header's own file
        assert itf.loc.file == f"posix/spec/{itf.header}.spec"


def test_metadata_matches_interfaces_tsv(spec, rows):
    for r in rows:
        itf = spec.interfaces[r["interface"]]
        name = r["interface"]
        assert itf.codes == tuple(r["margin_codes_2017"].replace("|", " ").split()), name
        assert itf.option_groups == tuple(r["option_group_2017_xrat"].split()), name
        assert itf.pse == tuple(p for p in ("PSE51", "PSE52", "PSE53", "PSE54") if r[p] == "Y")
        assert ("2017" in itf.posix) == (r["in_posix_2017"] == "Y"), name
        assert ("2003" in itf.posix) == (r["in_posix_2003_rtems"] == "Y"), name
        in_2024 = r["in_posix_2024_gnulib"] == "Y" or r["in_posix_2024_rtems"] == "Y"
        assert ("2024" in itf.posix) == in_2024, name
        assert ("2024" in itf.removed) == (r["removed_by_2024_gnulib"] == "Y"), name
        assert itf.also == tuple(r["also_declared_in"].split()), name
        assert itf.category == (r["rtems_category"] or None), name


def test_every_prototype_parses_on_its_own(spec):
    """Independent of the loader's batch parse: each declaration alone, with the spec's types."""
    names = "".join(f"typedef int {n};\n" for t in spec.types.values()
                    if not t.is_struct and (n := _typedef_name(t.decl)))
    parser = c_parser.CParser()
    funcs = [i for i in spec.interfaces.values() if i.kind is Kind.FUNCTION]
    assert len(funcs) > 1100
    for itf in funcs:
        decl = re.sub(r"\b(_Complex|complex)\b", "", itf.decl)
        ast = parser.parse(PARSE_PRELUDE + names + decl, itf.name)
        assert ast.ext[-1].name == itf.name
        assert itf.returns is not None


def test_model_of_a_few_interfaces(spec):
    sig = spec.interfaces["signal"]
    assert sig.returns == "void (*)(int)"
    assert [p.type for p in sig.params] == ["int", "void (*)(int)"]
    pf = spec.interfaces["printf"]
    assert pf.variadic and pf.params[0].type.startswith("const char *")
    fork = spec.interfaces["fork"]
    assert fork.params == () and fork.returns == "pid_t"
    assert fork.pse == ("PSE53", "PSE54") and fork.option_group == "POSIX_MULTI_PROCESS"
    assert spec.interfaces["FD_SET"].kind is Kind.MACRO
    assert spec.interfaces["environ"].kind is Kind.VARIABLE
    assert spec.interfaces["posix_trace_start"].removed == ("2024",)


def test_linux_abi_constants(spec):
    c = {n: v.value for n, v in spec.constants.items()}
    assert (c["EAGAIN"], c["ENOSYS"], c["ENOTSUP"] if "ENOTSUP" in c else 95) == (11, 38, 95)
    assert c["EWOULDBLOCK"] == c["EAGAIN"]
    assert (c["O_CREAT"], c["O_NONBLOCK"], c["O_DIRECTORY"]) == (0o100, 0o4000, 0o200000)
    assert c["O_SYNC"] == 0o4010000
    assert (c["S_IFMT"], c["S_IFDIR"], c["S_IFREG"]) == (0o170000, 0o40000, 0o100000)
    assert (c["SIGKILL"], c["SIGUSR1"], c["SIGCHLD"], c["SIGRTMIN"]) == (9, 10, 17, 32)
    assert (c["CLOCK_REALTIME"], c["CLOCK_MONOTONIC"]) == (0, 1)
    assert spec.constants["O_CREAT"].header == "fcntl.h"


def test_header_owners(spec):
    owner = {h: spec.headers[h].owner for h in spec.headers}
    assert owner["pthread.h"] is Owner.LAYER and owner["sys/utsname.h"] is Owner.LAYER
    assert owner["stdio.h"] is Owner.PICOLIBC and owner["stdatomic.h"] is Owner.COMPILER


def _expectation(path: Path) -> tuple[int, str]:
    m = re.match(r"# expect: (\d+): (.*)", path.read_text().splitlines()[0])
    assert m, f"{path.name} needs a `# expect: LINE: message` first line"
    return int(m.group(1)), m.group(2)


@pytest.mark.parametrize("bad", sorted(INVALID.glob("*.h.spec")), ids=lambda p: p.name)
def test_invalid_spec_fails_with_a_located_error(bad: Path, tmp_path: Path):
    line, message = _expectation(bad)
    d = tmp_path / "posix" / "spec"
    d.mkdir(parents=True)
    shutil.copy(bad, d / bad.name)
    with pytest.raises(InputError) as e:
        load_spec_from(d)
    where = f"posix/spec/{bad.name}:{line}:"
    assert any(str(x).startswith(where) and message in str(x) for x in e.value.diagnostics), (
        f"wanted `{where} ...{message}...`, got:\n{e.value}"
    )


def test_several_problems_are_reported_together(tmp_path: Path):
    d = tmp_path / "posix" / "spec"
    d.mkdir(parents=True)
    for name in ("bad_owner.h.spec", "bad_pse.h.spec", "unknown_type.h.spec"):
        shutil.copy(INVALID / name, d / name)
    with pytest.raises(InputError) as e:
        load_spec_from(d)
    files = {x.loc.file for x in e.value.diagnostics}
    assert len(files) == 3

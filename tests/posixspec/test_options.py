"""POSIX options (posix/options.tsv): the layer advertises exactly the options whose interfaces
it implements, in <unistd.h> (include/sys/features.h) and in sysconf, and the conformance program
tests/conformance/sysconf.c checks every one of them on the boards."""

from __future__ import annotations

import re

import pytest
from bkport.errors import InputError
from bkport.paths import source
from bkport.posixspec.options import load_options, option_states
from bkport.posixspec.support import load_support


@pytest.fixture(scope="module")
def states():
    return {s.option.name: s for s in option_states(load_options(), load_support("bkport"))}


def _features() -> dict[str, int]:
    text = source("posix/layer/include/sys/features.h").read_text()
    return {m.group(1): int(m.group(2)) for m in
            re.finditer(r"^#define (_POSIX_\w+) (-?\d+)L?$", text, re.M)}


def test_header_advertises_exactly_the_present_options(states):
    features = _features()
    advertised = {n for n, v in features.items() if v > 0 and n in states}
    present = {n for n, s in states.items() if s.present}
    assert advertised == present, {
        "advertised but lacking": {n: states[n].lacking for n in advertised - present},
        "present but not advertised": sorted(present - advertised)}
    # what is not there is -1 or left undefined, never 0 ("ask sysconf")
    assert all(features.get(n, -1) == -1 for n in set(states) - present)
    assert {"_POSIX_THREADS", "_POSIX_TIMERS", "_POSIX_TRACE"} <= present
    assert not states["_POSIX_SPAWN"].present and "posix_spawn" in states["_POSIX_SPAWN"].lacking


def test_sysconf_answers_as_the_header(states):
    db = load_support("bkport")
    for name, st in states.items():
        got = db.argument("sysconf", st.option.sysconf)
        assert got is not None, st.option.sysconf
        # partial: the layer's sysconf answers -1 for it (an absent option, errno unchanged)
        assert got.status == ("supported" if st.present else "partial"), (name, got)


def test_conformance_program_checks_every_option(states):
    text = source("tests/conformance/sysconf.c").read_text()
    checked = dict(re.findall(r"OPT\((_POSIX_\w+), (_SC_\w+)\)", text))
    assert checked == {n: s.option.sysconf for n, s in states.items()}


def test_margin_codes_expand(states):
    trace = states["_POSIX_TRACE"].option.interfaces
    assert "posix_trace_create" in trace and len(trace) >= 20


def test_bad_rows_are_located(tmp_path):
    bad = tmp_path / "options.tsv"
    bad.write_text("# c\noption\tsysconf\tinterfaces\tfixed\treason\n"
                   "_POSIX_X\t_SC_X\tno_such_function\t\t\n"
                   "_POSIX_Y\t_SC_Y\t\tno\t\n"
                   "_POSIX_Z\t_SC_Z\tcode:NOPE\t\t\n"
                   "POSIX_W\n")
    with pytest.raises(InputError) as e:
        load_options(bad)
    text = str(e.value)
    assert "options.tsv:3" in text and "'no_such_function' is not a POSIX interface" in text
    assert "options.tsv:4" in text and "needs its reason" in text
    assert "options.tsv:5" in text and "margin code 'NOPE'" in text
    assert "options.tsv:6" in text and "5 columns" in text


def test_cli_lists_each_profiles_options(states):
    import json

    from bkport.posixspec.cli import posix
    from click.testing import CliRunner

    res = CliRunner().invoke(posix, ["options", "--profile", "both", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)["profiles"]
    bk = {o["option"]: o for o in data["bkport"]}
    assert {n for n, o in bk.items() if o["present"]} == {n for n, s in states.items()
                                                          if s.present}
    assert bk["_POSIX_SPAWN"]["lacking"][0].startswith("posix_spawn")
    # upstream BlueOS (librs) has far fewer: no message queues there, for one
    bo = {o["option"]: o for o in data["blueos"]}
    assert sum(o["present"] for o in bo.values()) < sum(o["present"] for o in bk.values())
    assert not bo["_POSIX_MESSAGE_PASSING"]["present"]

"""The support database's constant arguments, read from the layer's C sources (layerargs.py):
a switch on the parameter (followed through the helpers it is passed to), a bit mask's table,
and what the real layer answers for fcntl, sysconf, open and the clocks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bkport.posixspec.layerargs import argument_support, layer_definitions
from bkport.posixspec.loader import load_spec
from bkport.posixspec.support import load_support

SWITCH = """\
/* a comment naming F_SETOWN: not code */
int fcntl(int fd, int cmd, ...)
{
    switch (cmd) {
    case F_GETFD:
    case F_SETFD:
        return helper(fd, cmd);
    case F_GETLK: {
        int x = 1;
        return x;
    }
    case F_SETOWN:
        return bk_fail(ENOTSUP);
    default:
        return bk_fail(EINVAL);
    }
}

static int to_kernel(clockid_t c)
{
    switch (c) {
#ifdef CLOCK_MONOTONIC
    case CLOCK_MONOTONIC: return 1;
#endif
    case CLOCK_REALTIME: return 0;
    default: return -1;
    }
}

static int now(clockid_t clk, struct timespec *ts)
{
    return to_kernel(clk) < 0 ? EINVAL : 0;
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
    return now(id, ts);
}

long sysconf(int name)
{
    switch (name) {
    case _SC_OPEN_MAX: return 32;
    case _SC_SEM_NSEMS_MAX: return -1; /* no limit besides memory */
    case _SC_REALTIME_SIGNALS: return -1; /* unsupported option */
    default:
        errno = EINVAL;
        return -1;
    }
}

int kill(pid_t pid, int sig)
{
    return bk_kill(pid, sig);
}
"""

FLAGS = """\
static const struct { int pico, linux_; } map[] = {
    { O_APPEND, 1 }, { O_CREAT, 2 },
};

static int to_kernel(int flags)
{
    int k = flags & O_ACCMODE;
    for (int i = 0; i < 2; i++)
        if (flags & map[i].pico)
            k |= map[i].linux_;
    return k;
}

int open(const char *path, int flags, ...)
{
    if (flags & O_TRUNC)
        return bk_open(path, to_kernel(flags), 0);
    return bk_open(path, to_kernel(flags), 0);
}
"""


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("repo")
    layer = root / "posix" / "layer" / "src"
    layer.mkdir(parents=True)
    (layer / "a.c").write_text(SWITCH)
    (layer / "b.c").write_text(FLAGS)
    spec = load_spec()
    return argument_support(spec, root / "posix" / "layer", root,
                            {"fcntl", "clock_gettime", "sysconf", "kill", "open"})


def test_a_switch_names_the_values_and_its_default_the_rest(found: dict) -> None:
    (a,) = found["fcntl"]
    assert a.param == "cmd" and a.index == 1
    assert a.where == "posix/layer/src/a.c:4"
    assert {v: s.status for v, s in a.values.items()} == {
        "F_GETFD": "supported", "F_SETFD": "supported", "F_GETLK": "supported",
        "F_SETOWN": "missing"}
    assert "ENOTSUP" in (a.values["F_SETOWN"].note or "")
    assert a.other is not None and a.other.status == "missing"
    assert "EINVAL" in (a.other.note or "") and "posix/layer/src/a.c:4" in (a.other.note or "")


def test_the_parameter_is_followed_into_helpers(found: dict) -> None:
    (a,) = found["clock_gettime"]
    assert a.where == "posix/layer/src/a.c:21"  # to_kernel's switch, two calls down
    assert {v: s.status for v, s in a.values.items()} == {
        "CLOCK_MONOTONIC": "supported", "CLOCK_REALTIME": "supported"}
    assert a.other is not None and a.other.status == "missing"  # a helper's -1 is a failure


def test_minus_one_is_an_answer_in_the_function_itself(found: dict) -> None:
    (a,) = found["sysconf"]
    assert a.values["_SC_OPEN_MAX"].status == "supported"
    assert a.values["_SC_SEM_NSEMS_MAX"].status == "supported"  # indeterminate: a valid answer
    assert a.values["_SC_REALTIME_SIGNALS"].status == "partial"
    assert "unsupported option" in (a.values["_SC_REALTIME_SIGNALS"].note or "")


def test_a_value_passed_on_unread_restricts_nothing(found: dict) -> None:
    assert "kill" not in found


def test_a_bit_mask_counts_the_names_its_code_and_tables_read(found: dict) -> None:
    (a,) = found["open"]
    names = set(a.values)
    assert {"O_APPEND", "O_CREAT", "O_TRUNC", "O_ACCMODE"} <= names
    assert {"O_RDONLY", "O_WRONLY", "O_RDWR"} <= names  # inside O_ACCMODE's bits
    assert "O_NOFOLLOW" not in names
    assert a.other is not None and a.other.status == "partial"


CHAIN = """\
static inline clockid_t to_linux(clockid_t v)
{
#ifdef CLOCK_REALTIME
    if (v == CLOCK_REALTIME) return 0;
#endif
    if (v == CLOCK_TAI) { return bk_fail(ENOTSUP); }
    return (clockid_t)-1;
}

int clock_getres(clockid_t c, struct timespec *res)
{
    if (to_linux(c) < 0)
        return bk_fail(EINVAL);
    return 0;
}
"""


def test_an_if_chain_names_the_values_and_what_follows_it_the_rest(tmp_path: Path) -> None:
    layer = tmp_path / "posix" / "layer"
    (layer / "src").mkdir(parents=True)
    (layer / "src" / "c.c").write_text(CHAIN)
    (a,) = argument_support(load_spec(), layer, tmp_path, {"clock_getres"})["clock_getres"]
    assert {v: s.status for v, s in a.values.items()} == {"CLOCK_REALTIME": "supported",
                                                           "CLOCK_TAI": "missing"}
    assert a.other is not None and a.other.status == "missing"
    assert a.where == "posix/layer/src/c.c:4"


def test_definitions_skip_comments_and_keywords(tmp_path: Path) -> None:
    (tmp_path / "c.c").write_text(SWITCH)
    defs = layer_definitions(tmp_path, tmp_path)
    assert {"fcntl", "to_kernel", "now", "clock_gettime", "sysconf", "kill"} == set(defs)
    assert defs["fcntl"][0].params == ("fd", "cmd")
    assert "F_SETOWN" not in defs["fcntl"][0].body.split("switch")[0]  # the comment is blanked


def test_the_real_layer() -> None:
    db = load_support("bkport")
    assert db.argument("fcntl", "F_SETLK").status == "supported"  # type: ignore[union-attr]
    assert db.argument("fcntl", "F_SETOWN").status == "missing"  # type: ignore[union-attr]
    assert db.argument("sysconf", "_SC_PAGE_SIZE").status == "supported"  # type: ignore
    assert db.argument("sysconf", "_SC_XOPEN_VERSION").status == "missing"  # type: ignore
    assert db.argument("open", "O_NDELAY").status == "supported"  # type: ignore[union-attr]
    assert db.argument("open", "O_CREAT").status == "supported"  # type: ignore[union-attr]
    assert db.argument("open", "O_ASYNC").status == "partial"  # type: ignore[union-attr]
    # decided two or three calls down (__bk_now, __bk_clock_to_kernel, the translator)
    assert re.fullmatch(r"\S+:\d+", db.arguments["clock_gettime"][0].where)
    assert db.argument("clock_gettime", "CLOCK_MONOTONIC").status == "supported"  # type: ignore
    assert db.argument("clock_gettime", "CLOCK_UPTIME").status == "missing"  # type: ignore
    assert db.argument("kill", "SIGTERM") is None  # passed to the kernel as it is
    assert load_support("blueos").argument("fcntl", "F_SETOWN") is None  # not recorded
    # the macros stay apart from the interfaces the coverage and compliance reports count
    assert len(db.entries) == load_spec().count
    assert db.lookup("WIFEXITED") is None  # an interface lookup, as every other user expects
    assert db.lookup_name("WIFEXITED").status == "supported"  # type: ignore[union-attr]

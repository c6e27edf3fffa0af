"""Config folding and applet attribution on a tiny busybox-shaped tree (no build, no database)."""

from __future__ import annotations

from pathlib import Path

from bkport.analyze.pipeline import Options, analyze
from bkport.plugins.busybox import analysis as busybox
from bkport.plugins.busybox.config import read_config

CONFIG = """\
CONFIG_FOO=y
CONFIG_BAR=y
# CONFIG_FEATURE_FORK is not set
CONFIG_FEATURE_PIPE=y
CONFIG_BUFSIZE=64
"""

TABLES = """\
/* This is a generated file, don't edit */
#define NUM_APPLETS 2
const char applet_names[] ALIGN1 = ""
"bar" "\\0"
"foo" "\\0"
;
int (*const applet_main[])(int argc, char **argv) = {
bar_main,
foo_main,
};
"""

FOO = """\
#include <unistd.h>
void common(void);
int foo_main(int argc, char **argv)
{
    int fds[2];
    if (ENABLE_FEATURE_FORK)
        fork();
    if (ENABLE_FEATURE_FORK && argc > 1)
        vfork();
    IF_FEATURE_PIPE(pipe(fds);)
    IF_NOT_FEATURE_PIPE(dup(0);)
    common();
    return CONFIG_BUFSIZE;
}
"""

BAR = """\
#include <unistd.h>
void common(void);
int bar_main(int argc, char **argv) { common(); return getpid(); }
"""

COMMON = """\
#include <unistd.h>
void common(void) { write(1, "x", 1); }
"""

MAIN = """\
#include <stdlib.h>
extern int (*const applet_main[])(int argc, char **argv);
int main(int argc, char **argv) { atexit(0); return applet_main[0](argc, argv); }
"""


def fake_busybox(root: Path) -> Path:
    (root / "applets").mkdir(parents=True)
    (root / "libbb").mkdir()
    (root / "include").mkdir()
    (root / "applets" / "applet_tables.c").write_text("/* host tool */\n")
    (root / "include" / "applet_tables.h").write_text(TABLES)
    (root / ".config").write_text(CONFIG)
    (root / "foo.c").write_text(FOO)
    (root / "bar.c").write_text(BAR)
    (root / "libbb" / "common.c").write_text(COMMON)
    (root / "libbb" / "appletlib.c").write_text(MAIN)
    return root


def test_read_config_and_header(tmp_path: Path) -> None:
    cfg = tmp_path / ".config"
    cfg.write_text(CONFIG)
    conf = read_config(cfg)
    assert conf["CONFIG_FOO"] == "y" and conf["CONFIG_FEATURE_FORK"] is None
    hdr = busybox.autoconf_header(conf)
    assert "#define ENABLE_FEATURE_FORK 0" in hdr and "#define ENABLE_FOO 1" in hdr
    assert "#define IF_FEATURE_PIPE(...) __VA_ARGS__" in hdr
    assert "#define IF_NOT_FEATURE_PIPE(...)\n" in hdr
    assert "#define CONFIG_BUFSIZE 64" in hdr


def test_applet_table(tmp_path: Path) -> None:
    assert busybox.applets(fake_busybox(tmp_path / "bb")) == {"bar": "bar_main",
                                                             "foo": "foo_main"}


def test_folding_and_attribution(tmp_path: Path, cache_env: Path) -> None:
    src = fake_busybox(tmp_path / "bb")
    doc = analyze(src, Options(jobs=1))
    assert any("NO COMPILE DATABASE" in w for w in doc["warnings"])
    assert doc["database"]["origin"] == "heuristic"
    assert not doc["units"]["with_errors"]
    assert any("host build tool" in s for s in doc["units"]["skipped"])
    finds = doc["findings"]
    # if (ENABLE_X): kept, marked dead; IF_X(...): gone with the preprocessor
    assert [f["live"] for f in finds if f["api"] == "fork"] == [False]
    assert [f["live"] for f in finds if f["api"] == "vfork"] == [False]
    assert not [f for f in finds if f["api"] == "dup"]
    assert [f["live"] for f in finds if f["api"] == "pipe"] == [True]
    t = doc["targets"]
    assert t["kind"] == "applet" and t["count"] == 2
    m = doc["matrix"]
    assert {"pipe", "write", "atexit"} <= set(m["foo"]) and "fork" not in m["foo"]
    assert {"getpid", "write", "atexit"} <= set(m["bar"]) and "pipe" not in m["bar"]
    apis = {a["key"]: a for a in doc["apis"]}
    assert apis["write"]["targets"] == ["bar", "foo"]
    assert apis["pipe"]["targets"] == ["foo"]

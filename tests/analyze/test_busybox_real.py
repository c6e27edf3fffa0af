"""End to end on the real busybox 1.35.0 from Debian (fetched, configured with defconfig and
recorded with Bear by bkport itself), on a subset of its translation units to stay quick."""

from __future__ import annotations

import pytest
from bkport import plugins
from bkport.analyze.pipeline import Options, analyze

pytestmark = pytest.mark.busybox


def test_busybox_coreutils_subset() -> None:
    bb = plugins.get("busybox")
    src = bb.fetch(bb.recipe(), print)
    doc = analyze(src, Options(only=("/coreutils/", "/libbb/", "/applets/")))
    assert doc["database"]["origin"] in ("project", "bear")
    assert doc["units"]["total"] > 150 and not doc["units"]["with_errors"], doc["units"]
    assert doc["targets"]["kind"] == "applet"
    ls = set(doc["matrix"]["ls"])
    assert {"opendir", "readdir", "lstat", "S_ISDIR"} <= ls
    apis = {a["key"]: a for a in doc["apis"]}
    assert apis["fork"]["action"] == "alternative"
    assert apis["errno"]["symbols"] == ["__errno_location"]
    # busybox's IF_/ENABLE_ folding: code the configuration discards is marked dead
    assert any(not f["live"] for f in doc["findings"])

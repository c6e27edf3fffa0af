"""`bkport validate` checks its arguments before it configures or builds anything."""

from __future__ import annotations

import subprocess
import sys
import time


def run(args, cwd):
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, "-m", "bkport.cli", "validate", *args],
                       capture_output=True, text=True, cwd=cwd)
    return p, time.monotonic() - t0


def test_unknown_applet_is_refused_before_any_build(tmp_path):
    out = tmp_path / "work"
    p, _ = run(["--applets", "echo,nosuchapplet,sedd", "--out", str(out),
                "--build-dir", str(tmp_path / "bb")], cwd=tmp_path)
    assert p.returncode == 2, p.stderr
    line = [ln for ln in p.stderr.splitlines() if "nosuchapplet" in ln]
    assert line and "--applets" in line[0] and "'sedd' (did you mean 'sed'?)" in line[0]
    assert "applets.txt" in line[0]
    assert "building busybox" not in p.stderr
    assert not out.exists() and not (tmp_path / "bb").exists()


def test_jobs_must_be_positive(tmp_path):
    p, _ = run(["-j", "0"], cwd=tmp_path)
    assert p.returncode == 2 and "-j" in p.stderr and "0" in p.stderr
    assert "building busybox" not in p.stderr

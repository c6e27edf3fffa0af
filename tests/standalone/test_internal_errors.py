"""A bug in bkport is one line on stderr and exit 70; the traceback only with BKPORT_DEBUG=1."""

from __future__ import annotations

import os
import subprocess
import sys

# A subcommand that fails the way a bug does: an exception bkport did not anticipate.
SCRIPT = """
import click, sys
import bkport.cli as c

@click.command()
def boom():
    {}["missing"]

sys.modules["bkport_boom"] = type(sys)("bkport_boom")
sys.modules["bkport_boom"].boom = boom
c.SUBCOMMANDS["boom"] = "bkport_boom:boom"
sys.argv = ["bkport", "boom"]
c.main()
"""


def run(debug: bool) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "BKPORT_DEBUG"}
    if debug:
        env["BKPORT_DEBUG"] = "1"
    return subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          env=env)


def test_unexpected_error_is_one_line_and_exit_70():
    p = run(debug=False)
    assert p.returncode == 70
    assert p.stderr.splitlines() == [
        "bkport: internal error: KeyError: 'missing' (BKPORT_DEBUG=1 shows the traceback; "
        "please report it)"]


def test_debug_shows_the_traceback():
    p = run(debug=True)
    assert p.returncode == 70
    assert "Traceback (most recent call last)" in p.stderr and "KeyError" in p.stderr

"""Every `bkport posix` subcommand (and report, shim, analyze) shows an Examples: block in its
--help; the posix examples parse with the command's own options."""

import shlex

import click
import pytest
from bkport.cli import cli
from click.testing import CliRunner

POSIX = ["show", "coverage", "options", "gen", "abi"]


def examples(help_text: str) -> list[str]:
    lines = help_text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.strip() == "Examples:")
    out = []
    for ln in lines[start + 1:]:
        if not ln.strip():
            break
        out.append(ln.strip())
    return out


def test_every_posix_subcommand_is_listed():
    group = cli.get_command(click.Context(cli), "posix")
    assert sorted(group.list_commands(click.Context(group))) == sorted(POSIX)


@pytest.mark.parametrize("path", [["posix", c] for c in POSIX] + [["report"], ["report-results"],
                                                                   ["shim"], ["analyze"]],
                         ids=lambda p: " ".join(p))
def test_help_has_examples_that_parse(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    found = [e for e in examples(result.output) if e.startswith(f"bkport {' '.join(path)}")]
    assert found, f"no Examples: block in `bkport {' '.join(path)} --help`"
    if path[0] != "posix":
        return  # their examples name input files that do not exist here
    cmd = cli
    ctx = click.Context(cli)
    for name in path:
        cmd = cmd.get_command(ctx, name)
        ctx = click.Context(cmd, parent=ctx)
    for example in found:
        cmd.make_context(" ".join(path), shlex.split(example, comments=True)[1 + len(path):])

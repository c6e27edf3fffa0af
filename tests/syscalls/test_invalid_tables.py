"""Every class of bad table is reported with file:line:col, all problems in one run."""

import re
from pathlib import Path

import pytest
from bkport.errors import InputError
from bkport.syscalls.loader import load_table

INVALID = sorted((Path(__file__).parent / "invalid").glob("*.bksys"))


def expectations(path: Path) -> list[tuple[int | None, int | None, str]]:
    out = []
    for line in path.read_text().splitlines():
        m = re.match(r"# expect: (?:(\d+):(\d+): )?(.*)", line)
        if m:
            ln, col, rx = m.groups()
            out.append((int(ln) if ln else None, int(col) if col else None, rx))
    return out


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_table_reports_every_problem_located(path: Path):
    expected = expectations(path)
    assert expected, f"{path.name} declares no '# expect:' lines"
    with pytest.raises(InputError) as exc:
        load_table(path, lock=None)
    diags = exc.value.diagnostics
    for line, col, rx in expected:
        matches = [d for d in diags if re.search(rx, d.message)
                   and (line is None or (d.loc.line, d.loc.col) == (line, col))]
        assert matches, f"no diagnostic {line}:{col}: /{rx}/ in:\n{exc.value}"
        assert all(d.loc.file.endswith(path.name) for d in matches)
    # Nothing unexpected either: one diagnostic per expectation.
    assert len(diags) == len(expected), str(exc.value)


def test_cli_prints_all_problems_and_fails(tmp_path):
    from bkport.cli import cli
    from click.testing import CliRunner

    bad = Path(__file__).parent / "invalid" / "duplicates.bksys"
    result = CliRunner().invoke(cli, ["syscalls", "check", "--table", str(bad)])
    assert result.exit_code != 0
    assert isinstance(result.exception, InputError)
    assert len(result.exception.diagnostics) == 5

"""The committed table is BlueKernel's real ABI: all upstream calls at upstream numbers."""

import json

from bkport.blueos import load_facts
from bkport.cli import cli
from bkport.syscalls import load_table
from bkport.syscalls.model import StatusKind
from click.testing import CliRunner


def upstream_rows():
    return [{"index": str(c.index), "variant": c.variant, "handler": c.handler, "args": c.args,
             "returns": c.returns, "gate": c.gate or ""} for c in load_facts().kernel_calls()]


def test_check_passes():
    result = CliRunner().invoke(cli, ["syscalls", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: ")
    assert "70 numbers locked" in result.output


def test_list_json_has_upstream_calls_at_upstream_numbers():
    result = CliRunner().invoke(cli, ["syscalls", "list", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["schema"] == "bkport.syscalls/1"
    by_number = {c["number"]: c for c in data["calls"]}
    rows = upstream_rows()
    assert len(rows) == 70
    for row in rows:
        call = by_number[int(row["index"])]
        assert call["variant"] == row["variant"]
        assert call["name"] == row["handler"]
        assert (call["gate"] or "") == row["gate"], row["variant"]
        upstream_args = [a for a in row["args"].split(", ") if a]
        assert len(call["params"]) == len(upstream_args), row["variant"]


def test_new_calls_are_appended_after_upstream():
    table = load_table()
    assert [c.number for c in table.calls] == list(range(table.count))
    for c in table.calls[70:]:
        assert c.status.kind in (StatusKind.PROPOSED, StatusKind.FULL, StatusKind.PARTIAL,
                                 StatusKind.STUB, StatusKind.FAKE, StatusKind.RETIRED)


def test_signal_placeholders_are_not_claimed_as_working():
    table = load_table()
    for variant in ("RtSigAction", "RtSigProcmask", "RtSigSuspend", "RtSigTimedWait"):
        assert table.by_name(variant).status.kind is StatusKind.FAKE


def test_show_unknown_name_suggests_and_fails():
    result = CliRunner().invoke(cli, ["syscalls", "show", "wrte"])
    assert result.exit_code != 0
    assert "write" in str(result.exception)


def test_filtering_list_by_status_and_gate():
    result = CliRunner().invoke(cli, ["syscalls", "list", "--format", "json",
                                      "--gate", "enable_net", "--status", "partial"])
    data = json.loads(result.output)
    assert [c["variant"] for c in data["calls"]] == ["Accept"]


def test_committed_docs_are_generated_from_the_table(repo):
    from bkport.syscalls.gen.docs import render

    committed = (repo / "docs" / "syscalls.md").read_text()
    assert committed == render(load_table()), "run: bkport syscalls gen --out build/gen " \
        "--docs docs/syscalls.md"
    assert "| 11 | Write | `write(fd: int, buf: in ptr<u8> @len(size), size: usize) -> long` " \
           "| full | enable_vfs |" in committed
    assert "| fake | 8 |" in committed

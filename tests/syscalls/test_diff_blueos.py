"""`bkport syscalls diff-blueos` on a small synthetic BlueKernel tree written here."""

import json
from pathlib import Path

from bkport.blueos import load_facts
from bkport.cli import cli
from click.testing import CliRunner


def upstream():
    return [{"index": str(c.index), "variant": c.variant, "handler": c.handler, "args": c.args,
             "returns": c.returns, "gate": c.gate or ""} for c in load_facts().calls]


def write_tree(root: Path, rows, handler_overrides=None, arg_overrides=None) -> Path:
    handler_overrides = handler_overrides or {}
    arg_overrides = arg_overrides or {}
    (root / "header/src").mkdir(parents=True)
    (root / "kernel/src/syscall_handlers").mkdir(parents=True)
    variants = "\n".join(
        f"    {r['variant']}{' = 0' if i == 0 else ''}, // {r['handler']}" for i, r in enumerate(rows))
    (root / "header/src/lib.rs").write_text(
        "#![no_std]\n/* the syscall numbers */\n"
        "// FIXME: We should really consider stable syscall nr.\n"
        "#[repr(usize)]\n#[derive(Debug)]\npub enum NR {\n" + variants + "\n}\n")
    pairs, handlers = [], []
    for r in rows:
        if r["variant"] == "LastNR":
            continue
        h = handler_overrides.get(r["variant"], r["handler"])
        pairs.append(f"    ({r['variant']}, {h}),")
        args = arg_overrides.get(r["variant"], r["args"])
        handlers.append(f"define_syscall_handler!(\n{h}({args}) -> c_long {{\n    0\n}});\n")
    (root / "kernel/src/syscall_handlers/mod.rs").write_text(
        "\n".join(handlers) + "\nsyscall_table! {\n" + "\n".join(pairs) + "\n}\n")
    return root


def run(path: Path, *extra):
    return CliRunner().invoke(cli, ["syscalls", "diff-blueos", str(path), *extra])


def test_matching_tree_has_no_drift(tmp_path):
    result = run(write_tree(tmp_path, upstream()))
    assert result.exit_code == 0, result.output
    assert "0 difference(s)" in result.output and "70 upstream calls" in result.output


def test_reordered_renamed_and_new_upstream_calls_are_reported(tmp_path):
    rows = upstream()
    rows[11], rows[12] = rows[12], rows[11]  # Close before Write: both renumbered
    new = {"index": "70", "variant": "Pipe", "handler": "pipe", "args": "fds: *mut c_int",
           "returns": "c_int", "gate": ""}
    rows.insert(-1, new)
    tree = write_tree(tmp_path, rows, handler_overrides={"Nop": "noop"},
                      arg_overrides={"Echo": "a: c_long, b: c_long"})
    result = run(tree, "--format", "json")
    assert result.exit_code == 1
    drift = json.loads(result.output)["drift"]
    kinds = {(d["kind"], d["variant"]) for d in drift}
    assert ("number", "Write") in kinds and ("number", "Close") in kinds
    assert ("handler", "Nop") in kinds
    assert ("arity", "Echo") in kinds
    assert ("missing-in-table", "Pipe") in kinds
    msg = next(d["message"] for d in drift if d["variant"] == "Write")
    assert msg == "Write is 11 in the table, 12 upstream"


def test_not_a_checkout_is_a_clear_error(tmp_path):
    result = run(tmp_path)
    assert result.exit_code != 0
    assert "header/src/lib.rs: not found" in str(result.exception)


def test_kernel_option_states_the_checkout(tmp_path):
    tree = write_tree(tmp_path / "kernel", upstream())
    result = CliRunner().invoke(cli, ["syscalls", "diff-blueos", "--kernel", str(tree)])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first == f"compared against BlueKernel checkout {tree} (kernel, commit unknown)"
    doc = json.loads(CliRunner().invoke(
        cli, ["syscalls", "diff-blueos", "--kernel", str(tree), "--format", "json"]).output)
    assert doc["against"] == {"kind": "checkout", "path": str(tree),
                              "source": "kernel, commit unknown"}


def test_without_kernel_compares_against_the_snapshot():
    prov = load_facts().provenance["syscalls.tsv"]
    result = CliRunner().invoke(cli, ["syscalls", "diff-blueos"])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("compared against the shipped BlueKernel snapshot ")
    assert f"source: {prov.source}; imported: {prov.imported}" in first
    assert "0 difference(s) against the snapshot (70 upstream calls)" in result.output
    doc = json.loads(CliRunner().invoke(cli, ["syscalls", "diff-blueos", "--format",
                                              "json"]).output)
    assert doc["against"]["kind"] == "snapshot"
    assert doc["against"]["source"] == prov.source
    assert doc["against"]["imported"] == prov.imported
    assert doc["drift"] == []


def test_checkout_and_kernel_must_agree(tmp_path):
    a = write_tree(tmp_path / "a", upstream())
    b = write_tree(tmp_path / "b", upstream())
    result = CliRunner().invoke(cli, ["syscalls", "diff-blueos", str(a), "--kernel", str(b)])
    assert result.exit_code == 2


def test_every_syscalls_command_has_examples():
    for cmd in ("check", "list", "show", "gen", "lock", "diff-blueos"):
        out = CliRunner().invoke(cli, ["syscalls", cmd, "--help"]).output
        assert "Examples:\n    bkport syscalls " + cmd in out, cmd

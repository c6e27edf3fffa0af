"""`bkport blueos import` / `show` and the Rust reader, on fixture trees written in conftest."""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bkport.blueos.facts import DATA, FILES, KernelCall, LibrsFunction, Stub, load_facts, read_tsv
from bkport.blueos.importer import call_rows, read_facts, read_kernel, read_librs
from bkport.cli import cli, main
from bkport.errors import InputError
from click.testing import CliRunner

from tests.blueos.conftest import BACKEND, HANDLERS, HEADER, LIB, write_kernel, write_librs

TODAY = datetime.date.today().isoformat()


def invoke(*args):
    return CliRunner().invoke(cli, ["blueos", *map(str, args)])


def snapshot_state(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_kernel_facts_exactly(kernel):
    k = read_kernel(kernel)
    assert k.calls == (
        KernelCall(0, "Nop", "nop", "", "c_long", None),
        KernelCall(1, "Echo", "echo", "val: c_long", "c_long", None),  # from echo.rs
        KernelCall(2, "Write", "write", "fd: c_int, buf: *const u8, size: usize", "c_long",
                   "enable_vfs"),  # gate on the handler; multi-line args, trailing comma
        KernelCall(3, "Read", "read", "fd: c_int, buf: *mut c_void, count: size_t", "isize",
                   None),
        KernelCall(4, "Socket", "socket", "domain: c_int, type_: c_int, protocol: c_int",
                   "c_int", "enable_net"),  # gate on the table entry
        KernelCall(5, "Bind", "bind", "fd: c_int, addr: *const sockaddr, len: socklen_t",
                   "c_int", "net"),  # #[cfg(feature = "net")]
        KernelCall(6, "Ghost", "", "", "", None),  # no table entry
        KernelCall(7, "LastNR", "(sentinel: count of syscalls)", "", "", None),
    )
    assert len(k.warnings) == 1 and "Ghost (6) has no syscall_table! entry" in k.warnings[0]


def test_librs_facts_exactly(librs):
    lib = read_librs(librs)
    assert lib.functions == {
        "strlen": LibrsFunction("strlen", "strong", "C", "all"),
        "fflush": LibrsFunction("fflush", "weak", "C", "all"),
        "realpath": LibrsFunction("realpath", "strong", "Rust", "all"),
        "__aeabi_unwind_cpp_pr0": LibrsFunction("__aeabi_unwind_cpp_pr0", "weak", "C", "arm"),
    }
    assert lib.statics == ["stdout"]
    assert list(lib.stubs.values()) == [
        Stub("chmod", "succeeds-doing-nothing", "nothing to change on this board"),
        Stub("nice", "succeeds-doing-nothing", "returns 0"),
        Stub("mmap", "always-fails", "no MMU here"),
        Stub("dup", "always-fails", "returns -1"),
    ]
    facts = read_facts(write_kernel(librs.parent / "kernel2"), librs)
    assert facts.c_callable() == {"strlen", "fflush", "__aeabi_unwind_cpp_pr0"}
    assert facts.statics == {"stdout"}


def test_import_writes_provenance_and_prints_changes(kernel, librs, data):
    boards = (data / "boards.tsv").read_bytes()
    r = invoke("import", "--kernel", kernel, "--librs", librs, "--out", data,
               "--commit", "abc1234", "--date", "2026-11-30", "--librs-commit", "def5678")
    assert r.exit_code == 0, r.output
    out = r.output
    assert "+ call Ghost: 6: (no handler)" in out
    assert "- call GetTid: 2: get_tid() -> c_long" in out
    assert "~ call Write renumbered: 11 -> 2" in out
    assert "~ call Bind gate: enable_net -> net" in out
    assert "~ call Write signature: write(fd: i32, buf: *const u8, size: usize) -> c_long" in out
    assert "~ call Read renumbered: 13 -> 3" in out
    assert "~ call Read gate: enable_vfs -> (none)" in out
    assert "- function _Unwind_Backtrace: weak, C, all" in out
    assert "+ function" not in out  # the four fixture functions are all in the snapshot
    assert "~ function" not in out
    assert "- static stdin" in out and "+ static" not in out
    assert ("~ stub chmod note: BlueOS backend stub -> nothing to change on this board"
            in out)
    assert "- stub pipe: always-fails (pipe2 backend returns -1)" in out
    assert "~ stub nice" not in out  # same behaviour, same note
    assert "~ source: vivoblueos/kernel, commit 37c4c94" in out
    summary = out.strip().splitlines()[-1]
    assert summary.endswith(f"4 file(s) written to {data}")
    assert "calls +1 -" in summary and "functions +0 -" in summary

    prov, rows = read_tsv(data / "syscalls.tsv", FILES["syscalls.tsv"])
    assert prov.source == "kernel, commit abc1234 (2026-11-30)"
    assert prov.imported == f"{TODAY} by bkport blueos import"
    assert [r["variant"] for r in rows] == ["Nop", "Echo", "Write", "Read", "Socket", "Bind",
                                           "Ghost", "LastNR"]
    lprov, _ = read_tsv(data / "librs-stubs.tsv", FILES["librs-stubs.tsv"])
    assert lprov.source == "librs, commit def5678"
    assert (data / "boards.tsv").read_bytes() == boards
    facts = load_facts(data)
    assert facts.stubs["mmap"].behaviour == "always-fails"
    assert facts.functions["realpath"].abi == "Rust"


def test_second_import_changes_nothing(kernel, librs, data):
    args = ("import", "--kernel", kernel, "--librs", librs, "--out", data, "--commit", "abc1234")
    assert invoke(*args).exit_code == 0
    before = snapshot_state(data)
    r = invoke(*args)
    assert r.exit_code == 0, r.output
    assert r.output.strip().splitlines()[-1].startswith("no changes:")
    assert "0 file(s) written" in r.output
    assert "  + " not in r.output and "  - " not in r.output and "  ~ " not in r.output
    assert snapshot_state(data) == before


def test_dry_run_writes_nothing(kernel, librs, data):
    before = snapshot_state(data)
    r = invoke("import", "--kernel", kernel, "--librs", librs, "--out", data, "--dry-run")
    assert r.exit_code == 0, r.output
    assert "+ call Ghost" in r.output
    assert "dry run: 4 file(s) would be written, nothing written" in r.output
    assert snapshot_state(data) == before


def test_without_librs_the_librs_files_are_untouched(kernel, data):
    before = snapshot_state(data)
    r = invoke("import", "--kernel", kernel, "--out", data, "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert [f["file"] for f in doc["files"]] == ["syscalls.tsv"]
    assert doc["counts"]["call"]["added"] == 1
    after = snapshot_state(data)
    assert {n for n in after if after[n] != before[n]} == {"syscalls.tsv"}


def test_git_checkout_provenance(tmp_path, data):
    k = write_kernel(tmp_path / "kernel")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
           "GIT_COMMITTER_DATE": "2026-11-29T12:00:00Z", "GIT_AUTHOR_DATE": "2026-11-29T12:00:00Z"}
    for cmd in (["init", "-q"], ["add", "."], ["commit", "-qm", "fixture"],
                ["remote", "add", "origin", "https://github.com/vivoblueos/kernel.git"]):
        subprocess.run(["git", "-C", str(k), *cmd], check=True, env=env, capture_output=True)
    sha = subprocess.run(["git", "-C", str(k), "log", "-1", "--format=%h"], check=True,
                         capture_output=True, text=True).stdout.strip()
    r = invoke("import", "--kernel", k, "--out", data)
    assert r.exit_code == 0, r.output
    source = f"vivoblueos/kernel, commit {sha} (2026-11-29)"
    assert f"syscalls.tsv <- {source}" in r.output
    assert read_tsv(data / "syscalls.tsv", FILES["syscalls.tsv"])[0].source == source


def test_not_a_git_checkout_without_commit(kernel, data):
    r = invoke("import", "--kernel", kernel, "--out", data)
    assert "syscalls.tsv <- kernel, commit unknown" in r.output


@pytest.mark.parametrize("where,old,new,line,expect", [
    ("handlers", "nop() -> c_long {", "nop() c_long {", 9,
     "nop: expected `define_syscall_handler!(name(arg: Type, ...) -> Ret { body })` (no `-> Ret`)"),
    ("handlers", "(Read,read),", "Read => read,", 41, "expected a syscall_table! entry"),
    ("handlers", "    socket(domain: c_int,", "    socket(c_int,", 29,
     "expected a parameter `name: Type`, found 'c_int'"),
    ("header", "        Read,\n", "        Read Again,\n", 11, "expected an enum NR variant"),
    ("header", "Echo,", "Echo = 7,", 9, "Echo = 7 breaks declaration order (expected 1)"),
    ("librs", "pub static mut stdout", "pub struct stdout", 23,
     "expected a `fn` or `static` item after #[no_mangle]"),
])
def test_malformed_input_is_one_located_error(tmp_path, data, monkeypatch, capsys,
                                              where, old, new, line, expect):
    header, handlers, lib = HEADER, HANDLERS, LIB
    if where == "header":
        assert old in header
        header = header.replace(old, new)
    elif where == "handlers":
        assert old in handlers
        handlers = handlers.replace(old, new)
    else:
        assert old in lib
        lib = lib.replace(old, new)
    k = write_kernel(tmp_path / "kernel", header, handlers)
    lr = write_librs(tmp_path / "librs")
    (lr / "src/lib.rs").write_text(lib)
    before = snapshot_state(data)
    monkeypatch.setattr(sys, "argv", ["bkport", "blueos", "import", "--kernel", str(k),
                                      "--librs", str(lr), "--out", str(data)])
    with pytest.raises(SystemExit) as e:
        main()
    assert e.value.code == 1
    err = capsys.readouterr().err.splitlines()
    rel = {"header": "header/src/lib.rs", "handlers": "kernel/src/syscall_handlers/mod.rs",
           "librs": "src/lib.rs"}[where]
    located = [x for x in err if f"{rel}:{line}:" in x]
    assert len(located) == 1 and expect in located[0], err
    assert err[-1] == "bkport: 1 problem found"
    assert snapshot_state(data) == before


def test_missing_backend_is_an_error(kernel, tmp_path):
    lr = write_librs(tmp_path / "librs")
    (lr / "src/syscall/blueos/mod.rs").unlink()
    with pytest.raises(InputError, match=r"src/syscall/blueos/mod.rs: not found"):
        read_librs(lr)
    assert BACKEND  # the fixture stays importable


def write_snapshot_kernel(root: Path, calls) -> Path:
    """A kernel tree saying what the shipped snapshot says: gates alternately on the handler
    and on the table entry."""
    nr = "\n".join(f"        {c.variant}," for c in calls)
    header = f"pub mod syscalls {{\n    #[repr(usize)]\n    pub enum NR {{\n{nr}\n    }}\n}}\n"
    defs, table = [], []
    for c in calls:
        if c.variant == "LastNR":
            continue
        on_handler = c.gate and c.index % 2 == 0
        attr = f"#[cfg({c.gate})]\n" if on_handler else ""
        defs.append(f"{attr}define_syscall_handler!(\n    {c.handler}({c.args}) -> {c.returns} "
                    f"{{\n        0\n    }}\n);\n")
        entry_attr = f"    #[cfg({c.gate})]\n" if c.gate and not on_handler else ""
        table.append(f"{entry_attr}    ({c.variant}, {c.handler}),")
    handlers = "\n".join(defs) + "\nsyscall_table! {\n" + "\n".join(table) + "\n}\n"
    (root / "header/src").mkdir(parents=True)
    (root / "kernel/src/syscall_handlers").mkdir(parents=True)
    (root / "header/src/lib.rs").write_text(header)
    (root / "kernel/src/syscall_handlers/mod.rs").write_text(handlers)
    return root


def test_snapshot_fixture_reproduces_syscalls_tsv(tmp_path, data):
    k = write_snapshot_kernel(tmp_path / "kernel", load_facts().calls)
    shipped = [tuple(r[c] for c in FILES["syscalls.tsv"])
               for r in read_tsv(DATA / "syscalls.tsv", FILES["syscalls.tsv"])[1]]
    assert call_rows(read_kernel(k).calls) == shipped
    r = invoke("import", "--kernel", k, "--out", data, "--commit", "37c4c94",
               "--date", "2026-07-22")
    assert r.exit_code == 0, r.output
    changes = [x for x in r.output.splitlines() if x.startswith("  ")]
    assert len(changes) == 1 and "~ source: vivoblueos/kernel, commit 37c4c94" in changes[0]
    assert r.output.strip().splitlines()[-1].startswith("no changes:")
    rows = [tuple(r[c] for c in FILES["syscalls.tsv"])
            for r in read_tsv(data / "syscalls.tsv", FILES["syscalls.tsv"])[1]]
    assert rows == shipped


def test_show_prints_provenance_and_counts():
    r = invoke("show")
    assert r.exit_code == 0, r.output
    prov = load_facts().provenance["syscalls.tsv"]
    assert f"source:   {prov.source}" in r.output
    assert f"imported: {prov.imported}" in r.output
    f = load_facts()
    weak = sum(x.linkage == "weak" for x in f.functions.values())
    assert (f"{len(f.kernel_calls())} calls (+ LastNR), {len(f.functions)} functions "
            f"({weak} weak, 1 Rust-ABI), {len(f.statics)} statics, {len(f.stubs)} stubs") in r.output
    doc = json.loads(invoke("show", "--format", "json").output)
    assert doc["counts"]["rust_abi"] == 1 and "librs-stubs.tsv" in doc["files"]


def test_show_of_an_imported_folder(kernel, librs, data):
    invoke("import", "--kernel", kernel, "--librs", librs, "--out", data, "--commit", "abc1234")
    r = invoke("show", "--data", data)
    assert "source:   kernel, commit abc1234" in r.output
    assert "7 calls (+ LastNR), 4 functions (2 weak, 1 Rust-ABI), 1 statics, 4 stubs " \
           "(2 succeed doing nothing, 2 always fail)" in r.output


@pytest.mark.parametrize("args", [["--help"], ["import", "--help"], ["show", "--help"]])
def test_help_has_examples(args):
    r = invoke(*args)
    assert r.exit_code == 0 and "Examples:\n    bkport blueos" in r.output

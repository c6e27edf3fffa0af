"""The board table (kernel/boards.toml): it loads, agrees with BlueKernel's board facts and with
the modules that read it, and a bad table is refused with each problem at its file:line."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from bkport import boards
from bkport.errors import InputError
from bkport.toolchain import qemu
from bkport.toolchain.targets import ARCHES, BOARDS

HERE = Path(__file__).resolve().parent
INVALID = sorted((HERE / "invalid").glob("*.toml"))


def test_table_loads_into_the_models():
    t = boards.load()
    assert t.arches is ARCHES and t.boards is BOARDS
    assert set(ARCHES) == {"cortex-m", "aarch64", "riscv64"}
    assert {"qemu_mps2_an385", "qemu_virt64_aarch64", "qemu_riscv64"} <= set(BOARDS)
    an385 = BOARDS["qemu_mps2_an385"]
    assert an385.arch is ARCHES["cortex-m"]
    assert an385.boot_blob == boards.BootBlob(0x2100_0000, 16 << 20, file_pool=True)
    assert an385.image_region == (0, 4 << 20)
    assert an385.region("KRAM").length == (1 << 20) + (16 << 10) + (64 << 10)
    assert an385.console == boards.Device("cmsdk-uart", (("base", 0x4000_4000),))
    assert an385.timer["hz"] == 25_000_000
    assert an385.qemu.machine_args() == ("-M", "mps2-an385", "-semihosting")
    assert re.fullmatch(r"kernel/boards.toml:\d+", an385.source)
    # the arch's toolchain unless the board overrides it
    assert BOARDS["qemu_riscv64"].rust_target == ARCHES["riscv64"].rust_target


@pytest.mark.parametrize("name", sorted(BOARDS))
def test_every_board_is_consistent(name):
    b = BOARDS[name]
    names = [r.name for r in b.memory]
    assert {"IMAGE", "KRAM", "RAM"} <= set(names) <= {"IMAGE", "KRAM", "RAM", "VECTORS"}
    assert b.kernel.stack + b.kernel.heap < b.region("KRAM").length
    blob_end = b.boot_blob.origin + b.boot_blob.max
    assert all(blob_end <= r.origin or r.end <= b.boot_blob.origin for r in b.memory)
    for what, dev in b.devices():
        assert dev.kind in b.arch.drivers, (what, dev.kind)
    assert (boards.source("kernel/src") / b.arch.kernel_source).is_file()


@pytest.mark.parametrize("name", sorted(BOARDS))
def test_qemu_command_comes_from_the_table(name):
    b = BOARDS[name]
    cmd = qemu.qemu_command(name, Path("/img.elf"), Path("/boot.bin"))
    assert cmd[0] == b.qemu.binary
    assert cmd[1:3] == ["-M", b.qemu.machine]
    assert f"loader,file=/boot.bin,addr={b.boot_blob.origin:#x},force-raw=on" in cmd
    assert qemu.BOOT_BLOB[name] == b.boot_blob.origin
    assert qemu.BOOT_BLOB_MAX[name] == b.boot_blob.max


def test_boards_agree_with_bluekernel_facts():
    """The table started from porter/blueos/data/boards.tsv (BlueKernel's board list): the same
    QEMU binary and machine, and the console address where the facts name one."""
    from bkport.blueos import load_facts

    facts = {row["board"]: row for row in load_facts().boards}
    for name, b in BOARDS.items():
        row = facts[name]  # every board is one BlueKernel has
        args = shlex.split(row["machine_args"])
        assert row["qemu"] == b.qemu.binary, name
        assert args[args.index("-M") + 1] == b.qemu.machine, name
        m = re.search(r"at (0x[0-9a-fA-F]+)", row["console"])
        if m:
            assert int(m[1], 16) == b.console["base"], name


def test_minimal_table_loads():
    """The invalid tables below are this one with one mistake each."""
    t = boards.load_file(HERE / "minimal.toml")
    assert list(t.boards) == ["b"] and t.boards["b"].source.endswith("minimal.toml:13")


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_table_is_refused_at_its_line(path):
    expected = [line.removeprefix("# expect: ") for line in path.read_text().splitlines()
                if line.startswith("# expect: ")]
    assert expected, f"{path.name}: no '# expect:' lines"
    with pytest.raises(InputError) as e:
        boards.load_file(path)
    file = boards.display(path)
    assert [str(d) for d in e.value.diagnostics] == [f"{file}:{x}" for x in expected]


def test_missing_table_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match=r"boards.toml: cannot read the board table"):
        boards.load_file(tmp_path / "boards.toml")


def test_sizes():
    assert boards.parse_size("1M + 16K + 64K") == (1 << 20) + (80 << 10)
    assert boards.parse_size("0x1000") == 4096 and boards.parse_size(512) == 512
    assert boards.parse_size("4Q") is None and boards.parse_size(True) is None


def test_key_lines_know_inline_tables_and_arrays_of_tables():
    text = '[a]\nx = { y = 1, z = 2 }\n\n[[a.r]]\nn = 1\n[[a.r]]\nn = 2\n'
    lines = boards.key_lines(text)
    assert lines[("a", "x", "z")] == 2
    assert lines[("a", "r", 0, "n")] == 5 and lines[("a", "r", 1, "n")] == 7

"""pyelftools-based image tools: section sizes (the same results as the former hand-written
reader), the check `bkport run` makes before booting, and fault addresses -> functions."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from bkport.kernel import elfimage, elfsize
from bkport.kernel.elfimage import ImageError, check_image


def _former_sections(path: Path) -> list[tuple]:
    """The hand-written reader elfsize.py used before pyelftools, kept as the reference."""
    b = Path(path).read_bytes()
    is64 = b[4] == 2
    end = "<" if b[5] == 1 else ">"
    if is64:
        shoff, = struct.unpack_from(end + "Q", b, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from(end + "HHH", b, 0x3A)
        fmt = end + "IIQQQQIIQQ"
    else:
        shoff, = struct.unpack_from(end + "I", b, 0x20)
        shentsize, shnum, shstrndx = struct.unpack_from(end + "HHH", b, 0x2E)
        fmt = end + "IIIIIIIIII"
    raw = [struct.unpack_from(fmt, b, shoff + i * shentsize) for i in range(shnum)]
    stroff = raw[shstrndx][4]

    def name(off: int) -> str:
        e = b.index(b"\0", stroff + off)
        return b[stroff + off:e].decode()

    return [(name(r[0]), r[1], r[2], r[3], r[5]) for r in raw]


def _former_sizes(path: Path) -> tuple:
    text = data = bss = 0
    reserved = {}
    for n, kind, flags, _, size in _former_sections(path):
        if not flags & elfsize.SHF_ALLOC or size == 0:
            continue
        if n in elfsize.RESERVED:
            reserved[n] = size
        elif kind == elfsize.SHT_NOBITS:
            bss += size
        elif flags & elfsize.SHF_WRITE:
            data += size
        else:
            text += size
    return text, data, bss, reserved


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    """hello for a 64-bit (RISC-V) and a 32-bit (Cortex-M, Thumb) board."""
    if shutil.which("rust-lld") is None:
        pytest.fail("rust-lld is not installed: run scripts/setup.sh")
    from bkport.kernel.build import build

    out = tmp_path_factory.mktemp("elf-tools")
    return {b: build(b, "hello", out) for b in ("qemu_riscv64", "qemu_mps2_an385")}


def _objcopy() -> str:
    for cand in ("llvm-objcopy", "llvm-objcopy-14"):
        if shutil.which(cand):
            return cand
    pytest.fail("llvm-objcopy is not installed: run scripts/setup.sh")


@pytest.mark.toolchain
def test_sections_and_sizes_match_the_former_reader(images):
    for im in images.values():
        for path in (im.path, im.path.parent / "app.o"):
            got = [(s.name, s.kind, s.flags, s.addr, s.size) for s in elfsize.sections(path)]
            assert got == _former_sections(path)
            s = elfsize.sizes(path)
            assert (s.text, s.data, s.bss, s.reserved) == _former_sizes(path)
        assert im.sizes.reserved.keys() == {".kstack", ".kheap"}


def test_sections_reject_a_file_that_is_not_elf(tmp_path):
    (tmp_path / "x").write_bytes(b"hello")
    with pytest.raises(ValueError, match="not an ELF file"):
        elfsize.sections(tmp_path / "x")


def test_image_regions_come_from_the_board_table():
    assert elfimage.image_region("qemu_riscv64") == (0x8000_0000, 0x8080_0000)
    assert elfimage.image_region("qemu_mps2_an385") == (0, 4 << 20)
    assert elfimage.image_region("qemu_virt64_aarch64") == (0x4008_0000, 0x4088_0000)


def test_check_rejects_a_file_that_is_not_elf(tmp_path):
    (tmp_path / "app.elf").write_text("#!/bin/sh\n")
    with pytest.raises(ImageError, match=r"app\.elf is not an ELF image") as e:
        check_image("qemu_riscv64", tmp_path / "app.elf")
    assert e.value.exit_code == 2
    assert "\n" not in str(e.value)


def test_check_rejects_a_host_program():
    with pytest.raises(ImageError, match=r"built for 64-bit x86-64, but qemu_riscv64 is "
                                         r"64-bit RISC-V"):
        check_image("qemu_riscv64", Path(sys.executable).resolve())


@pytest.mark.toolchain
def test_check_accepts_its_board_and_rejects_the_others(images):
    rv, m3 = images["qemu_riscv64"].path, images["qemu_mps2_an385"].path
    check_image("qemu_riscv64", rv)
    check_image("qemu_mps2_an385", m3)
    with pytest.raises(ImageError, match="built for 32-bit ARM, but qemu_riscv64 is 64-bit "
                                         "RISC-V; run it with --board qemu_mps2_an385"):
        check_image("qemu_riscv64", m3)
    with pytest.raises(ImageError, match="run it with --board qemu_riscv64"):
        check_image("qemu_virt64_aarch64", rv)
    with pytest.raises(ImageError, match="is an object file, not a linked image"):
        check_image("qemu_riscv64", rv.parent / "app.o")


@pytest.mark.toolchain
def test_check_reads_the_board_marker_and_the_link_address(images, tmp_path):
    rv = images["qemu_riscv64"].path
    marker = elfimage.board_marker("qemu_riscv64")
    other = tmp_path / "other.elf"
    subprocess.run([_objcopy(), f"--strip-symbol={marker}",
                    "--add-symbol=__bkport_board_qemu_riscv64_v2=1", str(rv), str(other)],
                   check=True)
    with pytest.raises(ImageError, match="was linked for qemu_riscv64_v2, not for qemu_riscv64"):
        check_image("qemu_riscv64", other)
    # No marker (an image from an older build, or not from bkport): the entry point decides.
    moved = tmp_path / "moved.elf"
    subprocess.run([_objcopy(), f"--strip-symbol={marker}", "--set-start=0x40080000", str(rv),
                    str(moved)], check=True)
    with pytest.raises(ImageError, match=r"entry point 0x40080000 lies outside its image "
                                         r"region 0x80000000-0x80800000"):
        check_image("qemu_riscv64", moved)
    unmarked = tmp_path / "unmarked.elf"
    subprocess.run([_objcopy(), f"--strip-symbol={marker}", str(rv), str(unmarked)], check=True)
    check_image("qemu_riscv64", unmarked)


@pytest.mark.toolchain
def test_a_checked_image_replaced_in_place_is_checked_again(images, tmp_path):
    """The verdict is kept per file identity (validation boots one image thousands of times);
    an image rebuilt or overwritten at the same path is judged anew."""
    img = tmp_path / "app.elf"
    shutil.copy(images["qemu_riscv64"].path, img)
    check_image("qemu_riscv64", img)
    check_image("qemu_riscv64", img)  # kept: no second parse needed
    shutil.copy(images["qemu_mps2_an385"].path, img)
    with pytest.raises(ImageError, match="built for 32-bit ARM"):
        check_image("qemu_riscv64", img)
    img.write_bytes(b"#!/bin/sh\necho not an image\n")
    with pytest.raises(ImageError, match="is not an ELF image"):
        check_image("qemu_riscv64", img)


def _function(path: Path, name: str) -> tuple[int, int]:
    from elftools.elf.elffile import ELFFile

    with open(path, "rb") as f:
        (sym,) = ELFFile(f).get_section_by_name(".symtab").get_symbol_by_name(name)
        return sym["st_value"], sym["st_size"]


@pytest.mark.toolchain
def test_symbolize_names_the_function_of_an_address(images):
    for board, im in images.items():
        value, size = _function(im.path, "app_main")
        start = value & ~1 if board == "qemu_mps2_an385" else value  # Thumb bit
        assert size > 8
        loc = elfimage.symbolize(im.path, start + 6)
        assert (loc.function, loc.offset) == ("app_main", 6)
        assert str(loc) == "app_main+0x6"
        assert elfimage.symbolize(im.path, 0x7fff_fff0) is None


def test_fault_addresses_of_each_architecture():
    text = ("hello\n[bkport-kernel] FAULT in app thread (tid 1): exception mcause=0x7 "
            "mtval=0x10 mepc=0x8000b8e2 sp=0x81831000\n"
            "[bkport-kernel] FAULT in kernel: exception 3 pc=0x1a2 cfsr=0x400 hfsr=0x0\n"
            "[bkport-kernel] FAULT in app thread (tid 2): exception kind=0 esr=0x96000045 "
            "(ec=0x25) far=0x0 elr=0x40081234 sp_el0=0x40900000\n"
            "mepc=0x1234 in an app's own output is not a fault\n")
    assert elfimage.fault_addresses(text) == [("mepc", 0x8000_b8e2), ("pc", 0x1a2),
                                              ("elr", 0x4008_1234)]


def test_rust_names_are_demangled():
    assert elfimage._demangle("_ZN4core3fmt5write17h0123456789abcdefE") == "core::fmt::write"
    assert elfimage._demangle("app_main") == "app_main"


def test_run_refuses_a_file_that_is_not_an_image(tmp_path):
    (tmp_path / "notes.txt").write_text("not a program\n")
    p = subprocess.run([sys.executable, "-m", "bkport.cli", "run", "--board", "qemu_riscv64",
                        "notes.txt"], cwd=tmp_path, capture_output=True, text=True)
    assert p.returncode == 2
    assert p.stderr == ("bkport: error: notes.txt is not an ELF image (it starts with "
                        "b'not a pr'); build one with `bkport build --board qemu_riscv64`\n")


def test_console_demuxer_fed_in_pieces_matches_demux():
    from bkport.toolchain import qemu

    line = (b"out1\x10" b"2err\x10\x10x\x10kKERNEL\x10" b"1back\x10\x10\x10" b"2e2\x10")
    whole = qemu.demux(line)
    for size in (1, 2, 3, 5, len(line)):
        dm = qemu.Demuxer()
        got = {"stdout": b"", "stderr": b"", "kernel": b""}
        for i in range(0, len(line), size):
            for stream, piece in dm.feed(line[i:i + size]):
                got[stream] += piece
        assert got == {k: whole[k] for k in got}, size

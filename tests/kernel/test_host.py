"""Host-side pieces of the kernel tooling: archive format, boot blob, ELF sizes, fuzz generator."""

from __future__ import annotations

import os
import struct

import pytest
from bkport.kernel import cpio, fuzzgen
from bkport.toolchain import qemu


def test_cpio_round_trip():
    files = {"a": None, "a/b.txt": b"hello", "c": b"", "d/e": b"\x00\x01" * 100}
    assert cpio.unpack(cpio.pack(files)) == files


def test_cpio_round_trip_with_symlinks():
    files = {"a": None, "a/t": b"x", "a/l": cpio.Symlink("t"), "abs": cpio.Symlink("/a/t"),
             "dangling": cpio.Symlink("../nowhere")}
    raw = cpio.pack(files)
    assert cpio.unpack(raw) == files
    # as `cpio -H newc` stores a link: S_IFLNK|0777 and the target as the data
    i = raw.index(b"a/l\0")
    assert int(raw[i - 110 + 14:i - 110 + 22], 16) == 0o120777


def test_cpio_pack_dir_and_write_tree_keep_links(tmp_path):
    src = tmp_path / "src"
    (src / "d").mkdir(parents=True)
    (src / "d" / "f").write_bytes(b"data")
    os.symlink("d/f", src / "lf")
    os.symlink("d", src / "ld")
    files = cpio.unpack(cpio.pack_dir(src))
    assert files == {"d": None, "d/f": b"data", "lf": cpio.Symlink("d/f"), "ld": cpio.Symlink("d")}
    out = tmp_path / "out"
    cpio.write_tree(files, out)
    assert os.readlink(out / "lf") == "d/f" and os.readlink(out / "ld") == "d"
    assert (out / "lf").read_bytes() == b"data"


def test_cpio_rejects_garbage():
    with pytest.raises(ValueError):
        cpio.unpack(b"x" * 200)


def test_boot_blob_layout():
    blob = qemu.boot_blob(["app", "x"], {"K": "V"}, {"f": b"data"}, b"in", "/o", "/r",
                          epoch_ns=1_764_806_400_123_456_789)
    assert blob[:8] == b"BKBOOT01"
    argc, envc, so, sl, co, cl, io, il, oo, ro, epoch = struct.unpack_from("<10IQ", blob, 8)
    assert (argc, envc) == (2, 1)
    assert epoch == 1_764_806_400_123_456_789 and so >= 56  # the parts start after the header
    assert blob[so:so + sl] == b"app\0x\0K=V\0"
    assert cpio.unpack(blob[co:co + cl]) == {"f": b"data"}
    assert blob[io:io + il] == b"in"
    assert blob[oo:oo + 3] == b"/o\0" and blob[ro:ro + 3] == b"/r\0"


def test_board_arguments_come_from_boards_tsv():
    q = qemu.board_qemu("qemu_virt64_aarch64")
    assert q.binary == "qemu-system-aarch64"
    assert "-semihosting" in q.args and "-nic" in q.args
    assert "-nographic" not in q.args  # replaced by a byte-exact serial on stdio


def test_fuzz_app_covers_the_table():
    from bkport.syscalls import load_table

    table = load_table()
    src = fuzzgen.render(table, 64, {"enable_vfs"})
    for c in table.calls:
        if c.name in fuzzgen.SKIP:
            assert f"gen_{c.name}(" not in src
        else:
            assert f"fn gen_{c.name}(f: &mut Fz" in src
            assert f"NR::{c.variant} as usize" in src
    # lengths are generated before the pointers they measure
    write = src[src.index("fn gen_write("):]
    assert write.index("a[2] = f.len(1)") < write.index("a[1] = f.ptr(false, false, a[2]")


def test_fuzz_app_is_deterministic():
    from bkport.syscalls import load_table

    t = load_table()
    assert fuzzgen.render(t, 32, {"enable_vfs"}) == fuzzgen.render(t, 32, {"enable_vfs"})


def test_console_demux_separates_streams_in_order():
    line = b"a\x102b\x10\x10c\x10kK!\x101d\x10\x10"
    d = qemu.demux(line)
    assert d["stdout"] == b"ad\x10"
    assert d["stderr"] == b"b\x10c"
    assert d["kernel"] == b"K!"
    assert d["output"] == b"ab\x10cK!d\x10"


def test_console_demux_plain_stdout_is_unchanged():
    assert qemu.demux(b"hello\n")["stdout"] == b"hello\n"
    # A hung run can be cut between DLE and its code: the lone DLE is dropped.
    assert qemu.demux(b"x\x10")["output"] == b"x"

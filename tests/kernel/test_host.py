"""Host-side pieces of the kernel tooling: archive format, boot blob, ELF sizes, fuzz generator."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess

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


def test_cpio_hard_links_round_trip_with_times_and_modes():
    files = cpio.Tree({"a": b"same", "b": b"same", "c": b"other", "d": None},
                      {"a": cpio.Attrs(0o640, 1_000_000_000, link=3),
                       "b": cpio.Attrs(0o640, 1_000_000_000, link=3),
                       "c": cpio.Attrs(0o755, 946_684_800), "d": cpio.Attrs(0o700, 42)})
    raw = cpio.pack(files)
    back = cpio.unpack(raw)
    assert back == files
    assert back.groups() == [["a", "b"]] and back.peers("a") == {"a", "b"}
    assert back.peers("c") == {"c"}
    assert back.attr("c") == cpio.Attrs(0o755, 946_684_800)
    assert back.attr("d") == cpio.Attrs(0o700, 42)
    assert back.attr("a").mode == 0o640 and back.attr("a").mtime == 1_000_000_000

    def header(name):
        i = raw.index(name.encode() + b"\0") - 110
        return [int(raw[i + 6 + 8 * k:i + 14 + 8 * k], 16) for k in range(13)]

    # newc's convention (GNU cpio, Linux initramfs): one inode number, nlink 2, and the data
    # only with the last name.
    ha, hb, hc = header("a"), header("b"), header("c")
    assert ha[0] == hb[0] != hc[0]
    assert (ha[4], hb[4], hc[4]) == (2, 2, 1)
    assert (ha[6], hb[6]) == (0, 4)
    assert ha[1] == 0o100640 and ha[5] == 1_000_000_000


def test_cpio_unpack_takes_a_link_groups_data_from_whichever_name_has_it():
    # The data first, then a name without it (the order a writer other than GNU cpio may use).
    raw = bytearray()
    for name, data in ((b"x", b"abc"), (b"y", b"")):
        raw += cpio._hdr(5, 0o100644, 2, 7, len(data), 2) + name + b"\0"
        cpio._pad(raw)
        raw += data
        cpio._pad(raw)
    raw += cpio._hdr(0, 0, 1, 0, 0, 11) + b"TRAILER!!!\0"
    back = cpio.unpack(bytes(raw))
    assert back == {"x": b"abc", "y": b"abc"} and back.groups() == [["x", "y"]]


def test_cpio_names_of_one_symbolic_link_each_carry_the_target(tmp_path):
    src = tmp_path / "src"
    (src / "d").mkdir(parents=True)
    os.symlink("target", src / "soft")
    os.link(src / "soft", src / "d" / "soft", follow_symlinks=False)  # GNU `ln soft d`
    raw = cpio.pack_dir(src)
    assert raw.count(b"target") == 2
    files = cpio.unpack(raw)
    assert files["soft"] == files["d/soft"] == cpio.Symlink("target")
    assert files.groups() == [["d/soft", "soft"]]
    out = tmp_path / "out"
    cpio.write_tree(files, out)
    a, b = os.lstat(out / "soft"), os.lstat(out / "d" / "soft")
    assert a.st_ino == b.st_ino and a.st_nlink == 2 and os.readlink(out / "soft") == "target"


def test_cpio_pack_refuses_linked_names_that_differ():
    files = cpio.Tree({"a": b"1", "b": b"2"}, {"a": cpio.Attrs(link=1), "b": cpio.Attrs(link=1)})
    with pytest.raises(ValueError, match="'a' and 'b' differ"):
        cpio.pack(files)
    with pytest.raises(ValueError, match="is a directory"):
        cpio.pack(cpio.Tree({"d": None}, {"d": cpio.Attrs(link=1)}))


def test_cpio_read_dir_and_write_tree_keep_hard_links_modes_and_times(tmp_path):
    src = tmp_path / "src"
    (src / "d").mkdir(parents=True)
    (src / "d" / "f").write_bytes(b"data")
    os.link(src / "d" / "f", src / "g")
    (src / "h").write_bytes(b"data")  # equal contents, another file
    (src / "g").chmod(0o741)
    os.utime(src / "h", (1_600_000_000, 1_500_000_000))
    os.utime(src / "d", (1_600_000_000, 1_400_000_000))
    files = cpio.unpack(cpio.pack_dir(src))
    assert files.peers("g") == {"d/f", "g"} and files.peers("h") == {"h"}
    assert files.attr("g").mode == 0o741 and files.attr("h").mtime == 1_500_000_000
    out = tmp_path / "out"
    cpio.write_tree(files, out)
    assert os.path.samefile(out / "d" / "f", out / "g")
    assert not os.path.samefile(out / "g", out / "h")
    assert (out / "g").stat().st_nlink == 2 and (out / "g").read_bytes() == b"data"
    assert (out / "g").stat().st_mode & 0o7777 == 0o741
    assert (out / "h").stat().st_mtime == 1_500_000_000
    assert (out / "d").stat().st_mtime == 1_400_000_000  # after its contents were written


@pytest.mark.skipif(shutil.which("cpio") is None, reason="GNU cpio not installed (apt: cpio)")
def test_cpio_hard_links_and_times_agree_with_gnu_cpio(tmp_path):
    """Differential: GNU cpio reads our archives and we read its, links and times included."""
    src = tmp_path / "src"
    (src / "d").mkdir(parents=True)
    (src / "d" / "f").write_bytes(b"linked")
    os.link(src / "d" / "f", src / "g")
    (src / "h").write_bytes(b"alone")
    os.utime(src / "g", (1_300_000_000, 1_200_000_000))
    names = subprocess.run(["find", ".", "-mindepth", "1"], cwd=src, capture_output=True,
                           check=True).stdout
    gnu = subprocess.run(["cpio", "--quiet", "-o", "-H", "newc"], cwd=src, input=names,
                         capture_output=True, check=True).stdout
    files = cpio.unpack(gnu)
    assert files == {"d": None, "d/f": b"linked", "g": b"linked", "h": b"alone"}
    assert files.peers("d/f") == {"d/f", "g"} and files.peers("h") == {"h"}
    assert files.attr("g").mtime == 1_200_000_000
    out = tmp_path / "out"
    out.mkdir()
    subprocess.run(["cpio", "--quiet", "-idm"], cwd=out, input=cpio.pack_dir(src), check=True)
    assert os.path.samefile(out / "d" / "f", out / "g") and (out / "g").read_bytes() == b"linked"
    assert (out / "g").stat().st_mtime == 1_200_000_000
    assert (out / "h").read_bytes() == b"alone" and (out / "h").stat().st_nlink == 1


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

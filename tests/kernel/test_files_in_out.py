"""Files into a run and back out, as `bkport validate` carries them (bkport.validate.runapplet on
a resident QEMU, and a fresh boot): two names of one host file are one inode in the kernel's RAM
file system and come back as one host file (hard links), and modification times and modes travel
both ways (tests/kernel/apps/hard_links.c checks the kernel's side)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from bkport.kernel import cpio
from bkport.toolchain import qemu
from bkport.toolchain.targets import BOARDS
from bkport.validate import runapplet

pytestmark = [pytest.mark.qemu, pytest.mark.toolchain]

A_TIME, C_TIME = 1_000_000_000, 315_532_800  # 2001-09-09, 1980-01-01


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    from bkport.appbuild.app import build_app

    src = Path(__file__).parent / "apps" / "hard_links.c"
    return {b: build_app(b, [src], tmp_path_factory.mktemp(b)) for b in sorted(BOARDS)}


def _host_tree(cwd: Path) -> None:
    cwd.mkdir()
    (cwd / "a").write_bytes(b"linked")
    os.link(cwd / "a", cwd / "b")
    (cwd / "a").chmod(0o741)
    (cwd / "c").write_bytes(b"alone")
    os.utime(cwd / "a", (A_TIME, A_TIME))
    os.utime(cwd / "c", (C_TIME + 5, C_TIME))


@pytest.mark.parametrize("fresh", [False, True], ids=["resident", "fresh-boot"])
@pytest.mark.parametrize("board", sorted(BOARDS))
def test_hard_links_and_times_go_in_and_come_back(images, board, fresh, tmp_path, monkeypatch):
    from bkport.toolchain import resident

    monkeypatch.setattr(resident, "_FRESH_BOOT", [fresh])
    cwd = tmp_path / "w"
    _host_tree(cwd)
    call = runapplet.Call(["hard_links", str(A_TIME), str(C_TIME)], cwd, {}, b"")
    ans = runapplet.run_call(board, images[board].path, call, timeout=30)
    assert ans.status == 0, ans.stdout + ans.stderr
    assert ans.stdout == b"0 failed\n"
    # a and b stay one host file, with what the app appended through a.
    assert os.path.samefile(cwd / "a", cwd / "b") and (cwd / "a").stat().st_nlink == 2
    assert (cwd / "b").read_bytes() == b"linked+more"
    assert (cwd / "b").stat().st_mode & 0o7777 == 0o741
    # The app's link and its time.
    assert os.path.samefile(cwd / "c", cwd / "d") and (cwd / "d").stat().st_nlink == 2
    assert (cwd / "c").stat().st_mtime == 1_234_567_890
    assert os.path.samefile(cwd / "new", cwd / "new2")
    assert (cwd / "new").read_bytes() == b"fresh"
    assert (cwd / "new").stat().st_mode & 0o7777 == 0o640  # open's mode, past umask 022
    assert not os.path.samefile(cwd / "a", cwd / "c")


def test_the_archive_that_comes_back_marks_links_and_times(images, tmp_path):
    """What the kernel writes (kernel/src/fs/archive.rs export): one inode number per file,
    nlink = its names, the data once; `bkport run --out` (cpio.write_tree) links them."""
    board = "qemu_riscv64"
    cwd = tmp_path / "w"
    _host_tree(cwd)
    files = runapplet.collect(cwd, [])
    r = qemu.run(board, images[board].path, ["hard_links", str(A_TIME), str(C_TIME)],
                 {"PWD": str(cwd)}, files, timeout=30)
    assert (r.outcome, r.status) == ("exit", 0), r.text
    k = str(cwd).lstrip("/")
    assert r.files.peers(k + "/a") == {k + "/a", k + "/b"}
    assert r.files.peers(k + "/c") == {k + "/c", k + "/d"}
    assert r.files[k + "/a"] == r.files[k + "/b"] == b"linked+more"
    assert r.files.attr(k + "/d").mtime == 1_234_567_890
    out = tmp_path / "out"
    cpio.write_tree(r.files, out)
    assert os.path.samefile(out / k / "c", out / k / "d")
    assert (out / k / "c").stat().st_mtime == 1_234_567_890

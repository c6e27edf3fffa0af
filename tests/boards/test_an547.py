"""The fourth board, qemu_mps3_an547 (Cortex-M55 on QEMU's mps3-an547), end to end: the kernel's
own apps, hello world through the POSIX layer, and the conformance programs compiled with the
board's own C toolchain (ARMv8.1-M objects, picolibc's and libgcc's v8-M Mainline multilib).

The kernel and conformance tiers (tests/kernel, tests/conformance) run it like every board; what
only this file runs is the board's own C toolchain: bkport.appbuild builds C per syscall arch
(the cortex-m settings, ARMv7-M code, which the M55 runs unchanged), so here its compile and link
steps are pointed at the board's table entry (bkport.appbuild.target.c_target(board))."""

from __future__ import annotations

import pytest
from bkport.appbuild import conformance, target
from bkport.kernel.build import build
from bkport.toolchain import qemu
from bkport.toolchain.targets import BOARDS

pytestmark = pytest.mark.qemu

BOARD = "qemu_mps3_an547"


def test_the_board_is_in_the_table():
    b = BOARDS[BOARD]
    assert (b.cpu, b.arch.name, b.qemu.machine) == ("Cortex-M55", "cortex-m", "mps3-an547")
    assert b.rust_target == "thumbv8m.main-none-eabi"


@pytest.mark.parametrize("app, expect", [("hello", "hello from bkport kernel"),
                                         ("ktest", "ktest: 2")])
def test_kernel_apps_run(app, expect, tmp_path):
    image = build(BOARD, app, tmp_path)
    r = qemu.run(BOARD, image.path, [app], {}, {}, b"", 60)
    assert r.outcome == "exit" and r.status == 0, r.text + r.qemu_stderr
    assert expect in r.text
    assert r.record.get("selfcheck") == "ok"


def test_hello_world_through_the_layer(tmp_path):
    from bkport.appbuild.app import build_app

    im = build_app(BOARD, [conformance.conformance_dir() / "hello.c"], tmp_path)
    r = qemu.run(BOARD, im.path, ["hello", "a", "b"], {}, {}, b"", 30)
    assert r.outcome == "exit" and r.status == 0, r.text
    assert "Hello, world!\n" in r.text and "argc 3 argv[0] hello" in r.text


def test_conformance_with_the_boards_own_c_toolchain(tmp_path, monkeypatch):
    import bkport.appbuild.app as app
    import bkport.appbuild.layer as layer

    # the layer, the programs and their libraries: compiled and linked for the M55, not for
    # the arch's baseline (a build folder of its own: the layer's objects are kept per arch)
    monkeypatch.setattr(layer, "c_target", lambda arch: target.c_target(BOARD))
    monkeypatch.setattr(app, "c_target", lambda arch: target.c_target(BOARD))
    monkeypatch.setattr(app, "libs", lambda arch: target.libs(BOARD))
    image = conformance.build_image(BOARD, tmp_path)
    obj = next((tmp_path / BOARD / "conform" / "obj").glob("*.o"))
    assert b"cortex-m55" in obj.read_bytes()  # the ARM attributes name the CPU
    results = conformance.run_all(BOARD, image)
    assert len(results) == len(conformance.programs()) - 1  # all but hello
    bad = [f"{r.name}: {r.outcome} {r.status} {r.failed}" for r in results if not r.ok]
    assert not bad, "\n".join(bad)

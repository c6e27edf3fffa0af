"""The fourth board, qemu_mps3_an547 (Cortex-M55 on QEMU's mps3-an547), end to end: the kernel's
own apps, hello world through the POSIX layer, and the conformance programs, all C built by the
normal path (bkport.appbuild.app.build_app) with the board's own toolchain from the board table:
ARMv8.1-M objects linked with picolibc's and libgcc's v8-M Mainline multilibs, while the AN385 of
the same arch keeps ARMv7-M. The ELF build attributes of the objects the build wrote prove which
CPU each was compiled for (a flag lost on the way would show as the arch's ARMv7-M)."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import pytest
from bkport.appbuild import conformance
from bkport.appbuild.layer import layer_dir_for, llvm_tool
from bkport.appbuild.target import board_c_target, c_target, libs
from bkport.kernel.build import build
from bkport.toolchain import qemu
from bkport.toolchain.targets import BOARDS

pytestmark = pytest.mark.qemu

BOARD = "qemu_mps3_an547"
AN385 = "qemu_mps2_an385"
# what each board's C must be: llvm-readelf's names for Tag_CPU_arch and Tag_CPU_name
WANT = {BOARD: ("ARM v8.1-M Mainline", "cortex-m55"), AN385: ("ARM v7", "cortex-m3")}


def arm_attributes(obj: Path) -> dict[str, str]:
    """An ARM object's build attributes (`llvm-readelf --arch-specific`): tag name -> its
    description where llvm-readelf gives one, else its value."""
    text = subprocess.run([llvm_tool("llvm-readelf"), "--arch-specific", str(obj)],
                          capture_output=True, text=True, check=True).stdout
    attrs = {}
    for block in text.split("Attribute {")[1:]:
        fields = dict(re.findall(r"^\s*(TagName|Value|Description): (.*)$", block, re.M))
        if "TagName" in fields:
            attrs[fields["TagName"]] = fields.get("Description", fields.get("Value", ""))
    return attrs


def test_the_board_is_in_the_table():
    b = BOARDS[BOARD]
    assert (b.cpu, b.arch.name, b.qemu.machine) == ("Cortex-M55", "cortex-m", "mps3-an547")
    assert b.rust_target == "thumbv8m.main-none-eabi"


def test_each_board_has_its_own_c_settings():
    m55, m3 = c_target(BOARD), c_target(AN385)
    assert "--target=thumbv8.1m.main-none-eabi" in m55.flags() and "-mcpu=cortex-m55" in m55.flags()
    assert "--target=thumbv7m-none-eabi" in m3.flags() and "-mcpu=cortex-m3" in m3.flags()
    assert [p.parts[-3:-1] for p in libs(BOARD)] == [("v8-m.main", "nofp")] * 2
    assert [p.parts[-3:-1] for p in libs(AN385)] == [("v7-m", "nofp")] * 2
    # the AN385 overrides nothing: the arch's build folder; the AN547 one of its own
    assert m3.key == c_target("cortex-m").key == "cortex-m"
    assert m55.key.startswith("cortex-m-thumbv8.1m.main-") and m55.key != m3.key


def test_boards_sharing_a_toolchain_share_the_layer_build(tmp_path):
    an385, an547 = BOARDS[AN385], BOARDS[BOARD]
    # another M55 board, and a board that writes the arch's own settings as overrides
    twin = dataclasses.replace(an547, name="other_m55")
    spelled_out = dataclasses.replace(an385, name="other_m3",
                                      clang_flags=tuple(an385.arch.clang_flags))
    assert board_c_target(twin).key == c_target(BOARD).key
    assert board_c_target(spelled_out).key == "cortex-m"
    assert layer_dir_for(AN385, tmp_path) == layer_dir_for("cortex-m", tmp_path) \
        == tmp_path / "cortex-m"
    assert layer_dir_for(BOARD, tmp_path) == tmp_path / c_target(BOARD).key


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
    assert arm_attributes(im.app_object)["CPU_arch"] == WANT[BOARD][0]


@pytest.fixture(scope="module")
def conform_build(tmp_path_factory):
    """The conformance image of both Cortex-M boards, built by the normal path into one build
    folder (so their layer builds sit side by side): {board: image}, and the folder."""
    out = tmp_path_factory.mktemp("conform")
    return {b: conformance.build_image(b, out) for b in (AN385, BOARD)}, out


@pytest.mark.parametrize("board", [AN385, BOARD])
def test_conformance_is_compiled_for_the_boards_cpu(board, conform_build):
    _, out = conform_build
    arch, cpu = WANT[board]
    objs = sorted((out / board / "conform" / "obj").glob("*.o"))
    layer = sorted((layer_dir_for(board, out) / "layer").glob("*.o"))
    assert len(objs) == len(conformance.programs()) and layer  # the driver + all but hello
    for obj in [*objs, *layer]:
        attrs = arm_attributes(obj)
        assert (attrs.get("CPU_arch"), attrs.get("CPU_name")) == (arch, cpu), obj
    # the linked app object: the app, the layer, and the board's libc and libgcc members
    linked = arm_attributes(out / board / "conform" / "conform.o")
    assert linked["CPU_arch"] == arch
    # one layer build per toolchain, nothing else beside the boards' folders
    layers = {p.parent.name for p in out.glob("*/libbkposix.a")}
    assert layers == {c_target(AN385).key, c_target(BOARD).key}


def test_conformance_runs_with_the_boards_own_c_toolchain(conform_build):
    images, _ = conform_build
    results = conformance.run_all(BOARD, images[BOARD])
    assert len(results) == len(conformance.programs()) - 1  # all but hello
    bad = [f"{r.name}: {r.outcome} {r.status} {r.failed}" for r in results if not r.ok]
    assert not bad, "\n".join(bad)

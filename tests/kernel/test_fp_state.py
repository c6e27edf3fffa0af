"""Each thread's floating-point state is its own, on the boards whose apps use FP registers
(AArch64: q0-q31, FPCR, FPSR in every trap frame; RISC-V: f0-f31 and fcsr switched with the
thread). tests/kernel/apps/fp_regs.c loads every FP register of two threads with a pattern of
their own, traps (system calls, timer interrupts while spinning) and context-switches between
them, and finds every register as it left it. The RISC-V kernel keeps FP registers only across
thread switches, which is right only while the kernel itself never uses them: its image is
checked for FP instructions outside the switch. (Cortex-M C is soft-float: no FP registers.)
Double-precision math from libm in two threads at once, on all four boards, is the conformance
program tests/conformance/float_threads.c."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from bkport.appbuild.layer import llvm_tool
from bkport.toolchain import qemu
from bkport.toolchain.targets import BOARDS

pytestmark = [pytest.mark.qemu, pytest.mark.toolchain]

HARD_FP = [b for b in sorted(BOARDS) if BOARDS[b].arch.name in ("aarch64", "riscv64")]


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    from bkport.appbuild.app import build_app

    src = Path(__file__).parent / "apps" / "fp_regs.c"
    return {b: build_app(b, [src], tmp_path_factory.mktemp(b)) for b in HARD_FP}


@pytest.mark.parametrize("board", HARD_FP)
def test_fp_registers_survive_traps_and_switches(images, board):
    # 60 rounds of 1,000,000 spins: about 10-17 ticks land inside (the default 300,000 gave
    # 4-5, and 2 on a loaded machine, below the 3 asserted)
    r = qemu.run(board, images[board].path, ["fp_regs", "60", "1000000"], timeout=60)
    out = r.stdout.decode(errors="replace")
    assert (r.outcome, r.status) == ("exit", 0), out + r.kernel.decode(errors="replace")
    for t in (0, 1):
        assert f"thread {t}: all " in out, out
    # the threads switched at each system call, and the tick interrupted their spinning
    assert int(r.record["switches"]) >= 60, r.record
    assert int(r.record["ticks"]) >= 3, r.record


# RISC-V FP instructions: loads, stores, arithmetic, moves, conversions, compares, fcsr access
RV_FP = re.compile(r"\t(?!fence)(f[a-z]+(\.[a-z]+)*|frcsr|fscsr|frrm|fsrm|frflags|fsflags)\t")
FUNC = re.compile(r"^[0-9a-f]+ <(.+)>:$")


def test_the_riscv_kernel_uses_fp_registers_only_to_switch_them(tmp_path):
    from bkport.kernel.build import build

    # the C smoke app has no floating point: every FP instruction in the image is the kernel's
    image = build("qemu_riscv64", "c_smoke", tmp_path)
    text = subprocess.run([llvm_tool("llvm-objdump"), "-d", "--no-show-raw-insn",
                           str(image.path)], capture_output=True, text=True, check=True).stdout
    uses: dict[str, list[str]] = {}
    func = "?"
    for line in text.splitlines():
        m = FUNC.match(line)
        if m:
            # local labels (.LBB...) belong to the function before them
            func = m[1] if not m[1].startswith(".") else func
        elif RV_FP.search(line):
            uses.setdefault(func, []).append(line.split("\t", 1)[1].strip())
    # SwitchState: the 32 fsd + frcsr of switch_save and the 32 fld + fscsr of switch_restore,
    # wherever the compiler inlined them (the scheduler's after_trap)
    allowed = re.compile(r"switch_save|switch_restore|after_trap")
    stray = {f: ins for f, ins in uses.items() if not allowed.search(f)}
    assert not stray, f"FP instructions in kernel code that does not switch them: {stray}"
    switch = [i.split()[0] for ins in uses.values() for i in ins]
    assert sorted(set(switch)) == ["fld", "frcsr", "fscsr", "fsd"], switch
    assert switch.count("fsd") == switch.count("fld") == 32

"""Resident QEMU (bkport.toolchain.resident, kernel/src/resident.rs): one QEMU serves many
calls, each starting from what a fresh boot gives (the app's .data and .bss, heap, threads,
descriptors, files, signal handlers, mutexes, timers), with the same answers as a fresh boot,
whether the kernel restarts in place between calls (the default) or resets the machine; a fault
or a hang ends that QEMU and the next call gets a new one; stdin and stdout stream while the app
runs.
tests/kernel/apps/resident_probe.c is the app."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from bkport.toolchain import qemu, resident
from bkport.toolchain.targets import BOARDS

pytestmark = [pytest.mark.qemu, pytest.mark.toolchain]

PROBE = Path(__file__).parent / "apps" / "resident_probe.c"


class _Images(dict):
    """board -> the probe's image, built when a test first asks (`-k` runs build less)."""

    def __init__(self, tmp_path_factory):
        super().__init__()
        self.tmp = tmp_path_factory

    def __missing__(self, board: str) -> Path:
        from bkport.appbuild.app import build_app

        self[board] = build_app(board, [PROBE], self.tmp.mktemp(board)).path
        return self[board]


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    return _Images(tmp_path_factory)


@pytest.fixture
def pool():
    p = resident.Pool(machine_reset=False)
    yield p
    p.shutdown()


def _state_call(i: int) -> dict:
    return {"args": ["resident_probe", "state", str(i + 3)],
            "env": {"PROBE": f"value{i}", "PWD": "/work"},
            "files": {"work": None, "work/in.txt": f"input {i}".encode()},
            "stdin": f"stdin {i}".encode()}


@pytest.mark.parametrize("reset", ["in place", "machine"])
@pytest.mark.parametrize("board", sorted(BOARDS))
def test_every_call_starts_afresh_and_answers_as_a_fresh_boot(images, board, reset):
    pool = resident.Pool(machine_reset=reset == "machine")
    try:
        got = [pool.run(board, images[board], timeout=30, **_state_call(i)) for i in range(3)]
        started = pool.started
    finally:
        pool.shutdown()
    for i, r in enumerate(got):
        assert (r.outcome, r.status) == ("exit", i + 3), r.kernel
        lines = r.stdout.decode().splitlines()
        # The counters the last call bumped are back to the image's values, the heap hands out
        # the same first block, memory the last call marked reads as zero again, and only this
        # call's inputs are seen.
        assert lines[0] == "data=7 bss=0"
        assert lines[1] == got[0].stdout.decode().splitlines()[1]
        assert lines[2:] == ["fresh heap nonzero bytes=0", "cwd=/work", f"env=value{i}",
                             f"in=input {i}", f"stdin=stdin {i}", "sigusr1=default",
                             "mutex=free", "itimer=off"]
        assert r.files["work/out.txt"] == f"written with status {i + 3}\n".encode()
        assert r.record["selfcheck"] == "ok"
        # The way the state came back: the kernel's own restart (QEMU keeps its translated
        # code), or the machine reset it was asked for.
        in_place = reset == "in place" and i > 0
        assert r.record["restored_in_place"] == str(int(in_place))
        assert r.record["resident_restarts"] == (str(i) if reset == "in place" else "0")
    assert started == 1  # one QEMU for the three calls

    fresh = qemu.run(board, images[board], timeout=30, **_state_call(1))
    assert (fresh.outcome, fresh.status, fresh.stdout, fresh.stderr) == \
        (got[1].outcome, got[1].status, got[1].stdout, got[1].stderr)
    assert fresh.files == got[1].files


@pytest.mark.parametrize("board", sorted(BOARDS))
def test_the_time_of_day_is_the_hosts_at_every_call(images, pool, board):
    """The kernel's clock keeps counting across a reset on some boards (AArch64's generic
    timer): a call long after the worker booted must still see the host's time."""
    pool.run(board, images[board], ["resident_probe", "time"], timeout=30)
    time.sleep(4)
    r = pool.run(board, images[board], ["resident_probe", "time"], timeout=30)
    assert r.outcome == "exit" and abs(int(r.stdout) - time.time()) < 3, r.stdout


@pytest.mark.parametrize("board", sorted(BOARDS))
def test_a_fault_or_a_hang_ends_that_qemu(images, pool, board):
    image = images[board]
    r = pool.run(board, image, ["resident_probe", "fault"], timeout=30)
    assert (r.outcome, r.status) == ("fault", qemu.FAULT_STATUS)
    assert b"FAULT in app thread" in r.kernel
    r = pool.run(board, image, ["resident_probe", "hang"], timeout=2)
    assert (r.outcome, r.status) == ("timeout", qemu.TIMEOUT_STATUS)
    assert r.limit == "no output for 2 s"
    ok = pool.run(board, image, timeout=30, **_state_call(0))
    assert (ok.outcome, ok.status) == ("exit", 3)
    assert ok.stdout.startswith(b"data=7 bss=0\n")


def test_stdin_and_stdout_stream_while_the_app_runs(images, pool):
    board = "qemu_riscv64"
    seen = threading.Event()
    out = bytearray()

    def on_output(stream: str, data: bytes) -> None:
        out.extend(data if stream == "stdout" else b"")  # the UART hands it on in pieces
        if b"one\n" in out:
            seen.set()

    def feed():
        yield b"one\n"
        # The second chunk only after the first came back out: a run that waited for its
        # whole stdin would never get here.
        assert seen.wait(20), "the app's output did not stream back"
        yield b"two\n"

    r = pool.run(board, images[board], ["resident_probe", "cat"], timeout=30,
                 on_output=on_output, stdin_feed=feed())
    assert (r.outcome, r.status, r.stdout) == ("exit", 0, b"one\ntwo\n")
    # The channel's switch (BKPORT_STDIN=stream) is not in the app's environment.
    r = pool.run(board, images[board], ["resident_probe", "environ"], {"A": "1"}, timeout=30,
                 stdin_feed=iter([b""]))
    assert r.outcome == "exit" and b"A=1\n" in r.stdout and b"BKPORT_STDIN" not in r.stdout


def test_a_pipeline_ends_when_its_reader_does(images, tmp_path):
    """`yes | head -n 3` through the validate driver's stand-in: head's exit ends the call of
    yes (its QEMU is replaced), instead of yes running until its time limit."""
    from bkport.validate.server import CLIENT, CallServer, Target

    board = "qemu_virt64_aarch64"
    bindir = tmp_path / "bin"
    bindir.mkdir()
    stub = bindir / "resident_probe"
    stub.write_text(f"#!/bin/sh\nexec '{sys.executable}' -S '{CLIENT}' \"$0\" \"$@\"\n")
    stub.chmod(0o755)
    sock = tmp_path / "calls.sock"
    env = {**os.environ, "PATH": f"{bindir}:{os.environ['PATH']}",
           "BKPORT_VALIDATE_SOCKET": str(sock)}
    resident.set_fresh_boot(False)
    with CallServer(sock, Target(board, images[board], 20.0, tmp_path / "calls.jsonl")):
        t0 = time.monotonic()
        p = subprocess.run(["sh", "-c", "resident_probe yes | resident_probe head 3; "
                            "echo abc | resident_probe cat"], env=env, cwd=tmp_path,
                           capture_output=True, timeout=60)
        took = time.monotonic() - t0
    assert p.returncode == 0, p.stderr
    assert p.stdout == b"y\ny\ny\nabc\n"
    assert took < 15  # the call limit of yes is 20 s of output, 200 s in all

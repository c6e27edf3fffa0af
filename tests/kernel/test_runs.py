"""Boot the validation kernel on QEMU for every board and check what the apps see."""

from __future__ import annotations

import pytest
from bkport.toolchain import qemu

pytestmark = pytest.mark.qemu


def run(images, board, app, *args, **kw):
    return qemu.run(board, images[(board, app)].path, [app, *args], **kw)


def test_hello_boots_and_exits(kernel_images, board):
    r = run(kernel_images, board, "hello")
    assert (r.outcome, r.status) == ("exit", 0), r.text
    assert r.text == "hello from bkport kernel\n"
    assert r.record["selfcheck"] == "ok"
    assert r.record["board"] == board


def test_ktest_every_call(kernel_images, board):
    """Every implemented call through the trap, error paths, futex under preemption."""
    r = run(kernel_images, board, "ktest")
    assert "FAIL" not in r.text, r.text
    assert r.text.rstrip().endswith(" checks, 0 failed"), r.text
    assert (r.outcome, r.status) == ("exit", 0)
    checks = int(r.text.rstrip().split("ktest: ")[-1].split()[0])
    assert checks >= 160
    # The spinner test only passes with preemption; the counters confirm timer ticks and switches.
    assert int(r.record["ticks"]) > 0
    assert int(r.record["switches"]) > 0
    assert r.record["selfcheck"] == "ok"


def test_argv_env_stdin_and_files(kernel_images, board):
    files = {"in": None, "in/data.txt": b"from the host\n", "in/gone.txt": b"bye\n"}
    r = run(kernel_images, board, "ktest", "files", "two words", env={"HOME": "/"},
            files=files, stdin=b"input\n")
    assert (r.outcome, r.status) == ("exit", 0), r.text
    assert r.files["out/report.txt"] == b"argc=3\n"
    assert r.files["in/data.txt"] == b"from the host\n"
    assert "in/gone.txt" not in r.files  # the app unlinked it
    assert r.files["out"] is None  # a directory


def test_exit_status_is_the_apps(kernel_images, board):
    r = run(kernel_images, board, "ktest", "exit42")
    assert (r.outcome, r.status) == ("exit", 42)


def test_fault_ends_the_run_with_a_diagnostic(kernel_images, board):
    r = run(kernel_images, board, "ktest", "fault", timeout=20)
    assert (r.outcome, r.status) == ("fault", qemu.FAULT_STATUS)
    assert "[bkport-kernel] FAULT in app thread" in r.text


def test_deadlock_is_a_fault_not_a_hang(kernel_images, board):
    r = run(kernel_images, board, "ktest", "deadlock", timeout=20)
    assert (r.outcome, r.status) == ("fault", qemu.FAULT_STATUS)
    assert "deadlock" in r.text


def test_timeout_ends_a_hung_run(kernel_images, board):
    r = run(kernel_images, board, "ktest", "hang", timeout=2)
    assert (r.outcome, r.status) == ("timeout", qemu.TIMEOUT_STATUS)


def test_fuzz_100k_calls(kernel_images, board):
    """Random well-typed calls generated from the table: no fault, no hang, kernel self-check."""
    r = run(kernel_images, board, "fuzz", "100000", "12345", timeout=120)
    assert (r.outcome, r.status) == ("exit", 0), r.text
    assert "0 violations, sanity ok" in r.text
    assert int(r.record["syscalls"]) >= 100_000
    assert r.record["selfcheck"] == "ok"


def test_c_app_through_the_generated_header(kernel_images, board):
    """A freestanding C app using the generated <bk/syscall.h> wrappers."""
    r = run(kernel_images, board, "c_smoke", "cfirst")
    assert (r.outcome, r.status) == ("exit", 0), r.text
    assert r.text == "c_smoke: ok\n"
    assert "c/renamed" in r.files


def test_image_sizes(kernel_images, board):
    s = kernel_images[(board, "hello")].sizes
    assert 10_000 < s.text < 200_000
    assert s.reserved[".kstack"] > 0 and s.reserved[".kheap"] > 0


def test_stdout_and_stderr_come_back_apart_and_pwd_sets_the_cwd(kernel_images, board):
    r = run(kernel_images, board, "c_smoke", "streams", env={"PWD": "/w/d"},
            files={"w": None, "w/d": None})
    assert (r.outcome, r.status) == ("exit", 0), r.text
    assert r.stdout == b"out1\ndle\x10\x10!\n/w/d\nconsole: chr\n"
    assert r.stderr == b"err1\nerr2\n"
    assert r.output == b"out1\nerr1\ndle\x10\x10!\nerr2\n/w/d\nconsole: chr\n"


def test_pwd_naming_no_directory_leaves_the_cwd_at_root(kernel_images, board):
    r = run(kernel_images, board, "c_smoke", "streams", env={"PWD": "/nope"})
    assert r.stdout.endswith(b"!\n/\nconsole: chr\n"), r.text


def test_console_is_a_pipe_when_the_host_says_so(kernel_images, board):
    r = run(kernel_images, board, "c_smoke", "streams", env={"BKPORT_CONSOLE": "pipe"})
    assert r.stdout.endswith(b"console: fifo\n"), r.text

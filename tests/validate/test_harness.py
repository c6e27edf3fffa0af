"""The host side of `bkport validate`: which files go into a run and how they come back, and how
runtest's output is read. No QEMU here; tests/busybox runs the real thing."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest
from bkport.kernel.cpio import Symlink
from bkport.plugins.busybox.testsuite import OPTIONAL_WITH_REASON, parse
from bkport.validate import runapplet


def test_collect_places_the_working_tree_at_its_absolute_path(tmp_path):
    cwd = tmp_path / "ts" / ".tmpdir.cat"
    (cwd / "sub").mkdir(parents=True)
    (cwd / "input").write_bytes(b"abc")
    (cwd / "sub" / "f").write_bytes(b"x")
    outside = tmp_path / "data.txt"
    outside.write_bytes(b"from outside")
    files = runapplet.collect(cwd, ["-n", "input", str(outside), "../../data.txt", "missing"])
    key = str(cwd).lstrip("/")
    assert files[key] is None and files[key + "/sub"] is None
    assert files[key + "/input"] == b"abc" and files[key + "/sub/f"] == b"x"
    assert files[str(outside).lstrip("/")] == b"from outside"
    # Every parent directory exists in the run, so the absolute path resolves there.
    assert files[str(tmp_path).lstrip("/")] is None
    assert not any(k.endswith("missing") for k in files)
    assert files["tmp"] is None  # a scratch /tmp, as on Linux


def test_collect_refuses_what_does_not_fit_a_run(tmp_path):
    (tmp_path / "big").write_bytes(b"\0" * 1001)
    with pytest.raises(runapplet.TooBig, match="big"):
        runapplet.collect(tmp_path, [], limit=1000)
    assert runapplet.collect(tmp_path, [], limit=1001)[str(tmp_path / "big").lstrip("/")]
    # Two names of one file count once.
    os.link(tmp_path / "big", tmp_path / "again")
    assert runapplet.collect(tmp_path, [], limit=1001).peers(str(tmp_path / "big").lstrip("/"))


def test_collect_sends_hard_links_modes_and_times(tmp_path):
    cwd = tmp_path / "w"
    cwd.mkdir()
    (cwd / "foo").write_bytes(b"x")
    os.link(cwd / "foo", cwd / "bar")
    (cwd / "other").write_bytes(b"x")
    (cwd / "foo").chmod(0o741)
    os.utime(cwd / "other", (1_000_000_000, 315_532_800))
    files = runapplet.collect(cwd, [])
    k = str(cwd).lstrip("/")
    assert files.peers(k + "/foo") == {k + "/foo", k + "/bar"}
    assert files.peers(k + "/other") == {k + "/other"}
    assert files.attr(k + "/bar").mode == 0o741
    assert files.attr(k + "/other").mtime == 315_532_800


def test_sync_back_makes_hard_links_and_breaks_them(tmp_path):
    """Names the run left linked become one host file; names it separated stop sharing."""
    from bkport.kernel.cpio import Attrs, Tree

    cwd = tmp_path / "w"
    cwd.mkdir()
    (cwd / "a").write_bytes(b"shared")
    os.link(cwd / "a", cwd / "b")
    os.link(cwd / "a", cwd / "c")
    sent = runapplet.collect(cwd, [])
    k = str(cwd).lstrip("/")
    # In the run: `rm b; cp a b` (b alone now), `mv a baz/a; ln baz/a baz/new`.
    got = Tree({key: v for key, v in sent.items() if not key.startswith(k + "/a")},
               {key: a for key, a in sent.attrs.items()})
    got[k + "/b"] = b"shared"
    got.attrs[k + "/b"] = Attrs(0o644, 1_000_000_000)
    got[k + "/baz"] = None
    got[k + "/baz/a"] = got[k + "/baz/new"] = b"shared"
    link = sent.attr(k + "/c").link
    got.attrs[k + "/baz/a"] = got.attrs[k + "/baz/new"] = Attrs(0o644, 1_000_000_000, link)
    got.attrs[k + "/c"] = Attrs(0o644, 1_000_000_000, link)
    runapplet.sync_back(cwd, sent, got)
    assert not (cwd / "a").exists()
    assert os.path.samefile(cwd / "baz" / "a", cwd / "baz" / "new")
    assert os.path.samefile(cwd / "baz" / "a", cwd / "c")
    assert (cwd / "c").stat().st_nlink == 3
    assert not os.path.samefile(cwd / "b", cwd / "c") and (cwd / "b").stat().st_nlink == 1
    assert (cwd / "b").read_bytes() == b"shared"
    assert (cwd / "b").stat().st_mtime == 1_000_000_000


def test_sync_back_sets_times_and_modes_to_the_second(tmp_path):
    from bkport.kernel.cpio import Attrs, Tree

    cwd = tmp_path / "w"
    (cwd / "d").mkdir(parents=True)
    for n in ("touched", "same", "chmodded"):
        (cwd / n).write_bytes(b"x")
    os.utime(cwd / "same", ns=(1_000_000_000_000_000_000, 1_000_000_000_700_000_000))
    sent = runapplet.collect(cwd, [])
    k = str(cwd).lstrip("/")
    got = Tree(dict(sent), dict(sent.attrs))
    got.attrs[k + "/touched"] = Attrs(0o644, 315_532_800)  # touch -t 198001010000
    got.attrs[k + "/same"] = Attrs(0o644, 1_000_000_000)  # what newc kept of the host time
    got.attrs[k + "/chmodded"] = Attrs(0o600, sent.attr(k + "/chmodded").mtime)
    got.attrs[k + "/d"] = Attrs(0o550, 315_532_800)
    runapplet.sync_back(cwd, sent, got)
    assert (cwd / "touched").stat().st_mtime == 315_532_800
    assert (cwd / "same").stat().st_mtime_ns == 1_000_000_000_700_000_000  # same second: kept
    assert (cwd / "chmodded").stat().st_mode & 0o7777 == 0o600
    assert (cwd / "d").stat().st_mode & 0o7777 == 0o550
    assert (cwd / "d").stat().st_mtime == 315_532_800


def test_sync_back_writes_changes_and_removes_what_the_app_removed(tmp_path):
    cwd = tmp_path / "w"
    (cwd / "gone_dir").mkdir(parents=True)
    (cwd / "keep").write_bytes(b"same")
    (cwd / "edit").write_bytes(b"old")
    (cwd / "gone").write_bytes(b"x")
    (cwd / "gone_dir" / "f").write_bytes(b"y")
    (cwd / "edit").chmod(0o755)
    sent = runapplet.collect(cwd, [])
    k = str(cwd).lstrip("/")
    got = {key: v for key, v in sent.items() if "gone" not in key}
    got[k + "/edit"] = b"new"
    got[k + "/new_dir"] = None
    got[k + "/new_dir/made"] = b"made"
    got["elsewhere/file"] = b"not ours"
    runapplet.sync_back(cwd, sent, got)
    assert (cwd / "keep").read_bytes() == b"same"
    assert (cwd / "edit").read_bytes() == b"new"
    assert (cwd / "edit").stat().st_mode & 0o777 == 0o755  # the host's mode is kept
    assert (cwd / "new_dir" / "made").read_bytes() == b"made"
    assert not (cwd / "gone").exists() and not (cwd / "gone_dir").exists()
    assert not Path("/elsewhere/file").exists()


def test_collect_sends_symlinks_as_links(tmp_path):
    cwd = tmp_path / "w"
    (cwd / "d").mkdir(parents=True)
    (cwd / "f").write_bytes(b"x")
    os.symlink("f", cwd / "to_f")
    os.symlink("d", cwd / "to_d")
    os.symlink("nowhere", cwd / "dangling")
    files = runapplet.collect(cwd, [])
    k = str(cwd).lstrip("/")
    assert files[k + "/to_f"] == Symlink("f")
    assert files[k + "/to_d"] == Symlink("d")
    assert files[k + "/dangling"] == Symlink("nowhere")  # a dangling link is still a link


def test_sync_back_recreates_changes_and_removes_symlinks(tmp_path):
    cwd = tmp_path / "w"
    cwd.mkdir()
    (cwd / "f").write_bytes(b"x")
    os.symlink("f", cwd / "keep")
    os.symlink("f", cwd / "retarget")
    os.symlink("f", cwd / "gone")
    os.symlink("f", cwd / "to_file")
    (cwd / "to_link").write_bytes(b"y")
    sent = runapplet.collect(cwd, [])
    k = str(cwd).lstrip("/")
    got = {key: v for key, v in sent.items() if not key.endswith("/gone")}
    got[k + "/retarget"] = Symlink("other")
    got[k + "/made"] = Symlink("../w/f")
    got[k + "/to_file"] = b"now a file"
    got[k + "/to_link"] = Symlink("f")
    runapplet.sync_back(cwd, sent, got)
    assert os.readlink(cwd / "keep") == "f"
    assert os.readlink(cwd / "retarget") == "other"
    assert os.readlink(cwd / "made") == "../w/f"
    assert not (cwd / "gone").is_symlink()
    assert not (cwd / "to_file").is_symlink() and (cwd / "to_file").read_bytes() == b"now a file"
    assert os.readlink(cwd / "to_link") == "f"
    assert (cwd / "f").read_bytes() == b"x"  # the targets themselves are untouched


def test_parse_reads_verdicts_and_skip_reasons():
    out = "\n".join([
        "+ some trace",
        "PASS: sed n (flushes pattern space)",
        "BKPORT-SKIP-WHY: needs CONFIG_FEATURE_SED_GNU",
        "SKIPPED: sed -z",
        "FAIL: sed a cmd",
        "UNTESTED: cp-preserves-links",
        "SKIPPED: yes (not built)",
        "PASS: sed s//g (exhaustive)",
    ])
    cases = parse(out)
    assert [(c.verdict, c.name) for c in cases] == [
        ("PASS", "sed n (flushes pattern space)"), ("SKIPPED", "sed -z"),
        ("FAIL", "sed a cmd"), ("UNTESTED", "cp-preserves-links"),
        ("SKIPPED", "yes (not built)"), ("PASS", "sed s//g (exhaustive)")]
    assert cases[1].reason == "needs CONFIG_FEATURE_SED_GNU"
    assert cases[4].reason == "applet not built"
    assert "configured" in cases[3].reason


def test_optional_with_reason_keeps_the_harness_semantics(tmp_path):
    """The appended `optional` skips exactly when busybox's does, and says why."""
    import subprocess

    script = OPTIONAL_WITH_REASON + (
        'OPTIONFLAGS=":A:B:"\n'
        'optional A B; echo "ab=$SKIP"\n'
        'optional A C; echo "ac=$SKIP"\n')
    p = subprocess.run(["sh", "-c", script], capture_output=True, text=True)
    assert p.stdout.splitlines() == ["ab=", "BKPORT-SKIP-WHY: needs CONFIG_C", "ac=1"]


def stand_ins() -> list:
    """Both stand-ins: the C client (built with the host clang) and client.py."""
    import sys

    from bkport import native
    from bkport.validate import server

    exe = native.built(server.CLIENT_C, shared=False)
    assert exe is not None, "the C client did not build with the host clang"
    return [pytest.param([str(exe)], id="c"),
            pytest.param([sys.executable, "-S", str(server.CLIENT)], id="python")]


@pytest.fixture(params=["c", "python"])
def client_cmd(request) -> list[str]:
    return next(p.values[0] for p in stand_ins() if p.id == request.param)


def test_client_and_server_carry_a_call_and_its_answer(tmp_path, monkeypatch, client_cmd):
    """The stand-in's round trip, with the QEMU part replaced: argv, cwd, environment and stdin
    arrive intact (binary and empty parts too), and status, stdout and stderr come back."""
    import subprocess

    from bkport.validate import server
    from bkport.validate.runapplet import Answer

    seen = []

    def fake_run_call(board, image, call, timeout, log, on_output=None):
        # A pipe streams (client.py): the fake reads it to its end as a resident run would.
        seen.append((call, b"".join(call.stdin_feed) if call.stdin_feed else call.stdin))
        on_output("stdout", b"out\x00\x10" * 500)  # streamed, then the rest at the end
        return Answer(3, b"out\x00\x10" * 1000, b"err\n")

    monkeypatch.setattr(server, "run_call", fake_run_call)
    sock = tmp_path / "s.sock"
    with server.CallServer(sock, server.Target("qemu_riscv64", tmp_path / "x.elf", 5.0, None)):
        p = subprocess.run([*client_cmd, "/links/sed", "-n", "", "a b"],
                           input=b"in\x00put", capture_output=True, cwd=tmp_path,
                           env={"BKPORT_VALIDATE_SOCKET": str(sock), "LC_ALL": "C"},
                           preexec_fn=lambda: os.umask(0o027))
    assert (p.returncode, p.stdout, p.stderr) == (3, b"out\x00\x10" * 1000, b"err\n")
    ((call, stdin),) = seen
    assert call.argv == ["/links/sed", "-n", "", "a b"]
    assert call.cwd == tmp_path and stdin == b"in\x00put"
    assert call.env["LC_ALL"] == "C"
    assert call.env["BKPORT_UMASK"] == "27"  # the caller's umask, as a shell's child inherits it


def test_client_sends_a_file_whole_and_a_pipe_as_a_stream(tmp_path, monkeypatch, client_cmd):
    """stdin from a file goes into the call whole (as a fresh boot needs it); from a pipe it
    streams (Call.stdin_feed), so `yes | head` can end when head does."""
    import subprocess

    from bkport.validate import server
    from bkport.validate.runapplet import Answer

    seen = []

    def fake_run_call(board, image, call, timeout, log, on_output=None):
        seen.append((call.stdin, None if call.stdin_feed is None else b"".join(call.stdin_feed)))
        return Answer(0, b"", b"")

    monkeypatch.setattr(server, "run_call", fake_run_call)
    sock = tmp_path / "s.sock"
    (tmp_path / "in.txt").write_bytes(b"from a file")
    env = {"BKPORT_VALIDATE_SOCKET": str(sock)}
    with server.CallServer(sock, server.Target("qemu_riscv64", tmp_path / "x.elf", 5.0, None)):
        with open(tmp_path / "in.txt", "rb") as f:
            subprocess.run([*client_cmd, "cat"], stdin=f, env=env)
        subprocess.run([*client_cmd, "cat"], input=b"from a pipe", env=env)
        subprocess.run([*client_cmd, "cat"], stdin=subprocess.DEVNULL, env=env)
    assert seen == [(b"from a file", None), (b"", b"from a pipe"), (b"", None)]


def test_a_fresh_boot_takes_what_an_endless_pipe_gives_up_to_the_blob(tmp_path, monkeypatch,
                                                                      client_cmd):
    """`--fresh-boot` needs stdin whole before the boot: from a source that never ends
    (`seq 4 0 8 | head`) it takes FRESH_STDIN_MAX bytes and runs, and the client still ends."""
    import subprocess

    from bkport.toolchain import resident
    from bkport.validate import server
    from bkport.validate.runapplet import Answer

    seen = []

    def fake_run_call(board, image, call, timeout, log, on_output=None):
        seen.append((len(call.stdin), call.stdin_feed))
        return Answer(0, b"done\n", b"")

    monkeypatch.setattr(server, "run_call", fake_run_call)
    monkeypatch.setattr(server, "FRESH_STDIN_MAX", 100_000)
    monkeypatch.setattr(resident, "_FRESH_BOOT", [True])
    sock = tmp_path / "s.sock"
    with server.CallServer(sock, server.Target("qemu_riscv64", tmp_path / "x.elf", 5.0, None)):
        p = subprocess.run(f"yes | {shlex.join(client_cmd)} head", shell=True,
                           capture_output=True, timeout=30,
                           env={"BKPORT_VALIDATE_SOCKET": str(sock), "PATH": "/usr/bin:/bin"})
    assert (p.returncode, p.stdout) == (0, b"done\n")
    assert seen == [(100_000, None)]


def test_client_without_a_server_says_so(tmp_path, client_cmd):
    import subprocess

    p = subprocess.run([*client_cmd, "cat"], capture_output=True,
                       env={"BKPORT_VALIDATE_SOCKET": str(tmp_path / "none.sock")},
                       stdin=subprocess.DEVNULL)
    assert p.returncode == 126
    assert b"cannot reach the validate server" in p.stderr


def test_changes_come_back_to_argument_paths_inside_the_scratch_copy(tmp_path):
    """`cp * ../dest` from inside the test's copy: ../dest gets the files; a path outside the
    copy (the host's own) never does."""
    scratch = tmp_path / "ts"
    cwd = scratch / "src"
    (scratch / "dest").mkdir(parents=True)
    cwd.mkdir()
    (cwd / "f").write_bytes(b"1")
    outside = tmp_path / "host_file"
    outside.write_bytes(b"host")
    args = ["f", "../dest", "../new", str(outside)]
    roots = runapplet.write_roots(cwd, args, scratch)
    assert roots == [cwd, scratch / "dest", scratch / "new"]
    sent = runapplet.collect(cwd, args)
    got = dict(sent)
    got[str(scratch / "dest" / "f").lstrip("/")] = b"1"
    got[str(scratch / "new").lstrip("/")] = b"made"
    got[str(outside).lstrip("/")] = b"changed in the run"
    for r in roots:
        runapplet.sync_back(r, sent, got)
    assert (scratch / "dest" / "f").read_bytes() == b"1"
    assert (scratch / "new").read_bytes() == b"made"
    assert outside.read_bytes() == b"host"
    assert runapplet.write_roots(cwd, args, None) == [cwd]


def test_the_table_renders_the_same_from_saved_results():
    """docs/busybox.md can be rendered again from the per-board JSON, and says what ran."""
    from types import SimpleNamespace

    from bkport.plugins.busybox import report
    from bkport.plugins.busybox.testsuite import AppletResult, Case
    from bkport.plugins.busybox.validate import BoardRun, Built

    built = Built("qemu_riscv64", None, None, None, ["cat", "md5sum", "yes"],
                  SimpleNamespace(text=1, data=2, bss=3), 4.0)
    run = BoardRun("qemu_riscv64", built, ["cat", "md5sum", "yes"],
                   {"cat": "ok", "md5sum": "ok", "yes": "`yes --help`: timeout"},
                   [AppletResult("cat", [Case("cat-a", "PASS"), Case("cat-b", "FAIL")], 1.0, 3),
                    AppletResult("md5sum", [Case("md5sum.tests", "SKIPPED", "quick tier: slow")])],
                   boot_seconds=0.07, suite_seconds=9.0, build_seconds=4.0, tier="quick")
    md = report.markdown([run])
    assert "| `cat` | 1/2 |" in md and "| `yes` | not run |" in md
    assert "| `md5sum` | runs; slow script skipped (quick tier) |" in md
    assert "- qemu_riscv64: `cat`: cat-b" in md
    again = report.from_json(report.board_json(run), built.recipe_applets)
    assert report.markdown([again]) == md


@pytest.mark.parametrize("native_ok", [True, False], ids=["c", "script"])
def test_installed_stand_in_takes_its_name_from_argv0(tmp_path, monkeypatch, native_ok):
    """install_stand_in puts the C client itself where the app's executable goes (no shell
    wrapper: one process start a call), and a link to it named after an applet (runtest's
    links) calls that applet; without a host clang the `#!/bin/sh` wrapper does the same."""
    import subprocess

    from bkport.validate import server
    from bkport.validate.runapplet import Answer

    if not native_ok:
        monkeypatch.setenv("BKPORT_NATIVE", "0")
    seen = []

    def fake_run_call(board, image, call, timeout, log, on_output=None):
        seen.append(call.argv)
        return Answer(0, b"ok\n", b"")

    monkeypatch.setattr(server, "run_call", fake_run_call)
    bindir = tmp_path / "bin"
    bindir.mkdir()
    exe = server.install_stand_in(bindir / "busybox", "# a test's stand-in\n")
    assert (exe.read_bytes()[:4] == b"\x7fELF") == native_ok
    (bindir / "sed").symlink_to(exe)
    sock = tmp_path / "s.sock"
    env = {"BKPORT_VALIDATE_SOCKET": str(sock), "PATH": f"{bindir}:/usr/bin:/bin"}
    with server.CallServer(sock, server.Target("qemu_riscv64", tmp_path / "x.elf", 5.0, None)):
        for cmd in ("busybox sed -n p", "sed -n p"):
            p = subprocess.run(["sh", "-c", cmd], capture_output=True, cwd=tmp_path, env=env,
                               stdin=subprocess.DEVNULL)
            assert (p.returncode, p.stdout) == (0, b"ok\n")
    assert [os.path.basename(a[0]) for a in seen] == ["busybox", "sed"]
    assert [a[1:] for a in seen] == [["sed", "-n", "p"], ["-n", "p"]]


def test_calls_in_a_row_see_each_others_and_the_hosts_changes(tmp_path):
    """Call after call in one folder, as a test script makes them: what came back untouched is
    left alone (same inode, same nanosecond mtime), what the run changed comes back, and what
    the host modified, removed, created or renamed between calls is what the next call gets."""
    from bkport.kernel.cpio import Attrs, Tree

    cwd = tmp_path / "w"
    (cwd / "sub").mkdir(parents=True)
    for name in ("keep", "edit", "gone", "old"):
        (cwd / name).write_text(name)
    (cwd / "sub" / "deep").write_text("deep")
    k = lambda *p: str(cwd.joinpath(*p)).lstrip("/")  # noqa: E731

    def run(sent: Tree, change) -> Tree:
        got = Tree(dict(sent), dict(sent.attrs))  # the run's copy, as the kernel hands it back
        change(got)
        return got

    sent = runapplet.collect(cwd, [])
    keep_before = os.stat(cwd / "keep")
    got = run(sent, lambda t: (t.__setitem__(k("edit"), b"edited"),
                               t.__setitem__(k("sub", "new"), b"made in the run"),
                               t.attrs.__setitem__(k("sub", "new"), Attrs(0o600, 1_000_000_000)),
                               t.pop(k("gone"))))
    runapplet.sync_back(cwd, sent, got)
    keep_after = os.stat(cwd / "keep")
    assert (keep_after.st_ino, keep_after.st_mtime_ns) == (keep_before.st_ino,
                                                           keep_before.st_mtime_ns)
    assert (cwd / "edit").read_text() == "edited" and not (cwd / "gone").exists()
    assert (cwd / "sub" / "new").read_text() == "made in the run"
    assert (cwd / "sub" / "new").stat().st_mtime == 1_000_000_000
    assert (cwd / "sub" / "new").stat().st_mode & 0o777 == 0o600

    # The host between two calls: a file modified, one removed, one created, one renamed.
    (cwd / "keep").write_text("changed on the host")
    (cwd / "sub" / "deep").unlink()
    (cwd / "fresh").write_text("created on the host")
    (cwd / "old").rename(cwd / "sub" / "renamed")
    sent2 = runapplet.collect(cwd, [])
    assert sent2[k("keep")] == b"changed on the host"
    assert k("sub", "deep") not in sent2 and k("old") not in sent2
    assert sent2[k("fresh")] == b"created on the host"
    assert sent2[k("sub", "renamed")] == b"old"
    assert sent2[k("edit")] == b"edited" and sent2[k("sub", "new")] == b"made in the run"
    # The second run renames a file back and touches one's mode only.
    got2 = run(sent2, lambda t: (t.__setitem__(k("old"), t.pop(k("sub", "renamed"))),
                                 t.attrs.__setitem__(k("fresh"), Attrs(
                                     0o640, sent2.attr(k("fresh")).mtime))))
    runapplet.sync_back(cwd, sent2, got2)
    assert (cwd / "old").read_text() == "old" and not (cwd / "sub" / "renamed").exists()
    assert (cwd / "fresh").stat().st_mode & 0o777 == 0o640
    assert runapplet.collect(cwd, []) == got2

"""The compile engine (bkport.toolchain.compile) with the real clang: objects are reused while the
command line and the content of every file a compile read are unchanged, failures are reported
together and leave nothing stale, and files compile in parallel."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import pytest
from bkport.appbuild.target import c_target
from bkport.toolchain import compile as engine
from bkport.toolchain.clang import clang
from bkport.toolchain.compile import CompileFailed, CompileJob, compile_many

pytestmark = pytest.mark.toolchain

HOST = ("-O1", "-Wall")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def jobs_for(srcs: list[Path], out: Path, *flags: str) -> list[CompileJob]:
    return [CompileJob(s, out / (s.stem + ".o"), [clang(), *HOST, *flags]) for s in srcs]


def rebuilt(results) -> list[str]:
    return [r.job.source.name for r in results if r.rebuilt]


@pytest.fixture
def project(tmp_path):
    """a.c and b.c include common.h; c.c includes nothing."""
    write(tmp_path / "src" / "common.h", "#define VALUE 1\n")
    srcs = [
        write(tmp_path / "src" / "a.c", '#include "common.h"\nint fa(void) { return VALUE; }\n'),
        write(tmp_path / "src" / "b.c", '#include "common.h"\nint fb(void) { return VALUE; }\n'),
        write(tmp_path / "src" / "c.c", "int fc(void) { return 3; }\n"),
    ]
    return tmp_path, srcs


def test_second_run_reuses_without_running_the_compiler(project, monkeypatch):
    root, srcs = project
    jobs = jobs_for(srcs, root / "obj")
    seen: list[tuple[int, int]] = []
    first = compile_many(jobs, progress=lambda changed, total: seen.append((changed, total)))
    assert rebuilt(first) == ["a.c", "b.c", "c.c"] and all(r.ok for r in first)
    mtimes = [j.output.stat().st_mtime_ns for j in jobs]
    manifest = json.loads(engine.manifest_path(jobs[0].output).read_text())
    deps = [Path(d[0]).name for d in manifest["deps"]]
    assert "a.c" in deps and "common.h" in deps

    def no_compiler(*args, **kwargs):
        raise AssertionError(f"the compiler ran: {args}")

    monkeypatch.setattr(engine.subprocess, "run", no_compiler)
    second = compile_many(jobs, progress=lambda changed, total: seen.append((changed, total)))
    assert rebuilt(second) == [] and all(r.ok for r in second)
    assert [j.output.stat().st_mtime_ns for j in jobs] == mtimes
    assert seen == [(3, 3), (0, 3)]


def test_header_content_change_rebuilds_its_dependants_only(project):
    root, srcs = project
    jobs = jobs_for(srcs, root / "obj")
    compile_many(jobs)
    c_mtime = jobs[2].output.stat().st_mtime_ns
    write(root / "src" / "common.h", "#define VALUE 2\n")
    assert rebuilt(compile_many(jobs)) == ["a.c", "b.c"]
    assert jobs[2].output.stat().st_mtime_ns == c_mtime
    assert rebuilt(compile_many(jobs)) == []


def test_touched_header_with_the_same_content_rebuilds_nothing(project, monkeypatch):
    root, srcs = project
    jobs = jobs_for(srcs, root / "obj")
    compile_many(jobs)
    header = root / "src" / "common.h"
    later = header.stat().st_mtime_ns + 5_000_000_000
    os.utime(header, ns=(later, later))
    assert rebuilt(compile_many(jobs)) == []
    # the manifest took the new mtime: the next check trusts the stat and hashes nothing
    entry = next(d for d in json.loads(engine.manifest_path(jobs[0].output).read_text())["deps"]
                 if d[0].endswith("common.h"))
    assert entry[2] == later
    hashed: list[str] = []
    real = engine.FileState.digest
    monkeypatch.setattr(engine.FileState, "digest",
                        lambda self, path, st: hashed.append(path) or real(self, path, st))
    assert rebuilt(compile_many(jobs)) == []
    assert hashed == []


def test_changing_a_flag_rebuilds(project):
    root, srcs = project
    compile_many(jobs_for(srcs, root / "obj", "-DEXTRA=1"))
    assert rebuilt(compile_many(jobs_for(srcs, root / "obj", "-DEXTRA=1"))) == []
    assert rebuilt(compile_many(jobs_for(srcs, root / "obj", "-DEXTRA=2"))) == \
        ["a.c", "b.c", "c.c"]


def test_failures_are_reported_together_and_leave_no_stale_object(project):
    root, srcs = project
    jobs = jobs_for(srcs, root / "obj")
    compile_many(jobs)
    assert jobs[0].output.exists()
    write(srcs[0], "int fa(void) { return undeclared_a; }\n")
    write(srcs[2], "int fc(void) { return undeclared_c }\n")
    with pytest.raises(CompileFailed) as info:
        compile_many(jobs)
    e = info.value
    assert [r.job.source.name for r in e.failures] == ["a.c", "c.c"]
    assert "undeclared_a" in e.output and "a.c:1" in e.output
    assert "c.c:1" in e.output and "undeclared_c" in e.output
    assert "a.c" in str(e) and "c.c" in str(e)
    for j in (jobs[0], jobs[2]):
        assert not j.output.exists()
        assert not engine.manifest_path(j.output).exists()
    assert jobs[1].output.exists()  # the file that compiles is untouched
    # fixed: only the files that failed compile again
    write(srcs[0], "int fa(void) { return 1; }\n")
    write(srcs[2], "int fc(void) { return 3; }\n")
    assert rebuilt(compile_many(jobs)) == ["a.c", "c.c"]


def test_warnings_are_printed_once(tmp_path):
    src = write(tmp_path / "w.c", "int f(void) { int unused; return 0; }\n")
    job = CompileJob(src, tmp_path / "w.o", [clang(), "-Wall"])
    printed: list[str] = []
    (r,) = compile_many([job], echo=printed.append)
    assert r.ok and "unused" in r.output
    assert len(printed) == 1 and "unused" in printed[0]
    compile_many([job], echo=printed.append)
    assert len(printed) == 1


def test_the_callers_flags_are_kept_as_given(tmp_path):
    src = write(tmp_path / "f.c", "int f(void) { return 0; }\n")
    job = CompileJob(src, tmp_path / "f.o", [clang(), "-O0", "-g0"])
    assert job.command() == [clang(), "-O0", "-g0", "-MD", "-MF", str(tmp_path / "f.o.d"),
                             "-c", str(src), "-o", str(tmp_path / "f.o")]
    assert job.command(depfile=False)[3:] == ["-c", str(src), "-o", str(tmp_path / "f.o")]
    with pytest.raises(ValueError):
        CompileJob(src, tmp_path / "f.o", [clang(), "-c"])


def test_many_files_compile_in_parallel(tmp_path):
    """A wrapper around clang logs when each compile starts and ends: with 4 workers, compiles
    overlap."""
    log = tmp_path / "log"
    wrapper = write(tmp_path / "cc", f"#!/bin/sh\necho start $(date +%s%N) >> {log}\n"
                                     f"sleep 0.3\n{clang()} \"$@\"\nrc=$?\n"
                                     f"echo end $(date +%s%N) >> {log}\nexit $rc\n")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    srcs = [write(tmp_path / "src" / f"f{i:02d}.c", f"int f{i}(void) {{ return {i}; }}\n")
            for i in range(12)]
    jobs = [CompileJob(s, tmp_path / "obj" / (s.stem + ".o"), [str(wrapper), "-O1"])
            for s in srcs]
    results = compile_many(jobs, jobs_n=4)
    assert [r.job for r in results] == jobs and all(r.rebuilt and r.ok for r in results)
    assert all(j.output.is_file() for j in jobs)
    events = sorted((int(t), kind) for kind, t in (ln.split() for ln in log.read_text().split(
        "\n") if ln))
    running = most = 0
    for _, kind in events:
        running += 1 if kind == "start" else -1
        most = max(most, running)
    assert most >= 2, events
    assert most <= 4
    assert rebuilt(compile_many(jobs, jobs_n=4)) == []


def test_cross_compile_for_riscv64(tmp_path):
    src = write(tmp_path / "r.c", "#include <stdint.h>\nuint64_t twice(uint64_t x) "
                                  "{ return 2 * x; }\n")
    job = CompileJob(src, tmp_path / "r.o", [clang(), *c_target("riscv64").flags(), "-O2"])
    (r,) = compile_many([job])
    assert r.rebuilt and r.ok
    head = job.output.read_bytes()[:20]
    assert head[:4] == b"\x7fELF" and int.from_bytes(head[18:20], "little") == 243  # EM_RISCV
    # the picolibc header it read is a dependency like any other
    deps = [d[0] for d in json.loads(engine.manifest_path(job.output).read_text())["deps"]]
    assert any("picolibc" in d and d.endswith("stdint.h") for d in deps)
    (again,) = compile_many([job])
    assert not again.rebuilt


def test_relative_paths_compile_in_the_jobs_folder(tmp_path, monkeypatch):
    write(tmp_path / "inc" / "v.h", "#define V 7\n")
    write(tmp_path / "m.c", '#include "v.h"\nint m(void) { return V; }\n')
    job = CompileJob(Path("m.c"), Path("obj/m.o"), [clang(), "-Iinc"], cwd=tmp_path)
    monkeypatch.chdir("/")
    (r,) = compile_many([job])
    assert r.ok and (tmp_path / "obj" / "m.o").is_file()
    assert rebuilt(compile_many([job])) == []
    write(tmp_path / "inc" / "v.h", "#define V 8\n")
    assert rebuilt(compile_many([job])) == ["m.c"]


def test_read_depfile_formats(tmp_path):
    clang_style = write(tmp_path / "a.d", "/o/a.o: /s/a.c /s/with\\ space.h \\\n  /s/b.h\n")
    assert engine.read_depfile(clang_style) == ["/s/a.c", "/s/with space.h", "/s/b.h"]
    rustc_style = write(tmp_path / "k.d", "/o/k.elf: /s/main.rs /s/m.rs\n\n/o/k.d: /s/main.rs "
                        "/s/m.rs\n\n/s/main.rs:\n/s/m.rs:\n\n# env-dep:X=/g/mods.rs\n")
    assert engine.read_depfile(rustc_style) == ["/s/main.rs", "/s/m.rs"]


def test_run_cached_redoes_a_step_when_an_input_changes(tmp_path):
    src = write(tmp_path / "in.txt", "one")
    out = tmp_path / "out.txt"
    runs: list[int] = []

    def step() -> None:
        runs.append(1)
        out.write_text(src.read_text().upper())

    assert engine.run_cached(out, ["upper", str(src)], step, [src])
    assert not engine.run_cached(out, ["upper", str(src)], step, [src])
    assert not engine.run_cached(out, ["upper", str(src)], step, [src])
    time.sleep(0.01)
    write(src, "two")
    assert engine.run_cached(out, ["upper", str(src)], step, [src])
    assert engine.run_cached(out, ["upper", "--other", str(src)], step, [src])
    out.unlink()
    assert engine.run_cached(out, ["upper", "--other", str(src)], step, [src])
    assert len(runs) == 4 and out.read_text() == "TWO"


def test_app_compile_error_carries_every_failed_file(tmp_path):
    from bkport.appbuild.app import CompileError, compile_sources
    from bkport.appbuild.layer import generate_inputs

    inputs = generate_inputs(tmp_path / "build", ["riscv64"])
    good = write(tmp_path / "good.c", "#include <stdio.h>\nint main(void) { puts(\"hi\"); }\n")
    objs = compile_sources([good], "riscv64", inputs, tmp_path / "obj")
    assert [o.name for o in objs] == ["000-good.o"] and objs[0].is_file()
    bad1 = write(tmp_path / "bad1.c", "int f(void) { return nope1; }\n")
    bad2 = write(tmp_path / "bad2.c", "int g(void) { return nope2; }\n")
    with pytest.raises(CompileError) as info:
        compile_sources([good, bad1, bad2], "riscv64", inputs, tmp_path / "obj")
    assert "nope1" in info.value.output and "nope2" in info.value.output

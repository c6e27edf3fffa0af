"""The layer's <trace.h> (posix/layer/src/trace*.c) on the host: its sources use only POSIX calls,
so they build with the host's gcc and libc against the generated <trace.h>, linked with the two
conformance programs (tests/conformance/trace.c, trace_log.c), which must pass every check there
too. A quick loop for the Trace option that needs no QEMU; the boards run the same programs."""

import resource
import shutil
import subprocess

import pytest
from bkport.appbuild.conformance import conformance_dir, parse
from bkport.appbuild.layer import layer_dir
from bkport.posixspec.gen import write_headers
from bkport.workspace import current

PROGRAMS = ("trace", "trace_log")
# A 2 GiB stream must fail with ENOMEM as on the boards; a host overcommits memory, so the run
# gets an address-space limit below it.
ADDRESS_SPACE = 1 << 30


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    gcc = shutil.which("gcc") or shutil.which("cc")
    if gcc is None:
        pytest.skip("no host C compiler")
    d = tmp_path_factory.mktemp("trace_host")
    write_headers(current().spec, d / "sysroot", with_test=False)
    # only <trace.h> from the generated sysroot: the rest is the host's libc
    inc = d / "inc"
    inc.mkdir()
    shutil.copy(d / "sysroot" / "include" / "trace.h", inc / "trace.h")
    logs = d / "logs"
    logs.mkdir()
    srcs = sorted(str(p) for p in (layer_dir() / "src").glob("trace*.c"))
    exes = {}
    for prog in PROGRAMS:
        exe = d / prog
        cmd = [gcc, "-std=gnu11", "-O1", "-g", "-Wall", "-Wextra", "-Werror", "-D_GNU_SOURCE",
               "-I", str(inc), f'-DTRACE_LOG_DIR="{logs}/"', "-o", str(exe), *srcs,
               str(conformance_dir() / f"{prog}.c"), "-lpthread"]
        r = subprocess.run(cmd, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        exes[prog] = exe
    return exes


def limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


@pytest.mark.parametrize("prog", PROGRAMS)
def test_trace_program_on_host(built, prog):
    r = subprocess.run([str(built[prog])], capture_output=True, text=True, timeout=60,
                       preexec_fn=limit_memory)
    passed, failed = parse(r.stdout)
    assert not failed and r.returncode == 0, r.stdout[-4000:]
    assert len(passed) >= (250 if prog == "trace" else 80), len(passed)

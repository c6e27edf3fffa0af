"""Every source of the POSIX layer compiles warning-free (-Wall -Wextra -Werror) for the three
targets, and the archive links into an app object that defines the POSIX names."""

import subprocess

import pytest
from bkport.appbuild.layer import build_layer, generate_inputs, layer_sources, llvm_tool
from bkport.toolchain.targets import ARCHES

pytestmark = pytest.mark.toolchain


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    build = tmp_path_factory.mktemp("layer")
    return build, generate_inputs(build)


@pytest.mark.parametrize("arch", sorted(ARCHES))
def test_layer_compiles(arch, inputs):
    build, inp = inputs
    lib = build_layer(arch, build, inp)
    assert lib.exists()
    nm = subprocess.run([llvm_tool("llvm-nm"), "--defined-only", str(lib)], capture_output=True,
                        text=True, check=True).stdout
    defined = {line.split()[-1] for line in nm.splitlines() if len(line.split()) == 3}
    for name in ("app_main", "read", "write", "open", "pthread_create", "pthread_mutex_lock",
                 "pthread_cond_timedwait", "sem_timedwait", "opendir", "readdir", "malloc",
                 "stdout", "_exit", "uname", "sysconf", "sigaction"):
        assert name in defined, f"{name} missing from libbkposix.a for {arch}"
    if arch == "cortex-m":
        assert "__aeabi_read_tp" in defined  # per-thread TLS on Cortex-M


def test_sources_are_small_and_commented():
    for src in layer_sources():
        text = src.read_text()
        assert text.lstrip().startswith("/*"), f"{src.name}: starts with a comment saying why"
        assert len(text.splitlines()) < 600, f"{src.name}: split it"

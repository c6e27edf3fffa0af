"""picolibc's constant values against the spec's Linux ones (libclang evaluates them)."""

from __future__ import annotations

import json
import subprocess

import pytest
from bkport.paths import source
from bkport.posixspec import load_spec
from bkport.posixspec.abicheck import (
    BROKEN_PICOLIBC,
    abi_diff,
    prototype_conflicts,
    undeclared_interfaces,
)
from bkport.posixspec.cli import posix
from bkport.posixspec.gen import owned, render_all
from bkport.toolchain.targets import ARCHES
from click.testing import CliRunner


@pytest.mark.toolchain
@pytest.mark.parametrize("arch", sorted(ARCHES))
def test_picolibc_numbering_differs_where_known(arch):
    diffs = {d.name: d for d in abi_diff(load_spec(), arch)}
    assert diffs["ENOSYS"].linux == 38 and diffs["ENOSYS"].picolibc == 88
    assert diffs["ENOSYS"].status == "different"
    assert diffs["EINVAL"].status == "same" and diffs["EINVAL"].picolibc == 22
    assert diffs["S_IFDIR"].status == "same"
    assert diffs["O_CREAT"].status == "same"
    assert diffs["O_NONBLOCK"].status == "different"
    assert diffs["SIGUSR1"].picolibc == 30
    assert diffs["EBADE"].status == "absent"
    # every constant of a picolibc-owned header is compared
    spec = load_spec()
    wanted = {c.name for c in spec.constants.values() if c.value is not None
              and spec.headers[c.header].owner.value == "picolibc"}
    assert set(diffs) == wanted


@pytest.mark.toolchain
def test_abi_command_json():
    res = CliRunner().invoke(posix, ["abi", "--arch", "riscv64", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    rows = {r["name"]: r for r in data["arches"]["riscv64"]}
    assert data["schema"] == "bkport.posix-abi/1"
    assert rows["ETIMEDOUT"] == {"name": "ETIMEDOUT", "header": "errno.h", "linux": 110,
                                 "picolibc": 116, "status": "different"}


def test_layer_headers_wrap_generated_ones():
    """A hand-written layer header with a generated header's name must wrap it (include_next),
    so the spec's declarations stay the only ones."""
    spec = load_spec()
    generated = set(render_all(spec))
    layer_inc = source("posix/layer/include")
    for path in sorted(layer_inc.rglob("*.h")) if layer_inc.exists() else []:
        name = path.relative_to(layer_inc).as_posix()
        if name in generated:
            assert f"#include_next <{name}>" in path.read_text(), name
    assert {h.name for h in owned(spec)} <= generated


# Where picolibc and POSIX (the spec) disagree, checked by hand against the standard:
PICOLIBC_DEVIATIONS = {
    "fsetpos": "picolibc drops the const of `const fpos_t *pos`",
    "iconv": "picolibc takes `const char **inbuf`; POSIX `char **restrict inbuf`",
    "tfind": "picolibc takes `void **rootp`; POSIX `void *const *rootp`",
    "qsort_r": "picolibc's default (BSD) argument order; POSIX 2024 follows glibc's",
    "pthread_kill": "picolibc's <signal.h> has no pthread_t (the layer's <pthread.h> has)",
    "waitid": "picolibc's <sys/wait.h> has no idtype_t",
}


@pytest.mark.toolchain
@pytest.mark.parametrize("arch", sorted(ARCHES))
def test_spec_prototypes_agree_with_picolibc(arch):
    """Differential test: every spec prototype redeclared after picolibc's declarations.
    Anything beyond the known deviations is a spec error (or a new picolibc change)."""
    conflicts = prototype_conflicts(load_spec(), arch)
    assert {c.interface for c in conflicts} == set(PICOLIBC_DEVIATIONS), conflicts


@pytest.mark.toolchain
@pytest.mark.parametrize("arch", sorted(ARCHES))
def test_every_implemented_interface_is_declared_to_apps(arch):
    """An interface the bkport profile counts as supported or partial must be callable from an
    app built as bkport builds apps: pthread_kill was implemented in signal.c while no header
    declared it (picolibc's <signal.h> has no pthread_t), so apps got an implicit declaration."""
    from bkport.posixspec.support import load_support

    spec = load_spec()
    db = load_support("bkport", spec)
    implemented = {n for n, s in db.entries.items() if s.status in ("supported", "partial")}
    assert len(implemented) > 1000
    assert undeclared_interfaces(spec, implemented, arch) == {}


@pytest.mark.toolchain
@pytest.mark.parametrize("header", sorted(BROKEN_PICOLIBC))
def test_broken_picolibc_headers_are_still_broken(header, tmp_path):
    arch = ARCHES["cortex-m"]
    src = tmp_path / "h.c"
    src.write_text(f"#include <{header}>\n")
    res = subprocess.run(
        ["clang", f"--target={arch.clang_target}", *arch.clang_flags, "-nostdlibinc",
         "-isystem", f"/usr/lib/picolibc/{arch.picolibc_prefix}/include", "-fsyntax-only",
         str(src)], capture_output=True, text=True)
    assert res.returncode != 0, f"<{header}> compiles now: drop it from BROKEN_PICOLIBC"

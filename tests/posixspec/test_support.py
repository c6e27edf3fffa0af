"""The support database: computed statuses, both profiles, and counts that add up."""

from __future__ import annotations

from pathlib import Path

import pytest
from bkport.errors import BkportError
from bkport.posixspec import load_spec, load_support
from bkport.posixspec.model import PSE_PROFILES
from bkport.posixspec.support import STATUSES, build_support, layer_symbols
from bkport.syscalls.model import Status, StatusKind, Syscall, SyscallTable


@pytest.fixture(scope="module")
def spec():
    return load_spec()


def call(n: int, variant: str, name: str, posix: tuple[str, ...], status: Status) -> Syscall:
    return Syscall(n, variant, name, (), "c_long", (), None, ("cortex-m", "aarch64", "riscv64"),
                   status, posix, "")


def small_table(*calls: Syscall) -> SyscallTable:
    return SyscallTable(1, {}, {}, tuple(calls), ("test",))


@pytest.mark.parametrize("profile", ["blueos", "bkport"])
def test_counts_add_up_per_group_and_pse(spec, profile):
    db = load_support(profile, spec=spec)
    assert set(db.entries) == set(spec.interfaces)
    assert all(s.status in STATUSES for s in db.entries.values())
    for key, counts in db.counts("group").items():
        members = [i for i in spec.interfaces.values() if key in i.groups]
        assert counts["total"] == len(members) == sum(counts[s] for s in STATUSES), key
    pse = db.counts("pse")
    for p in PSE_PROFILES:
        assert pse[p]["total"] == len(spec.in_pse(p)) == sum(pse[p][s] for s in STATUSES)
    # the IEEE 1003.13 profiles nest: PSE51 within 52 within 53 within 54
    assert pse["PSE51"]["total"] < pse["PSE52"]["total"] < pse["PSE53"]["total"] \
        < pse["PSE54"]["total"]
    by_header = db.counts("header")
    assert sum(c["total"] for c in by_header.values()) == spec.count
    assert db.totals()["total"] == spec.count


def test_blueos_facts(spec):
    db = load_support("blueos", spec=spec)
    assert db.lookup("write").status == "supported"
    assert db.lookup("fork").status == "missing"
    mmap = db.lookup("mmap")
    assert mmap.status == "stub" and "fails" in mmap.note and mmap.provider == "librs"
    assert db.lookup("munmap").status == "partial" and db.lookup("munmap").note
    assert db.lookup("clock_settime").status == "partial"
    # librs says it worked; the kernel handler behind it is a placeholder
    assert db.lookup("sigaction").status == "partial" and "RtSig" in db.lookup("sigaction").note
    assert db.lookup("pthread_create").provider == "librs"
    assert db.lookup("not_a_posix_call") is None
    s = db.lookup("pthread_mutex_lock")
    assert s.interface.option_group == "POSIX_THREADS_BASE"
    assert s.interface.pse == ("PSE51", "PSE52", "PSE53", "PSE54")
    assert s.interface.header == "pthread.h"


def test_blueos_kernel_calls_count_without_librs(spec):
    t = small_table(call(11, "Write", "write", ("write",), Status(StatusKind.FULL)),
                    call(62, "ClockGetTime", "clock_gettime", ("clock_gettime", "time"),
                         Status(StatusKind.PARTIAL, "no CLOCK_PROCESS_CPUTIME_ID")))
    db = build_support("blueos", spec, table=t)
    assert db.lookup("write").provider == "librs"  # a weak export of librs
    assert db.lookup("time").provider == "librs"
    assert db.lookup("timer_getoverrun").provider == "librs"
    # a call not in upstream BlueKernel does not count for the blueos profile
    t2 = small_table(call(90, "Fork", "fork", ("fork",), Status(StatusKind.FULL)))
    assert build_support("blueos", spec, table=t2).lookup("fork").status == "missing"
    # an upstream call serving an interface librs does not export
    t3 = small_table(call(20, "Stat", "stat", ("fstatat",), Status(StatusKind.FULL)))
    s = build_support("blueos", spec, table=t3).lookup("fstatat")
    assert (s.status, s.provider) == ("supported", "kernel:Stat")


def test_bkport_statuses_from_the_table(spec, tmp_path):
    t = small_table(
        call(11, "Write", "write", ("write",), Status(StatusKind.FULL)),
        call(15, "Lseek", "lseek", ("lseek",), Status(StatusKind.PARTIAL, "32-bit offsets")),
        call(70, "Fork", "fork", ("fork",), Status(StatusKind.STUB, errno="ENOSYS")),
        call(71, "Kill", "kill", ("kill",), Status(StatusKind.FAKE)),
        call(72, "Wait", "wait", ("wait",), Status(StatusKind.UNSUPPORTED)),
    )
    db = build_support("bkport", spec, table=t, layer_dir=tmp_path)
    assert (db.lookup("write").status, db.lookup("write").provider) == ("supported",
                                                                        "kernel:Write")
    assert db.lookup("lseek").status == "partial" and db.lookup("lseek").note == "32-bit offsets"
    assert db.lookup("fork").status == "stub" and "ENOSYS" in db.lookup("fork").note
    assert db.lookup("kill").status == "partial"
    assert db.lookup("wait").status == "missing"


def test_bkport_picolibc_needs_the_os(spec, tmp_path):
    """A picolibc symbol that reaches an OS hook counts only as well as the hook's provider."""
    empty = build_support("bkport", spec, table=small_table(), layer_dir=tmp_path)
    assert empty.lookup("strlen").status == "supported"
    assert empty.lookup("strlen").provider == "picolibc"
    assert empty.lookup("qsort").status == "supported"
    assert empty.lookup("sqrt").status == "supported"
    # picolibc defines open() only as an undefined hook, and printf needs stdout
    assert empty.lookup("open").status == "missing"
    printf = empty.lookup("printf")
    assert printf.status == "missing" and "stdout" in printf.note
    # the layer provides stdout (marked partial) and stdin/stderr: printf follows
    (tmp_path / "stdio.c").write_text(
        "#include <stdio.h>\n"
        "/* bkport: partial: unbuffered, writes through write() */\n"
        "FILE *const stdout = &bk_out;\n"
        "FILE *const stdin = &bk_in;\nFILE *const stderr = &bk_err;\n"
        "int posix_close(int fd, int flag)\n{\n    return close(fd);\n}\n"
        "static int helper(void) { return 0; }\n"
    )
    layer = layer_symbols(tmp_path)
    assert layer["stdout"] == ("partial", "unbuffered, writes through write()")
    assert layer["posix_close"] == ("supported", None)
    assert "helper" not in layer  # static: not exported
    db = build_support("bkport", spec, table=small_table(), layer_dir=tmp_path)
    assert db.lookup("printf").status == "partial"
    assert db.lookup("posix_close").provider == "layer"
    assert db.lookup("puts").status == "partial"


def test_compiler_headers_are_supported(spec):
    for profile in ("blueos", "bkport"):
        s = load_support(profile, spec=spec).lookup("atomic_load")
        assert (s.status, s.provider) == ("supported", "compiler")


def test_unknown_profile(spec):
    with pytest.raises(BkportError, match="unknown profile"):
        load_support("linux", spec=spec)


def test_load_support_is_cached(spec):
    assert load_support("blueos") is load_support("blueos", spec=spec)


def test_known_file_is_well_formed():
    path = Path(__file__).resolve().parents[2] / "posix" / "blueos-known.tsv"
    spec = load_spec()
    rows = [ln for ln in path.read_text().splitlines() if not ln.startswith("#")]
    assert rows[0] == "interface\tstatus\tnote"
    for line in rows[1:]:
        name = line.split("\t")[0]
        assert name in spec.interfaces, name


def test_a_header_renaming_counts_as_the_symbol_it_names(spec):
    """picolibc's <time.h> has `#define tzname _tzname`: tzname is there as _tzname."""
    s = load_support("bkport", spec=spec).lookup("tzname")
    assert s.status == "supported"
    assert "_tzname" in s.note

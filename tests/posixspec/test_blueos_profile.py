"""The blueos profile tells a porter the truth about BlueOS upstream: weak exports count, macros
come with their header, librs's do-nothing and always-fail backends are partial and stub."""

import pytest
from bkport.blueos import load_facts
from bkport.posixspec import load_support


@pytest.fixture(scope="module")
def db():
    return load_support("blueos")


def verdict(db, name):
    s = db.lookup(name)
    return s.status, s.provider


@pytest.mark.parametrize("name", ["fclose", "fflush", "write"])
def test_weak_exports_of_librs_are_supported(db, name):
    assert load_facts().functions[name].linkage == "weak"
    assert verdict(db, name) == ("supported", "librs")
    assert "weak" in db.lookup(name).note


@pytest.mark.parametrize("name,header", [("S_ISREG", "sys/stat.h"), ("errno", "errno.h"),
                                         ("FD_SET", "sys/select.h")])
def test_macros_are_judged_by_their_header(db, name, header):
    # <sys/select.h>: librs exports nothing it declares, but newlib installs it
    assert (verdict(db, name)) == ("supported", f"<{header}>")
    assert load_facts().functions.get(name) is None


def test_a_header_neither_librs_nor_newlib_has_brings_no_macros(db):
    from bkport.blueos.newlib import load_newlib

    assert "sys/mman.h" not in load_newlib().headers
    s = db.lookup("MAP_FAILED") or db.lookup("mmap")
    assert s is not None


@pytest.mark.parametrize("name", ["strncpy", "strcasecmp", "setjmp", "longjmp", "qsort"])
def test_newlib_functions_that_need_no_os_hook_are_supported(db, name):
    assert name not in load_facts().functions
    assert verdict(db, name) == ("supported", "newlib")


def test_newlib_functions_whose_hooks_librs_lacks_are_missing_and_say_which(db):
    s = db.lookup("fork")
    assert s.status == "missing"
    assert "_fork" in s.note and "librs does not provide" in s.note


def test_newlib_stub_is_said(db):
    s = db.lookup("system")
    assert s.status == "stub" and "ENOSYS" in s.note


def test_exit_comes_from_newlib_with_its_gap_said(db):
    s = db.lookup("exit")
    assert "exit" not in load_facts().functions
    assert (s.status, s.provider) == ("partial", "newlib")
    assert "newlib" in s.note and "processes" in s.note


def test_backend_stubs_are_partial_or_stub_and_say_which(db):
    rename = db.lookup("rename")
    assert rename.status == "partial" and "succeeds without doing anything" in rename.note
    pipe = db.lookup("pipe")
    assert pipe.status == "stub" and "always fails" in pipe.note


def test_a_kernel_call_librs_cannot_reach_is_named(db):
    s = db.lookup("mq_open")
    assert s.status == "stub"
    assert "MqOpen" in s.note and s.note.count("MqOpen") == 1


def test_rust_abi_export_is_not_callable_from_c(db):
    assert load_facts().functions["realpath"].abi == "Rust"
    s = db.lookup("realpath")
    assert s.status == "missing" and "Rust ABI" in s.note


def test_data_objects_count(db):
    assert "stdin" in load_facts().statics
    assert verdict(db, "stdin") == ("supported", "librs")


def test_sources_name_the_snapshot_provenance(db):
    joined = "\n".join(db.sources)
    assert "vivoblueos/librs, commit 5639dfa" in joined
    assert "vivoblueos/kernel, commit 37c4c94" in joined

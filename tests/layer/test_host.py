"""The layer's pure logic, compiled for the host with gcc and driven through ctypes:
errno translation, getdents record decoding, deadline arithmetic and the futex timeout mapping.
A fake <bk/syscall.h> routes the layer's system calls to a scripted kernel in C."""

import ctypes
import re
import shutil
import struct
import subprocess

import pytest
from bkport.appbuild.layer import generate_inputs, layer_dir
from bkport.syscalls.errno import ERRNO

FAKE_HEADER = """\
/* Fake <bk/syscall.h> for host tests: numbers from the generated header, trap into fake.c. */
#ifndef BK_SYSCALL_H
#define BK_SYSCALL_H
#include <errno.h>
#include <stddef.h>
{numbers}
long bk_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
static inline int bk_is_error(long raw) {{ return (unsigned long)raw > (unsigned long)-4096L; }}
#endif
"""

FAKE_KERNEL = """\
#include <string.h>
#include <time.h>
#include <bk/syscall.h>
/* A scripted kernel: clock_gettime answers `fake_now`; atomic_wait answers `fake_wait_ret`;
 * the signal layer says a handler ran when `fake_sig_ran` is set. */
long fake_now_sec, fake_now_nsec, fake_wait_ret, fake_last_rel_sec, fake_last_rel_nsec;
int fake_sig_ran;
int __bk_sig_interrupted(void) { return fake_sig_ran; }
long bk_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
    (void)a0; (void)a3; (void)a4; (void)a5;
    if (nr == BK_NR_clock_gettime) {
        long *ts = (long *)a1;
        ts[0] = fake_now_sec;
        ts[1] = fake_now_nsec;
        return 0;
    }
    if (nr == BK_NR_atomic_wait) {
        const long *rel = (const long *)a2;
        if (rel) { fake_last_rel_sec = rel[0]; fake_last_rel_nsec = rel[1]; }
        return fake_wait_ret;
    }
    return -38;
}
int until_wrapper(int clk, long sec, long nsec, long *out)
{
    struct timespec abs = { sec, nsec };
    struct { long s, n; } rel = { 0, 0 };
    int __bk_until(int, const struct timespec *, void *);
    int e = __bk_until(clk, &abs, &rel);
    out[0] = rel.s;
    out[1] = rel.n;
    return e;
}
"""


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    gcc = shutil.which("gcc") or shutil.which("cc")
    if gcc is None:
        pytest.skip("no host C compiler")
    d = tmp_path_factory.mktemp("host")
    inputs = generate_inputs(d / "b", ["cortex-m"])
    real = (inputs.syscall_include("cortex-m") / "bk" / "syscall.h").read_text()
    numbers = "\n".join(re.findall(r"^#define BK_NR_\w+ \d+$", real, re.M))
    (d / "bk").mkdir()
    (d / "bk" / "syscall.h").write_text(FAKE_HEADER.format(numbers=numbers))
    (d / "fake.c").write_text(FAKE_KERNEL)
    src = layer_dir() / "src"
    so = d / "liblayer.so"
    cmd = [gcc, "-shared", "-fPIC", "-O1", "-Wall", "-Wextra", "-Werror",
           "-Wno-builtin-declaration-mismatch", "-I", str(d), "-I", str(inputs.sysroot_include),
           str(src / "errno.c"), str(src / "futex.c"), str(src / "dirent_decode.c"),
           str(d / "fake.c"), "-o", str(so)]
    subprocess.run(cmd, check=True, capture_output=True, text=True)
    return ctypes.CDLL(str(so))


def test_errno_map_is_identity_on_linux_values(lib):
    # The host is Linux: its errno values are the kernel's, so translation must be the identity
    # for every name the table knows, except EOPNOTSUPP which becomes ENOTSUP (same value here).
    import errno as host

    for name, value in ERRNO.items():
        if hasattr(host, name):
            assert lib.__bk_errno_from_linux(value) == getattr(host, name), name
    assert lib.__bk_errno_from_linux(4000) == 4000  # unknown values pass through


class Dirent(ctypes.Structure):
    _fields_ = [("d_ino", ctypes.c_ulong), ("d_off", ctypes.c_long),
                ("d_reclen", ctypes.c_ushort), ("d_type", ctypes.c_ubyte),
                ("d_name", ctypes.c_char * 256)]


def record(ino: int, typ: int, name: bytes) -> bytes:
    body = struct.pack("<QqHB", ino, 0, 0, typ) + name + b"\0"
    reclen = (len(body) + 7) & ~7
    body = body.ljust(reclen, b"\0")
    return body[:16] + struct.pack("<H", reclen) + body[18:]


def test_dirent_decode_walks_records(lib):
    buf = record(5, 4, b".") + record(7, 8, b"file.txt") + record(9, 8, b"x" * 40)
    out, pos, names = Dirent(), 0, []
    raw = ctypes.create_string_buffer(buf, len(buf))
    while pos < len(buf):
        n = lib.__bk_dirent_decode(raw, ctypes.c_size_t(len(buf)), ctypes.c_size_t(pos),
                                   ctypes.byref(out))
        assert n > 0
        names.append((out.d_ino, out.d_type, out.d_name))
        pos += n
    assert names == [(5, 4, b"."), (7, 8, b"file.txt"), (9, 8, b"x" * 40)]


def test_dirent_decode_rejects_cut_records(lib):
    buf = record(7, 8, b"file.txt")
    raw = ctypes.create_string_buffer(buf, len(buf))
    out = Dirent()
    assert lib.__bk_dirent_decode(raw, ctypes.c_size_t(len(buf) - 3), ctypes.c_size_t(0),
                                  ctypes.byref(out)) == 0
    assert lib.__bk_dirent_decode(raw, ctypes.c_size_t(10), ctypes.c_size_t(0),
                                  ctypes.byref(out)) == 0


def _until(lib, now, abs_):
    ctypes.c_long.in_dll(lib, "fake_now_sec").value = now[0]
    ctypes.c_long.in_dll(lib, "fake_now_nsec").value = now[1]
    out = (ctypes.c_long * 2)()
    import time
    e = lib.until_wrapper(time.CLOCK_MONOTONIC, abs_[0], abs_[1], out)
    return e, (out[0], out[1])


def test_deadline_arithmetic(lib):
    import errno as host

    assert _until(lib, (10, 900_000_000), (12, 100_000_000)) == (0, (1, 200_000_000))
    assert _until(lib, (10, 0), (10, 1)) == (0, (0, 1))
    assert _until(lib, (10, 5), (10, 5))[0] == host.ETIMEDOUT  # exactly now: expired
    assert _until(lib, (10, 5), (9, 999_999_999))[0] == host.ETIMEDOUT
    assert _until(lib, (10, 0), (11, 1_000_000_000))[0] == host.EINVAL
    assert _until(lib, (10, 0), (11, -1))[0] == host.EINVAL


def test_futex_wait_maps_timeout_only(lib):
    import errno as host

    word = ctypes.c_ulong(0)
    ran = ctypes.c_int.in_dll(lib, "fake_sig_ran")
    for ret, sig_ran, want in ((-110, 0, host.ETIMEDOUT), (-11, 0, 0), (0, 0, 0), (-22, 0, 0),
                               (-4, 1, host.EINTR), (-4, 0, 0)):
        ctypes.c_long.in_dll(lib, "fake_wait_ret").value = ret
        ran.value = sig_ran
        assert lib.__bk_futex_wait(ctypes.byref(word), ctypes.c_ulong(0), None) == want, ret

"""Busybox 1.35.0 (apps/busybox/) built for each board and run on QEMU: real applet outputs.

The build is cached under build/busybox/ (host step once, objects per board), so a second run
only relinks. Each case boots the image once: argv[0] "busybox", the applet in argv[1].
"""

import hashlib

import pytest
from bkport.plugins.busybox.build import build_busybox, default_out
from bkport.toolchain import qemu
from bkport.toolchain.targets import BOARDS

pytestmark = [pytest.mark.busybox, pytest.mark.qemu, pytest.mark.toolchain]

FILES = {
    "/d": None,
    "/d/fruit.txt": b"banana\napple\ncherry\napple\n",
    "/d/pairs.txt": b"x 3\ny 1\nz 2\n",
    "/d/sub": None,
    "/d/sub/f": b"hello world\n",
}

# (argv after "busybox", stdin, expected stdout)
CASES = [
    (["echo", "hello"], b"", "hello\n"),
    (["seq", "3"], b"", "1\n2\n3\n"),
    (["wc", "-c"], b"hi", "2\n"),
    (["md5sum"], b"abc", "900150983cd24fb0d6963f7d28e17f72  -\n"),
    (["sha256sum"], b"abc", hashlib.sha256(b"abc").hexdigest() + "  -\n"),
    (["sort", "/d/fruit.txt"], b"", "apple\napple\nbanana\ncherry\n"),
    (["sort", "-k2", "-n", "/d/pairs.txt"], b"", "y 1\nz 2\nx 3\n"),
    (["uniq", "-c"], b"a\na\nb\n", "      2 a\n      1 b\n"),
    (["sed", "s/a/b/", "/d/fruit.txt"], b"", "bbnana\nbpple\ncherry\nbpple\n"),
    (["grep", "-n", "apple", "/d/fruit.txt"], b"", "2:apple\n4:apple\n"),
    (["awk", "{s += $2} END {print s}", "/d/pairs.txt"], b"", "6\n"),
    (["awk", 'BEGIN {printf "%.3f\\n", sqrt(2)}'], b"", "1.414\n"),
    (["tr", "a-z", "A-Z"], b"abc\n", "ABC\n"),
    (["cut", "-d", " ", "-f", "2", "/d/pairs.txt"], b"", "3\n1\n2\n"),
    (["head", "-n", "2", "/d/fruit.txt"], b"", "banana\napple\n"),
    (["tac", "/d/pairs.txt"], b"", "z 2\ny 1\nx 3\n"),
    (["base64"], b"hello", "aGVsbG8=\n"),
    (["hexdump", "-C"], b"ab", "00000000  61 62" + " " * 45 + "|ab|\n00000002\n"),
    (["expr", "6", "*", "7"], b"", "42\n"),
    (["factor", "60"], b"", "60: 2 2 3 5\n"),
    (["printf", "%05d|%s\\n", "42", "x"], b"", "00042|x\n"),
    (["realpath", "/d/../d/sub/f"], b"", "/d/sub/f\n"),
    (["ls", "-1", "/d"], b"", "fruit.txt\npairs.txt\nsub\n"),
    (["find", "/d", "-name", "*.txt"], b"", "/d/fruit.txt\n/d/pairs.txt\n"),
    (["stat", "-c", "%s %n", "/d/pairs.txt"], b"", "12 /d/pairs.txt\n"),
    (["date", "-u", "-d", "@86400", "+%F %T"], b"", "1970-01-02 00:00:00\n"),
    (["dc", "-e", "2 3 + p"], b"", "5\n"),
]


@pytest.fixture(scope="module", params=sorted(BOARDS))
def image(request):
    board = request.param
    return board, build_busybox(board, default_out(), log=lambda _msg: None).path


def run(image, args, stdin=b"", files=None):
    board, path = image
    return qemu.run(board, path, ["busybox", *args], {"HOME": "/"},
                    FILES if files is None else files, stdin, 60)


@pytest.mark.parametrize("args,stdin,want", CASES, ids=[" ".join(c[0]) for c in CASES])
def test_applet_output(image, args, stdin, want):
    r = run(image, args, stdin)
    assert r.outcome == "exit" and r.status == 0, r.text
    assert r.stdout.decode() == want


def test_ls_long_lists_the_files(image):
    r = run(image, ["ls", "-l", "/d"])
    assert r.outcome == "exit" and r.status == 0, r.text
    lines = r.stdout.decode().splitlines()
    assert lines[0].startswith("total ")
    assert lines[1].startswith("-") and lines[1].endswith(" fruit.txt")
    assert lines[3].startswith("d") and lines[3].endswith(" sub")


def test_file_applets_change_the_file_system(image):
    for args in (["cp", "/d/fruit.txt", "/d/copy"], ["mv", "/d/pairs.txt", "/d/moved"],
                 ["mkdir", "-p", "/d/n/m"], ["rm", "-r", "/d/sub"], ["touch", "/d/new"]):
        r = run(image, args)
        assert r.outcome == "exit" and r.status == 0, (args, r.text)
        if args[0] == "cp":
            assert r.files["d/copy"] == FILES["/d/fruit.txt"]
        if args[0] == "mv":
            assert r.files["d/moved"] == FILES["/d/pairs.txt"] and "d/pairs.txt" not in r.files
        if args[0] == "mkdir":
            assert "d/n/m" in r.files
        if args[0] == "rm":
            assert not any(k.startswith("d/sub") for k in r.files)
        if args[0] == "touch":
            assert r.files["d/new"] == b""


def test_gzip_round_trip(image):
    r = run(image, ["gzip", "/d/fruit.txt"])
    assert r.outcome == "exit" and r.status == 0, r.text
    assert "d/fruit.txt" not in r.files and r.files["d/fruit.txt.gz"][:2] == b"\x1f\x8b"
    files = {"/" + k: v for k, v in r.files.items()}
    r = run(image, ["gunzip", "/d/fruit.txt.gz"], files=files)
    assert r.outcome == "exit" and r.status == 0, r.text
    assert r.files["d/fruit.txt"] == FILES["/d/fruit.txt"]


def test_exit_statuses(image):
    assert run(image, ["false"]).status == 1
    assert run(image, ["test", "-d", "/d/sub"]).status == 0
    assert run(image, ["cmp", "-s", "/d/fruit.txt", "/d/pairs.txt"]).status == 1
    r = run(image, ["cat", "/nope"])
    assert r.status == 1 and b"No such file or directory" in r.stderr

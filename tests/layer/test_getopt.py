"""The layer's getopt family (posix/layer/src/getopt.c), compiled for the host with gcc and run
on argument vectors whose glibc results are known: "-" is an operand, "--" ends the options,
operands are permuted unless '+' or POSIXLY_CORRECT, `optind = 0` restarts, long options with
abbreviations, arguments and flags."""

import shutil
import subprocess

import pytest
from bkport.appbuild.layer import layer_dir

DRIVER = r"""
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
static int flag;
static const struct option longs[] = {
    {"name", required_argument, NULL, 'N'}, {"number", no_argument, NULL, 'u'},
    {"verbose", no_argument, &flag, 7}, {"opt", optional_argument, NULL, 'O'}, {0, 0, 0, 0}};
int main(int argc, char **argv)
{
    /* argv[1]: mode (s = getopt, l = getopt_long, o = getopt_long_only), argv[2]: optstring */
    char mode = argv[1][0];
    const char *opts = argv[2];
    int n = argc - 2;
    char **v = argv + 2;
    v[0] = "prog";
    for (int round = 0; round < (mode == 'r' ? 2 : 1); round++) {
        int c, li = -1;
        optind = 0;
        while ((c = mode == 's' || mode == 'r' ? getopt(n, v, opts)
                    : mode == 'l' ? getopt_long(n, v, opts, longs, &li)
                                  : getopt_long_only(n, v, opts, longs, &li)) != -1)
            printf("[%c %s]", c == 0 ? '0' : c, optarg ? optarg : "-");
        printf(" optind=%d flag=%d rest=", optind, flag);
        for (int i = optind; i < n; i++)
            printf("%s,", v[i]);
        printf("\n");
    }
    return 0;
}
"""


@pytest.fixture(scope="module")
def prog(tmp_path_factory):
    if shutil.which("gcc") is None:
        pytest.fail("gcc is not installed: run scripts/setup.sh")
    d = tmp_path_factory.mktemp("getopt")
    (d / "driver.c").write_text(DRIVER)
    exe = d / "getopt"
    subprocess.run(["gcc", "-O1", "-Wall", "-Werror", "-o", str(exe), str(d / "driver.c"),
                    str(layer_dir() / "src" / "getopt.c")], check=True)
    return exe


def run(prog, mode, opts, *args, env=None):
    p = subprocess.run([str(prog), mode, opts, *args], capture_output=True, text=True, env=env)
    return p.stdout.strip(), p.stderr.strip()


@pytest.mark.parametrize(("mode", "opts", "args", "want"), [
    ("s", "nbvteA", ["-"], "optind=1 flag=0 rest=-,"),
    ("s", "nbvteA", ["foo", "-", "-n"], "[n -] optind=2 flag=0 rest=foo,-,"),
    ("s", "nb", ["-nb", "--", "-x"], "[n -][b -] optind=3 flag=0 rest=-x,"),
    ("s", "+n", ["foo", "-n"], "optind=1 flag=0 rest=foo,-n,"),
    ("s", "o:n", ["-ofile", "-o", "x y", "-n"], "[o file][o x y][n -] optind=5 flag=0 rest="),
    ("s", "a::", ["-aval", "-a", "op"], "[a val][a -] optind=3 flag=0 rest=op,"),
    ("s", "-n", ["a", "-n", "b"], "[\x01 a][n -][\x01 b] optind=4 flag=0 rest="),
    ("r", "n", ["x", "-n", "y"], "[n -] optind=2 flag=0 rest=x,y,\n[n -] optind=2 flag=0 rest=x,y,"),
    ("l", "n", ["--name=v", "--nam", "w", "--verbose", "f", "--opt"],
     "[N v][N w][0 -][O -] optind=6 flag=7 rest=f,"),
    ("l", "n", ["--num", "-n"], "[u -][n -] optind=3 flag=0 rest="),
    ("o", "n", ["-name", "v", "-n"], "[N v][n -] optind=4 flag=0 rest="),
])
def test_glibc_semantics(prog, mode, opts, args, want):
    out, err = run(prog, mode, opts, *args)
    assert out == want, err
    assert err == ""


def test_posixly_correct_stops_at_the_first_operand(prog):
    out, _ = run(prog, "s", "n", "foo", "-n", env={"POSIXLY_CORRECT": "1"})
    assert out == "optind=1 flag=0 rest=foo,-n,"


@pytest.mark.parametrize(("mode", "opts", "args", "want", "msg"), [
    ("s", "n", ["-x"], "[? -]", "prog: invalid option -- 'x'"),
    ("s", "o:", ["-o"], "[? -]", "prog: option requires an argument -- 'o'"),
    ("s", ":o:", ["-o"], "[: -]", ""),
    ("l", "", ["--n"], "[? -]", "prog: option '--n' is ambiguous"),
    ("l", "", ["--bogus"], "[? -]", "prog: unrecognized option '--bogus'"),
    ("l", "", ["--number=3"], "[? -]", "prog: option '--number' doesn't allow an argument"),
    ("l", "", ["--name"], "[? -]", "prog: option '--name' requires an argument"),
])
def test_errors(prog, mode, opts, args, want, msg):
    out, err = run(prog, mode, opts, *args)
    assert out.startswith(want)
    assert err == msg

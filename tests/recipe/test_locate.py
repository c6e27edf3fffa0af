"""The key locator: every key path of a TOML text -> line:col of its key (1-based)."""

from __future__ import annotations

import tomllib

from bkport.recipe.locate import locate_keys

TEXT = '''\
# [not.a.table] = "comment"
top = 1
[build]
arch.aarch64.cflags = ["-O2"]
"quoted key" = { 'in' = "x", "a.b" = 2 }
note = """
[fake]
fake = "inside a string" \\""" still inside
"""
lit = 'C:\\path\\' # [comment]
[build.arch.riscv64]
defines = [
    "A",  # a comment, ] too
    { k = 1 },
]
[[test.case]]
name = "one"
[[test.case]]
name = "two"
[test.case.env]
  K = "v"
[[test.case]]
argv = ["x", "y"]
"esc\\u0041ped" = 1
'''


def test_text_is_valid_toml():
    tomllib.loads(TEXT)


def test_positions():
    pos = locate_keys(TEXT)
    assert pos.of(("top",)) == (2, 1)
    assert pos.of(("build",)) == (3, 2)
    assert pos.of(("build", "arch")) == (4, 1)
    assert pos.of(("build", "arch", "aarch64", "cflags")) == (4, 14)
    assert pos.of(("build", "quoted key")) == (5, 1)
    assert pos.of(("build", "quoted key", "in")) == (5, 18)
    assert pos.of(("build", "quoted key", "a.b")) == (5, 30)
    assert pos.of(("build", "lit")) == (10, 1)
    assert pos.of(("build", "arch", "riscv64")) == (11, 13)
    assert pos.of(("build", "arch", "riscv64", "defines", 1, "k")) == (14, 7)
    assert pos.of(("test", "case", 0)) == (16, 1)
    assert pos.of(("test", "case", 1, "name")) == (19, 1)
    assert pos.of(("test", "case", 1, "env", "K")) == (21, 3)
    assert pos.of(("test", "case", 2)) == (22, 1)
    assert pos.of(("test", "case", 2, "argv")) == (23, 1)
    assert pos.of(("test", "case", 2, "escAped")) == (24, 1)


def test_nothing_is_found_inside_strings_or_comments():
    pos = locate_keys(TEXT)
    assert ("fake",) not in pos and ("build", "fake") not in pos
    assert ("not",) not in pos and ("build", "note", "fake") not in pos


def test_unwritten_paths_answer_with_the_nearest_ancestor():
    pos = locate_keys(TEXT)
    assert pos.of(("test", "case", 2, "stdin")) == (22, 1)
    assert pos.of(("build", "arch", "riscv64", "defines", 0, "oops")) == (13, 5)
    assert pos.of(("app", "name")) is None


def test_never_raises_on_unexpected_text():
    # the loader only locates valid TOML, but a position is never worth a crash
    for text in ("[a", "a = ", "= 1", 'a = "x', "[[a]]\nb = [1,", "a = {b = }"):
        locate_keys(text)

"""Comparing a case's host and board runs: what counts as the same, and what the reason says."""

from __future__ import annotations

from bkport.apps.cases import Side, compare
from bkport.recipe import Mask


def side(status=0, out=b"", err=b"", files=None, note="") -> Side:
    return Side(status, out, err, files or {}, note)


def test_same_outputs_pass() -> None:
    assert compare(side(out=b"a\n"), side(out=b"a\n"), ()) == ""


def test_exit_status_difference_names_both_and_the_boards_last_error() -> None:
    why = compare(side(1), side(2, err=b"x: boom\n"), ())
    assert why == "exit status: host 1, board 2 (board stderr: x: boom)"


def test_stdout_difference_shows_the_lines() -> None:
    why = compare(side(out=b"one\ntwo\n"), side(out=b"one\nTWO\n"), ())
    assert why.startswith("stdout differs: ")
    assert "-two" in why and "+TWO" in why


def test_masks_hide_addresses_before_comparing() -> None:
    masks = (Mask(r"0x[0-9a-f]+", "0xADDR"),)
    assert compare(side(out=b"at 0x7ffd1234\n"), side(out=b"at 0x20001000\n"), masks) == ""
    assert compare(side(out=b"at 0x7ffd1234\n"), side(out=b"at 0x20001000\n"), ()) != ""


def test_board_that_did_not_finish_reports_why() -> None:
    assert compare(side(), side(None, note="fault (status 125)"), ()) == \
        "board: fault (status 125)"


def test_written_files_are_compared() -> None:
    assert compare(side(files={"o": b"1"}), side(files={"o": b"1"}), ()) == ""
    assert "differs" in compare(side(files={"o": b"1"}), side(files={"o": b"22"}), ())
    assert compare(side(files={"o": b"1"}), side(), ()) == \
        "file o: written on the host, not on the board"


def test_binary_outputs_compare_byte_for_byte() -> None:
    assert compare(side(out=b"\x1f\x8b\xff"), side(out=b"\x1f\x8b\xfe"), ()) != ""
    assert compare(side(out=b"\x1f\x8b\xff"), side(out=b"\x1f\x8b\xff"), ()) == ""


def test_generated_files_are_deterministic_and_sized() -> None:
    from bkport.recipe.fileref import GeneratedFile

    a = GeneratedFile("text", 300 << 10, 3).data()
    assert len(a) == 300 << 10 and a == GeneratedFile("text", 300 << 10, 3).data()
    assert a != GeneratedFile("text", 300 << 10, 4).data()
    assert a.count(b"\n") > 3000  # lines, so line-oriented programs have work
    assert GeneratedFile("zeros", 10, 0).data() == bytes(10)


def test_cases_that_read_earlier_outputs_run_after_them() -> None:
    from types import SimpleNamespace as NS

    from bkport.apps.validate import waves

    a, b = NS(name="a", needs=()), NS(name="b", needs=("a",))
    c, d = NS(name="c", needs=("b",)), NS(name="d", needs=("gone",))
    assert [[x.name for x in w] for w in waves([c, b, a, d])] == [["a", "d"], ["b"], ["c"]]


def test_a_compared_file_written_by_neither_side_fails():
    assert compare(side(), side(), (), ["out.db"]) == \
        "file out.db: written neither on the host nor on the board (the case's compare_files names it)"
    assert compare(side(files={"out.db": b"x"}), side(files={"out.db": b"x"}), (), ["out.db"]) == ""

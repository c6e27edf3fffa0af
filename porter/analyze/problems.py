"""The files an analysis could not take in whole: translation units that did not parse cleanly
(with the location of their first error) and files skipped before parsing. Every format names
them the same way, from these helpers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    kind: str  # "error" (a TU with errors) or "skipped" (never parsed)
    file: str  # where it is: the first error's file (a header the TU includes, possibly)
    line: int | None
    col: int | None
    message: str
    unit: str  # the translation unit (or skipped file) concerned
    errors: int = 0

    @property
    def location(self) -> str:
        parts = [self.file]
        if self.line:
            parts.append(str(self.line))
            if self.col:
                parts.append(str(self.col))
        return ":".join(parts)

    def describe(self) -> str:
        """One line: `file:line:col: message (N error(s) in this translation unit)`."""
        if self.kind == "skipped":
            return f"{self.location}: skipped: {self.message}"
        where = "this translation unit" if self.unit == self.file else \
            f"translation unit {self.unit}"
        return f"{self.location}: {self.message} ({self.errors} error(s) in {where})"


def first_error(unit: dict) -> dict:
    """{file, line, col, message} of a TU's first error (no line:col when libclang gave none)."""
    if unit.get("first_error"):
        return unit["first_error"]
    if unit.get("diagnostics"):
        file, line, col, message = unit["diagnostics"][0][:4]
        return {"file": file or unit["file"], "line": line or None, "col": col or None,
                "message": message}
    return {"file": unit["file"], "line": None, "col": None,
            "message": unit.get("fatal") or "errors"}


def unit_errors(doc: dict) -> list[Problem]:
    out = []
    for u in doc["units"]["with_errors"]:
        f = first_error(u)
        out.append(Problem("error", f["file"], f["line"], f["col"], f["message"], u["file"],
                           u.get("errors") or 1))
    return out


def skipped(doc: dict) -> list[Problem]:
    out = []
    for s in doc["units"]["skipped"]:
        file, sep, reason = s.partition(": ")
        out.append(Problem("skipped", file, None, None, reason if sep else "skipped", file))
    return out


def problems(doc: dict) -> list[Problem]:
    return unit_errors(doc) + skipped(doc)

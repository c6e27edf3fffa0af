"""The one exception hierarchy of bkport.

Library code raises these; the CLI catches `BkportError` once, prints it and exits non-zero.
Errors about input carry a location so the user can jump to the offending line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Location:
    file: str
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)


@dataclass(frozen=True)
class Diagnostic:
    """One located problem in an input file."""

    loc: Location
    message: str

    def __str__(self) -> str:
        return f"{self.loc}: {self.message}"


class BkportError(Exception):
    """Base of every error bkport reports to the user."""

    exit_code = 1


class InputError(BkportError):
    """Malformed input: carries every problem found, not only the first."""

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic):
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics = sorted(
            diagnostics, key=lambda d: (d.loc.file, d.loc.line or 0, d.loc.col or 0)
        )
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class ToolchainError(BkportError):
    """A required external tool (compiler, QEMU, ...) is missing or failed."""

    exit_code = 3


def located(path: str | Path, line: int | None, col: int | None, message: str) -> Diagnostic:
    return Diagnostic(Location(str(path), line, col), message)

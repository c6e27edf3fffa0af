"""Typed reads of a parsed TOML document that collect located problems instead of raising.

Each read takes the table holding the key, that table's key path and the key; a wrong or missing
value adds a diagnostic at the key's position and yields a default, so one run reports every
problem of a recipe.
"""

from __future__ import annotations

import datetime
import difflib
import glob
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bkport.errors import Diagnostic, located
from bkport.recipe.fileref import (
    CASE_PREFIX,
    GENERATED_KINDS,
    GENERATED_PREFIX,
    SOURCE_PREFIX,
    CaseOutput,
    FileRef,
    GeneratedFile,
    SourceFile,
)
from bkport.recipe.locate import KeyPath, KeyPositions

_SIZE = re.compile(r"(\d+)([KkMm]?)")
_SIZE_UNITS = {"": 1, "k": 1024, "m": 1024 * 1024}


def suggest(name: str, choices: Iterable[str], quote: str = "'{}'") -> str:
    close = difflib.get_close_matches(name, list(choices), n=1)
    return f" (did you mean {quote.format(close[0])}?)" if close else ""


def kind(value: object) -> str:
    """A value's TOML type name, as messages say it."""
    if isinstance(value, bool):
        return "boolean"
    for py, name in ((int, "integer"), (float, "float"), (str, "string"), (list, "array"),
                     (dict, "table")):
        if isinstance(value, py):
            return name
    if isinstance(value, datetime.date | datetime.time):
        return "date-time"
    return type(value).__name__


def where(path: KeyPath) -> str:
    """How messages name a table: [build.arch], [[test.case]], [[test.masks]]."""
    name = ".".join(str(p) for p in path if isinstance(p, str))
    return f"[[{name}]]" if path and isinstance(path[-1], int) else f"[{name}]"


def parse_size(text: str) -> int | None:
    """'256K' -> 262144; bytes, or a number with a K or M suffix. None if malformed."""
    m = _SIZE.fullmatch(text.strip())
    return int(m.group(1)) * _SIZE_UNITS[m.group(2).lower()] if m else None


def frozen(mapping: dict) -> Mapping:
    return MappingProxyType(dict(mapping))


class Reader:
    def __init__(self, file: str, positions: KeyPositions, folder: Path):
        self.display = file  # the recipe file as messages name it
        self.positions = positions
        self.folder = folder  # recipe-relative paths are resolved against it
        self.diags: list[Diagnostic] = []

    def error(self, path: KeyPath, message: str) -> None:
        line, col = self.positions.of(path) or (None, None)
        self.diags.append(located(self.display, line, col, message))

    # -- tables ------------------------------------------------------------------------------

    def check_keys(self, table: dict, path: KeyPath, allowed: Iterable[str]) -> None:
        allowed = list(allowed)
        for key in table:
            if key in allowed:
                continue
            if path:
                self.error(path + (key,), f"unknown key {key!r} in {where(path)}"
                                          f"{suggest(key, allowed)}")
            else:
                self.error((key,), f"unknown table [{key}]{suggest(key, allowed, '[{}]')}")

    def table(self, t: dict, path: KeyPath, key: str, allowed: Iterable[str],
              required: bool = False) -> dict[str, Any]:
        """A sub-table whose keys must all be `allowed`; {} when absent or not a table."""
        value = t.get(key)
        if value is None:
            if required:
                self.error(path, f"missing required table {where(path + (key,))}")
            return {}
        if not isinstance(value, dict):
            self.error(path + (key,), f"expected a table, got {kind(value)}")
            return {}
        self.check_keys(value, path + (key,), allowed)
        return value

    def tables(self, t: dict, path: KeyPath, key: str, allowed: Iterable[str]) -> list[dict]:
        """An array of tables ([[key]] or key = [{...}]); each element's keys checked."""
        value = t.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.error(path + (key,), f"expected an array of tables, got {kind(value)}")
            return []
        for n, item in enumerate(value):
            self.check_keys(item, path + (key, n), allowed)
        return value

    # -- scalars -----------------------------------------------------------------------------

    def string(self, t: dict, path: KeyPath, key: str, default: str | None = None,
               required: bool = False) -> str | None:
        value = t.get(key)
        if value is None:
            if required:
                self.error(path, f"missing required key {key!r} in {where(path)}")
            return default
        if not isinstance(value, str):
            self.error(path + (key,), f"expected a string, got {kind(value)}")
            return default
        return value

    def number(self, t: dict, path: KeyPath, key: str, default: float | None) -> float | None:
        value = t.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(path + (key,), f"expected a number, got {kind(value)}")
            return default
        return float(value)

    def integer(self, t: dict, path: KeyPath, key: str, default: int) -> int:
        value = t.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(path + (key,), f"expected an integer, got {kind(value)}")
            return default
        return value

    def size(self, t: dict, path: KeyPath, key: str) -> int | None:
        value = t.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            size = parse_size(value)
            if size is None:
                self.error(path + (key,), f"invalid size {value!r}: expected bytes or a number "
                                          "with a K or M suffix (e.g. '256K')")
                return None
        elif isinstance(value, int) and not isinstance(value, bool):
            size = value
        else:
            self.error(path + (key,), "expected a size (integer bytes or a string like '256K'), "
                                      f"got {kind(value)}")
            return None
        if size <= 0:
            self.error(path + (key,), f"a size must be positive, got {value!r}")
            return None
        return size

    def strings(self, t: dict, path: KeyPath, key: str) -> tuple[str, ...]:
        value = t.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(path + (key,), f"expected a list of strings, got {kind(value)}")
            return ()
        bad = [v for v in value if not isinstance(v, str)]
        if bad:
            self.error(path + (key,), f"expected a list of strings, got {kind(bad[0])} "
                                      f"{bad[0]!r} in the list")
            return ()
        return tuple(value)

    def string_map(self, t: dict, path: KeyPath, key: str) -> dict[str, str]:
        value = t.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(path + (key,), f"expected a table of strings, got {kind(value)}")
            return {}
        out = {}
        for k, v in value.items():
            if isinstance(v, str):
                out[k] = v
            else:
                self.error(path + (key, k), f"expected a string, got {kind(v)}")
        return out

    # -- files of the recipe folder ----------------------------------------------------------

    def file(self, t: dict, path: KeyPath, key: str) -> Path | None:
        return self.existing_file(self.string(t, path, key), path + (key,))

    def file_ref(self, rel: str | None, at: KeyPath) -> FileRef | None:
        """A recipe file, `source:REL` (the app's source tree) or `generated:KIND:SIZE[:SEED]`."""
        if rel is None:
            return None
        if rel.startswith(SOURCE_PREFIX):
            tail = rel[len(SOURCE_PREFIX):]
            if not tail or tail.startswith("/") or ".." in tail.split("/"):
                self.error(at, f"{rel!r}: give a path inside the source tree after 'source:'")
                return None
            return SourceFile(tail)
        if rel.startswith(CASE_PREFIX):
            name, _, what = rel[len(CASE_PREFIX):].partition("/")
            if not name or not what:
                self.error(at, f"{rel!r}: expected case:NAME/stdout or case:NAME/FILE")
                return None
            return CaseOutput(name, what)
        if rel.startswith(GENERATED_PREFIX):
            parts = rel[len(GENERATED_PREFIX):].split(":")
            size = parse_size(parts[1]) if len(parts) in (2, 3) else None
            seed = parts[2] if len(parts) == 3 else "0"
            if len(parts) not in (2, 3) or parts[0] not in GENERATED_KINDS or size is None \
                    or not seed.isdigit():
                self.error(at, f"{rel!r}: expected generated:KIND:SIZE[:SEED] with KIND one of "
                               f"{', '.join(GENERATED_KINDS)}, SIZE like 4096, 64K or 1M")
                return None
            return GeneratedFile(parts[0], size, int(seed))
        return self.existing_file(rel, at)

    def existing_file(self, rel: str | None, at: KeyPath) -> Path | None:
        if rel is None:
            return None
        p = self.folder / rel
        if not p.is_file():
            self.error(at, f"file {rel!r} does not exist (paths are relative to the recipe "
                           "folder)")
            return None
        return p

    def folders(self, t: dict, path: KeyPath, key: str) -> tuple[Path, ...]:
        out = []
        for rel in self.strings(t, path, key):
            p = self.folder / rel
            if p.is_dir():
                out.append(p)
            else:
                self.error(path + (key,), f"folder {rel!r} does not exist (paths are relative "
                                          "to the recipe folder)")
        return tuple(out)

    def globs(self, t: dict, path: KeyPath, key: str,
              default: tuple[str, ...] = ()) -> tuple[Path, ...]:
        """Files matched by recipe-relative globs: each glob's matches sorted, in the order of
        the globs, each file once. A glob matching nothing is an error."""
        patterns = self.strings(t, path, key) if key in t else default
        out: dict[Path, None] = {}
        for pattern in patterns:
            matches = sorted(self.folder / m
                             for m in glob.glob(pattern, root_dir=self.folder, recursive=True))
            matches = [m for m in matches if m.is_file()]
            if not matches:
                self.error(path + (key,), f"{pattern!r} matches no file (globs are relative to "
                                          "the recipe folder)")
            out.update(dict.fromkeys(matches))
        return tuple(out)

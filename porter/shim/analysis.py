"""Read the analysis `bkport shim` works from, checked against the schema the project ships
(docs/schemas/analysis-1.schema.json): every problem is reported with the file, the line:col and
the JSON path of the offending element, before anything is generated."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from bkport.errors import InputError, located
from bkport.paths import source

SCHEMA_FILE = "docs/schemas/analysis-1.schema.json"
ANALYSIS_SCHEMA = "bkport.analysis/1"
MAX_PROBLEMS = 20


class AnalysisError(InputError):
    """The ANALYSIS argument is not a bkport.analysis/1 document (a usage error: exit 2)."""

    exit_code = 2


@cache
def schema() -> dict:
    return json.loads(source(SCHEMA_FILE).read_text())


def json_path(path: list) -> str:
    out = "$"
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        elif p.isidentifier():
            out += f".{p}"
        else:
            out += f"[{json.dumps(p)}]"
    return out


_WS = " \t\n\r"
_DECODER = json.JSONDecoder()


def _skip_ws(text: str, i: int) -> int:
    while i < len(text) and text[i] in _WS:
        i += 1
    return i


def offset_of(text: str, path: list) -> int:
    """The offset in `text` (valid JSON) where the value at `path` starts; for a path that does
    not exist, the start of the deepest value that does."""
    i = _skip_ws(text, 0)
    for step in path:
        if i >= len(text):
            break
        if text[i] == "{" and isinstance(step, str):
            j = _skip_ws(text, i + 1)
            found = None
            while j < len(text) and text[j] == '"':
                key, j = json.decoder.scanstring(text, j + 1)
                j = _skip_ws(text, j)
                j = _skip_ws(text, j + 1)  # past ':'
                if key == step:
                    found = j
                    break
                _, j = _DECODER.raw_decode(text, j)
                j = _skip_ws(text, j)
                if j < len(text) and text[j] == ",":
                    j = _skip_ws(text, j + 1)
            if found is None:
                return i
            i = found
        elif text[i] == "[" and isinstance(step, int):
            j = _skip_ws(text, i + 1)
            for _ in range(step):
                if j >= len(text) or text[j] == "]":
                    return i
                _, j = _DECODER.raw_decode(text, j)
                j = _skip_ws(text, j)
                if j < len(text) and text[j] == ",":
                    j = _skip_ws(text, j + 1)
            if j >= len(text) or text[j] == "]":
                return i
            i = j
        else:
            break
    return i


def line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _short(message: str, limit: int = 160) -> str:
    message = " ".join(message.split())
    return message if len(message) <= limit else message[: limit - 3] + "..."


def read_analysis(path: Path) -> dict:
    """The analysis document at `path`, or AnalysisError listing what is wrong with it."""
    import jsonschema

    text = path.read_text()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise AnalysisError(located(path, e.lineno, e.colno, f"not valid JSON: {e.msg}")) from e

    def at(elem: list, message: str):
        line, col = line_col(text, offset_of(text, elem))
        return located(path, line, col, f"{json_path(elem)}: {message}")

    if not isinstance(data, dict) or data.get("schema") != ANALYSIS_SCHEMA:
        found = (f"found a JSON {type(data).__name__}" if not isinstance(data, dict)
                 else f"found \"schema\": {json.dumps(data.get('schema'))}")
        elem = ["schema"] if isinstance(data, dict) and "schema" in data else []
        raise AnalysisError(at(elem, f"expected an analysis document (\"schema\": "
                                     f"\"{ANALYSIS_SCHEMA}\") from `bkport analyze --format "
                                     f"json`; {found}"))
    validator = jsonschema.Draft202012Validator(schema())
    errors = []
    for e in validator.iter_errors(data):
        errors.append(e)
        if len(errors) > MAX_PROBLEMS:
            break
    if errors:
        problems = [at(list(e.absolute_path), _short(e.message)) for e in errors[:MAX_PROBLEMS]]
        if len(errors) > MAX_PROBLEMS:
            last = problems[-1]
            problems[-1] = located(last.loc.file, last.loc.line, last.loc.col,
                                   f"{last.message} (and more problems: showing the first "
                                   f"{MAX_PROBLEMS}, checked against {SCHEMA_FILE})")
        raise AnalysisError(problems)
    return data

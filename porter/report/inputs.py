"""The inputs a report's figures rest on that are facts about other projects, not this one.

The `blueos` profile describes BlueOS as it ships upstream: it is computed from imported facts
(`porter/blueos/data/`) and the project's hand-kept reading of BlueOS (`posix/blueos-known.tsv`).
When one of these files changes, the profile's figures move without BlueOS or bkport changing in
the way a reader would assume; the comparison must say so instead of calling it a regression.
Each input is recorded by its SHA-256, its row count and its provenance line, so that two reports
tell by themselves whether an input changed between them.

A previous report written before inputs were recorded carries none: `docs/compliance/inputs.tsv`
may then state the digest an input had for that release (taken from the release's commit), one
line per input with the reason it changed:

    # previous-release<TAB>input<TAB>sha256 (or - when the file did not exist)<TAB>reason
    0.1.0	porter/blueos/data/librs-functions.tsv	-	the facts came from another file then
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bkport.errors import InputError, located
from bkport.paths import source

# Each input, the profile whose figures it decides, and where its provenance line is (the
# imported files carry `# source: ...`; blueos-known.tsv is the project's own reading).
INPUTS: dict[str, str] = {
    "porter/blueos/data/syscalls.tsv": "blueos",
    "porter/blueos/data/librs-functions.tsv": "blueos",
    "porter/blueos/data/librs-statics.tsv": "blueos",
    "porter/blueos/data/librs-stubs.tsv": "blueos",
    "porter/blueos/data/newlib-members.tsv": "blueos",
    "porter/blueos/data/newlib-headers.tsv": "blueos",
    "posix/blueos-known.tsv": "blueos",
}
ABSENT = "-"  # inputs.tsv: the file did not exist for that release (the facts came from elsewhere)
HAND_KEPT = "hand-kept: the project's reading of BlueOS (no upstream file)"


def _describe(path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    lines = data.decode().splitlines()
    body = [ln for ln in lines if ln.strip() and not ln.startswith("#")]
    note = next((ln.split(":", 1)[1].strip() for ln in lines
                 if ln.startswith("# source:")), HAND_KEPT)
    # The first non-comment line of every input is its column header, not a row.
    return {"sha256": hashlib.sha256(data).hexdigest(), "rows": max(len(body) - 1, 0),
            "source": note}


def _file(rel: str) -> Path:
    """An input by its path in the repository. porter/ is the bkport package itself, in a
    checkout and installed alike, so `source` (the data trees) does not map it."""
    if rel.startswith("porter/"):
        return Path(__file__).resolve().parents[1] / rel.removeprefix("porter/")
    return source(rel)


def record() -> dict[str, dict[str, Any]]:
    """input path -> {"profile", "sha256", "rows", "source"} for this checkout or package."""
    return {rel: {"profile": profile, **_describe(_file(rel))}
            for rel, profile in INPUTS.items()}


@dataclass(frozen=True)
class Declared:
    sha256: str
    reason: str


def read_declared(path: Path | None) -> dict[tuple[str, str], Declared]:
    """(previous release, input) -> its digest then, from `inputs.tsv`; {} without the file."""
    if path is None or not path.exists():
        return {}
    out: dict[tuple[str, str], Declared] = {}
    problems = []
    for i, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 4 or not cols[3].strip():
            problems.append(located(path, i, 1, "expected 'RELEASE<TAB>INPUT<TAB>SHA256<TAB>"
                                                "REASON' (an input change needs a reason)"))
        elif cols[1] not in INPUTS:
            problems.append(located(path, i, len(cols[0]) + 2, f"{cols[1]!r} is not an input "
                                    f"the report records ({', '.join(INPUTS)})"))
        elif cols[2] != ABSENT and (len(cols[2]) != 64
                                    or any(c not in "0123456789abcdef" for c in cols[2])):
            problems.append(located(path, i, len(cols[0]) + len(cols[1]) + 3,
                                    "expected the input's SHA-256, 64 lowercase hex digits, "
                                    f"or {ABSENT!r} when the file did not exist then"))
        else:
            out[(cols[0], cols[1])] = Declared(cols[2], cols[3].strip())
    if problems:
        raise InputError(problems)
    return out


@dataclass(frozen=True)
class InputChange:
    input: str
    profile: str
    before: str  # "sha256 9f2c1a2b (354 rows)", or the declared digest with its reason
    after: str

    def text(self) -> str:
        return f"{self.input}: {self.before} -> {self.after}"


def _short(d: dict[str, Any]) -> str:
    return f"sha256 {d['sha256'][:12]} ({d['rows']} rows)"


def changed(prev: dict[str, Any], cur: dict[str, Any],
            declared: dict[tuple[str, str], Declared]) -> tuple[list[InputChange], list[str]]:
    """The inputs that differ between two reports, and the inputs whose change cannot be told
    (the previous report recorded none and inputs.tsv declares nothing for it)."""
    before = prev.get("inputs") or {}
    out: list[InputChange] = []
    unknown: list[str] = []
    for rel, now in (cur.get("inputs") or {}).items():
        then = before.get(rel)
        if then is not None:
            if then["sha256"] != now["sha256"]:
                out.append(InputChange(rel, now["profile"], _short(then), _short(now)))
            continue
        d = declared.get((prev["release"], rel))
        if d is None:
            unknown.append(rel)
        elif d.sha256 != now["sha256"]:
            then_text = "absent" if d.sha256 == ABSENT else f"sha256 {d.sha256[:12]}"
            out.append(InputChange(rel, now["profile"], f"{then_text} (inputs.tsv: {d.reason})",
                                   _short(now)))
    return out, unknown

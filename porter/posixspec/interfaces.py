"""The list of all POSIX interfaces (`data/interfaces.tsv`), shipped with bkport."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

INTERFACES_TSV = Path(__file__).resolve().parent / "data" / "interfaces.tsv"


@cache
def read_interfaces(path: Path = INTERFACES_TSV) -> tuple[dict[str, str], ...]:
    """Rows of the list, after its `# ` provenance lines."""
    with path.open(newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    return tuple(csv.DictReader(lines, delimiter="\t"))

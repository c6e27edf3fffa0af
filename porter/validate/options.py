"""What `bkport validate` hands a test driver (an app plug-in's, or bkport.apps.validate's)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ValidateOptions:
    boards: tuple[str, ...]  # in the order they are validated
    out: Path | None = None  # work and results folder (per-board JSON, scratch); None: default
    jobs: int = 2  # test scripts (or cases) run at once
    build_dir: Path | None = None  # None: the driver's default build folder
    results_dir: Path | None = None  # also write app-<name>.json here (`bkport report --results`)
    docs_file: Path | None = None  # write the per-unit, per-board Markdown table here
    call_timeout: float = 20.0  # seconds one call of the app may run on QEMU
    min_pass: float = 0.9  # a board passing fewer of the cases it ran fails (exit 1)
    tier: str = "full"  # "full" | "quick" (the driver leaves its slow tests out)
    fmt: str = "text"  # stdout: "text" summary or "json"
    only: tuple[str, ...] = ()  # run only these units (programs or cases); () runs all
    only_option: str = "--only"  # how the user asked for `only`, for messages about it

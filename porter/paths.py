"""Where the repository's data lives (the tool runs from a checkout, installed editable)."""

from __future__ import annotations

import os
from pathlib import Path


def repo_root() -> Path:
    env = os.environ.get("BKPORT_ROOT")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    """The project's shared facts (BlueOS ABI, POSIX interface list), beside the checkout."""
    env = os.environ.get("BKPORT_SHARED")
    if env:
        return Path(env).resolve()
    return repo_root().parent / "shared"


def cache_dir() -> Path:
    base = os.environ.get("BKPORT_CACHE") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    return (root / "bkport") if not os.environ.get("BKPORT_CACHE") else root

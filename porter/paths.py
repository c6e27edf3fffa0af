"""Where bkport's data lives, and where it may write.

bkport runs either from a checkout (the package `bkport` is the folder `porter/`, installed
editable) or from an installed wheel, where the repository's data trees travel inside the package
(`bkport/_data/...`, see pyproject.toml). Every read of project data goes through `source()`, so the
two layouts answer alike; nothing here looks beside the repository. Writes go to `work_dir()` or
`cache_dir()`, never into an installed package.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent

# repository-relative prefix -> where that tree sits inside an installed package
_INSTALLED = {
    "syscalls": _PACKAGE / "syscalls",
    "posix": _PACKAGE / "_data" / "posix",
    "kernel": _PACKAGE / "_data" / "kernel",
    "apps": _PACKAGE / "_data" / "apps",
    "tests/conformance": _PACKAGE / "_data" / "conformance",
    "docs": _PACKAGE / "_data" / "docs",
}


@cache
def checkout_root() -> Path | None:
    """The repository this package runs from, or None for an installed package."""
    env = os.environ.get("BKPORT_ROOT")
    if env:
        return Path(env).resolve()
    root = _PACKAGE.parent
    if _PACKAGE.name == "porter" and (root / "pyproject.toml").is_file():
        return root
    return None


def package_dir() -> Path:
    """The `bkport` package's own folder (its Python modules and their data)."""
    return _PACKAGE


def source(rel: str) -> Path:
    """A data tree or file of the project, by its path in the repository ("posix/layer",
    "kernel", "syscalls/table", "tests/conformance", "docs/compliance", ...)."""
    root = checkout_root()
    if root is not None:
        return root / rel
    for prefix, where in sorted(_INSTALLED.items(), key=lambda kv: -len(kv[0])):
        if rel == prefix or rel.startswith(prefix + "/"):
            return where / rel[len(prefix):].lstrip("/")
    raise KeyError(f"{rel!r} is not part of the installed bkport package")


def display(path: Path) -> str:
    """A path as shown in outputs: relative to the checkout or package, so outputs do not depend
    on where bkport lives."""
    p = Path(path).resolve()
    root = checkout_root()
    if root is not None and p.is_relative_to(root):
        return str(p.relative_to(root))
    for prefix, where in _INSTALLED.items():
        if p.is_relative_to(where):
            return str(Path(prefix) / p.relative_to(where))
    if p.is_relative_to(_PACKAGE):
        return str(Path("porter") / p.relative_to(_PACKAGE))
    return str(path)


def cache_dir() -> Path:
    """Caches that can be rebuilt: $BKPORT_CACHE, else $XDG_CACHE_HOME/bkport or ~/.cache/bkport."""
    if os.environ.get("BKPORT_CACHE"):
        return Path(os.environ["BKPORT_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "bkport"


def work_dir() -> Path:
    """Build outputs: $BKPORT_WORK, else build/ of the checkout, else cache_dir()/work."""
    if os.environ.get("BKPORT_WORK"):
        return Path(os.environ["BKPORT_WORK"])
    root = checkout_root()
    return root / "build" if root is not None else cache_dir() / "work"

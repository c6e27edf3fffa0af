"""No code path names a location outside the repository: everything bkport reads at run time is
its own data (porter/blueos/data, porter/posixspec/data, the trees porter/paths.py maps)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from bkport import paths

REPO = Path(__file__).resolve().parents[2]
CODE = sorted([*REPO.glob("porter/**/*.py"), *REPO.glob("syscalls/**/*.py"),
               *REPO.glob("bench/*.py"), *(REPO / "scripts").glob("*.sh"), *(REPO / "scripts").glob("*.py"), REPO / ".ci" / "run"])

# Ways code has reached beside the checkout: a "shared" folder, "../", or climbing past the root.
OUTSIDE = [
    re.compile(r"""["'/]shared["'/]"""),
    re.compile(r"""\bshared_dir\b|BKPORT_SHARED"""),
    re.compile(r"""["']\.\./"""),
    re.compile(r"""\.parent\.parent\.parent|parents\[[2-9]\]"""),
]


def test_no_code_names_a_place_beside_the_repository():
    hits = []
    for path in CODE:
        for no, line in enumerate(path.read_text().splitlines(), 1):
            if line.lstrip().startswith("#"):
                continue
            for pat in OUTSIDE:
                if pat.search(line):
                    hits.append(f"{path.relative_to(REPO)}:{no}: {line.strip()}")
    assert hits == []


def test_every_mapped_tree_exists_in_the_checkout():
    for rel in paths._INSTALLED:
        assert (REPO / rel).exists(), rel
        assert paths.source(rel) == REPO / rel


def test_the_package_list_matches_the_folders():
    conf = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(conf["packages"])
    found = {"bkport"}
    for init in REPO.glob("porter/**/__init__.py"):
        rel = init.parent.relative_to(REPO / "porter")
        if rel.parts:
            found.add(".".join(("bkport", *rel.parts)))
    for init in REPO.glob("syscalls/**/__init__.py"):
        found.add(".".join(("bkport", *init.parent.relative_to(REPO).parts)))
    assert found <= listed, sorted(found - listed)
    data = {p for p in listed if p.startswith("bkport._data.")}
    assert {conf["package-dir"][p] for p in data} == set(paths._INSTALLED) - {"syscalls"}


def test_writes_go_to_the_work_and_cache_folders(monkeypatch, tmp_path):
    monkeypatch.setenv("BKPORT_WORK", str(tmp_path / "w"))
    monkeypatch.setenv("BKPORT_CACHE", str(tmp_path / "c"))
    assert paths.work_dir() == tmp_path / "w" and paths.cache_dir() == tmp_path / "c"
    monkeypatch.delenv("BKPORT_WORK")
    monkeypatch.delenv("BKPORT_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert paths.cache_dir() == tmp_path / "xdg" / "bkport"


def test_every_data_file_of_the_package_is_package_data():
    """A file beside the modules that the package-data patterns miss is absent once installed."""
    import fnmatch

    conf = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = conf["package-data"]
    tracked = [p for p in (REPO / "porter").rglob("*") if p.is_file()
               and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts]
    for p in tracked:
        pkg_dir = p.parent
        while not (pkg_dir / "__init__.py").exists():
            pkg_dir = pkg_dir.parent
        rel = p.relative_to(pkg_dir).as_posix()
        pkg = ".".join(("bkport", *pkg_dir.relative_to(REPO / "porter").parts))
        pats = patterns.get("*", []) + patterns.get(pkg, [])
        assert any(fnmatch.fnmatch(rel, pat) for pat in pats), f"{p.relative_to(REPO)} ({pkg})"

"""Fetch an app's source from Debian's source package into the cache (a recipe's
`[source] debian = "PACKAGE"`; the default example's too).

On a fresh machine this adds a `deb-src` entry mirroring the existing `deb` entries (needs root,
as in CI), runs `apt-get update` and `apt-get source PACKAGE=VERSION`. The source is unpacked
under `cache_dir()/analyze/src/PACKAGE-UPSTREAM_VERSION/` and never lands in the repository.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from bkport.errors import ToolchainError
from bkport.paths import cache_dir

SOURCES_LIST = Path("/etc/apt/sources.list")
SOURCES_DIR = Path("/etc/apt/sources.list.d")
SRC_ENTRY = SOURCES_DIR / "bkport-deb-src.sources"


def src_root() -> Path:
    return cache_dir() / "analyze" / "src"


def source_dir(package: str, upstream_version: str) -> Path:
    """Where `apt-get source` unpacks PACKAGE at UPSTREAM_VERSION (dpkg-source's own naming)."""
    return src_root() / f"{package}-{upstream_version}"


def _unpacked(dest: Path) -> bool:
    # dpkg-source unpacks into a scratch folder and renames it at the end, and every Debian
    # source package carries debian/: both there means a complete unpack.
    return (dest / "debian").is_dir()


def _has_deb_src() -> bool:
    files = [SOURCES_LIST, *sorted(SOURCES_DIR.glob("*.list")),
             *sorted(SOURCES_DIR.glob("*.sources"))]
    for f in files:
        if not f.is_file():
            continue
        text = f.read_text(errors="replace")
        if re.search(r"^\s*deb-src\s", text, re.M) or re.search(r"^Types:.*deb-src", text, re.M):
            return True
    return False


def deb_src_entry() -> str:
    """A deb822 `deb-src` stanza per Debian `deb` stanza/line found in the apt configuration."""
    stanzas: list[str] = []
    for f in sorted(SOURCES_DIR.glob("*.sources")):
        for block in f.read_text(errors="replace").split("\n\n"):
            if re.search(r"^Types:\s*deb\s*$", block, re.M) and "debian" in block:
                stanzas.append(re.sub(r"^Types:.*$", "Types: deb-src", block.strip(), flags=re.M))
    lists = [SOURCES_LIST, *sorted(SOURCES_DIR.glob("*.list"))]
    for f in lists:
        if not f.is_file():
            continue
        for line in f.read_text(errors="replace").splitlines():
            m = re.match(r"^\s*deb\s+(\[[^\]]*\]\s+)?(\S+)\s+(\S+)\s+(.+)$", line)
            if m and "debian" in m.group(2):
                stanzas.append(
                    f"Types: deb-src\nURIs: {m.group(2)}\nSuites: {m.group(3)}\n"
                    f"Components: {m.group(4).strip()}"
                )
    return "\n\n".join(stanzas) + "\n"


def _run(cmd: list[str], cwd: Path | None = None) -> None:
    try:
        subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    except FileNotFoundError as e:
        raise ToolchainError(f"{cmd[0]} not found: fetching sources needs apt (Debian)") from e
    except subprocess.CalledProcessError as e:
        tail = "\n".join(e.stdout.splitlines()[-15:])
        raise ToolchainError(f"`{' '.join(cmd)}` failed (exit {e.returncode}):\n{tail}") from e


def fetch_debian(package: str, upstream_version: str, log: Callable[[str], None] = print,
                 debian_version: str | None = None) -> Path:
    """The unpacked source of Debian's source package `package` at `upstream_version` (any
    Debian revision of it, or exactly `debian_version`), fetched first if need be."""
    dest = source_dir(package, upstream_version)
    if _unpacked(dest):
        return dest
    if shutil.which("apt-get") is None:
        raise ToolchainError(f"apt-get not found: {package} is fetched from Debian's source "
                             "package")
    if not _has_deb_src():
        if os.geteuid() != 0:
            raise ToolchainError(
                "no deb-src entry in the apt configuration and not root: add one (see "
                f"docs/analyze.md) or run as root once; bkport would write {SRC_ENTRY}"
            )
        entry = deb_src_entry()
        if "URIs" not in entry:
            raise ToolchainError("found no Debian `deb` entry to mirror as `deb-src`")
        log(f"adding {SRC_ENTRY} (deb-src mirroring the configured Debian mirrors)")
        SRC_ENTRY.write_text(entry)
        log("apt-get update")
        _run(["apt-get", "update"])
    work = src_root()
    work.mkdir(parents=True, exist_ok=True)
    log(f"apt-get source {package} ({upstream_version}) into {work}")
    try:
        version = debian_version or _debian_version(package, upstream_version)
        _run(["apt-get", "source", f"{package}={version}"], cwd=work)
    except ToolchainError:
        log("retrying after apt-get update")  # stale package lists
        _run(["apt-get", "update"])
        version = debian_version or _debian_version(package, upstream_version)
        _run(["apt-get", "source", f"{package}={version}"], cwd=work)
    if not _unpacked(dest):
        raise ToolchainError(f"apt-get source did not produce {dest}")
    return dest


def _debian_version(package: str, upstream: str) -> str:
    """The Debian version of `package` at upstream version `upstream` that apt knows about
    (an epoch and a Debian revision around it: 1:1.2.3-4+deb12u1)."""
    out = subprocess.run(["apt-cache", "showsrc", package], capture_output=True, text=True)
    versions = re.findall(r"^Version:\s*(\S+)$", out.stdout, re.M)
    for v in versions:
        if f":{upstream}-" in v or v.startswith(f"{upstream}-"):
            return v
    raise ToolchainError(
        f"apt knows no {package} {upstream} source (found: {', '.join(versions) or 'none'})"
    )

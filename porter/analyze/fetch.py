"""Fetch the default example (busybox 1.35.0) from Debian's source package into the cache.

On a fresh machine this adds a `deb-src` entry mirroring the existing `deb` entries (needs root,
as in CI), runs `apt-get update` and `apt-get source busybox`. The source is unpacked under
`cache_dir()/analyze/src/` and never lands in the repository.
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

BUSYBOX_VERSION = "1.35.0"
SOURCES_LIST = Path("/etc/apt/sources.list")
SOURCES_DIR = Path("/etc/apt/sources.list.d")
SRC_ENTRY = SOURCES_DIR / "bkport-deb-src.sources"


def src_root() -> Path:
    return cache_dir() / "analyze" / "src"


def busybox_dir() -> Path:
    return src_root() / f"busybox-{BUSYBOX_VERSION}"


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
        raise ToolchainError(f"{cmd[0]} not found: fetching busybox needs apt (Debian)") from e
    except subprocess.CalledProcessError as e:
        tail = "\n".join(e.stdout.splitlines()[-15:])
        raise ToolchainError(f"`{' '.join(cmd)}` failed (exit {e.returncode}):\n{tail}") from e


def fetch_busybox(log: Callable[[str], None] = print) -> Path:
    """Return the unpacked busybox source directory, fetching it first if needed."""
    dest = busybox_dir()
    if (dest / "Makefile").is_file() and (dest / "libbb").is_dir():
        return dest
    if shutil.which("apt-get") is None:
        raise ToolchainError("apt-get not found: busybox is fetched from Debian's source package")
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
    log(f"apt-get source busybox ({BUSYBOX_VERSION}) into {work}")
    try:
        _run(["apt-get", "source", f"busybox={_debian_version()}"], cwd=work)
    except ToolchainError:
        log("retrying after apt-get update")  # stale package lists
        _run(["apt-get", "update"])
        _run(["apt-get", "source", f"busybox={_debian_version()}"], cwd=work)
    if not (dest / "Makefile").is_file():
        raise ToolchainError(f"apt-get source did not produce {dest}")
    return dest


def _debian_version() -> str:
    """The Debian version of busybox 1.35.0 that apt knows about (bookworm: 1:1.35.0-4)."""
    out = subprocess.run(["apt-cache", "showsrc", "busybox"], capture_output=True, text=True)
    versions = re.findall(r"^Version:\s*(\S+)$", out.stdout, re.M)
    for v in versions:
        if f":{BUSYBOX_VERSION}-" in v or v.startswith(f"{BUSYBOX_VERSION}-"):
            return v
    raise ToolchainError(
        f"apt knows no busybox {BUSYBOX_VERSION} source (found: {', '.join(versions) or 'none'})"
    )

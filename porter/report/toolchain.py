"""Versions of the tools a report's results were produced with (Debian package versions, so that
the same machine image gives the same report)."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata

DEBIAN_PACKAGES = (
    "clang", "lld", "rustc", "rust-src", "qemu-system-arm", "qemu-system-misc",
    "picolibc-arm-none-eabi", "picolibc-aarch64-linux-gnu", "picolibc-riscv64-unknown-elf",
)
PYTHON_PACKAGES = ("libclang", "pycparser", "lark")


def _dpkg_version(package: str) -> str:
    proc = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package],
                          capture_output=True, text=True)
    return proc.stdout.strip() if proc.returncode == 0 and proc.stdout.strip() else "not installed"


def versions() -> dict[str, str]:
    out = {p: _dpkg_version(p) for p in DEBIAN_PACKAGES}
    for p in PYTHON_PACKAGES:
        try:
            out[f"python:{p}"] = metadata.version(p)
        except metadata.PackageNotFoundError:
            out[f"python:{p}"] = "not installed"
    out["python"] = ".".join(str(x) for x in sys.version_info[:2])
    return out

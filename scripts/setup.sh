#!/usr/bin/env bash
# Idempotent setup of a fresh Debian 12 machine for bkport:
#   - the system toolchain from Debian packages (QEMU for arm/aarch64/riscv64, Debian's rustc +
#     rust-src for bare-metal Rust, clang + lld, picolibc for the three targets, bear);
#   - a virtual environment in .venv with bkport installed editable, plus its test dependencies.
# Re-running it installs nothing that is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  rustc rust-src clang lld llvm
  picolibc-arm-none-eabi picolibc-riscv64-unknown-elf picolibc-aarch64-linux-gnu
  gcc-arm-none-eabi gcc-riscv64-unknown-elf libgcc-12-dev-arm64-cross
  qemu-system-arm qemu-system-misc
  bear dpkg-dev make gcc bzip2 xz-utils
  # app recipes' host builds: autoreconf for trees shipped without configure (expat),
  # tclsh for sqlite's amalgamation, patch for recipes' patches
  autoconf automake libtool tcl patch
  # bkport analyze configures CMake and Meson trees in a copy (tests/analyze/test_configure.py)
  cmake meson ninja-build
  chromium
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
fi
# Reinstall only when the project metadata changed since the last install.
stamp=.venv/.bkport-installed
if [ ! -f "$stamp" ] || ! cmp -s pyproject.toml "$stamp"; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[test]'
  cp pyproject.toml "$stamp"
fi
echo "setup: ok ($(.venv/bin/bkport --version))"

"""External toolchains: Debian's bare-metal Rust, clang + picolibc, QEMU."""

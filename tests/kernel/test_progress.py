"""Progress lines on stderr for the slow build steps (the first build is ~2 min of rustc)."""

from __future__ import annotations

from pathlib import Path

from bkport.toolchain import progress, rust


def test_first_sysroot_build_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BKPORT_CACHE", str(tmp_path))
    monkeypatch.delenv("BKPORT_QUIET", raising=False)
    monkeypatch.setattr(rust, "rustc_version", lambda: "rustc 1.63.0")
    monkeypatch.setattr(rust, "RUST_SRC", tmp_path / "src")
    (tmp_path / "src" / "core" / "src").mkdir(parents=True)
    (tmp_path / "src" / "core" / "src" / "lib.rs").write_text("")
    built: list[Path] = []

    def fake_build(target: str, with_alloc: bool, root: Path) -> Path:
        root.mkdir(parents=True)
        (root / ".complete").write_text("x")
        built.append(root)
        return root

    monkeypatch.setattr(rust, "_build_sysroot", fake_build)
    rust.sysroot("thumbv7m-none-eabi")
    err = capsys.readouterr().err
    assert err.startswith("bkport: building the Rust core library for thumbv7m-none-eabi "
                          "(first time, ~2 min; cached in ")
    rust.sysroot("thumbv7m-none-eabi")  # cached: silent
    assert capsys.readouterr().err == "" and len(built) == 1


def test_quiet_turns_progress_off(monkeypatch, capsys):
    monkeypatch.setenv("BKPORT_QUIET", "1")
    progress.note("linking")
    monkeypatch.delenv("BKPORT_QUIET")
    progress.note("linking")
    assert capsys.readouterr().err == "bkport: linking...\n"

"""The deb-src entry bkport writes on a fresh machine mirrors the configured Debian mirrors."""

from __future__ import annotations

from pathlib import Path

import pytest
from bkport.analyze import fetch


def test_deb_src_entry_from_deb822_and_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d = tmp_path / "sources.list.d"
    d.mkdir()
    (d / "debian.sources").write_text(
        "Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\n"
        "Components: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n"
        "Types: deb\nURIs: https://example.com/other\nSuites: x\nComponents: main\n")
    (d / "extra.list").write_text("deb http://deb.debian.org/debian-security bookworm-security main\n"
                                  "deb https://packages.example.com/apt stable main\n")
    monkeypatch.setattr(fetch, "SOURCES_DIR", d)
    monkeypatch.setattr(fetch, "SOURCES_LIST", tmp_path / "none")
    monkeypatch.setattr(fetch, "_has_deb_src", lambda: False)
    entry = fetch.deb_src_entry()
    stanzas = entry.strip().split("\n\n")
    assert len(stanzas) == 2
    assert stanzas[0].startswith("Types: deb-src\nURIs: http://deb.debian.org/debian\n")
    assert "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" in stanzas[0]
    assert stanzas[1] == ("Types: deb-src\nURIs: http://deb.debian.org/debian-security\n"
                          "Suites: bookworm-security\nComponents: main")


def test_a_debian_source_lands_in_the_cache(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    monkeypatch.setenv("BKPORT_CACHE", str(tmp_path))
    assert fetch.source_dir("busybox", "1.35.0") == tmp_path / "analyze" / "src" / "busybox-1.35.0"


def test_an_unpacked_source_is_not_fetched_again(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    monkeypatch.setenv("BKPORT_CACHE", str(tmp_path))
    dest = fetch.source_dir("hello", "2.10")
    (dest / "debian").mkdir(parents=True)
    monkeypatch.setattr(fetch, "_run", lambda *a, **k: pytest.fail("apt-get ran"))
    assert fetch.fetch_debian("hello", "2.10", log=lambda m: None) == dest


def test_the_default_example_is_fetched_as_its_recipe_says(monkeypatch: pytest.MonkeyPatch,
                                                           tmp_path: Path) -> None:
    """`bkport analyze` without SRC: the registry's default example, its recipe's Debian source
    package and version."""
    from bkport import plugins

    got = []
    monkeypatch.setattr(fetch, "fetch_debian",
                        lambda pkg, ver, log, debian_version=None: got.append((pkg, ver)) or tmp_path)
    example = plugins.default_example()
    assert example.fetch(example.recipe(), lambda m: None) == tmp_path
    recipe = example.recipe()
    assert got == [(recipe.source.debian, recipe.version)] and recipe.version

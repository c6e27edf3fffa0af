"""The HTML report, opened in headless Chromium, shows its charts (counted in the pixels)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bkport.cli import cli
from click.testing import CliRunner

pytestmark = pytest.mark.browser

SUPPORTED_GREEN = (0x2E, 0x7D, 0x32)
MISSING_GREY = (0xB0, 0xBE, 0xC5)


def screenshot(html: Path, png: Path, profile: Path, height: int = 1400) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("chromium is not installed: run scripts/setup.sh")
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", f"--window-size=1000,{height}",
         f"--screenshot={png}", html.as_uri()],
        check=True, capture_output=True, timeout=120)


def colour_counts(png: Path) -> dict[tuple[int, int, int], int]:
    from PIL import Image

    img = Image.open(png).convert("RGB")
    # getcolors, not getdata (deprecated in Pillow 12): it counts without a per-pixel list
    return {colour: n for n, colour in img.getcolors(maxcolors=img.width * img.height)}


def test_report_html_renders_its_charts(tmp_path):
    out = tmp_path / "compliance"
    result = CliRunner().invoke(cli, ["report", "--release", "0.1.0", "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out / "0.1.0" / "report.html"
    text = html.read_text()
    assert "<script" not in text and "http" not in text.split("<svg", 1)[0].replace(
        'xmlns="http://www.w3.org/2000/svg"', "")  # self-contained: nothing fetched

    png = tmp_path / "report.png"
    screenshot(html, png, tmp_path / "profile")
    counts = colour_counts(png)
    # The PSE chart alone is 8 bars, most of them well over a third green.
    assert counts.get(SUPPORTED_GREEN, 0) > 10_000
    assert counts.get(MISSING_GREY, 0) > 2_000

    # The same page without its SVG charts has no green at all: the check can fail.
    bare = tmp_path / "bare.html"
    bare.write_text(re.sub(r"<svg.*?</svg>", "", text, flags=re.S))
    screenshot(bare, tmp_path / "bare.png", tmp_path / "profile2")
    assert colour_counts(tmp_path / "bare.png").get(SUPPORTED_GREEN, 0) == 0


KNOWN_GAP_AMBER = (0xF9, 0xA8, 0x25)
HEADLINE_CHARTS = r'<svg role="img" aria-label="(Interfaces per board|Application cases)[^"]*".*?</svg>'


def with_and_without_headline_charts(html: Path, tmp_path: Path, height: int = 1400):
    """The page's colours, and the same page's with its two headline charts taken out."""
    png = tmp_path / "full.png"
    screenshot(html, png, tmp_path / "p1", height)
    stripped, n = re.subn(HEADLINE_CHARTS, "", html.read_text(), flags=re.S)
    assert n == 2
    bare = tmp_path / "bare.html"
    bare.write_text(stripped)
    screenshot(bare, tmp_path / "bare.png", tmp_path / "p2", height)
    return colour_counts(png), colour_counts(tmp_path / "bare.png")


def test_headline_charts_show_interfaces_and_apps(tmp_path):
    """The interfaces chart and the app cases chart are drawn: the amber of interfaces with
    known gaps (qemu_riscv64 of tests/report/data: 10 of 99) and the green of zlib's cases go
    when the two charts are taken out of the page."""
    from pathlib import Path

    data = Path(__file__).parent / "data" / "rc1-riscv64"
    out = tmp_path / "compliance"
    result = CliRunner().invoke(cli, ["report", "--release", "0.2.0-rc1", "--results", str(data),
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out / "0.2.0-rc1" / "report.html"
    full, without = with_and_without_headline_charts(html, tmp_path)
    # one bar each, 420 px wide, 18 high: a tenth of the interfaces bar is amber, zlib all green
    assert full.get(KNOWN_GAP_AMBER, 0) - without.get(KNOWN_GAP_AMBER, 0) > 400
    assert full.get(SUPPORTED_GREEN, 0) - without.get(SUPPORTED_GREEN, 0) > 5_000


def test_committed_release_report_draws_interfaces_and_apps(tmp_path, repo):
    """The committed report of the checkout's version, as a reader opens it: its headline charts
    of interfaces per board and app cases per board are drawn, with the four boards' interfaces
    and every app's cases in them (their green goes when the two charts are taken out)."""
    import json

    from bkport import __version__

    release = repo / "docs" / "compliance" / __version__
    html = release / "report.html"
    text = html.read_text()
    data = json.loads((release / "report.json").read_text())
    ran = [b for b, v in data["conformance"]["boards"].items() if v.get("ran")]
    for board in ran:
        assert f"{board}</text>" in text, board  # a bar per board, labelled
    for app in data["apps"]:
        assert f">{app} on " in text or f">{app}</text>" in text, app
    # the charts follow the cards: a taller window holds them
    full, without = with_and_without_headline_charts(html, tmp_path, height=2600)
    # each board's interfaces bar and each app-and-board bar is mostly green (420 x 18 px each)
    assert full.get(SUPPORTED_GREEN, 0) - without.get(SUPPORTED_GREEN, 0) > 5_000 * len(ran)

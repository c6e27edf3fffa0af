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


def screenshot(html: Path, png: Path, profile: Path) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("chromium is not installed: run scripts/setup.sh")
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", "--window-size=1000,1400",
         f"--screenshot={png}", html.as_uri()],
        check=True, capture_output=True, timeout=120)


def colour_counts(png: Path) -> dict[tuple[int, int, int], int]:
    from PIL import Image

    counts: dict[tuple[int, int, int], int] = {}
    for colour in Image.open(png).convert("RGB").getdata():
        counts[colour] = counts.get(colour, 0) + 1
    return counts


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

"""The analysis page in headless Chromium (as tests/report's screenshot test does it): its charts
are drawn (counted in the pixels) and a finding's link lands on its source line, highlighted."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bkport.analyze.pipeline import Options, analyze
from bkport.analyze.report import render
from bkport.analyze.report_charts import INCOMPLETE

from tests.report.test_html_screenshot import colour_counts

pytestmark = pytest.mark.browser

HIGHLIGHT = (0xFF, 0xF5, 0x9D)  # .excerpt .line:target


def rgb(hex_colour: str) -> tuple[int, int, int]:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return r, g, b


def shot(uri: str, png: Path, profile: Path) -> None:
    """A screenshot tall enough for the whole page: headless Chromium paints a page scrolled to
    a fragment blank, so the test page must fit without scrolling."""
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("chromium is not installed: run scripts/setup.sh")
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", "--window-size=1000,5000",
         f"--screenshot={png}", uri],
        check=True, capture_output=True, timeout=120)


def test_charts_are_drawn_and_a_finding_link_lands_on_its_line(project: Path,
                                                               tmp_path: Path) -> None:
    page = render(analyze(project, Options(jobs=1)), "html", top=100)
    html = tmp_path / "analysis.html"
    html.write_text(page)

    shot(html.as_uri(), tmp_path / "page.png", tmp_path / "profile")
    counts = colour_counts(tmp_path / "page.png")
    assert counts.get(rgb(INCOMPLETE), 0) > 2_000  # main.c's column and the plan line
    assert counts.get(HIGHLIGHT, 0) == 0  # nothing targeted yet

    # The same page without its SVG has none of the chart colour: the check can fail.
    bare = tmp_path / "bare.html"
    bare.write_text(re.sub(r"<svg.*?</svg>", "", page, flags=re.S))
    shot(bare.as_uri(), tmp_path / "bare.png", tmp_path / "profile2")
    assert colour_counts(tmp_path / "bare.png").get(rgb(INCOMPLETE), 0) == 0

    # Following a finding's link marks its line in the embedded source excerpt.
    anchor = re.search(r'<a class="loc" href="#([^"]+)"', page)
    assert anchor
    shot(f"{html.as_uri()}#{anchor[1]}", tmp_path / "target.png", tmp_path / "profile3")
    assert colour_counts(tmp_path / "target.png").get(HIGHLIGHT, 0) > 3_000

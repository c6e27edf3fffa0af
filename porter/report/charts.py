"""Geometry of the report's bar charts, rendered as inline SVG by the HTML template.

Pure functions: data in, rectangles out. No JavaScript, so the page renders anywhere and the
screenshot test can check the pixels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

COLOURS = {
    "supported": "#2e7d32", "partial": "#f9a825", "stub": "#ef6c00", "missing": "#b0bec5",
    "PASS": "#2e7d32", "FAIL": "#c62828", "UNRESOLVED": "#6a1b9a", "UNSUPPORTED": "#78909c",
    "UNTESTED": "#b0bec5", "SKIP": "#b0bec5",
    "full": "#2e7d32", "fake": "#8d6e63", "proposed": "#1565c0", "unsupported": "#b0bec5",
    "retired": "#424242",
    "conforms": "#2e7d32", "known gaps only": "#f9a825", "fails": "#c62828",
}


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    colour: str
    label: str  # tooltip


@dataclass(frozen=True)
class Bar:
    label: str
    y: float
    segments: list[Segment]
    total: int
    caption: str


@dataclass(frozen=True)
class Chart:
    title: str
    width: int
    height: int
    label_width: int
    plot_width: int
    bars: list[Bar]
    legend: list[tuple[str, str, float]]  # name, colour, x of its swatch


def _legend(keys: list[str], x0: float) -> list[tuple[str, str, float]]:
    """Swatches left to right, each item as wide as its name needs (at most 8 px a character
    at 12 px, capitals included), at least 105 px so that short names line up."""
    out, x = [], x0
    for k in keys:
        out.append((k, COLOURS.get(k, "#999"), round(x, 2)))
        x += max(105, 14 + 8 * len(k) + 12)
    return out


def stacked(title: str, rows: list[tuple[str, dict[str, int]]], keys: list[str],
            width: int = 760, label_width: int = 230, bar_height: int = 18,
            caption: Callable[[dict[str, int]], str] | None = None,
            caption_width: int = 110) -> Chart:
    """Horizontal stacked bars, each scaled to its own total (a share, not a count); the
    caption says the first key's share unless `caption` says otherwise."""
    plot = width - label_width - caption_width
    bars = []
    for i, (label, counts) in enumerate(rows):
        total = sum(counts.get(k, 0) for k in keys)
        x = float(label_width)
        segs = []
        for k in keys:
            n = counts.get(k, 0)
            if n and total:
                w = plot * n / total
                segs.append(Segment(round(x, 2), round(w, 2), COLOURS.get(k, "#999"),
                                    f"{label}: {n} {k}"))
                x += w
        first = keys[0]
        if not total:
            text = "not run"
        elif caption is not None:
            text = caption(counts)
        else:
            text = f"{100 * counts.get(first, 0) / total:.0f}% of {total}"
        bars.append(Bar(label, 46 + i * (bar_height + 6), segs, total, text))
    height = 56 + len(rows) * (bar_height + 6) + 10
    return Chart(title, width, height, label_width, plot, bars, _legend(keys, label_width))

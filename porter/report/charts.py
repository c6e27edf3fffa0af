"""Geometry of the report's bar charts, rendered as inline SVG by the HTML template.

Pure functions: data in, rectangles out. No JavaScript, so the page renders anywhere and the
screenshot test can check the pixels.
"""

from __future__ import annotations

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
    legend: list[tuple[str, str]]


def stacked(title: str, rows: list[tuple[str, dict[str, int]]], keys: list[str],
            width: int = 760, label_width: int = 230, bar_height: int = 18) -> Chart:
    """Horizontal stacked bars, each scaled to its own total (a share, not a count)."""
    plot = width - label_width - 110
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
        share = f"{100 * counts.get(first, 0) / total:.0f}% of {total}" if total else "not run"
        bars.append(Bar(label, 46 + i * (bar_height + 6), segs, total, share))
    height = 56 + len(rows) * (bar_height + 6) + 10
    legend = [(k, COLOURS.get(k, "#999")) for k in keys]
    return Chart(title, width, height, label_width, plot, bars, legend)

"""Geometry of the analysis page's charts: data in, SVG coordinates out (pure functions).

The template draws what these return; no JavaScript, so the page renders in any browser, offline,
and the tests can compare each drawn mark (its data-* attributes) with the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field

COLOURS = {
    "unsupported": "#c62828", "linux-only": "#6a1b9a", "unknown": "#ef6c00",
    "partial": "#f9a825", "supported": "#2e7d32", "info": "#90a4ae",
}
COMPLETE = "#2e7d32"  # a target with nothing left to do
INCOMPLETE = "#1565c0"
WIDTH = 760


@dataclass(frozen=True)
class Segment:
    key: str  # the status this piece counts
    x: float
    width: float
    count: int
    colour: str
    tip: str


@dataclass(frozen=True)
class Row:
    label: str
    y: float
    total: int
    segments: list[Segment]


@dataclass(frozen=True)
class StackedChart:
    """Horizontal bars, one per row, on one count scale (longest bar = the largest total)."""

    title: str
    width: int
    height: int
    label_width: int
    rows: list[Row]
    legend: list[tuple[str, str]]


def stacked_counts(title: str, rows: list[tuple[str, dict[str, int]]], keys: list[str],
                   label_width: int = 230, bar: int = 16) -> StackedChart:
    plot = WIDTH - label_width - 60
    top = max((sum(c.get(k, 0) for k in keys) for _, c in rows), default=0) or 1
    out = []
    for i, (label, counts) in enumerate(rows):
        x = float(label_width)
        segs = []
        for k in keys:
            n = counts.get(k, 0)
            if n:
                w = plot * n / top
                segs.append(Segment(k, round(x, 2), round(max(w, 0.5), 2), n, COLOURS[k],
                                    f"{label}: {n} {k}"))
                x += w
        out.append(Row(label, 44 + i * (bar + 5), sum(s.count for s in segs), segs))
    height = 44 + len(rows) * (bar + 5) + 8
    return StackedChart(title, WIDTH, height, label_width, out, [(k, COLOURS[k]) for k in keys])


@dataclass(frozen=True)
class Column:
    target: str
    label: str
    value: float  # share of the target's APIs the profile supports, 0..1
    blocking: int
    x: float
    y: float
    width: float
    height: float
    colour: str


@dataclass(frozen=True)
class ColumnChart:
    """One thin column per target, sorted by completeness: the shape shows how far the whole
    tree is, each column's tooltip names its target."""

    title: str
    width: int
    height: int
    left: int
    base: int  # y of the 0% line
    plot_height: int
    columns: list[Column]
    ticks: list[tuple[float, str]] = field(default_factory=list)  # (y, label)


def completeness_columns(title: str, values: list[tuple[str, str, float, int]],
                         plot_height: int = 160) -> ColumnChart:
    """`values`: (target, label, completeness, blocking APIs), in the order to draw."""
    left, top = 44, 30
    plot = WIDTH - left - 10
    w = plot / len(values) if values else plot
    base = top + plot_height
    cols = []
    for i, (t, label, v, n) in enumerate(values):
        h = plot_height * v
        cols.append(Column(t, label, v, n, round(left + i * w, 3), round(base - h, 2),
                           round(max(w - (1 if w > 3 else 0), 0.4), 3), round(h, 2),
                           COMPLETE if n == 0 else INCOMPLETE))
    ticks = [(base - plot_height * f, f"{f:.0%}") for f in (0, 0.25, 0.5, 0.75, 1.0)]
    return ColumnChart(title, WIDTH, base + 24, left, base, plot_height, cols, ticks)


@dataclass(frozen=True)
class Point:
    step: int
    api: str
    value: float  # completeness after this step
    x: float
    y: float
    core: bool


@dataclass(frozen=True)
class PlanChart:
    """The support plan as a cumulative step line: completeness after each step."""

    title: str
    width: int
    height: int
    left: int
    base: int
    plot_height: int
    path: str  # the SVG path of the step line
    points: list[Point]
    core_x: tuple[float, float] | None  # the common core's band, if there is one
    ticks: list[tuple[float, str]]


def plan_steps(title: str, start: float, plan: list[dict], plot_height: int = 180) -> PlanChart:
    left, top = 44, 30
    plot = WIDTH - left - 20
    base = top + plot_height
    dx = plot / max(len(plan), 1)

    def y(v: float) -> float:
        return round(base - plot_height * v, 2)

    pts = [Point(p["step"], p["api"], p["completeness_after"], round(left + (i + 1) * dx, 2),
                 y(p["completeness_after"]), p.get("group") == "core")
           for i, p in enumerate(plan)]
    d = [f"M{left},{y(start)}"]
    for p in pts:  # a step: flat until the API lands, then up
        d.append(f"H{p.x}V{p.y}")
    core = [p for p in pts if p.core]
    band = (float(left), core[-1].x) if core else None
    ticks = [(y(f), f"{f:.0%}") for f in (0, 0.25, 0.5, 0.75, 1.0)]
    return PlanChart(title, WIDTH, base + 24, left, base, plot_height, "".join(d), pts, band,
                     ticks)

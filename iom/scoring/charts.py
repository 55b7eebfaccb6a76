"""A small line chart drawn as SVG on the server (no script), with a table beside it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

WIDTH, HEIGHT, PAD = 640, 220, 40


@dataclass(frozen=True)
class Chart:
    points: str
    dots: list[tuple[float, float, str]]
    y_ticks: list[tuple[float, str]]
    x_labels: list[tuple[float, str]]
    width: int = WIDTH
    height: int = HEIGHT


def line_chart(series: list[tuple[date, float]]) -> Chart | None:
    """Scale (date, value) points into the chart's box; None when there is nothing to draw."""
    if len(series) < 2:
        return None
    days = [(d - series[0][0]).days for d, _ in series]
    span = max(days[-1], 1)
    top = max(*(v for _, v in series), 1.0)
    top = _nice(top)

    def x(day: int) -> float:
        return round(PAD + (WIDTH - 2 * PAD) * day / span, 1)

    def y(value: float) -> float:
        return round(HEIGHT - PAD - (HEIGHT - 2 * PAD) * value / top, 1)

    coords = [(x(day), y(v), f"{d:%d %b %Y}: {v:g}") for day, (d, v) in zip(days, series,
                                                                              strict=True)]
    ticks = [(y(top * i / 4), f"{top * i / 4:g}") for i in range(5)]
    labels = [(x(days[i]), f"{series[i][0]:%b %Y}") for i in (0, len(series) // 2, -1)]
    return Chart(" ".join(f"{a},{b}" for a, b, _ in coords), coords, ticks, labels)


def _nice(value: float) -> float:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if value <= step * 4:
            return float(step * 4)
    return value

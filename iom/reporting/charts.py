"""Bar charts drawn on the server as SVG (no script), each beside its data table.

Following the GOV.UK guidance on data visualisation: one message per chart, a
title and description read by screen readers, values printed on the bars, and
the same figures in the table that follows. A suppressed figure gets no bar,
only its marker.
"""

from __future__ import annotations

from dataclasses import dataclass

from .exports import shown
from .measures.tables import Table

BAR_HEIGHT = 18
GAP = 10
LABEL_WIDTH = 200
PLOT_WIDTH = 360


@dataclass(frozen=True)
class Bar:
    y: int
    width: int
    text: str
    label: str
    series: str  # "before" or "after"


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    height: int
    bars: tuple[Bar, ...]
    label_width: int = LABEL_WIDTH
    plot_width: int = PLOT_WIDTH

    @property
    def width(self) -> int:
        return self.label_width + self.plot_width + 60


def before_after_chart(full: Table, partial: Table, marker: str) -> Chart:
    """Proven offences a year at liberty before and after selection, per group: those
    with the full after-window, then those with less of it so far."""
    pairs = [(f"{group}{suffix}", cells.get("frequency_before"), cells.get("frequency_after"))
             for table, suffix in ((full, ""), (partial, " (so far)"))
             for group, cells in table.rows]
    values = [c.value for _, b, a in pairs for c in (b, a)
              if c is not None and not c.suppressed and c.value is not None]
    top = max(values, default=0) or 1
    bars, y = [], 0
    for group, before, after in pairs:
        for series, cell in (("before", before), ("after", after)):
            if cell is None:
                continue
            value = cell.value if not cell.suppressed and cell.value is not None else 0
            bars.append(Bar(y, round(PLOT_WIDTH * float(value) / top), shown(cell, marker),
                            f"{group}, {series}", series))
            y += BAR_HEIGHT + 2
        y += GAP
    return Chart("Proven offences a year at liberty, before and after selection",
                 "Mean proven offences per 365 days at liberty for each cohort type, in the "
                 "window before selection and the window after; groups marked 'so far' have "
                 "not yet had the full window after. The tables below give the same figures.",
                 max(y, 1), tuple(bars))

"""A trail or a crime's neighbourhood drawn as an SVG, server-side (pure).

No tile server and no script: under the strict CSP the page embeds this drawing on a
plain background with a grid and a scale bar, and always a table of the fixes
beside it as the accessible alternative (docs/monitoring.md).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from .matching import EARTH_RADIUS_M

M_PER_DEG = EARTH_RADIUS_M * math.pi / 180
NICE = (10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000)
WIDTH, HEIGHT, MARGIN = 640, 440, 24


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    near: bool = False


@dataclass
class Drawing:
    width: int
    height: int
    path: str = ""
    dots: list[tuple[float, float, bool]] = field(default_factory=list)
    grid_x: list[float] = field(default_factory=list)
    grid_y: list[float] = field(default_factory=list)
    scale_px: float = 0.0
    scale_label: str = ""
    scene: tuple[float, float, float] | None = None  # x, y, radius in pixels
    empty: bool = True

    @property
    def dots_svg(self) -> str:
        """The fixes as SVG circles, built here rather than in a template loop (a day
        has 1,440 of them); numbers only, so nothing needs escaping."""
        return "".join(
            f'<circle cx="{x}" cy="{y}" r="{4 if near else 2.5}" '
            f'fill="{"#d4351c" if near else "#1d70b8"}"/>' for x, y, near in self.dots)


def _nice(span_m: float) -> int:
    for step in NICE:
        if span_m / step <= 6:
            return step
    return NICE[-1]


def draw(places: Sequence[Place], scene: Place | None = None, radius_m: float = 0.0) -> Drawing:
    """Fit the places (and the scene with its radius) into the frame, north up.

    1. Project to metres on a local equirectangular plane about the centre (at these
       spans, a few km, the error is far below a pixel).
    2. Scale the bounding box (at least 200 m across) into the frame, keeping aspect.
    3. Grid lines every "nice" distance, and a scale bar of one grid step.
    """
    anchors = [*places, *([scene] if scene else [])]
    drawing = Drawing(WIDTH, HEIGHT)
    if not anchors:
        return drawing
    lat0 = sum(p.latitude for p in anchors) / len(anchors)
    lon0 = sum(p.longitude for p in anchors) / len(anchors)
    k = math.cos(math.radians(lat0))

    def metres(p: Place) -> tuple[float, float]:
        return (p.longitude - lon0) * k * M_PER_DEG, (p.latitude - lat0) * M_PER_DEG

    xs, ys = zip(*(metres(p) for p in anchors), strict=True)
    pad = radius_m if scene else 0.0
    x_min, x_max = min(xs) - pad, max(xs) + pad
    y_min, y_max = min(ys) - pad, max(ys) + pad
    span = max(x_max - x_min, y_max - y_min, 200.0) * 1.1
    cx, cy = (x_min + x_max) / 2, (y_min + y_max) / 2
    scale = min(WIDTH, HEIGHT) - 2 * MARGIN
    px = scale / span

    def screen(x: float, y: float) -> tuple[float, float]:
        return round(WIDTH / 2 + (x - cx) * px, 1), round(HEIGHT / 2 - (y - cy) * px, 1)

    step = _nice(span)
    drawing.grid_x = [screen(step * i, 0)[0] for i in range(
        math.floor((cx - WIDTH / px / 2) / step), math.ceil((cx + WIDTH / px / 2) / step) + 1)]
    drawing.grid_y = [screen(0, step * i)[1] for i in range(
        math.floor((cy - HEIGHT / px / 2) / step), math.ceil((cy + HEIGHT / px / 2) / step) + 1)]
    drawing.scale_px = round(step * px, 1)
    drawing.scale_label = f"{step // 1000} km" if step >= 1000 else f"{step} m"
    points = [(*screen(*metres(p)), p.near) for p in places]
    drawing.dots = points
    drawing.path = " ".join(f"{x},{y}" for x, y, _ in points)
    if scene:
        drawing.scene = (*screen(*metres(scene)), round(radius_m * px, 1))
    drawing.empty = False
    return drawing

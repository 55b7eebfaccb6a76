"""A matching result as a PDF for the investigation: the outcome, the map and the table
of the fixes, in the case-work documents' layout (docs/adr/0003-pdf-documents.md).

It is drawn afresh for each download from the records loaded for that police user, like
the meetings' agenda and minutes, and not stored; each download is logged as a
disclosure of the wearer with the SHA-256 of the file sent (match_views.result_pdf).
The map is the server's drawing (trailmap.py) in vector form: a PDF carries no tiles.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils import timezone
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.platypus import KeepTogether, Paragraph

from iom.accounts.models import User
from iom.casework.pdf import STYLES, WIDTH, Document, render
from iom.people.models import Nominal

from .models import MatchResult, Outcome
from .trailmap import Drawing as Trail

BLUE, RED = colors.HexColor("#1d70b8"), colors.HexColor("#d4351c")
BACKGROUND, GRID, INK = colors.HexColor("#f3f2f1"), colors.HexColor("#b1b4b6"), \
    colors.HexColor("#0b0c0c")


def filename(result: MatchResult) -> str:
    ref = "".join(c if c.isalnum() else "-" for c in result.crime.crime_ref)
    return f"crime-{ref}-result-{result.pk}.pdf"


def result_pdf(*, result: MatchResult, nominal: Nominal, rows: Sequence[Sequence[str]],
               trail: Trail, viewer: User, at: datetime | None = None) -> bytes:
    crime, run = result.crime, result.run
    at = timezone.localtime(at or timezone.now())
    document = Document(
        title=f"Crime matching result: {crime.crime_ref} and {nominal.full_name}",
        caption=f"{crime.crime_type}, {_moment(crime.from_time)} to {_moment(crime.to_time)}",
        footer=f"Produced for {viewer.get_full_name() or viewer.get_username()} "
               f"on {_moment(at)}. Matching run {run.pk}, algorithm {run.algorithm_version}.")
    document.details([
        ("Person", f"{nominal.full_name} (PNC ID {nominal.pnc_id or 'not recorded'})"),
        ("Tag", result.fitting.device.serial if result.fitting.device else "not recorded"),
        ("Crime", f"{crime.crime_ref} (version {crime.version}): {crime.crime_type}"),
        ("Window", f"{_moment(crime.from_time)} to {_moment(crime.to_time)}"),
        ("Scene", f"{crime.latitude:.5f}, {crime.longitude:.5f} (WGS84)"),
        ("Matching", f"run {run.pk} on {_moment(run.run_at)}: radius {run.radius_m:.0f} m, "
                     f"padding {run.pad_minutes} minutes, maximum gap "
                     f"{run.max_gap_minutes} minutes, algorithm version "
                     f"{run.algorithm_version}"),
        ("Outcome", result.get_outcome_display()),
        *_outcome_rows(result),
    ])
    if trail.empty:
        document.heading("Map")
        document.paragraph("No fixes to draw.")
    else:
        document.blocks.append(KeepTogether([
            Paragraph("Map", STYLES["h2"]), _map(trail),
            Paragraph(f"Plain background, north up; grid lines and the scale bar are "
                      f"{trail.scale_label} apart. The cross marks the crime and the circle "
                      f"its radius; red dots are fixes within it. The table below lists "
                      f"every fix.", STYLES["body"])]))
    document.heading("Fixes")
    document.table(["Time", "Latitude", "Longitude", "Accuracy", "Near"], rows,
                   widths=[0.2, 0.22, 0.22, 0.18, 0.18], empty="No fixes in the window.")
    return render(document)


def _outcome_rows(result: MatchResult) -> list[tuple[str, Any]]:
    run = result.run
    if result.outcome == Outcome.PLACED:
        each = ["not given" if a is None else f"{a:.0f} m" for a in result.accuracies]
        accuracies = (f"{each[0]}, each of the {len(each)}" if len(each) > 1
                      and len(set(each)) == 1 else ", ".join(each))
        rows: list[tuple[str, Any]] = [
            ("Nearest", f"{result.nearest_m:.1f} m"),
            ("Near the scene", f"{result.fixes} fix{'es' if result.fixes != 1 else ''} "
                               f"within {run.radius_m:.0f} m from {_time(result.first_time)} "
                               f"to {_time(result.last_time)}"),
            ("Accuracy of each", accuracies or "not given")]
        if result.action:
            done = result.get_action_display() + (
                f": {result.action_reason}" if result.action_reason else "")
            who = result.action_by.get_full_name() if result.action_by else ""
            rows.append(("What was done", f"{done} ({who}, {_moment(result.action_at)})"))
        else:
            rows.append(("What was done", "Not yet recorded"))
        return rows
    if result.outcome == Outcome.ELIMINATED:
        return [("Why", f"No fix within {run.radius_m:.0f} m, and the trail covers the "
                        f"whole window with no gap over {run.max_gap_minutes} minutes.")]
    return [("Why", f"No fix within {run.radius_m:.0f} m, but the trail has a gap over "
                    f"{run.max_gap_minutes} minutes in the window (or starts or ends "
                    "inside it): the wearer cannot be eliminated.")]


def _map(trail: Trail) -> Drawing:
    """The server's drawing in PDF vector shapes: its y axis turned up, scaled to the page."""
    scale = WIDTH / trail.width
    h = trail.height

    def up(y: float) -> float:
        return (h - y) * scale

    drawing = Drawing(WIDTH, h * scale)
    drawing.hAlign = "CENTER"  # in line with the tables above and below it, as they sit
    background = Rect(0, 0, WIDTH, h * scale)
    background.fillColor, background.strokeColor = BACKGROUND, None
    drawing.add(background)
    for x in (x for x in trail.grid_x if 0 <= x <= trail.width):
        drawing.add(Line(x * scale, 0, x * scale, h * scale, strokeColor=GRID,
                         strokeWidth=0.5))
    for y in (y for y in trail.grid_y if 0 <= y <= h):
        drawing.add(Line(0, up(y), WIDTH, up(y), strokeColor=GRID, strokeWidth=0.5))
    if trail.scene:
        sx, sy, sr = trail.scene[0] * scale, up(trail.scene[1]), trail.scene[2] * scale
        drawing.add(Circle(sx, sy, sr, fillColor=colors.Color(0.83, 0.21, 0.11, alpha=0.12),
                           strokeColor=RED, strokeWidth=1.2))
        arm = 6 * scale
        drawing.add(Line(sx - arm, sy - arm, sx + arm, sy + arm, strokeColor=RED,
                         strokeWidth=2.5))
        drawing.add(Line(sx - arm, sy + arm, sx + arm, sy - arm, strokeColor=RED,
                         strokeWidth=2.5))
    points = [v for x, y, _ in trail.dots for v in (x * scale, up(y))]
    if len(points) >= 4:
        drawing.add(PolyLine(points, strokeColor=BLUE, strokeWidth=1.5))
    for x, y, near in trail.dots:
        colour = RED if near else BLUE
        drawing.add(Circle(x * scale, up(y), (4 if near else 2.5) * scale, fillColor=colour,
                           strokeColor=colour, strokeWidth=0))
    drawing.add(String(12 * scale, up(22), "N \u2191", fontName="Helvetica", fontSize=10,
                       fillColor=INK))
    bar = up(h - 16)
    drawing.add(Line(12 * scale, bar, (12 + trail.scale_px) * scale, bar, strokeColor=INK,
                     strokeWidth=2))
    drawing.add(String(12 * scale, up(h - 24), trail.scale_label, fontName="Helvetica",
                       fontSize=9, fillColor=INK))
    return drawing


def _moment(value: datetime | None) -> str:
    return "" if value is None else f"{timezone.localtime(value):%-d %B %Y %H:%M}"


def _time(value: datetime | None) -> str:
    return "" if value is None else f"{timezone.localtime(value):%H:%M:%S}"

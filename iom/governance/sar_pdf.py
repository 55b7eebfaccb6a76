"""The subject access pack as a readable PDF for the person (ReportLab, GOV.UK style:
plain black text, bold headings, one table per kind of record)."""

from __future__ import annotations

from collections import defaultdict
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .subject_access import Export, HeldRecord

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN
BLACK = colors.HexColor("#0b0c0c")
GREY = colors.HexColor("#b1b4b6")

KIND_TITLES = {
    "person": "Your identity", "alias": "Other names", "address": "Addresses",
    "flag": "Warning markers", "event": "Offending history", "case_date": "Court and bail dates",
    "wanted_missing": "Wanted or missing", "custody": "Custody", "order": "Orders and licences",
    "protection": "Public protection", "intelligence": "Police intelligence",
    "allocation": "Workers allocated to you", "consent": "Your consent to share",
    "involvement": "Organisations working with you", "correction": "Corrections",
}


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    return {
        "h1": ParagraphStyle("h1", parent=base["Heading1"], fontName="Helvetica-Bold",
                             fontSize=20, leading=24, textColor=BLACK),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontName="Helvetica-Bold",
                             fontSize=14, leading=18, textColor=BLACK, spaceBefore=10),
        "body": ParagraphStyle("body", parent=base["BodyText"], fontName="Helvetica",
                               fontSize=10, leading=13, textColor=BLACK),
        "cell": ParagraphStyle("cell", parent=base["BodyText"], fontName="Helvetica",
                               fontSize=8, leading=10, textColor=BLACK),
    }


def _text(value: Any) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _record_table(record: HeldRecord, styles: dict[str, ParagraphStyle]) -> Table:
    rows = [(name.replace("_", " ").capitalize(), _text(value))
            for name, value in record.fields.items()]
    rows += [("Source organisation", _text(record.source_organisation)),
             ("Source system", _text(record.source_system)),
             ("Recorded", _text(record.recorded_at)),
             ("Shared with", ", ".join(record.disclosed_to) or "No other organisation")]
    cells = [[Paragraph(f"<b>{escape(a)}</b>", styles["cell"]),
              Paragraph(escape(b), styles["cell"])] for a, b in rows]
    table = Table(cells, colWidths=[WIDTH * 0.3, WIDTH * 0.7])
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.5, GREY),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def render(export: Export) -> bytes:
    styles = _styles()
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN,
                            title="Your personal information", author="IOM partnership")
    story: list[Any] = [
        Paragraph("Your personal information", styles["h1"]),
        Paragraph(escape(f"Prepared for {export.subject['name']} on "
                         f"{export.generated_at:%-d %B %Y}, in answer to your subject access "
                         "request under the Data Protection Act 2018 (Part 3, section 45)."),
                  styles["body"]),
        Spacer(1, 4 * mm),
        Paragraph("For each record we say which organisation supplied it, from which "
                  "system, when it was recorded and which organisations it was shared with.",
                  styles["body"]),
    ]
    if export.say_withheld:
        story.append(Paragraph("<b>Some information has been withheld</b> under section 45(4) "
                               "of the Data Protection Act 2018. You may complain to the "
                               "Information Commissioner or apply to a court.", styles["body"]))
    by_kind: dict[str, list[HeldRecord]] = defaultdict(list)
    for record in export.records:
        by_kind[record.kind].append(record)
    for kind, records in by_kind.items():
        title = KIND_TITLES.get(kind, kind.replace("_", " ").capitalize())
        story.append(Paragraph(escape(f"{title} ({len(records)})"), styles["h2"]))
        for record in records:
            story += [_record_table(record, styles), Spacer(1, 3 * mm)]
    doc.build(story)
    return buffer.getvalue()

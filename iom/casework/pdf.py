"""Rendering documents to PDF with ReportLab: one tidy A4 layout for all of them.

A document is a list of blocks (headings, paragraphs, bullet lists, two-column
detail tables, full tables and signature boxes); the text of the letters and
statements comes from Django templates, so a partnership can change it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN
BLACK = colors.HexColor("#0b0c0c")
GREY = colors.HexColor("#b1b4b6")
LIGHT = colors.HexColor("#f3f2f1")


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName="Helvetica", fontSize=10,
                          leading=14, spaceAfter=6, alignment=TA_LEFT, textColor=BLACK)
    return {
        "title": ParagraphStyle("title", parent=body, fontName="Helvetica-Bold", fontSize=18,
                                leading=22, spaceAfter=4),
        "caption": ParagraphStyle("caption", parent=body, fontSize=11, textColor=colors.HexColor(
            "#505a5f"), spaceAfter=10),
        "h2": ParagraphStyle("h2", parent=body, fontName="Helvetica-Bold", fontSize=13,
                             leading=17, spaceBefore=10, spaceAfter=6),
        "body": body,
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=12, spaceAfter=0),
        "cell_bold": ParagraphStyle("cell_bold", parent=body, fontName="Helvetica-Bold",
                                    fontSize=9, leading=12, spaceAfter=0),
    }


STYLES = _styles()


@dataclass
class Document:
    title: str
    caption: str = ""
    marking: str = "OFFICIAL-SENSITIVE"
    footer: str = ""
    blocks: list[Flowable] = field(default_factory=list)

    def heading(self, text: str) -> None:
        self.blocks.append(Paragraph(escape(text), STYLES["h2"]))

    def paragraph(self, text: str) -> None:
        self.blocks.append(Paragraph(escape(text), STYLES["body"]))

    def bullets(self, items: Sequence[str]) -> None:
        entries: list[Any] = [
            ListItem(Paragraph(escape(i), STYLES["body"]), leftIndent=12) for i in items]
        self.blocks.append(ListFlowable(
            entries,
            bulletType="bullet", start="\u2022", leftIndent=12, bulletFontSize=9))

    def details(self, rows: Sequence[tuple[str, Any]]) -> None:
        """Label and value rows, like a completed form."""
        data = [[Paragraph(escape(label), STYLES["cell_bold"]), _cell(value)]
                for label, value in rows]
        table = Table(data, colWidths=[WIDTH * 0.36, WIDTH * 0.64])
        table.setStyle(_grid(header=False, label_column=True))
        self.blocks += [table, Spacer(1, 4 * mm)]

    def table(self, header: Sequence[str], rows: Sequence[Sequence[Any]],
              widths: Sequence[float] | None = None, empty: str = "None recorded.") -> None:
        if not rows:
            self.paragraph(empty)
            return
        data = [[Paragraph(escape(h), STYLES["cell_bold"]) for h in header]]
        data += [[_cell(v) for v in row] for row in rows]
        col_widths = [WIDTH * w for w in widths] if widths else None
        table = Table(data, colWidths=col_widths, repeatRows=1)
        table.setStyle(_grid(header=True, label_column=False))
        self.blocks += [table, Spacer(1, 4 * mm)]

    def text(self, rendered: str) -> None:
        """Blocks from template text: '# ' headings, '- ' bullets, blank-line paragraphs."""
        for chunk in (c.strip() for c in rendered.split("\n\n")):
            if not chunk:
                continue
            lines = chunk.splitlines()
            if all(line.startswith("- ") for line in lines):
                self.bullets([line[2:] for line in lines])
            elif chunk.startswith("# "):
                self.heading(chunk[2:])
            else:
                self.paragraph(" ".join(line.strip() for line in lines))

    def signatures(self, labels: Sequence[str], rows: int = 1) -> None:
        header = [Paragraph(escape(label), STYLES["cell_bold"]) for label in labels]
        blank = [["" for _ in labels] for _ in range(rows)]
        table = Table([header, *blank], colWidths=[WIDTH / len(labels)] * len(labels),
                      rowHeights=[None] + [11 * mm] * rows)
        table.setStyle(_grid(header=True, label_column=False))
        self.blocks.append(KeepTogether([Spacer(1, 3 * mm), table]))


def _cell(value: Any) -> Paragraph:
    text = "" if value is None else str(value)
    return Paragraph(escape(text).replace("\n", "<br/>"), STYLES["cell"])


def _grid(*, header: bool, label_column: bool) -> TableStyle:
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, GREY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), LIGHT))
    if label_column:
        commands.append(("BACKGROUND", (0, 0), (0, -1), LIGHT))
    return TableStyle(commands)


def render(document: Document) -> bytes:
    buffer = BytesIO()
    pdf = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN + 6 * mm, bottomMargin=MARGIN + 4 * mm,
                            title=document.title, author="Integrated Offender Management",
                            creator="Integrated Offender Management")
    story: list[Flowable] = [Paragraph(escape(document.title), STYLES["title"])]
    if document.caption:
        story.append(Paragraph(escape(document.caption), STYLES["caption"]))
    story += document.blocks

    def decorate(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica-Bold", 9)
        canvas.setFillColor(BLACK)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 12 * mm, document.marking)
        canvas.drawCentredString(A4[0] / 2, 9 * mm, document.marking)
        canvas.setFont("Helvetica", 8)
        canvas.drawString(MARGIN, 14 * mm, document.footer)
        canvas.setStrokeColor(GREY)
        canvas.line(MARGIN, 17 * mm, A4[0] - MARGIN, 17 * mm)
        canvas.restoreState()

    pdf.build(story, onFirstPage=decorate, onLaterPages=decorate, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()


class _NumberedCanvas(Canvas):
    """Writes "Page N of M" at each page's foot: the pages are held until the last is
    drawn, when M is known (the usual ReportLab way of a total page count)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # ReportLab: begin a fresh page

    def save(self) -> None:
        total = len(self._pages)
        for page in self._pages:
            self.__dict__.update(page)
            self.setFont("Helvetica", 8)
            self.drawRightString(A4[0] - MARGIN, 14 * mm, f"Page {self.getPageNumber()} of {total}")
            super().showPage()
        super().save()

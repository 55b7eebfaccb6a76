"""The subject access pack as a readable PDF for the person (ReportLab, GOV.UK style:
plain black Helvetica, bold headings, one paragraph per record).

Drawn straight onto the canvas with ReportLab's line splitting rather than through
Platypus paragraphs: a pack of thousands of records must be made in seconds
(bench/subject_access_export.py, docs/benchmarks.md).
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from io import BytesIO
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from .subject_access import Export, HeldRecord

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN
BLACK = colors.HexColor("#0b0c0c")
GREY = colors.HexColor("#505a5f")

KIND_TITLES = {
    "person": "Your identity", "alias": "Other names", "address": "Addresses",
    "flag": "Warning markers", "event": "Offending history", "case_date": "Court and bail dates",
    "wanted_missing": "Wanted or missing", "custody": "Custody", "order": "Orders and licences",
    "protection": "Public protection", "intelligence": "Police intelligence",
    "allocation": "Workers allocated to you", "consent": "Your consent to share",
    "consent_paperwork": "Signed consent forms", "involvement": "Organisations working with you",
    "correction": "Corrections", "score": "Scores", "emerging_threat": "Risk score rises",
    "case": "Your IOM case", "referral": "Referrals", "panel_decision": "Panel decisions",
    "rag_change": "RAG status changes", "case_step": "Steps in your case",
    "plan": "Intervention plans", "plan_need": "Needs in your plan",
    "plan_progress": "Progress on your plan", "outcome": "Outcomes", "action": "Actions",
    "contact": "Contacts with you", "document": "Documents about you",
    "deregistration": "Leaving the cohort", "meeting_item": "Meeting items and minutes",
    "alert": "Alerts about you",
}


ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
FIELD_LABELS = {"pnc_id": "PNC ID", "crn": "CRN", "ho_code": "Home Office offence code"}


def _text(value: Any) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        day = date.fromisoformat(value)
        return f"{day.day} {day:%B %Y}"
    return str(value)


def _label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


# Said on each record's own "From ..." line, so not repeated among its values.
PROVENANCE = frozenset({"originating_organisation", "source_system", "source_record_id",
                        "recorded_at", "partnership"})


def details(record: HeldRecord) -> str:
    return "; ".join(f"{_label(name)}: {_text(value)}"
                     for name, value in record.fields.items()
                     if value not in (None, "", [], {}) and name not in PROVENANCE)


class _Writer:
    def __init__(self, canvas: Canvas) -> None:
        self.canvas, self.y, self.page = canvas, A4[1] - MARGIN, 1

    def _room(self, height: float) -> None:
        if self.y - height < MARGIN:
            self.canvas.setFont("Helvetica", 8)
            self.canvas.setFillColor(GREY)
            self.canvas.drawRightString(A4[0] - MARGIN, MARGIN / 2, f"Page {self.page}")
            self.canvas.showPage()
            self.page += 1
            self.y = A4[1] - MARGIN

    def text(self, text: str, *, font: str = "Helvetica", size: float = 10,
             colour: Any = BLACK, after: float = 2) -> None:
        leading = size * 1.25
        for line in simpleSplit(text, font, size, WIDTH) or [""]:
            self._room(leading)
            self.canvas.setFont(font, size)
            self.canvas.setFillColor(colour)
            self.y -= leading
            self.canvas.drawString(MARGIN, self.y, line)
        self.y -= after

    def finish(self) -> None:
        self._room(A4[1])  # numbers the last page


def render(export: Export) -> bytes:
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle("Your personal information")
    canvas.setAuthor("IOM partnership")
    out = _Writer(canvas)
    out.text("Your personal information", font="Helvetica-Bold", size=20, after=6)
    out.text(f"Prepared for {export.subject['name']} on {export.generated_at:%-d %B %Y}, in "
             "answer to your subject access request under the Data Protection Act 2018 "
             "(Part 3, section 45).")
    out.text("For each record we say which organisation supplied it, from which system, "
             "when it was recorded and which organisations it was shared with.", after=6)
    if export.say_withheld:
        out.text("Some information has been withheld under section 45(4) of the Data "
                 "Protection Act 2018. You may complain to the Information Commissioner or "
                 "apply to a court.", font="Helvetica-Bold", after=6)
    by_kind: dict[str, list[HeldRecord]] = defaultdict(list)
    for record in export.records:
        by_kind[record.kind].append(record)
    for kind, records in by_kind.items():
        title = KIND_TITLES.get(kind, kind.replace("_", " ").capitalize())
        out.text(f"{title} ({len(records)})", font="Helvetica-Bold", size=14, after=4)
        for record in records:
            out.text(details(record), size=8, after=0)
            out.text(f"From {record.source_organisation or 'no organisation recorded'} "
                     f"({record.source_system}), recorded {(record.recorded_at or '-')[:10]}; "
                     "shared with "
                     f"{', '.join(record.disclosed_to) or 'no other organisation'}.",
                     font="Helvetica-Oblique", size=8, colour=GREY, after=5)
    out.finish()
    canvas.save()
    return buffer.getvalue()

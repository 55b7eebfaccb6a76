"""The dated agenda and minutes as a PDF, in the case-work documents' layout.

It holds what the print view holds for the same reader (see ``export``): the
signed attendance list, the statement they signed, and the sessions the reader
is part of; a reader shut out of a closed session is told that one follows.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import timezone
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from iom.accounts.models import User
from iom.casework.pdf import GREY, STYLES, WIDTH, Document, render

from .export import CLOSED_LINE, Export, log_export
from .grounds import notes_for
from .models import AgendaItem, Attendance

MARKING = "OFFICIAL-SENSITIVE: IN CONFIDENCE"
ITEM = ParagraphStyle("meeting_item", parent=STYLES["body"], fontName="Helvetica-Bold",
                      fontSize=11, leading=15, spaceBefore=8, spaceAfter=4)


def pdf_response(export: Export, *, through: str) -> HttpResponse:
    """The PDF as a download, logged as a disclosure of each person in it."""
    content = agenda_and_minutes_pdf(export)
    log_export(export, through=through, form="PDF")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename(export)}"'
    return response


def filename(export: Export) -> str:
    return (f"meeting-{export.meeting.pk}-{export.meeting.held_on:%Y-%m-%d}-"
            f"agenda-and-minutes.pdf")


def agenda_and_minutes_pdf(export: Export) -> bytes:
    meeting = export.meeting
    document = Document(
        title=f"{meeting.title}: agenda and minutes",
        caption=f"{meeting.get_kind_display()}, {meeting.held_on:%A} {_day(meeting.held_on)}",
        marking=MARKING,
        footer=f"{meeting.title}, {_day(meeting.held_on)}. Exported {_moment(export)}.")
    document.details(_summary(export))
    if export.withheld:
        _inset(document, "This copy leaves out the closed session, which the reader's "
                         "organisation was not part of.")
    document.heading("Attendance and signed confidentiality statement")
    document.table(["Name", "Organisation", "Signed"],
                   [[a.name, a.organisation, _signed(a)] for a in export.attendances],
                   widths=[0.32, 0.33, 0.35], empty="Nobody recorded.")
    document.heading("The statement signed")
    document.text(meeting.statement)
    for session, items in export.sessions:
        _session(document, session, items, export.viewer)
    if export.withheld:
        _inset(document, f"{CLOSED_LINE} It is left out of this copy.")
    return render(document)


def _day(value: Any) -> str:
    return f"{value.day} {value:%B %Y}"


def _moment(export: Export) -> str:
    at = export.exported_at
    by = export.viewer.display_name
    if export.viewer.organisation is not None:
        by += f", {export.viewer.organisation}"
    return f"{_day(at)} at {at:%H:%M} by {by}"


def _summary(export: Export) -> list[tuple[str, Any]]:
    meeting = export.meeting
    where = f", {meeting.location}" if meeting.location else ""
    return [("Meeting", f"{meeting.held_on:%A} {_day(meeting.held_on)} at "
                        f"{meeting.start_time:%H:%M}{where}"),
            ("Chair", meeting.chair.display_name),
            ("Status", meeting.get_state_display()),
            ("Exported", _moment(export))]


def _signed(attendance: Attendance) -> str:
    if attendance.signed_at is None:
        return "Not signed"
    at = timezone.localtime(attendance.signed_at)
    text = f"{at.day} {at:%b %Y %H:%M}"
    if attendance.signed_in_person and attendance.signature_recorded_by is not None:
        text += f" (on paper, recorded by {attendance.signature_recorded_by.display_name})"
    return text


def _session(document: Document, session: str, items: list[AgendaItem], reader: User) -> None:
    """The session's heading is kept on the page of its first item, each item whole."""
    heading = Paragraph(escape(session), STYLES["h2"])
    if not items:
        document.blocks += [heading, Paragraph("No items.", STYLES["body"])]
    for number, item in enumerate(items, start=1):
        title = Paragraph(escape(f"{number}. {item.title}"), ITEM)
        first = [heading] if number == 1 else []
        document.blocks.append(KeepTogether([*first, title, *_item_table(item, reader)]))


def _item_table(item: AgendaItem, reader: User) -> list[Any]:
    part = Document(title=item.title)
    part.details(_item_rows(item, reader))
    return part.blocks


def _item_rows(item: AgendaItem, reader: User) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    if item.reason_labels():
        rows.append(("On the agenda for", ", ".join(item.reason_labels())))
    notes = notes_for(item, reader)
    if notes:
        rows.append(("Notes", notes))
    rows.append(("Minutes", item.minutes or "None taken."))
    rows += [("Decision", f"{d.summary}. {d.rationale}") for d in item.decisions.all()]
    rows += [("Action", f"{a.title}; owner {a.owner_label}; due {_day(a.due_on)}.")
             for a in getattr(item, "raised_actions", [])]
    return rows


def _inset(document: Document, text: str) -> None:
    """A line set apart with a bar on its left, like the GOV.UK inset text."""
    box = Table([[Paragraph(escape(text), STYLES["body"])]], colWidths=[WIDTH])
    box.setStyle(TableStyle([("LINEBEFORE", (0, 0), (0, -1), 4, GREY),
                             ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm),
                             ("TOPPADDING", (0, 0), (-1, -1), 2 * mm),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    document.blocks += [box, Spacer(1, 3 * mm)]

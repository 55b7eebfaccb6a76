"""What information governance asks of meetings (registered in apps.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .models import AgendaItem, MeetingState
from .services.base import refresh_sessions


def after_consent(consent: Any, **_: Any) -> None:
    """A refusal or withdrawal shuts the organisation out of the person's items in
    every meeting not yet finished, at once; consent given again opens them."""
    items = AgendaItem.objects.filter(nominal_id=consent.nominal_id).exclude(
        meeting__state__in=[MeetingState.CLOSED, MeetingState.CANCELLED]).select_related(
        "meeting")
    for meeting in {item.meeting for item in items}:
        refresh_sessions(meeting)


def items_citing(correction: Any, record: Any) -> Iterable[tuple[str, int, str]]:
    """Agenda items (and their minutes) about the person at meetings held since the
    record was held: they may have discussed it."""
    recorded_at = getattr(record, "recorded_at", None)
    found = AgendaItem.objects.filter(nominal_id=correction.nominal_id,
                                      meeting__held_on__lte=correction.corrected_at.date())
    if recorded_at is not None:
        found = found.filter(meeting__held_on__gte=recorded_at.date())
    for item in found.select_related("meeting"):
        what = "Minutes and agenda item" if item.minutes else "Agenda item"
        yield ("agenda_item", item.pk, f"{what} at {item.meeting}")

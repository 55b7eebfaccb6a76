"""The dated agenda and minutes as one reader may see them: shared by the print view,
the PDF and the API, so that all three leave out the same closed-session items.

Reading an export is a disclosure: every person it includes gets an export entry
in the access log, with the format it went out in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from iom.accounts.models import User
from iom.audit.models import Action
from iom.audit.services import RecordRef, record_access_for_many
from iom.casework.models import Action as CaseAction

from . import selectors
from .models import AgendaItem, Attendance, Meeting

CLOSED_LINE = "A closed session follows that you are not part of."


@dataclass(frozen=True)
class Export:
    meeting: Meeting
    viewer: User
    exported_at: datetime
    attendances: list[Attendance]
    sessions: list[tuple[str, list[AgendaItem]]]
    withheld: int  # items this reader may not see, left out of every session

    @property
    def items(self) -> list[AgendaItem]:
        return [item for _, rows in self.sessions for item in rows]

    @property
    def people(self) -> list[int]:
        return [i.nominal_id for i in self.items if i.nominal_id]


def _raised_actions(meeting: Meeting) -> dict[int, list[CaseAction]]:
    """The actions raised at the meeting, by the id of the item they came from."""
    found: dict[int, list[CaseAction]] = {}
    for action in (CaseAction.objects.filter(source_kind="meeting",
                                             source_ref__startswith=f"meeting:{meeting.pk}/")
                   .select_related("owner_user", "owner_organisation")):
        found.setdefault(int(action.source_ref.rsplit(":", 1)[1]), []).append(action)
    return found


def export_for(user: User, meeting: Meeting) -> Export:
    """What this reader may take away: the items of the sessions they are part of."""
    items = list(selectors.items_visible_to(user, meeting))
    actions = _raised_actions(meeting)
    for item in items:
        item.raised_actions = actions.get(item.pk, [])  # type: ignore[attr-defined]
    sessions = [("Open session", [i for i in items if not i.closed_session])]
    closed = [i for i in items if i.closed_session]
    if closed:
        sessions.append(("Closed session", closed))
    return Export(meeting=meeting, viewer=user, exported_at=timezone.localtime(),
                  attendances=selectors.attendances_of(meeting), sessions=sessions,
                  withheld=meeting.items.count() - len(items))


def log_export(export: Export, *, through: str, form: str) -> None:
    """One export entry per person included; none when the copy names nobody."""
    if export.people:
        record_access_for_many(user=export.viewer, action=Action.EXPORT, through=through,
                               nominal_ids=export.people,
                               records=[RecordRef("meeting", export.meeting.pk)],
                               reason=f"Export of {export.meeting}", detail={"format": form})

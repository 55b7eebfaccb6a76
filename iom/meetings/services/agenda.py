"""The agenda: generated from the partnership's records, added to and reordered."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from iom.accounts.models import User
from iom.audit.models import Action
from iom.audit.services import RecordRef, record_access_for_many
from iom.core.errors import DomainError, Problems
from iom.governance import policy
from iom.people.models import Nominal

from .. import agenda as sources
from ..models import AgendaItem, ItemSource, Meeting
from ..rules import meeting_rules
from .base import clean_text, log, must_be_running, refresh_sessions


def _next_position(meeting: Meeting) -> int:
    return (meeting.items.aggregate(top=Max("position"))["top"] or 0) + 1


@transaction.atomic
def generate_agenda(*, meeting: Meeting, acting_user: User, through: str) -> list[AgendaItem]:
    """Add an item for each person the records bring to this meeting (see ``agenda``).

    A person already on the agenda keeps their place and gains any new reasons;
    items the coordinator added or moved stay where they are.
    """
    must_be_running(meeting, "the agenda")
    found = sources.proposals(acting_user, meeting.partnership_id, meeting.held_on,
                              meeting_rules())
    existing = {i.nominal_id: i for i in meeting.items.filter(nominal__isnull=False)}
    names = {n.pk: n for n in Nominal.objects.filter(pk__in=[p.nominal_id for p in found])}
    position, created = _next_position(meeting), []
    for proposal in found:
        item = existing.get(proposal.nominal_id)
        if item is not None:
            _merge(item, proposal)
            continue
        created.append(AgendaItem(
            meeting=meeting, position=position, nominal=names[proposal.nominal_id],
            title=names[proposal.nominal_id].full_name, reasons=proposal.reasons,
            grounds=proposal.details, added_by=acting_user))
        position += 1
    AgendaItem.objects.bulk_create(created)
    refresh_sessions(meeting)
    if found:
        record_access_for_many(user=acting_user, action=Action.UPDATE, through=through,
                               nominal_ids=[p.nominal_id for p in found],
                               records=[RecordRef("meeting", meeting.pk)],
                               reason=f"Agenda for {meeting}",
                               detail={"generated": len(created)})
    return created


def _merge(item: AgendaItem, proposal: sources.Proposal) -> None:
    new = [r for r in proposal.reasons if r not in item.reasons]
    if not new:
        return
    order = list(ItemSource.values)
    item.reasons = sorted([*item.reasons, *new], key=order.index)
    item.grounds = [*item.grounds, *proposal.details]
    item.save(update_fields=["reasons", "grounds"])


@transaction.atomic
def add_item(*, meeting: Meeting, title: str, notes: str = "", nominal: Nominal | None = None,
             acting_user: User, through: str) -> AgendaItem:
    """The coordinator adds an item, about a person or not, at the end of the agenda."""
    must_be_running(meeting, "the agenda")
    problems = Problems()
    notes = clean_text(problems, "notes", notes, 4000)
    if nominal is not None:
        if not policy.nominals_visible_to(acting_user).filter(
                pk=nominal.pk, partnership_id=meeting.partnership_id).exists():
            problems.add("nominal", "Choose a person of this partnership.")
        elif meeting.items.filter(nominal=nominal).exists():
            problems.add("nominal", "This person is already on the agenda.")
        title = clean_text(problems, "title", title or nominal.full_name, 200)
    else:
        title = clean_text(problems, "title", title, 200, "Enter the item's title.")
    problems.raise_if_any("The item was not added.")
    item = AgendaItem.objects.create(
        meeting=meeting, position=_next_position(meeting), nominal=nominal, title=title,
        reasons=[ItemSource.ADDED], notes=notes, added_by=acting_user)
    refresh_sessions(meeting)
    log(user=acting_user, meeting=meeting, item=item, through=through, action=Action.CREATE,
        detail={"title": title})
    return item


@transaction.atomic
def move_item(*, item: AgendaItem, direction: str, acting_user: User,
              through: str) -> AgendaItem:
    """Swap the item with its neighbour above or below."""
    meeting = item.meeting
    must_be_running(meeting, "the agenda")
    if direction not in {"up", "down"}:
        raise DomainError.on_field("direction", "Move the item up or down.")
    items = list(meeting.items.order_by("position", "id"))
    index = next(i for i, found in enumerate(items) if found.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        raise DomainError.on_field("direction", f"The item is already at the "
                                                f"{'top' if direction == 'up' else 'bottom'}.")
    items[index], items[other] = items[other], items[index]
    for position, found in enumerate(items, start=1):
        if found.position != position:
            found.position = position
            found.save(update_fields=["position"])
    log(user=acting_user, meeting=meeting, item=item, through=through,
        detail={"moved": direction})
    return items[other]

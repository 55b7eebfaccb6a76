"""The generated agenda, its order, and the closed session (000 ISA s10)."""

from __future__ import annotations

import pytest

from iom.core.errors import DomainError
from iom.meetings import selectors, services
from iom.meetings.grounds import notes_for
from iom.meetings.models import ItemSource
from iom.meetings.tests.conftest import Room
from iom.meetings.tests.factories import THROUGH, attend, logged

pytestmark = pytest.mark.django_db


def _items(room: Room) -> dict[int | None, object]:
    return {i.nominal_id: i for i in room.meeting.items.all()}


def test_generated_agenda_lists_each_person_once_with_their_reasons(room: Room) -> None:
    created = services.generate_agenda(meeting=room.meeting, acting_user=room.world.users[
        "police"], through=THROUGH)
    assert [i.nominal_id for i in created] == [room.world.consented.pk, room.world.person.pk]
    red = _items(room)[room.world.person.pk]
    assert red.reasons == [ItemSource.RED, ItemSource.DESELECTION]  # type: ignore[attr-defined]
    assert "RAG status RED" in notes_for(red, room.world.users["police"])  # type: ignore[arg-type]
    again = services.generate_agenda(meeting=room.meeting, acting_user=room.world.users[
        "police"], through=THROUGH)
    assert again == [] and room.meeting.items.count() == 2


def test_item_a_partner_may_not_hear_goes_into_the_closed_session(room: Room) -> None:
    services.generate_agenda(meeting=room.meeting, acting_user=room.world.users["police"],
                             through=THROUGH)
    items = _items(room)
    red, referral = items[room.world.person.pk], items[room.world.consented.pk]
    assert red.closed_session  # type: ignore[attr-defined]
    assert list(red.shut_out.all()) == [room.world.orgs["voluntary"]]  # type: ignore[attr-defined]
    assert not referral.closed_session  # type: ignore[attr-defined]


def test_sessions_follow_who_attends(room: Room) -> None:
    police = room.world.users["police"]
    services.remove_attendee(attendance=room.attendance["mentor"], acting_user=police,
                             through=THROUGH)
    services.generate_agenda(meeting=room.meeting, acting_user=police, through=THROUGH)
    assert not room.meeting.items.filter(closed_session=True).exists()
    attend(room.world, room.meeting, "mentor")
    assert room.meeting.items.get(nominal=room.world.person).closed_session


def test_each_attendee_sees_only_what_they_may_hear(room: Room) -> None:
    services.generate_agenda(meeting=room.meeting, acting_user=room.world.users["police"],
                             through=THROUGH)
    for persona, expected in (("police", 2), ("housing", 2), ("mentor", 1)):
        seen = selectors.items_visible_to(room.world.users[persona], room.meeting)
        assert seen.count() == expected, persona
    mentor_sees = selectors.items_visible_to(room.world.users["mentor"], room.meeting)
    assert mentor_sees.get().nominal == room.world.consented


def test_coordinator_adds_and_reorders_items(room: Room) -> None:
    police = room.world.users["police"]
    services.generate_agenda(meeting=room.meeting, acting_user=police, through=THROUGH)
    added = services.add_item(meeting=room.meeting, title="Partnership updates",
                              notes="Staffing over the holidays", acting_user=police,
                              through=THROUGH)
    assert not added.closed_session and added.position == 3
    services.move_item(item=added, direction="up", acting_user=police, through=THROUGH)
    services.move_item(item=added, direction="up", acting_user=police, through=THROUGH)
    assert room.meeting.items.all()[0].title == "Partnership updates"
    with pytest.raises(DomainError, match="already at the top"):
        services.move_item(item=added, direction="up", acting_user=police, through=THROUGH)
    with pytest.raises(DomainError) as refused:
        services.add_item(meeting=room.meeting, title="", nominal=room.world.person,
                          acting_user=police, through=THROUGH)
    assert refused.value.problems[0].message == "This person is already on the agenda."
    assert logged("meeting_item", added.pk, "create")


def test_a_person_from_another_partnership_cannot_be_added(room: Room) -> None:
    with pytest.raises(DomainError, match="not added"):
        services.add_item(meeting=room.meeting, title="", nominal=room.world.foreign,
                          acting_user=room.world.users["police"], through=THROUGH)

"""A partnership with a small cohort and a history around its selection dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

import pytest
from django.utils import timezone

from iom.accounts.models import Organisation, Role, User
from iom.cohorts.lifecycle import CohortState, Rag
from iom.cohorts.models import CohortMembership
from iom.people import services
from iom.people.models import Nominal, OffendingEvent

PLACED = date(2025, 2, 1)
FROM, TO = date(2025, 1, 1), date(2026, 3, 31)
QUERY = {"date_from": FROM.isoformat(), "date_to": TO.isoformat()}


@dataclass
class ImpactWorld:
    members: list[Nominal]
    others: list[Nominal]
    board: User


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def _offence(nominal: Nominal, org: Organisation, day: date, code: str = "28A") -> None:
    OffendingEvent.objects.create(
        nominal=nominal, kind="conviction", event_date=day, offence_date=day, ho_code=code,
        disposal="community", originating_organisation=org, recorded_at=_moment(day))


@pytest.fixture
def impact(world) -> ImpactWorld:
    police = world.orgs["police"]
    members, others = [], []
    for i in range(12):
        person = services.create_nominal(
            acting_user=None, through="test", organisation=police,
            fields={"forename": f"Zebedee{i}", "surname": f"Quixote{i}",
                    "date_of_birth": date(1985 + i % 10, 5, 1), "gender": "M" if i % 3 else "F",
                    "partnership": world.north})
        _offence(person, police, date(2024, 6, 1))
        _offence(person, police, date(2024, 9, 1), "46")
        if i < 8:
            CohortMembership.objects.create(
                nominal=person, policy_name="london", policy_version=1,
                state=CohortState.ON_COHORT, cohort_type="london", rag=Rag.AMBER,
                opened_on=PLACED, placed_on=PLACED)
            if i < 3:
                _offence(person, police, date(2025, 6, 1), "46")
            members.append(person)
        else:
            others.append(person)
    board = User.objects.create_user(username="board_member", password="Not-used-4821",
                                     organisation=world.orgs["council"], role=Role.BOARD_MEMBER)
    return ImpactWorld(members, others, board)

"""Putting a person on the cohort and giving them case work, for the tests."""

from __future__ import annotations

from datetime import date

from iom.cohorts.lifecycle import CohortState, Rag
from iom.cohorts.models import CohortMembership
from iom.people.models import Nominal


def on_cohort(nominal: Nominal, placed_on: date, lead=None, state: str = CohortState.ON_COHORT,
              ended_on: date | None = None) -> CohortMembership:
    return CohortMembership.objects.create(
        nominal=nominal, policy_name="derbyshire_2021", policy_version=1, state=state,
        rag=Rag.GREEN, opened_on=placed_on, placed_on=placed_on, lead_professional=lead,
        ended_on=ended_on)

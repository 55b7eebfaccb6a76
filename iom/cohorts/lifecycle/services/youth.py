"""Youth to adult: a prompt before the 18th birthday (000 s4, 001 s5, 003).

Young people are monitored "with a view to registration on the IOM scheme at the
age of 18 years and / or on transfer to adult services" (000 s4; 001 s5), and
"District IOM teams must liaise with and support YOS particularly during the
transition of an offender from YOS to IOM, which is a particularly difficult
period for the subject" (003). So the lead professional of a young person
managed in the youth strand, or led by youth justice, is told
``IOM_YOUTH_TRANSITION_DAYS`` (90 by default) before the 18th birthday to plan
the move to the adult strand and the adult lead agency.

Safe to run every day (the nightly run does, and so does the
``prompt_youth_transitions`` command): a prompt is given once per case and
birthday, whatever the day it runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from iom.accounts.models import OrganisationKind
from iom.cohorts.lifecycle import MANAGED_STATES, Strand
from iom.cohorts.lifecycle.services.tell import concerned, tell
from iom.cohorts.models import CohortMembership
from iom.cohorts.policy.rules import YOUTH_COHORT
from iom.governance.models import NoticeKind

ADULT_AGE = 18


def eighteenth_birthday(born: date) -> date:
    """The 18th birthday; for a birthday on 29 February, 1 March in a common year."""
    try:
        return born.replace(year=born.year + ADULT_AGE)
    except ValueError:
        return date(born.year + ADULT_AGE, 3, 1)


@dataclass(frozen=True)
class Prompt:
    case: CohortMembership
    birthday: date
    placed: int


def in_youth_care(case: CohortMembership) -> bool:
    """Managed as a young person: the youth strand or cohort, or led by youth justice."""
    agency = case.lead_agency
    return (case.strand == Strand.DETER_YOUNG_OFFENDER or case.cohort_type == YOUTH_COHORT[0]
            or (agency is not None and agency.kind == OrganisationKind.YOUTH_JUSTICE))


def prompt_youth_transitions(*, on: date | None = None, through: str,
                             days: int | None = None) -> list[Prompt]:
    """Tell each lead professional, once, of a young person turning 18 within ``days``."""
    on = on or timezone.localdate()
    days = settings.IOM_YOUTH_TRANSITION_DAYS if days is None else days
    # The database narrows to people born recently enough; the birthday is checked here.
    earliest_birth = date(on.year - ADULT_AGE - 1, 1, 1)
    cases = (CohortMembership.objects.filter(state__in=MANAGED_STATES,
                                             nominal__date_of_birth__gte=earliest_birth)
             .select_related("nominal", "lead_agency", "lead_professional", "police_officer",
                             "prison_offender_manager"))
    done: list[Prompt] = []
    for case in cases:
        birthday = eighteenth_birthday(case.nominal.date_of_birth)
        if not (on <= birthday <= on + timedelta(days=days)) or not in_youth_care(case):
            continue
        leads = [u for u in concerned(case, on) if u.pk == case.lead_professional_id]
        placed = tell(case, NoticeKind.YOUTH_TRANSITION, key=f"{case.pk}:{birthday}", on=on,
                      acting_user=None, through=through, recipients=leads,
                      respond_by=birthday, facts={"birthday": birthday.isoformat()})
        done.append(Prompt(case, birthday, placed))
    return done


def after_nightly_run(sender: object, *, as_at: date, **kwargs: object) -> str:
    """The nightly run's follow-up: the day's youth transition prompts."""
    done = prompt_youth_transitions(on=as_at, through="command nightly_scores")
    placed = sum(p.placed for p in done)
    return f"Youth to adult: {len(done)} young people turn 18 soon, {placed} new prompt(s)"

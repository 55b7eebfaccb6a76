"""Candidate to cohort to exit through the pages, under each of the four scheme policies.

One person is built to qualify under all four: a burglary conviction at liberty,
OGRS 3 of 95 and a high risk-of-reoffending grade. The coordinator finds them on
the candidate list, follows "Refer" (which carries the policy, so the referral
form has it chosen), and takes them through research, the panel, placement, a
review, deselection and exit. The conviction is recent on the decision date, so
no exclusion applies then and the panel needs no partnership agreement.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from iom.cohorts.models import CohortMembership, PanelDecision
from iom.cohorts.tests.factories import Scores, event, person, store_scores

pytestmark = pytest.mark.django_db

# The cohort type each policy suggests for the person.
COHORT_TYPES = {"derbyshire-2015": "tier_1", "derbyshire-2021": "fixed", "london": "london",
                "west-yorkshire": "risk_of_reoffending"}


def _ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def _qualifying(world: Any) -> Any:
    someone = person(world, name="Qualifies")
    event(world, someone, _ago(280), "28E", offence_on=_ago(285))
    store_scores(world, {someone: Scores(ogrs3=95, risk=1200)}, as_at=_ago(262))
    return someone


def _version(someone: Any) -> int:
    return CohortMembership.objects.get(nominal=someone).version


def _step(client: Any, someone: Any, name: str, days: int, **extra: Any) -> None:
    response = client.post(f"/people/{someone.pk}/case/step/{name}/", {
        "version": _version(someone), "on": _ago(days).isoformat(),
        "reason": f"Recorded {name.replace('_', ' ')} at the panel", **extra})
    assert response.status_code == 302, response.content.decode()[:3000]


def _find_and_refer(client: Any, world: Any, someone: Any, policy: str) -> None:
    day = _ago(262)
    page = client.get("/cohorts/candidates/", {
        "policy": f"{policy}@1", "as_at_0": day.day, "as_at_1": day.month,
        "as_at_2": day.year}).content.decode()
    link = f"/people/{someone.pk}/case/refer/?policy={policy}"
    assert link in page, page[:3000]
    # The person is on nobody's caseload yet: the coordinator gives a reason to open them.
    client.post(f"/people/{someone.pk}/reason/",
                {"purpose": "Case management: new referral or allocation"})
    form = client.get(link).content.decode()
    assert f'<option value="{policy}" selected>' in form
    response = client.post(f"/people/{someone.pk}/case/refer/", {
        "policy": policy, "referring_organisation": world.orgs["police"].pk,
        "referred_on": _ago(260).isoformat(), "referrer_name": "Pat Officer",
        "current_offences": "Dwelling burglary and intelligence of further thefts",
        "needs": ["drugs"], "previously_iom": "no"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert CohortMembership.objects.get(nominal=someone).policy_name == policy


def _decide_and_place(client: Any, world: Any, someone: Any, policy: str) -> None:
    orgs, users = world.orgs, world.users
    page = client.get(f"/people/{someone.pk}/case/decision/").content.decode()
    # As at today the conviction is over 6 months old, so the page warns; as at the
    # decision date it was recent, and the service judges the exclusions on that date.
    assert "No conviction in the last 6 months at liberty" in page
    response = client.post(f"/people/{someone.pk}/case/decision/", {
        "version": _version(someone), "outcome": "accept", "meeting": "panel",
        "decided_on": _ago(255).isoformat(), "rationale": "Prolific burglary; IOM adds value",
        "present": [orgs["police"].pk, orgs["probation"].pk, orgs["council"].pk],
        "agreeing": [orgs["police"].pk, orgs["probation"].pk]})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert PanelDecision.objects.get(membership__nominal=someone).overridden_exclusions == []
    response = client.post(f"/people/{someone.pk}/case/placement/", {
        "version": _version(someone), "cohort_type": COHORT_TYPES[policy], "rag": "amber",
        "lead_agency": orgs["probation"].pk, "lead_professional": users["probation"].pk,
        "police_officer": users["police"].pk, "placed_on": _ago(250).isoformat(),
        "reason": "Allocated at the panel"})
    assert response.status_code == 302, response.content.decode()[:3000]


@pytest.mark.parametrize("policy", sorted(COHORT_TYPES))
def test_candidate_to_cohort_to_exit(client: Any, world: Any, policy: str) -> None:
    someone = _qualifying(world)
    client.force_login(world.users["police"])
    _find_and_refer(client, world, someone, policy)
    _step(client, someone, "start_research", 259)
    _step(client, someone, "send_to_panel", 258)
    _decide_and_place(client, world, someone, policy)
    case = CohortMembership.objects.get(nominal=someone)
    assert (case.state, case.cohort_type) == ("on_cohort", COHORT_TYPES[policy])
    _step(client, someone, "review", 150)
    _step(client, someone, "consider_deselection", 140)
    _step(client, someone, "notify_deselection", 140)
    _step(client, someone, "exit", 30,
          supporting_intelligence="No intelligence of further offending since placement")
    assert CohortMembership.objects.get(nominal=someone).state == "exited"
    profile = client.get(f"/people/{someone.pk}/").content.decode()
    assert "Exited" in profile and "Refer to IOM" in profile

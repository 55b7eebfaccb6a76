"""The state machine: every step from where it is allowed, and refusals that name both ends."""

from __future__ import annotations

from datetime import date

import pytest

from iom.cohorts.lifecycle import (
    MOVES,
    NEW,
    CohortState,
    Outcome,
    Step,
    next_state,
    services,
    steps_from,
)
from iom.cohorts.models import CohortMembership, PanelDecision, Transition
from iom.cohorts.tests.factories import (
    PLACED,
    REFERRED,
    THROUGH,
    decide,
    fresh,
    place,
    refer,
    to_panel,
)
from iom.core.errors import DomainError

pytestmark = pytest.mark.django_db
ALL_STATES = [NEW, *CohortState.values]


@pytest.mark.parametrize("step", list(MOVES))
def test_each_step_is_refused_from_every_state_it_does_not_start_from(step):
    for state in ALL_STATES:
        if state in MOVES[step].sources:
            assert next_state(step, state) == (MOVES[step].target or state)
            continue
        with pytest.raises(DomainError) as caught:
            next_state(step, state)
        assert caught.value.code == "illegal_transition"
        assert Step(step).label.lower() in caught.value.message


def test_the_refusal_names_where_the_person_is_and_where_the_step_leads():
    with pytest.raises(DomainError) as caught:
        next_state(Step.EXIT, CohortState.REFERRED)
    message = caught.value.message
    assert "the person is referred" in message and "(to exited)" in message
    assert "only allowed from told of deselection" in message
    assert "start research and scoring" in message


def test_closed_states_lead_nowhere_except_monitoring_after_exit():
    assert steps_from(CohortState.DECLINED) == []
    assert steps_from(CohortState.TRANSFERRED_OUT) == []
    assert steps_from(CohortState.EXITED) == [Step.MONITOR]


def test_research_then_panel_with_the_scores_attached(world):
    case = to_panel(world, refer(world))
    assert case.state == CohortState.AWAITING_PANEL
    sent = Transition.objects.get(membership=case, step=Step.SEND_TO_PANEL)
    assert "OGRS 3" in sent.detail["scores"]
    steps = list(Transition.objects.filter(membership=case).order_by("id")
                 .values_list("from_state", "to_state"))
    assert steps == [("", "referred"), ("referred", "researching"),
                     ("researching", "awaiting_panel")]


def test_defer_then_back_to_panel_then_decline_closes_the_case(world):
    case = to_panel(world, refer(world))
    decide(world, case, Outcome.DEFER, agreeing=(), rationale="Awaiting the probation report")
    assert fresh(case).state == CohortState.DEFERRED
    services.send_to_panel(membership=case, version=fresh(case).version, on=PLACED,
                           reason="Probation report now received", acting_user=world.users[
                               "police"], through=THROUGH)
    decide(world, case, Outcome.DECLINE, rationale="Other methods will manage the risk better")
    assert fresh(case).state == CohortState.DECLINED
    again = refer(world, on=date(2025, 3, 1))
    assert again.pk != case.pk and CohortMembership.objects.count() == 2


def test_an_illegal_step_through_a_service_stores_nothing(world):
    case = refer(world)
    before = fresh(case).version
    with pytest.raises(DomainError, match="only allowed from"):
        services.exit_cohort(membership=case, version=before, on=PLACED,
                             reason="Doing well on the scheme", supporting_intelligence="None",
                             acting_user=world.users["police"], through=THROUGH)
    assert fresh(case).version == before and fresh(case).state == CohortState.REFERRED
    assert Transition.objects.filter(membership=case).count() == 1


def test_accept_needs_police_and_probation_to_agree(world):
    case = to_panel(world, refer(world))
    with pytest.raises(DomainError, match="no agreement recorded from probation service"):
        decide(world, case, agreeing=("police", "council"))
    assert not PanelDecision.objects.exists()


def test_a_tasking_meeting_needs_its_quorum(world):
    case = to_panel(world, refer(world))
    with pytest.raises(DomainError, match="at least 3 agencies present"):
        decide(world, case, meeting="tasking", present=("police", "probation"))
    decide(world, case, meeting="tasking", present=("police", "probation", "prison"))
    assert PanelDecision.objects.get().meeting == "tasking"


def test_agreeing_agencies_must_be_present(world):
    case = to_panel(world, refer(world))
    with pytest.raises(DomainError, match="must also be recorded as present"):
        decide(world, case, present=("police", "council", "prison"))


@pytest.mark.parametrize("rationale", ["", "   ", "ok"])
def test_a_missing_or_empty_rationale_is_refused(world, rationale):
    case = to_panel(world, refer(world))
    with pytest.raises(DomainError) as caught:
        decide(world, case, rationale=rationale)
    assert caught.value.problems[0].field == "rationale"
    assert not PanelDecision.objects.exists()


def test_a_decision_cannot_predate_the_case(world):
    case = to_panel(world, refer(world))
    with pytest.raises(DomainError, match="before the case's last step"):
        decide(world, case, on=REFERRED.replace(day=1))


def test_placement_needs_an_accepting_decision(world):
    case = to_panel(world, refer(world))
    with pytest.raises(DomainError, match="has not accepted"):
        place(world, case)


def test_placement_sets_the_team_the_rag_the_flag_and_the_caseloads(world):
    case = to_panel(world, refer(world))
    decide(world, case)
    case = place(world, case)
    assert case.state == CohortState.ON_COHORT and case.rag == "amber"
    assert case.lead_agency == world.orgs["probation"]
    assert case.lead_professional == world.users["probation"]
    assert case.next_review_due == date(2025, 2, 10)
    flag = world.person.flags.get(kind="iom")
    assert flag.start_date == PLACED and flag.expired_on is None
    assert world.users["probation"].allocations.filter(nominal=world.person).exists()
    assert case.rag_changes.get().reason.startswith("Set at placement")


def test_placement_refuses_a_wrong_team(world):
    case = to_panel(world, refer(world))
    decide(world, case)
    with pytest.raises(DomainError) as caught:
        services.place_on_cohort(
            membership=case, version=fresh(case).version, cohort_type="tier_9",
            lead_agency=world.orgs["probation"], lead_professional=world.users["police"],
            police_officer=world.users["probation"], rag="blue", placed_on=PLACED,
            reason="Panel allocation", acting_user=world.users["police"], through=THROUGH)
    fields = {p.field for p in caught.value.problems}
    assert fields == {"cohort_type", "lead_professional", "police_officer", "rag"}
    assert fresh(case).state == CohortState.AWAITING_PANEL

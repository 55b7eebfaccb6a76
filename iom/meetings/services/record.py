"""What the meeting records on an item: minutes, and decisions that feed the case."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from iom.accounts.models import Organisation, User
from iom.audit.models import Action
from iom.audit.services import RecordRef
from iom.casework.models import Action as CaseAction
from iom.casework.models import SourceKind
from iom.casework.services.actions import create_action
from iom.cohorts import selectors as cohort_selectors
from iom.cohorts.lifecycle import Meeting as DecidingMeeting
from iom.cohorts.lifecycle import Rag
from iom.cohorts.lifecycle import services as cohorts
from iom.cohorts.models import CohortMembership
from iom.core.errors import DomainError, Problems

from ..models import AgendaItem, DecisionKind, ItemDecision, Meeting, MeetingKind
from ..selectors import present_organisations, quorum_problem
from .base import clean_text, log, must_be_running


@transaction.atomic
def record_minutes(*, item: AgendaItem, text: str, acting_user: User,
                   through: str) -> AgendaItem:
    """The minutes of one item; saving again replaces them while the meeting runs."""
    meeting = _current(item)
    must_be_running(meeting, "the minutes")
    if not meeting.is_open:
        raise DomainError("Open the meeting before taking minutes.", code="meeting_state")
    problems = Problems()
    text = clean_text(problems, "minutes", text, 10000, "Enter the minutes.")
    problems.raise_if_any("The minutes were not saved.")
    old = item.minutes
    item.minutes, item.minuted_by, item.minuted_at = text, acting_user, timezone.now()
    item.save(update_fields=["minutes", "minuted_by", "minuted_at"])
    log(user=acting_user, meeting=meeting, item=item, through=through,
        detail={"changed": {"minutes": {"old": old, "new": text}}})
    return item


def _current(item: AgendaItem) -> Meeting:
    """The meeting as it stands now, held for this change."""
    item.meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    return item.meeting


OUTCOMES: dict[str, str] = {DecisionKind.ACCEPT: "accept", DecisionKind.DECLINE: "decline",
            DecisionKind.DEFER: "defer"}


@transaction.atomic
def record_decision(*, item: AgendaItem, kind: str, rationale: str, acting_user: User,
                    through: str, agreeing: Sequence[Organisation] = (),
                    rag: str = "", exclusion_agreement: str = "") -> ItemDecision:
    """A decision on a person's item, recorded in their case by the cohort services.

    The meeting must be open, and the agencies present for this item (signed,
    and not shut out of it) must reach the quorum. Accept and decline need the
    agencies that agreed; a RAG change needs the new status. Accepting a person
    an exclusion of the scheme applies to needs the partnership agreement
    (``exclusion_agreement``), which goes to the panel decision.
    """
    meeting = _current(item)
    must_be_running(meeting, "the decisions")
    problems = Problems()
    if not meeting.is_open:
        problems.add("kind", "Open the meeting before recording decisions.")
    if item.nominal is None:
        problems.add("kind", "Decisions are recorded on an item about a person.")
    if kind not in DecisionKind.values:
        problems.add("kind", "Choose the decision.")
    if (quorum := quorum_problem(meeting, item)) and meeting.is_open:
        problems.add("kind", quorum)
    if kind == DecisionKind.RAG and rag not in Rag.values:
        problems.add("rag", "Choose the new RAG status.")
    case = cohort_selectors.open_case(item.nominal) if item.nominal else None
    if item.nominal is not None and case is None:
        problems.add("kind", "This person has no open case to decide on.")
    problems.raise_if_any("The decision was not recorded.")
    assert case is not None
    record = _apply(item, case, kind, rationale, agreeing, rag, acting_user, through,
                    exclusion_agreement)
    decision = ItemDecision.objects.create(item=item, kind=kind, summary=record[0],
                                           rationale=rationale.strip(), case_record=record[1],
                                           recorded_by=acting_user)
    log(user=acting_user, meeting=meeting, item=item, through=through, action=Action.CREATE,
        refs=[RecordRef("meeting_decision", decision.pk)],
        detail={"decision": kind, "summary": record[0], "case_record": record[1]})
    return decision


def _apply(item: AgendaItem, case: CohortMembership, kind: str, rationale: str,
           agreeing: Sequence[Organisation], rag: str, user: User,
           through: str, exclusion_agreement: str) -> tuple[str, str]:
    """Call the cohort service for the decision; its refusals reach the user unchanged."""
    meeting = item.meeting
    common: dict[str, Any] = {"membership": case, "version": case.version, "acting_user": user,
              "through": through, "access_reason": f"Decided at {meeting}"}
    if kind in OUTCOMES:
        deciding = (DecidingMeeting.TASKING if meeting.kind == MeetingKind.TASKING
                    else DecidingMeeting.PANEL)
        decision = cohorts.record_panel_decision(
            outcome=OUTCOMES[kind], meeting=deciding, decided_on=meeting.held_on,
            rationale=rationale, present=present_organisations(meeting, item),
            agreeing=list(agreeing), exclusion_agreement=exclusion_agreement, **common)
        return decision.get_outcome_display(), f"cohort_decision:{decision.pk}"
    if kind == DecisionKind.RAG:
        change = cohorts.change_rag(to=rag, reason=rationale, on=meeting.held_on, **common)
        return f"RAG status {change.get_rag_display()}", f"cohort_rag:{change.pk}"
    step = cohorts.consider_deselection(on=meeting.held_on, reason=rationale, **common)
    return "Deselection to be considered", f"cohort_step:{step.pk}"


def action_ref(item: AgendaItem) -> str:
    """How an action raised at a meeting points back to its item."""
    return f"meeting:{item.meeting_id}/item:{item.pk}"


@transaction.atomic
def raise_action(*, item: AgendaItem, title: str, due_on: date | None, priority: str,
                 acting_user: User, through: str, owner_user: User | None = None,
                 owner_organisation: Organisation | None = None) -> CaseAction:
    """An action agreed at the meeting, raised through case work (source "meeting")."""
    meeting = _current(item)
    must_be_running(meeting, "the actions")
    problems = Problems()
    if not meeting.is_open:
        problems.add("title", "Open the meeting before raising actions.")
    if item.nominal is None:
        problems.add("title", "Actions are raised on an item about a person.")
    if due_on is None:
        problems.add("due_on", "Enter the date the action is due.")
    problems.raise_if_any("The action was not raised.")
    assert item.nominal is not None and due_on is not None
    action = create_action(nominal=item.nominal, title=title, owner_user=owner_user,
                           owner_organisation=owner_organisation, due_on=due_on,
                           priority=priority, source_kind=SourceKind.MEETING,
                           source_ref=action_ref(item), acting_user=acting_user,
                           through=through)
    log(user=acting_user, meeting=meeting, item=item, through=through, action=Action.CREATE,
        refs=[RecordRef("action", action.pk)], detail={"action": action.title})
    return action

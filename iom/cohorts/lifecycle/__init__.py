"""The case lifecycle in one place: its states and the steps that move a person
between them (the dated rules those steps must satisfy are the scheme's:
``iom.cohorts.policy.rules``).

    referral -> research and scoring -> panel (accept, decline, defer)
      -> on the cohort (type, RAG, lead agency, lead professional, police officer)
      -> reviews -> deselection considered -> told (3 months before) -> exit or monitored
    and, from the cohort: removal for a long custody, transfer out of the area.

Every step is a service in ``lifecycle/services/`` that asks ``next_state`` here first,
so a step that is not allowed from where the person is gets the same clear
refusal wherever it comes from (page, API or command). The rules are the
seeds' defaults (000 App C, 001 s7-8, 002 steps 1-7, 003, 004 1.24-1.30); a
scheme policy may change any of them (``policy.schemes.scheme_terms``), and a case keeps the
version of its policy it was opened under.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models

from iom.core.errors import DomainError

if TYPE_CHECKING:
    from iom.cohorts.policy.rules import SchemeTerms


class CohortState(models.TextChoices):
    REFERRED = "referred", "Referred"
    RESEARCHING = "researching", "Research and scoring"
    AWAITING_PANEL = "awaiting_panel", "Awaiting panel decision"
    DEFERRED = "deferred", "Deferred by the panel"
    DECLINED = "declined", "Declined by the panel"
    ON_COHORT = "on_cohort", "On the cohort"
    DESELECTION_CONSIDERED = "deselection_considered", "Deselection considered"
    DESELECTION_NOTIFIED = "deselection_notified", "Told of deselection"
    EXITED = "exited", "Exited"
    MONITORED = "monitored", "Exited and monitored"
    REMOVED_CUSTODY = "removed_custody", "Removed: long custody"
    TRANSFERRED_OUT = "transferred_out", "Transferred out of the area"


# A person has at most one open case; a closed one stays as history and a new
# referral (or a transfer back in) starts the next.
OPEN_STATES = frozenset({
    CohortState.REFERRED, CohortState.RESEARCHING, CohortState.AWAITING_PANEL,
    CohortState.DEFERRED, CohortState.ON_COHORT, CohortState.DESELECTION_CONSIDERED,
    CohortState.DESELECTION_NOTIFIED,
})
# Managed on the cohort: counted on the dashboard, RAG-rated, flagged.
MANAGED_STATES = frozenset({
    CohortState.ON_COHORT, CohortState.DESELECTION_CONSIDERED,
    CohortState.DESELECTION_NOTIFIED,
})
NEW = ""  # before a case exists


class Strand(models.TextChoices):
    """The strands of 004 (1.7-1.10, 1.24, 1.28)."""

    STANDARD = "standard", "Rehabilitate and resettle"
    DETER_YOUNG_OFFENDER = "deter_young_offender", "Deter Young Offender (10 to 17)"
    CATCH_AND_CONTROL = "catch_and_control", "Catch and control"
    # 004 1.8: frustration and disruption by the police, for adults or young people;
    # only where a scheme policy runs it (``prevent_and_deter`` in its lifecycle terms).
    PREVENT_AND_DETER = "prevent_and_deter", "Prevent and deter"


class Rag(models.TextChoices):
    RED = "red", "RED"
    AMBER_ALERT = "amber_alert", "AMBER ALERT"
    AMBER = "amber", "AMBER"
    GREEN = "green", "GREEN"
    BLUE = "blue", "BLUE"


# What each status means and the partnership's response (000 App C; BLUE, 002).
RAG_GUIDE: dict[str, tuple[str, str]] = {
    Rag.RED: ("Wanted: circulated on PNC or actively linked to crime",
              "Enforcement activity"),
    Rag.AMBER_ALERT: ("Intelligence suggests further offending and not engaging with "
                      "supervision or treatment", "Proactive outreach and targeting"),
    Rag.AMBER: ("Not complying with supervision or treatment, or intelligence suggests "
                "further offending", "Prioritised resources and joint working"),
    Rag.GREEN: ("No intelligence of further offending; engaging with all relevant agencies",
                "Offender and case management"),
    Rag.BLUE: ("In custody", "Prison hub manages; contact the district before release"),
}
RAG_TAG_CLASS: dict[str, str] = {Rag.RED: "govuk-tag--red", Rag.AMBER_ALERT: "govuk-tag--orange",
                 Rag.AMBER: "govuk-tag--yellow", Rag.GREEN: "govuk-tag--green",
                 Rag.BLUE: "govuk-tag--blue"}


class Outcome(models.TextChoices):
    ACCEPT = "accept", "Accept onto the cohort"
    DECLINE = "decline", "Decline"
    DEFER = "defer", "Defer"


class Meeting(models.TextChoices):
    PANEL = "panel", "Panel or operational meeting"
    TASKING = "tasking", "Tasking meeting"


class Step(models.TextChoices):
    """Every step of the lifecycle, as recorded in the history."""

    REFER = "refer", "Refer"
    TRANSFER_IN = "transfer_in", "Transfer in from another area"
    START_RESEARCH = "start_research", "Start research and scoring"
    SEND_TO_PANEL = "send_to_panel", "Send to the panel"
    ACCEPT = "accept", "Panel accepts"
    DECLINE = "decline", "Panel declines"
    DEFER = "defer", "Panel defers"
    PLACE = "place", "Place on the cohort"
    REVIEW = "review", "Review"
    CONSIDER_DESELECTION = "consider_deselection", "Consider deselection"
    NOTIFY_DESELECTION = "notify_deselection", "Tell the person of deselection"
    KEEP_ON_COHORT = "keep_on_cohort", "Keep on the cohort"
    EXIT = "exit", "Exit the cohort"
    EXIT_MONITORED = "exit_monitored", "Exit and monitor"
    MONITOR = "monitor", "Monitor after exit"
    REMOVE_FOR_CUSTODY = "remove_for_custody", "Remove for a long custody"
    TRANSFER_OUT = "transfer_out", "Transfer out of the area"
    CHANGE_STRAND = "change_strand", "Change strand"
    CHANGE_TEAM = "change_team", "Change the case team or cohort type"
    PRISON_HANDOVER = "prison_handover", "Hand to the prison hub"


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str | None  # None: the step is recorded but the state stays


S = CohortState
MOVES: dict[str, Move] = {
    Step.REFER: Move(frozenset({NEW}), S.REFERRED),
    Step.TRANSFER_IN: Move(frozenset({NEW}), S.AWAITING_PANEL),
    Step.START_RESEARCH: Move(frozenset({S.REFERRED, S.DEFERRED}), S.RESEARCHING),
    Step.SEND_TO_PANEL: Move(frozenset({S.RESEARCHING, S.DEFERRED}), S.AWAITING_PANEL),
    Step.ACCEPT: Move(frozenset({S.AWAITING_PANEL}), None),
    Step.DECLINE: Move(frozenset({S.AWAITING_PANEL}), S.DECLINED),
    Step.DEFER: Move(frozenset({S.AWAITING_PANEL}), S.DEFERRED),
    Step.PLACE: Move(frozenset({S.AWAITING_PANEL}), S.ON_COHORT),
    Step.REVIEW: Move(MANAGED_STATES, None),
    Step.CONSIDER_DESELECTION: Move(frozenset({S.ON_COHORT}), S.DESELECTION_CONSIDERED),
    Step.NOTIFY_DESELECTION: Move(frozenset({S.DESELECTION_CONSIDERED}),
                                  S.DESELECTION_NOTIFIED),
    Step.KEEP_ON_COHORT: Move(frozenset({S.DESELECTION_CONSIDERED, S.DESELECTION_NOTIFIED}),
                              S.ON_COHORT),
    Step.EXIT: Move(frozenset({S.DESELECTION_NOTIFIED}), S.EXITED),
    Step.EXIT_MONITORED: Move(frozenset({S.DESELECTION_NOTIFIED}), S.MONITORED),
    Step.MONITOR: Move(frozenset({S.EXITED}), S.MONITORED),
    Step.REMOVE_FOR_CUSTODY: Move(MANAGED_STATES, S.REMOVED_CUSTODY),
    Step.TRANSFER_OUT: Move(OPEN_STATES, S.TRANSFERRED_OUT),
    # Refused or withdrawn consent moves a managed person to catch and control (004 1.24).
    Step.CHANGE_STRAND: Move(MANAGED_STATES, None),
    # After placement, with a reason (lifecycle_steps.md): the team and the cohort type.
    Step.CHANGE_TEAM: Move(MANAGED_STATES, None),
    # A custodial sentence hands the case to the prison hub (003 "Imprisoned Offenders").
    Step.PRISON_HANDOVER: Move(MANAGED_STATES, None),
}
# Steps after which the person is no longer managed: their IOM flag is expired.
LEAVING_STEPS = frozenset({Step.EXIT, Step.EXIT_MONITORED, Step.REMOVE_FOR_CUSTODY,
                           Step.TRANSFER_OUT})


def state_label(state: str) -> str:
    return "not yet referred" if state == NEW else CohortState(state).label.lower()


def next_state(step: str, current: str) -> str:
    """The state after ``step`` from ``current``, or a refusal naming both ends."""
    move = MOVES[step]
    if current in move.sources:
        return move.target or current
    target = state_label(move.target) if move.target else "the same state"
    allowed = steps_from(current)
    then = ("; from there the next steps are: " + ", ".join(
        Step(s).label.lower() for s in allowed)) if allowed else "; no step follows it"
    raise DomainError(
        f"Cannot {Step(step).label.lower()}: the person is {state_label(current)}, and that "
        f"step (to {target}) is only allowed from "
        f"{', '.join(sorted(state_label(s) for s in move.sources))}{then}.",
        code="illegal_transition")


def steps_from(current: str) -> list[str]:
    return [step for step, move in MOVES.items() if current in move.sources]


def strands_of(terms: SchemeTerms) -> list[tuple[str, str]]:
    """The strands a scheme runs: prevent and deter only where its terms say so (004 1.8),
    Deter Young Offender only where it runs the youth strand."""
    left_out: dict[str, bool] = {
        Strand.PREVENT_AND_DETER: not terms.rules.prevent_and_deter,
        Strand.DETER_YOUNG_OFFENDER: not terms.rules.youth_strand}
    return [(key, label) for key, label in Strand.choices if not left_out.get(key)]

"""A person's case through the lifecycle: referral, panel decisions, the cohort
membership with its RAG history, and the log of every step.

Rows are never deleted or rewritten: a closed case stays as history and each
change is a new row (decisions, RAG changes, steps). Only the membership's
current-state fields change, under an optimistic lock (``version``).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from iom.cohorts.lifecycle import (
    OPEN_STATES,
    RAG_GUIDE,
    RAG_TAG_CLASS,
    CohortState,
    Meeting,
    Outcome,
    Rag,
    Step,
    Strand,
)
from iom.cohorts.policy.needs import Need
from iom.cohorts.policy.schemes import scheme_terms
from iom.people.models import Substance


class CohortMembership(models.Model):
    """One case: a person's way through the lifecycle under one scheme policy."""

    nominal = models.ForeignKey("people.Nominal", on_delete=models.PROTECT,
                                related_name="cohort_memberships")
    policy_name = models.CharField(max_length=40)
    policy_version = models.PositiveIntegerField()
    state = models.CharField(max_length=24, choices=CohortState.choices)
    strand = models.CharField(max_length=24, choices=Strand.choices, default=Strand.STANDARD)
    cohort_type = models.CharField(max_length=40, blank=True)
    rag = models.CharField("RAG status", max_length=12, choices=Rag.choices, blank=True)
    lead_agency = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    lead_professional = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                          null=True, blank=True, related_name="+")
    police_officer = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                       null=True, blank=True, related_name="+")
    opened_on = models.DateField()
    placed_on = models.DateField(null=True, blank=True)
    last_reviewed_on = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True)
    deselection_considered_on = models.DateField(null=True, blank=True)
    deselection_notified_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    monitored = models.BooleanField(default=False)
    transferred_from = models.CharField("Transferred in from", max_length=120, blank=True)
    transferred_to = models.CharField("Transferred out to", max_length=120, blank=True)
    # In custody the prison hub manages the case (003 "Imprisoned Offenders").
    prison_offender_manager = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                                null=True, blank=True, related_name="+")
    handed_to_prison_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["nominal"], condition=Q(state__in=OPEN_STATES),
                                    name="one_open_case_per_person"),
        ]
        indexes = [models.Index(fields=["state", "policy_name"], name="membership_state")]

    def __str__(self) -> str:
        return f"{self.get_state_display()} since {self.opened_on}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def cohort_type_label(self) -> str:
        if not self.cohort_type:
            return ""
        return scheme_terms(self.policy_name, self.policy_version).cohort_type_label(
            self.cohort_type)

    @property
    def policy_title(self) -> str:
        return scheme_terms(self.policy_name, self.policy_version).title

    @property
    def rag_tag_class(self) -> str:
        return RAG_TAG_CLASS.get(self.rag, "govuk-tag--grey")

    @property
    def rag_response(self) -> str:
        return RAG_GUIDE[self.rag][1] if self.rag else ""


class Referral(models.Model):
    """The referral form (000 Strategy App A; 001 App A), one per case."""

    membership = models.OneToOneField(CohortMembership, on_delete=models.PROTECT,
                                      related_name="referral")
    referred_on = models.DateField("Date of referral")
    referring_organisation = models.ForeignKey("accounts.Organisation",
                                               on_delete=models.PROTECT, related_name="+")
    referrer_name = models.CharField("Referral completed by", max_length=120)
    referrer_contact = models.CharField("Contact number", max_length=40, blank=True)
    offender_manager = models.CharField(max_length=120, blank=True)
    current_offences = models.TextField(
        "Current offences or issues of current concern")
    index_offences = models.TextField(blank=True)
    relevant_factors = models.TextField(blank=True)
    needs = models.JSONField(default=list)
    primary_substance = models.CharField(max_length=12, choices=Substance.choices, blank=True)
    ogrs_1y = models.FloatField("OGRS score (12 months)", null=True, blank=True)
    ogrs_2y = models.FloatField("OGRS score (24 months)", null=True, blank=True)
    crime_severity = models.PositiveIntegerField("ONS Crime Severity Score", null=True,
                                                 blank=True)
    current_orders = models.TextField("Current orders or licences", blank=True)
    previously_iom = models.BooleanField("Previously on the PPO or IOM scheme", null=True)
    risk_to_community = models.BooleanField(default=False)
    exceptional_circumstances = models.TextField(blank=True)
    consent_status = models.CharField(max_length=12, blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Referral by {self.referring_organisation} on {self.referred_on}"

    def need_labels(self) -> list[str]:
        return [Need(n).label for n in self.needs if n in Need.values]


class PanelDecision(models.Model):
    """Accept, decline or defer, with the rationale and who agreed (001 s4, s8)."""

    membership = models.ForeignKey(CohortMembership, on_delete=models.PROTECT,
                                   related_name="decisions")
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    meeting = models.CharField(max_length=8, choices=Meeting.choices, default=Meeting.PANEL)
    decided_on = models.DateField()
    rationale = models.TextField()
    proposed_cohort_type = models.CharField(max_length=40, blank=True)
    exclusion_agreement = models.TextField(
        "Partnership agreement to include despite an exclusion", blank=True)
    # The exclusions an acceptance overrode, as the panel saw them on the day: each
    # {"label": ..., "why": ...}. Empty for a decline, a deferral or no exclusion.
    overridden_exclusions = models.JSONField(default=list, blank=True)
    present = models.ManyToManyField("accounts.Organisation", related_name="+")
    agreeing = models.ManyToManyField("accounts.Organisation", related_name="+")
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} on {self.decided_on}"


class RagChange(models.Model):
    """One change of RAG status, with its reason, decider and date."""

    membership = models.ForeignKey(CohortMembership, on_delete=models.PROTECT,
                                   related_name="rag_changes")
    rag = models.CharField(max_length=12, choices=Rag.choices)
    previous = models.CharField(max_length=12, choices=Rag.choices, blank=True)
    decided_on = models.DateField()
    reason = models.TextField()
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                   related_name="+")
    automatic = models.BooleanField(default=False)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_rag_display()} from {self.decided_on}"


class Transition(models.Model):
    """One step of the lifecycle: from, to, why, who and when."""

    membership = models.ForeignKey(CohortMembership, on_delete=models.PROTECT,
                                   related_name="transitions")
    step = models.CharField(max_length=24, choices=Step.choices)
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24, choices=CohortState.choices)
    decided_on = models.DateField()
    reason = models.TextField()
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                   related_name="+")
    detail = models.JSONField(default=dict)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_step_display()} on {self.decided_on}"

    @property
    def from_label(self) -> str:
        return CohortState(self.from_state).label if self.from_state else "Not yet referred"


class FactsSnapshot(models.Model):
    """The selection facts of everyone as at a day, kept so candidate lists come back fast.

    Derived data, like stored scores: built from the people's records and the
    scoring run (selection/snapshot.py), never edited, and refreshed for the
    people whose records changed since (``FactsChange``). Candidate lists read
    it through the access policy like any other read (docs/adr/0006).
    """

    as_at = models.DateField()
    needs = models.CharField(max_length=64, help_text="Digest of the fact columns it holds.")
    score_run = models.ForeignKey("scoring.ScoreRun", on_delete=models.CASCADE, null=True,
                                  related_name="+")
    changes_from = models.BigIntegerField(
        help_text="Changes from here on may be missing from it: a transaction id on "
                  "PostgreSQL, a FactsChange id on SQLite.")
    columns = models.JSONField(help_text="Offence and order columns by test.")
    people = models.PositiveIntegerField()
    built_at = models.DateTimeField(default=timezone.now)
    generation = models.UUIDField(
        default=uuid.uuid4,
        help_text="New on every build and every kept patch: what was evaluated from it "
                  "is kept only while this is the same (candidates/snapshot.py).")
    build_seconds = models.FloatField(default=0)
    data = models.BinaryField(help_text="The facts table, Arrow IPC.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["as_at", "needs"],
                                               name="cohorts_facts_snapshot_once")]

    def __str__(self) -> str:
        return f"Selection facts as at {self.as_at} ({self.people} people)"


class FactsChange(models.Model):
    """A person whose selection facts may have changed: written by database triggers.

    Triggers on the people's records (migration cohorts 0004) add a row for each
    person touched by any insert, update or delete, whatever wrote it (a page,
    the API, a feed import, a bulk load), so no path can leave a snapshot stale.
    No foreign key: a deleted person is a change too.
    """

    id = models.BigAutoField(primary_key=True)
    nominal_id = models.BigIntegerField()
    txid = models.BigIntegerField(null=True, db_index=True,
                                  help_text="The writing transaction (PostgreSQL only).")

    def __str__(self) -> str:
        return f"Change {self.id} to person {self.nominal_id}"

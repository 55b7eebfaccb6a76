"""The intervention plan: needs by resettlement pathway, referrals to services,
progress notes and intermediate outcomes (000 s1, 002 pathways, 003 'Partnership Meetings')."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..pathways import OUTCOME_STATES, pathway_label


class PlanClosure(models.TextChoices):
    """Why a plan was closed; a person who comes back to the cohort gets a new plan."""

    LEFT_COHORT = "left_cohort", "The person left the cohort"
    CUSTODY = "custody", "The person went into custody"
    TRANSFERRED = "transferred", "The person moved to another area"
    REPLACED = "replaced", "Replaced by a new plan"
    OTHER = "other", "Another reason"


class InterventionPlan(models.Model):
    """One plan per spell on the cohort; a closed plan stays as history."""

    nominal = models.ForeignKey("people.Nominal", on_delete=models.PROTECT,
                                related_name="intervention_plans")
    membership = models.ForeignKey("cohorts.CohortMembership", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    pathway_set = models.CharField(max_length=40)
    started_on = models.DateField()
    summary = models.TextField(blank=True)
    endorsed_on = models.DateField(null=True, blank=True)
    endorsed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    closed_on = models.DateField(null=True, blank=True)
    closed_reason = models.CharField(max_length=20, choices=PlanClosure.choices, blank=True)
    closing_note = models.TextField(blank=True)
    closed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+")
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["nominal"],
                                               condition=Q(closed_on__isnull=True),
                                               name="one_open_plan_per_person")]

    def __str__(self) -> str:
        return f"Intervention plan from {self.started_on}"


class NeedLevel(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"
    NONE = "none", "No need"


class NeedStatus(models.TextChoices):
    IDENTIFIED = "identified", "Identified"
    IN_PROGRESS = "in_progress", "Being worked on"
    MET = "met", "Met"
    NOT_ENGAGING = "not_engaging", "Not engaging"


class PlanNeed(models.Model):
    plan = models.ForeignKey(InterventionPlan, on_delete=models.PROTECT, related_name="needs")
    pathway = models.CharField(max_length=40)
    level = models.CharField("Assessed level", max_length=10, choices=NeedLevel.choices)
    description = models.TextField()
    assessed_on = models.DateField()
    status = models.CharField(max_length=16, choices=NeedStatus.choices,
                              default=NeedStatus.IDENTIFIED)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["pathway", "id"]

    def __str__(self) -> str:
        return f"{self.pathway_label}: {self.get_level_display()}"

    @property
    def pathway_label(self) -> str:
        return pathway_label(self.plan.pathway_set, self.pathway)


class ReferralStatus(models.TextChoices):
    OFFERED = "offered", "Offered"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined by the person"
    STARTED = "started", "Started"
    COMPLETED = "completed", "Completed"
    DROPPED_OUT = "dropped_out", "Dropped out"


class ServiceReferral(models.Model):
    """A referral to a service for a need: what was offered and how the person responded."""

    need = models.ForeignKey(PlanNeed, on_delete=models.PROTECT, related_name="referrals")
    service = models.CharField(max_length=160)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    referred_on = models.DateField()
    status = models.CharField(max_length=16, choices=ReferralStatus.choices,
                              default=ReferralStatus.OFFERED)
    response = models.TextField("How the person responded", blank=True)
    status_on = models.DateField()
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["referred_on", "id"]

    def __str__(self) -> str:
        return f"{self.service} ({self.get_status_display()})"


class PlanProgress(models.Model):
    need = models.ForeignKey(PlanNeed, on_delete=models.PROTECT, related_name="progress")
    recorded_on = models.DateField()
    note = models.TextField()
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_on", "-id"]

    def __str__(self) -> str:
        return f"Progress on {self.recorded_on}"


class OutcomeKind(models.TextChoices):
    """The intermediate outcomes measured (001 measuring impact)."""

    ACCOMMODATION = "accommodation", "Accommodation"
    EMPLOYMENT = "employment", "Employment or training"
    TREATMENT = "treatment", "Drug and alcohol treatment"
    ENGAGEMENT = "engagement", "Engagement"


class IntermediateOutcome(models.Model):
    plan = models.ForeignKey(InterventionPlan, on_delete=models.PROTECT, related_name="outcomes")
    kind = models.CharField(max_length=16, choices=OutcomeKind.choices)
    status = models.CharField(max_length=40)
    recorded_on = models.DateField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-recorded_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.status_label}"

    @property
    def status_label(self) -> str:
        return dict(OUTCOME_STATES.get(self.kind, ())).get(self.status, self.status)

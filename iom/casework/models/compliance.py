"""What the compliance rules (003) are measured against: reviews of emerging
threats, deregistrations and the monthly tag audit."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class ThreatReviewOutcome(models.TextChoices):
    KEEP_WATCHING = "keep_watching", "Keep under review"
    PROPOSE_SELECTION = "propose_selection", "Propose for selection at the partnership meeting"
    PROPOSE_DESELECTION = "propose_deselection", "Propose deselection"
    CLOSE = "close", "No further review needed"


class ThreatReview(models.Model):
    """A supervisor's review of an emerging threat, with the rationale."""

    threat = models.ForeignKey("scoring.EmergingThreat", on_delete=models.PROTECT,
                               related_name="reviews")
    reviewed_on = models.DateField()
    outcome = models.CharField(max_length=20, choices=ThreatReviewOutcome.choices)
    rationale = models.TextField()
    reviewed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"Review on {self.reviewed_on}"


class Deregistration(models.Model):
    """The deregistration after a person leaves the cohort, with its rationale."""

    membership = models.OneToOneField("cohorts.CohortMembership", on_delete=models.PROTECT,
                                      related_name="deregistration")
    recorded_on = models.DateField()
    rationale = models.TextField()
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Deregistered on {self.recorded_on}"


class TagAudit(models.Model):
    """The monthly audit of active and inactive tags for one district (003)."""

    district = models.ForeignKey("accounts.District", on_delete=models.PROTECT,
                                 related_name="+")
    month = models.DateField(help_text="The first day of the month audited.")
    completed_on = models.DateField()
    findings = models.TextField()
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["district", "month"],
                                               name="one_tag_audit_per_district_month")]

    def __str__(self) -> str:
        return f"Tag audit for {self.month:%B %Y}"

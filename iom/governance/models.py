"""Consent and involvement: what lets a non-statutory partner see a person (000 ISA)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class ConsentStatus(models.TextChoices):
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ConsentBasis(models.TextChoices):
    CONSENT = "consent", "The person's consent"
    CONTRACT = "contract", "A contract to deliver a service"


class GivenBy(models.TextChoices):
    PERSON = "person", "The person"
    PARENT_OR_GUARDIAN = "parent_or_guardian", "A parent or guardian (youth)"


class Consent(models.Model):
    """A consent (or contract) record for sharing a person's data with one organisation.

    The latest record for a person and organisation is the current one; older
    records stay as history.
    """

    nominal = models.ForeignKey("people.Nominal", on_delete=models.CASCADE, related_name="consents")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="consents"
    )
    basis = models.CharField(max_length=10, choices=ConsentBasis.choices,
                             default=ConsentBasis.CONSENT)
    status = models.CharField(max_length=10, choices=ConsentStatus.choices)
    given_by = models.CharField(max_length=20, choices=GivenBy.choices, default=GivenBy.PERSON)
    guardian_name = models.CharField(max_length=120, blank=True)
    decided_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} for {self.organisation} on {self.decided_on}"


class Involvement(models.Model):
    """An organisation working with a person, from a date until an end date."""

    nominal = models.ForeignKey(
        "people.Nominal", on_delete=models.CASCADE, related_name="involvements"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="involvements"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    purpose = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return f"{self.organisation} from {self.start_date}"

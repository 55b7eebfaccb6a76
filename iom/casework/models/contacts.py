"""Engagement contacts: visits and appointments, kept or missed (002 engagement)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class ContactKind(models.TextChoices):
    HOME_VISIT = "home_visit", "Home visit"
    PRISON_VISIT = "prison_visit", "Prison visit"
    APPOINTMENT = "appointment", "Appointment"
    PHONE = "phone", "Telephone contact"


class ContactOutcome(models.TextChoices):
    KEPT = "kept", "Kept"
    MISSED = "missed", "Missed"
    NO_ACCESS = "no_access", "No access at the address"
    CANCELLED = "cancelled", "Cancelled by us"


class Contact(models.Model):
    nominal = models.ForeignKey("people.Nominal", on_delete=models.PROTECT,
                                related_name="contacts")
    kind = models.CharField(max_length=16, choices=ContactKind.choices)
    happened_on = models.DateField("Date")
    outcome = models.CharField(max_length=12, choices=ContactOutcome.choices)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                     related_name="+")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-happened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.happened_on}: {self.get_outcome_display()}"

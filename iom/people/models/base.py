"""What every record about a person carries: where it came from (000 s7, s10)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class SourceSystem(models.TextChoices):
    IOM = "iom", "IOM system"
    PNC = "pnc", "Police National Computer feed"
    POLICE_RECORDS = "police_records", "Police records system"
    PROBATION_CASE = "probation_case", "Probation case system"
    PRISON = "prison", "Prison system"
    YOUTH_JUSTICE = "youth_justice", "Youth justice system"
    DEMO = "demo", "Demo data"


class Provenance(models.Model):
    """Abstract base: the originating organisation, source system and time."""

    originating_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    source_system = models.CharField(
        max_length=20, choices=SourceSystem.choices, default=SourceSystem.IOM
    )
    source_record_id = models.CharField(max_length=64, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

"""Stored impact results: a computed, already-suppressed pack kept for its scope.

Aggregates only: the tables as published (counts, rates, percentages, means and
scores with small numbers already suppressed), never a name or a person's id.
A result is read only while it is fresh (docs/reporting.md, "Stored results"):
the same as-at day and the same digest of the records it was made from.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class StoredImpact(models.Model):
    """One scope's pack: the newest computed for it replaces the one before."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.CASCADE,
                                    related_name="+")
    date_from = models.DateField()
    date_to = models.DateField()
    policy = models.CharField(max_length=80, help_text="The scheme policy, resolved.")
    cohort_type = models.CharField(max_length=40, blank=True)
    district_id = models.BigIntegerField(null=True, blank=True)
    scope_key = models.CharField(max_length=200, unique=True,
                                 help_text="Partnership, period, policy, cohort type and "
                                           "district, as one key.")
    as_at = models.DateField(help_text="The day the figures are as at.")
    computed_at = models.DateTimeField(default=timezone.now)
    inputs = models.CharField(max_length=64, help_text="A digest of the records read "
                                                       "(reporting/freshness.py).")
    compute_seconds = models.FloatField(default=0)
    pack = models.JSONField(help_text="The suppressed pack: title, period, caveat, method, "
                                      "tables.")

    class Meta:
        indexes = (models.Index(fields=("as_at",), name="reporting_stored_as_at"),)

    def __str__(self) -> str:
        return f"Impact {self.scope_key} as at {self.as_at}"

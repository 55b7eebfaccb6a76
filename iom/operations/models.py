"""What the health check reads that no other app keeps: the last access-log verifications."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class AccessLogVerification(models.Model):
    """One run of ``manage.py record_access_log_verification``: whether the access log
    verified against its checkpoints, and what was found. Breaks are named by chain,
    sequence number and kind only (iom/audit/verify.py), never by what an entry says."""

    checked_at = models.DateTimeField(default=timezone.now)
    ok = models.BooleanField()
    entries = models.PositiveBigIntegerField()
    chains = models.PositiveIntegerField()
    checkpoints = models.PositiveIntegerField()
    checkpoint_file = models.CharField(max_length=500)
    breaks = models.PositiveIntegerField(default=0)
    first_break = models.TextField(blank=True)
    seconds = models.FloatField()

    class Meta:
        ordering = ["-checked_at"]
        get_latest_by = "checked_at"

    def __str__(self) -> str:
        return f"access log {'intact' if self.ok else 'broken'} at {self.checked_at}"

"""Actions, the domain "task": who owns it, when it is due, its updates and result."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class SourceKind(models.TextChoices):
    MEETING = "meeting", "Meeting"
    PLAN = "plan", "Intervention plan"
    ALERT = "alert", "Alert"
    REVIEW = "review", "Review"
    CUSTODY = "custody", "Custody and release"


class ActionPriority(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class Action(models.Model):
    """One action about a person, owned by a user or by an organisation.

    The source is stored as a kind and a reference (a meeting's id, say) so
    that other apps can raise actions without this app depending on them.
    """

    nominal = models.ForeignKey("people.Nominal", on_delete=models.PROTECT,
                                related_name="actions")
    title = models.CharField(max_length=200)
    owner_user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="owned_actions")
    owner_organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                           null=True, blank=True, related_name="owned_actions")
    due_on = models.DateField()
    priority = models.CharField(max_length=8, choices=ActionPriority.choices)
    source_kind = models.CharField(max_length=10, choices=SourceKind.choices)
    source_ref = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=10, choices=ActionStatus.choices,
                              default=ActionStatus.OPEN)
    result = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [models.CheckConstraint(
            condition=(Q(owner_user__isnull=False, owner_organisation__isnull=True)
                       | Q(owner_user__isnull=True, owner_organisation__isnull=False)),
            name="action_has_one_owner")]
        indexes = [models.Index(fields=["status", "due_on"], name="action_status_due")]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_label(self) -> str:
        if self.owner_user is not None:
            return self.owner_user.display_name
        return str(self.owner_organisation)

    @property
    def is_open(self) -> bool:
        return self.status == ActionStatus.OPEN


class ActionUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    note = models.TextField()
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"Update at {self.recorded_at:%Y-%m-%d %H:%M}"

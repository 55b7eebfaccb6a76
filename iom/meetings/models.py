"""Meetings of a partnership: schedules, attendance with the signed confidentiality
statement, the agenda with its open and closed sessions, minutes and decisions.

Each item about a person records which attending organisations may not hear it
(000 ISA s10); the set is worked out again whenever the attendance or the agenda
changes, and kept as it stood when the meeting closed.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class MeetingKind(models.TextChoices):
    TASKING = "tasking", "Daily tasking meeting"
    PANEL = "panel", "Panel meeting"
    PRACTITIONER = "practitioner", "Practitioner meeting"
    BOARD = "board", "Board meeting"


class MeetingState(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    OPEN = "open", "In progress"
    CLOSED = "closed", "Finished"
    CANCELLED = "cancelled", "Cancelled"


class Schedule(models.Model):
    """A recurring meeting: on chosen weekdays, every so many weeks, from a date."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT,
                                    related_name="meeting_schedules")
    kind = models.CharField(max_length=12, choices=MeetingKind.choices)
    title = models.CharField(max_length=120)
    weekdays = models.JSONField(default=list)  # 0 is Monday
    every_weeks = models.PositiveSmallIntegerField(default=1)
    starts_on = models.DateField()
    ends_on = models.DateField()
    start_time = models.TimeField()
    location = models.CharField(max_length=160, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT,
                                    related_name="meetings")
    schedule = models.ForeignKey(Schedule, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="meetings")
    kind = models.CharField(max_length=12, choices=MeetingKind.choices)
    title = models.CharField(max_length=120)
    held_on = models.DateField()
    start_time = models.TimeField()
    location = models.CharField(max_length=160, blank=True)
    state = models.CharField(max_length=10, choices=MeetingState.choices,
                             default=MeetingState.SCHEDULED)
    chair = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    statement = models.TextField(help_text="The confidentiality statement attendees sign.")
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["held_on", "start_time", "id"]
        indexes = [models.Index(fields=["partnership", "held_on"], name="meeting_day")]

    def __str__(self) -> str:
        return f"{self.title}, {self.held_on:%-d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.state == MeetingState.OPEN

    @property
    def is_finished(self) -> bool:
        return self.state in {MeetingState.CLOSED, MeetingState.CANCELLED}


class Attendance(models.Model):
    """One person at a meeting, for an organisation, and their signature."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="meeting_attendances")
    name = models.CharField(max_length=120)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                     related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_in_person = models.BooleanField(
        default=False, help_text="Signed on paper in the room; recorded by the chair.")
    signature_recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                              null=True, blank=True, related_name="+")
    added_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="attend_once",
                                    condition=models.Q(user__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    @property
    def has_signed(self) -> bool:
        return self.signed_at is not None


class ItemSource(models.TextChoices):
    """Why an item is on the agenda; the generated ones first, in this order."""

    REFERRAL = "referral", "New referral"
    CANDIDATE = "candidate", "Candidate for selection"
    EMERGING_THREAT = "emerging_threat", "Emerging threat"
    RED = "red", "RED"
    AMBER_ALERT = "amber_alert", "AMBER ALERT"
    RELEASE = "release", "Release in the next 3 months"
    WANTED = "wanted", "Wanted"
    DESELECTION = "deselection", "Deselection due"
    OVERDUE_ACTION = "overdue_action", "Overdue action"
    ADDED = "added", "Added by the coordinator"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    nominal = models.ForeignKey("people.Nominal", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+")
    title = models.CharField(max_length=200)
    reasons = models.JSONField(default=list)  # ItemSource values
    notes = models.TextField(blank=True)  # written by people
    # Why a generated agenda brought the person, as structured grounds rendered for each
    # reader's sight (iom/meetings/grounds.py), never as stored text (docs/adr/0007).
    grounds = models.JSONField(default=list, blank=True)
    closed_session = models.BooleanField(default=False)
    shut_out = models.ManyToManyField("accounts.Organisation", related_name="+", blank=True)
    minutes = models.TextField(blank=True)
    minuted_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    minuted_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "nominal"], name="one_item_per_person",
                                    condition=models.Q(nominal__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.title

    def reason_labels(self) -> list[str]:
        return [ItemSource(r).label for r in self.reasons if r in ItemSource.values]


class DecisionKind(models.TextChoices):
    ACCEPT = "accept", "Accept onto the cohort"
    DECLINE = "decline", "Decline"
    DEFER = "defer", "Defer"
    RAG = "rag", "Change the RAG status"
    DESELECTION = "deselection", "Consider deselection"


class ItemDecision(models.Model):
    """A decision made on an item, as recorded in the person's case."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=12, choices=DecisionKind.choices)
    summary = models.CharField(max_length=300)
    rationale = models.TextField()
    case_record = models.CharField(max_length=40)  # e.g. cohort_decision:12
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return self.summary

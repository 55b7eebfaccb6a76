"""Voluntary GPS tags (003 "Buddi Tags", 001 s11): the devices of each district,
the fittings of people who volunteered, police crime batches and matching runs.

Location fixes are not rows here: they live in day-partitioned Parquet files
(docs/adr/0010-location-fixes-in-parquet.md, ``iom.monitoring.fixstore``); only
each import's record and report is a row.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone


class DeviceState(models.TextChoices):
    IN_STOCK = "in_stock", "In stock"
    FITTED = "fitted", "Fitted"
    INACTIVE = "inactive", "Inactive"
    FAULTY = "faulty", "Faulty"
    DAMAGED = "damaged", "Damaged"
    LOST = "lost", "Lost"
    RETURNED = "returned", "Returned to supplier"


class Device(models.Model):
    """One GPS unit, held by one district at a time."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT,
                                    related_name="+")
    district = models.ForeignKey("accounts.District", on_delete=models.PROTECT,
                                 related_name="+")
    serial = models.CharField("Serial number", max_length=40)
    supplier = models.CharField(max_length=80)
    state = models.CharField(max_length=12, choices=DeviceState.choices,
                             default=DeviceState.IN_STOCK)
    added_on = models.DateField()

    class Meta:
        ordering = ["district__name", "serial"]
        constraints = [models.UniqueConstraint(fields=["partnership", "serial"],
                                               name="device_serial_unique")]

    def __str__(self) -> str:
        return self.serial


class DeviceEvent(models.Model):
    """The device's history: each change of state or of district, and by whom."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="events")
    on = models.DateField()
    from_state = models.CharField(max_length=12, choices=DeviceState.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=DeviceState.choices)
    from_district = models.ForeignKey("accounts.District", on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="+")
    to_district = models.ForeignKey("accounts.District", on_delete=models.PROTECT,
                                    related_name="+")
    note = models.CharField(max_length=400, blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.to_state} on {self.on}"


class FlexStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for approval"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class Flex(models.Model):
    """A request to move a unit to another district where demand is (003 Compliance)."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="flexes")
    from_district = models.ForeignKey("accounts.District", on_delete=models.PROTECT,
                                      related_name="+")
    to_district = models.ForeignKey("accounts.District", on_delete=models.PROTECT,
                                    related_name="+")
    reason = models.CharField(max_length=400)
    status = models.CharField(max_length=10, choices=FlexStatus.choices,
                              default=FlexStatus.REQUESTED)
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                     related_name="+")
    requested_on = models.DateField()
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    decided_on = models.DateField(null=True, blank=True)
    decision_note = models.CharField(max_length=400, blank=True)

    class Meta:
        ordering = ["-requested_on", "-id"]
        constraints = [models.UniqueConstraint(
            fields=["device"], condition=models.Q(status="requested"),
            name="one_open_flex_per_device")]

    def __str__(self) -> str:
        return f"Move of unit {self.device_id} ({self.status})"


class InventoryAudit(models.Model):
    """The monthly audit of a district's units (003 Compliance), its counts taken
    from the inventory as it stood at the end of the month, never typed in."""

    district = models.ForeignKey("accounts.District", on_delete=models.PROTECT,
                                 related_name="+")
    month = models.DateField(help_text="The first day of the month audited.")
    counts = models.JSONField(help_text="Units by state at the end of the month.")
    completed_on = models.DateField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month", "district__name"]
        constraints = [models.UniqueConstraint(fields=["district", "month"],
                                               name="one_inventory_audit_per_month")]

    def __str__(self) -> str:
        return f"Tag audit for {self.month:%B %Y}"


class Purpose(models.TextChoices):
    DETER = "deter", "Deter acquisitive crime"
    PROTECT_VICTIM = "protect_victim", "Protect a victim"
    COMPLIANCE = "compliance", "Support compliance"


class Fitting(models.Model):
    """One person's voluntary tag, from their consent to the tag's removal.

    Consent comes first (``consented_on``); a device is fitted afterwards. The fixes
    of ``device`` between ``fitted_at`` and ``removed_at`` are this person's trail.
    """

    nominal = models.ForeignKey("people.Nominal", on_delete=models.PROTECT,
                                related_name="tag_fittings")
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    consented_on = models.DateField()
    consent_recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                            related_name="+")
    guardian_name = models.CharField(max_length=120, blank=True)
    guardian_relationship = models.CharField(max_length=60, blank=True)
    planned_start = models.DateField()
    planned_end = models.DateField()
    device = models.ForeignKey(Device, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="fittings")
    fitted_at = models.DateTimeField(null=True, blank=True)
    guardian_present = models.BooleanField(default=False)
    fitted_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+")
    removed_at = models.DateTimeField(null=True, blank=True)
    removal_reason = models.CharField(max_length=400, blank=True)
    removed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")

    class Meta:
        ordering = ["-consented_on", "-id"]
        indexes = [models.Index(fields=["device", "fitted_at"], name="fitting_device_time")]

    def __str__(self) -> str:
        return f"Tag for {self.nominal_id} from {self.planned_start}"

    @property
    def is_fitted(self) -> bool:
        return self.fitted_at is not None and self.removed_at is None


class FixImport(models.Model):
    """One file of location fixes: all of it stored, or none of it, with its report."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT,
                                    related_name="+")
    file_name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    accepted = models.BooleanField(default=False)
    rows = models.PositiveIntegerField(default=0)
    stored = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    unattributed = models.PositiveIntegerField(
        default=0, help_text="Fixes of a device at a time it was fitted to nobody.")
    problems = models.JSONField(default=list, help_text="[{row, column, reason}], at most 200.")
    problem_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"Fix import {self.file_name}"


class CrimeBatch(models.Model):
    """A police upload of crimes to match against the trails."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT,
                                    related_name="+")
    file_name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    accepted = models.BooleanField(default=False)
    rows = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list)
    problem_count = models.PositiveIntegerField(default=0)
    entries: models.ManyToManyField[Crime, Any] = models.ManyToManyField(
        "Crime", related_name="batches",
                                     help_text="The version of each crime the batch carries.")

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"Crime batch {self.file_name}"


class Crime(models.Model):
    """One version of a crime: a later batch that changes a crime adds a version; one
    carrying it unchanged points at the version it already has."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT,
                                    related_name="+")
    batch = models.ForeignKey(CrimeBatch, on_delete=models.PROTECT, related_name="crimes")
    crime_ref = models.CharField(max_length=40)
    version = models.PositiveIntegerField()
    crime_type = models.CharField(max_length=80)
    from_time = models.DateTimeField()
    to_time = models.DateTimeField()
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        ordering = ["crime_ref", "-version"]
        constraints = [models.UniqueConstraint(fields=["partnership", "crime_ref", "version"],
                                               name="crime_ref_version_unique")]

    def __str__(self) -> str:
        return f"{self.crime_ref} v{self.version}"


class MatchRun(models.Model):
    """One matching of a batch's crimes against the trails, with what it was run with."""

    batch = models.ForeignKey(CrimeBatch, on_delete=models.PROTECT, related_name="runs")
    run_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    run_at = models.DateTimeField(default=timezone.now)
    radius_m = models.FloatField()
    pad_minutes = models.PositiveIntegerField()
    max_gap_minutes = models.PositiveIntegerField()
    algorithm_version = models.CharField(max_length=20)

    class Meta:
        ordering = ["-run_at", "-id"]

    def __str__(self) -> str:
        return f"Matching run {self.pk}"


class Outcome(models.TextChoices):
    PLACED = "placed", "Placed"
    ELIMINATED = "eliminated", "Eliminated"
    NOT_ELIMINATED = "not_eliminated", "Not eliminated"


class ResultAction(models.TextChoices):
    PASSED = "passed", "Passed to the investigation"
    DISCOUNTED = "discounted", "Discounted"


class MatchResult(models.Model):
    """What a run says about one crime and one wearer active in its window."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="results")
    crime = models.ForeignKey(Crime, on_delete=models.PROTECT, related_name="+")
    fitting = models.ForeignKey(Fitting, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    nearest_m = models.FloatField(null=True, blank=True)
    first_time = models.DateTimeField(null=True, blank=True)
    last_time = models.DateTimeField(null=True, blank=True)
    fixes = models.PositiveIntegerField(default=0)
    accuracies = models.JSONField(default=list, help_text="Accuracy (m) of each fix near.")
    action = models.CharField(max_length=12, choices=ResultAction.choices, blank=True)
    action_reason = models.CharField(max_length=400, blank=True)
    action_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+")
    action_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["crime__crime_ref", "outcome", "id"]

    def __str__(self) -> str:
        return f"{self.outcome} for crime {self.crime_id}"

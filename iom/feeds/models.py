"""Daily feed imports: the runs, the ledger of imported records and the alerts they raise.

The ledger (``FeedRecord``) is the provenance of every imported record: which
source and source record id it has, which file, row and run last wrote it, and
the record it became on the person's history. ``FeedRecordChange`` keeps the
values a record had before each later file changed it.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    CHECKING = "checking", "Checking every row"
    WRITING = "writing", "Storing records"
    ALERTING = "alerting", "Raising alerts"
    DONE = "done", "Imported"
    REJECTED = "rejected", "Rejected: nothing imported"
    FAILED = "failed", "Failed: nothing imported"


FINISHED = frozenset({RunStatus.DONE, RunStatus.REJECTED, RunStatus.FAILED})
UNDER_WAY = frozenset({RunStatus.CHECKING, RunStatus.WRITING, RunStatus.ALERTING})
# Where each stage starts on the progress bar, in percent. Checking is one vectorised
# pass that knows no row count until it ends, so it shows as its stage; storing
# records is most of a large import (docs/benchmarks.md), so it gets most of the bar,
# moved on by the rows written; the access log, alerts and commit take the rest.
STAGE_PERCENT = {RunStatus.QUEUED: 0, RunStatus.CHECKING: 5, RunStatus.WRITING: 15,
                 RunStatus.ALERTING: 95}
WRITTEN_PERCENT = 95


class FeedSource(models.Model):
    """One row per source: imports of the same source take turns on its lock."""

    code = models.CharField(max_length=20, unique=True)

    def __str__(self) -> str:
        return self.code


class ImportRun(models.Model):
    source = models.CharField(max_length=20, default="pnc")
    file_name = models.CharField(max_length=200)
    stored_path = models.CharField(max_length=400, blank=True)
    feed_date = models.DateField()
    full_snapshot = models.BooleanField(default=False)
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT,
                                    related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                     related_name="+")
    started_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=RunStatus.choices,
                              default=RunStatus.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    # Rows of the file stored so far while writing: saved per stage and at most every
    # 50,000 rows (progress.py), never per row.
    rows_done = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    people_created = models.PositiveIntegerField(default=0)
    alerts_raised = models.PositiveIntegerField(default=0)
    problem_count = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When the run last moved on (each stage, and each progress count saved): a run
    # under way without progress for IOM_FEED_STALLED_MINUTES lost its importer.
    progressed_at = models.DateTimeField(default=timezone.now)
    # When the uploaded file was deleted under IOM_FEED_KEEP_DAYS (retention.py).
    file_removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent_done(self) -> int:
        """How far along the run is: rows written out of the file's rows, else its stage."""
        if self.is_finished:
            return 100
        start = STAGE_PERCENT.get(RunStatus(self.status), 0)
        if self.status != RunStatus.WRITING or not self.rows_total:
            return start
        done = min(self.rows_done, self.rows_total)
        return start + (WRITTEN_PERCENT - start) * done // self.rows_total

    @property
    def counts(self) -> dict[str, int]:
        return {"new": self.new, "changed": self.changed, "unchanged": self.unchanged,
                "rejected": self.rejected, "withdrawn": self.withdrawn,
                "people_created": self.people_created, "alerts_raised": self.alerts_raised}


class RowProblem(models.Model):
    """Why a row was refused: its number in the file (1 is the first data row)."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="problems")
    row_number = models.PositiveIntegerField()
    column = models.CharField(max_length=40)
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["row_number", "id"]

    def __str__(self) -> str:
        return f"row {self.row_number}, {self.column}: {self.reason}"


class FeedRecord(models.Model):
    """One source record as last imported: provenance and the record it became."""

    source = models.CharField(max_length=20)
    source_record_id = models.CharField(max_length=64)
    record_type = models.CharField(max_length=20)
    target = models.CharField(max_length=20)
    target_id = models.BigIntegerField()
    # Only the loader writes these rows, with ids it has just read in the same
    # transaction; the database keeps no foreign-key triggers on them because at a
    # million rows a file those checks cost more than the rest of the import.
    nominal = models.ForeignKey("people.Nominal", on_delete=models.CASCADE, related_name="+",
                                db_constraint=False)
    digest = models.CharField(max_length=32)
    content = models.TextField()
    # No index on the run columns: no page, report or job looks records up by run
    # (a run's page reads its counts), runs are never deleted, and each index cost
    # every imported record an entry written (migration 0002).
    first_run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="+",
                                  db_constraint=False, db_index=False)
    last_run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="+",
                                 db_constraint=False, db_index=False)
    file_name = models.CharField(max_length=200)
    row_number = models.PositiveIntegerField()
    withdrawn_by = models.ForeignKey(ImportRun, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+", db_constraint=False,
                                     db_index=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "source_record_id"],
                                               name="feed_record_unique_source_id")]

    def __str__(self) -> str:
        return f"{self.source} {self.source_record_id}"


class FeedRecordChange(models.Model):
    """The values a record had before a later file changed it."""

    record = models.ForeignKey(FeedRecord, on_delete=models.CASCADE, related_name="changes")
    run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="+")
    row_number = models.PositiveIntegerField()
    previous_content = models.TextField()
    previous_run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"changed by run {self.run_id} (row {self.row_number})"


class AlertKind(models.TextChoices):
    WANTED = "wanted", "Newly wanted or missing: review for RED"
    CUSTODY = "custody", "Into custody: BLUE"
    RELEASE = "release", "Release date due within 3 months or changed"
    ARREST = "arrest", "New arrest or charge: scores recalculated"
    COURT = "court", "Bail or court date in the next 7 days"
    BREACH = "breach", "Breach or recall"


class Alert(models.Model):
    recipient = models.ForeignKey("accounts.User", on_delete=models.CASCADE,
                                  related_name="feed_alerts")
    nominal = models.ForeignKey("people.Nominal", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=AlertKind.choices)
    key = models.CharField(max_length=160)
    summary = models.CharField(max_length=300)
    run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="alerts")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"],
                                               name="feed_alert_once_per_recipient")]
        indexes = [models.Index(fields=["recipient", "acknowledged_at"],
                                name="feed_alert_inbox")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%-d %B %Y})"


class WorkerBeat(models.Model):
    """A running background worker (``manage.py db_worker``), beating while alive, so
    the run page can say when a queued file has no worker to take it (worker.py)."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    beat_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"worker {self.worker_id} on {self.host} (process {self.pid})"

"""Scores as stored: what was computed, as at which date, from which reference data."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class ScoreName(models.TextChoices):
    OGRS3 = "ogrs3", "OGRS 3"
    CRIME_SEVERITY = "crime_severity", "Crime Severity Score"
    IOM_MATRIX = "iom_matrix", "IOM Matrix"
    RISK = "risk_of_reoffending", "Risk of reoffending"
    EMERGING = "emerging_threat", "Emerging threat"


class ScoreRun(models.Model):
    """One scoring of many people at once (the nightly job, a backfill, a recompute)."""

    as_at = models.DateField()
    kind = models.CharField(max_length=20)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    people = models.PositiveIntegerField(default=0)
    reference_version = models.CharField(max_length=40)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.kind} run as at {self.as_at}"


class StoredScore(models.Model):
    nominal = models.ForeignKey("people.Nominal", on_delete=models.CASCADE,
                                related_name="scores")
    name = models.CharField(max_length=24, choices=ScoreName.choices)
    as_at = models.DateField()
    value = models.FloatField(null=True)
    band = models.CharField(max_length=40, blank=True)
    detail = models.JSONField(default=dict)
    working = models.JSONField(default=list)
    error_code = models.CharField(max_length=60, blank=True)
    reference_version = models.CharField(max_length=40)
    computed_at = models.DateTimeField(default=timezone.now)
    run = models.ForeignKey(ScoreRun, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["-as_at", "-computed_at"]
        # A run's scores for many people at once are read in person order (cohort candidates).
        indexes = [models.Index(fields=["nominal", "name", "as_at"], name="score_nominal_name_at"),
                   models.Index(fields=["run", "nominal"], name="score_run_nominal")]

    def __str__(self) -> str:
        return f"{self.get_name_display()} {self.value} as at {self.as_at}"


# For each score name (ScoreName): the summary's value field and band field.
SUMMARY_FIELDS: dict[str, tuple[str, str]] = {
    "ogrs3": ("ogrs3_percent_2y", "ogrs3_band"),
    "crime_severity": ("crime_severity", "crime_severity_band"),
    "iom_matrix": ("iom_matrix", "iom_matrix_band"),
    "risk_of_reoffending": ("risk_of_reoffending", "risk_of_reoffending_band"),
    "emerging_threat": ("emerging_threat", "emerging_threat_band"),
}


class StoredScoreSummary(models.Model):
    """One row per person and run: the five values and bands side by side.

    The stored scores stay the record; this is a copy laid out for reading a
    whole force at once (cohort candidates), written with the run. OGRS 3 is
    kept as its whole 2-year percent, as the scheme rules judge it. A band is
    empty when no band was given, and null only when the run stored no such
    score for the person.
    """

    run = models.ForeignKey(ScoreRun, on_delete=models.CASCADE, related_name="summaries")
    nominal = models.ForeignKey("people.Nominal", on_delete=models.CASCADE,
                                related_name="score_summaries")
    as_at = models.DateField()
    ogrs3_percent_2y = models.FloatField(null=True)
    ogrs3_band = models.CharField(max_length=40, null=True)  # noqa: DJ001
    crime_severity = models.FloatField(null=True)
    crime_severity_band = models.CharField(max_length=40, null=True)  # noqa: DJ001
    iom_matrix = models.FloatField(null=True)
    iom_matrix_band = models.CharField(max_length=40, null=True)  # noqa: DJ001
    risk_of_reoffending = models.FloatField(null=True)
    risk_of_reoffending_band = models.CharField(max_length=40, null=True)  # noqa: DJ001
    emerging_threat = models.FloatField(null=True)
    emerging_threat_band = models.CharField(max_length=40, null=True)  # noqa: DJ001

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "nominal"],
                                               name="one_score_summary_per_run_person")]

    def __str__(self) -> str:
        return f"Scores of person {self.nominal_id} in run {self.run_id}"


class EmergingThreat(models.Model):
    """A significant rise in a person's risk score (003), raised by a scoring run."""

    nominal = models.ForeignKey("people.Nominal", on_delete=models.CASCADE,
                                related_name="emerging_threats")
    raised_on = models.DateField()
    score_before = models.IntegerField()
    score_now = models.IntegerField()
    grade_before = models.CharField(max_length=20, blank=True)
    grade_now = models.CharField(max_length=20, blank=True)
    causes = models.JSONField(default=list)
    run = models.ForeignKey(ScoreRun, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["-raised_on"]
        constraints = [models.UniqueConstraint(fields=["nominal", "raised_on"],
                                               name="one_threat_per_person_per_day")]

    def __str__(self) -> str:
        return f"Rise {self.score_before} to {self.score_now} on {self.raised_on}"


class SuppliedOgrs3(models.Model):
    """An OGRS 3 score worked out by probation (001: "OGRS will be calculated by
    probation services"), as they gave it: the 2-year percent, the day of the
    assessment and where it came from. Which of it and the computed score a decision
    uses is the rule in reference/scoring.toml, ``[supplied_ogrs3] use``."""

    nominal = models.ForeignKey("people.Nominal", on_delete=models.CASCADE,
                                related_name="supplied_ogrs3")
    percent_2y = models.PositiveSmallIntegerField("OGRS 3 2-year score (%)")
    percent_1y = models.PositiveSmallIntegerField("OGRS 3 1-year score (%)", null=True,
                                                  blank=True)
    assessed_on = models.DateField("Date of the assessment")
    source = models.CharField("Where the score came from", max_length=120)
    originating_organisation = models.ForeignKey("accounts.Organisation",
                                                 on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-assessed_on", "-recorded_at", "-id"]
        indexes = [models.Index(fields=["nominal", "assessed_on"], name="supplied_nominal_on")]

    def __str__(self) -> str:
        return f"Supplied OGRS 3 {self.percent_2y}% on {self.assessed_on}"

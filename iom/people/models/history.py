"""Offending history, court and bail dates, wanted/missing, custody, orders,
public protection and intelligence: everything on a person's timeline."""

from __future__ import annotations

from django.db import models

from .base import Provenance
from .nominal import Nominal


class EventKind(models.TextChoices):
    ARREST = "arrest", "Arrest"
    CHARGE = "charge", "Charge"
    CONVICTION = "conviction", "Conviction"
    CAUTION = "caution", "Caution"
    BREACH = "breach", "Breach"
    RECALL = "recall", "Recall to custody"


class Disposal(models.TextChoices):
    CUSTODY = "custody", "Immediate custody"
    SUSPENDED = "suspended", "Suspended sentence"
    COMMUNITY = "community", "Community order"
    FINE = "fine", "Fine"
    DISCHARGE = "discharge", "Discharge"
    CAUTION = "caution", "Caution"


class CategorySource(models.TextChoices):
    """Where a conviction's exact OGRS 3 offence category came from."""

    FEED = "feed", "Police National Computer feed"
    USER = "user", "Chosen by a user"


class OffendingEvent(Provenance):
    """An arrest, charge, conviction, caution, breach or recall."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    event_date = models.DateField()
    offence_date = models.DateField(null=True, blank=True)
    ho_code = models.CharField("Home Office offence code", max_length=16, blank=True)
    description = models.CharField(max_length=200, blank=True)
    disposal = models.CharField(max_length=12, choices=Disposal.choices, blank=True)
    sentence = models.CharField(max_length=200, blank=True)
    domestic_abuse = models.BooleanField(default=False)
    court = models.CharField(max_length=120, blank=True)
    # The exact OGRS 3 offence category, for a Home Office code the OGRS 3 offence
    # map marks as needing details (92A covers both supply and production), with
    # who gave it and when (docs/scores.md, "The exact offence category").
    # Defaults in the database too: the feed's bulk insert names only the columns it fills.
    ogrs3_category = models.CharField("OGRS 3 offence category", max_length=40, blank=True,
                                      default="", db_default="")
    ogrs3_category_source = models.CharField(max_length=8, choices=CategorySource.choices,
                                             blank=True, default="", db_default="")
    ogrs3_category_set_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    ogrs3_category_set_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-event_date", "-id"]
        indexes = [models.Index(fields=["nominal", "event_date"], name="event_nominal_date")]


class CaseDateKind(models.TextChoices):
    PENDING_CASE = "pending_case", "Pending case"
    COURT_HEARING = "court_hearing", "Court date"
    BAIL_TO_RETURN = "bail_to_return", "Bail to return"


class CaseDate(Provenance):
    """A pending case, a court date or a bail-to-return date."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="case_dates")
    kind = models.CharField(max_length=16, choices=CaseDateKind.choices)
    date = models.DateField()
    ho_code = models.CharField("Home Office offence code", max_length=16, blank=True)
    description = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["-date", "-id"]


class WantedKind(models.TextChoices):
    WANTED = "wanted", "Wanted"
    MISSING = "missing", "Missing"


class WantedMissing(Provenance):
    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="wanted_missing")
    kind = models.CharField(max_length=8, choices=WantedKind.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-start_date"]
        verbose_name_plural = "wanted or missing periods"


class CustodyType(models.TextChoices):
    REMAND = "remand", "Remand"
    SENTENCE = "sentence", "Sentence"


class CustodyPeriod(Provenance):
    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="custody_periods")
    custody_type = models.CharField(max_length=8, choices=CustodyType.choices)
    start_date = models.DateField()
    expected_release_date = models.DateField(null=True, blank=True)
    actual_release_date = models.DateField(null=True, blank=True)
    establishment = models.CharField(max_length=120, blank=True)
    # The length the court gave, for a sentence (000 "adult prisoners serving under 12
    # months"); days, so that weeks and months are both exact.
    sentence_length_days = models.PositiveIntegerField(
        "Sentence length in days", null=True, blank=True,
        help_text="For a sentence only. For example, 126 for 18 weeks or 182 for 6 months")

    class Meta:
        ordering = ["-start_date"]


class OrderKind(models.TextChoices):
    COMMUNITY_ORDER = "community_order", "Community order"
    SUSPENDED_SENTENCE = "suspended_sentence", "Suspended sentence order"
    LICENCE = "licence", "Licence"
    POST_SENTENCE_SUPERVISION = "pss", "Post-sentence supervision"
    YOUTH_REHABILITATION = "yro", "Youth rehabilitation order"
    REFERRAL_ORDER = "referral_order", "Referral order"


class OrderLicence(Provenance):
    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="orders")
    kind = models.CharField(max_length=20, choices=OrderKind.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    requirements = models.CharField(max_length=300, blank=True)
    # A licence condition of the electronic monitoring acquisitive crime project: a GPS
    # tag on release for acquisitive offending (001 s4.1, s11).
    acquisitive_crime_tag = models.BooleanField(
        "Electronic monitoring (acquisitive crime) condition", default=False,
        help_text="A licence condition: a GPS tag on release for acquisitive offending")

    class Meta:
        ordering = ["-start_date"]


class ProtectionKind(models.TextChoices):
    MAPPA = "mappa", "MAPPA"
    SEX_OFFENDER_REGISTER = "sex_offender_register", "Sex-offender registration"


class PublicProtection(Provenance):
    """MAPPA management and sex-offender registration (detail: police and probation only)."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="protection")
    kind = models.CharField(max_length=24, choices=ProtectionKind.choices)
    mappa_level = models.PositiveSmallIntegerField(null=True, blank=True)
    mappa_category = models.PositiveSmallIntegerField(null=True, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-start_date"]


class GradingSystem(models.TextChoices):
    FIVE_BY_FIVE = "5x5x5", "5x5x5"
    THREE_FIVE_TWO = "3x5x2", "3x5x2"


class IntelCrimeType(models.TextChoices):
    ACQUISITIVE = "acquisitive", "Acquisitive crime"
    VIOLENCE = "violence", "Violence"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    DRUGS = "drugs", "Drugs"
    OTHER = "other", "Other"


class Intelligence(Provenance):
    """A police intelligence entry with its grading (police-only by default)."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="intelligence")
    recorded_date = models.DateField()
    grading_system = models.CharField(max_length=5, choices=GradingSystem.choices)
    source_grade = models.CharField(max_length=1)
    intel_grade = models.CharField(max_length=1)
    handling_code = models.CharField(max_length=1)
    crime_type = models.CharField(max_length=16, choices=IntelCrimeType.choices)
    summary = models.TextField()

    class Meta:
        ordering = ["-recorded_date", "-id"]
        verbose_name_plural = "intelligence entries"

    @property
    def grading(self) -> str:
        return f"{self.source_grade}{self.intel_grade}{self.handling_code}"

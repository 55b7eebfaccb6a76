"""The nominal (the person managed), their identities, addresses and flags."""

from __future__ import annotations

from datetime import date

from django.db import models

from .base import Provenance


class Gender(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    OTHER = "X", "Other or not known"


class Ethnicity(models.TextChoices):
    """Self-defined ethnicity, Office for National Statistics 2021 categories."""

    A1 = "A1", "Asian or Asian British: Indian"
    A2 = "A2", "Asian or Asian British: Pakistani"
    A3 = "A3", "Asian or Asian British: Bangladeshi"
    A4 = "A4", "Asian or Asian British: Chinese"
    A5 = "A5", "Asian or Asian British: any other Asian background"
    B1 = "B1", "Black or Black British: Caribbean"
    B2 = "B2", "Black or Black British: African"
    B3 = "B3", "Black or Black British: any other Black background"
    M1 = "M1", "Mixed: White and Black Caribbean"
    M2 = "M2", "Mixed: White and Black African"
    M3 = "M3", "Mixed: White and Asian"
    M4 = "M4", "Mixed: any other mixed background"
    W1 = "W1", "White: English, Welsh, Scottish, Northern Irish or British"
    W2 = "W2", "White: Irish"
    W3 = "W3", "White: Gypsy or Irish Traveller"
    W4 = "W4", "White: Roma"
    W5 = "W5", "White: any other White background"
    O1 = "O1", "Other ethnic group: Arab"
    O2 = "O2", "Other ethnic group: any other"
    NS = "NS", "Not stated"


class Substance(models.TextChoices):
    HEROIN = "heroin", "Heroin"
    CRACK = "crack", "Crack cocaine"
    COCAINE = "cocaine", "Powder cocaine"
    ALCOHOL = "alcohol", "Alcohol"
    CANNABIS = "cannabis", "Cannabis"
    AMPHETAMINE = "amphetamine", "Amphetamine"


class Nominal(Provenance):
    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="nominals"
    )
    district = models.ForeignKey(
        "accounts.District", on_delete=models.PROTECT, related_name="nominals", null=True,
        blank=True,
    )
    forename = models.CharField(max_length=80)
    middle_names = models.CharField(max_length=120, blank=True)
    surname = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(max_length=2, choices=Ethnicity.choices, default=Ethnicity.NS)
    pnc_id = models.CharField("PNC ID", max_length=13, unique=True, null=True, blank=True)
    crn = models.CharField("CRN", max_length=7, unique=True, null=True, blank=True)
    primary_substance = models.CharField(
        max_length=12, choices=Substance.choices, blank=True
    )

    class Meta:
        ordering = ["surname", "forename"]
        indexes = [
            models.Index(fields=["partnership", "surname"], name="nominal_partnership_surname"),
            models.Index(fields=["date_of_birth"], name="nominal_dob"),
        ]

    def __str__(self) -> str:
        return f"{self.forename} {self.surname}"

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.forename, self.middle_names, self.surname) if p)

    def age_on(self, day: date) -> int:
        had_birthday = (day.month, day.day) >= (self.date_of_birth.month, self.date_of_birth.day)
        return day.year - self.date_of_birth.year - (0 if had_birthday else 1)


class Alias(Provenance):
    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="aliases")
    forename = models.CharField(max_length=80)
    surname = models.CharField(max_length=80)
    date_of_birth = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["surname", "forename"]
        verbose_name_plural = "aliases"

    def __str__(self) -> str:
        return f"{self.forename} {self.surname}"


class NameKey(models.Model):
    """Search keys (normalised and phonetic) for a name or alias of a nominal."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=40, db_index=True)

    def __str__(self) -> str:
        return self.key


class Address(Provenance):
    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="addresses")
    line1 = models.CharField("Address line 1", max_length=120)
    line2 = models.CharField("Address line 2", max_length=120, blank=True)
    town = models.CharField(max_length=80)
    postcode = models.CharField(max_length=10)
    from_date = models.DateField()
    to_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-from_date"]


class FlagKind(models.TextChoices):
    VIOLENCE = "violence", "Violence"
    WEAPONS = "weapons", "Weapons"
    DRUGS = "drugs", "Drugs"
    SELF_HARM = "self_harm", "Self-harm"
    MENTAL_HEALTH = "mental_health", "Mental health"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    ESCAPE_RISK = "escape_risk", "Escape risk"
    CONTAGIOUS = "contagious", "Contagious"
    IOM = "iom", "IOM nominal"


class Flag(Provenance):
    """A flag or warning marker. Flags are expired, never deleted."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(max_length=20, choices=FlagKind.choices)
    description = models.CharField(max_length=200, blank=True)
    start_date = models.DateField()
    expired_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.start_date}"


class Allocation(models.Model):
    """A user working with a nominal: the user's caseload ("my people")."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="allocations")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="allocations")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return f"{self.user} from {self.start_date}"

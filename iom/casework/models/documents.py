"""Documents generated about a person, kept with them as PDFs."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class DocumentKind(models.TextChoices):
    REFERRAL_FORM = "referral_form", "IOM referral form"
    MATRIX_SHEET = "matrix_sheet", "IOM Matrix sheet"
    OFFENDER_LETTER = "offender_letter", "Letter introducing IOM, with consent"
    CONFIDENTIALITY = "confidentiality", "Confidentiality statement"
    INTERVENTION_STATEMENT = "intervention_statement", "Intervention statement for court"
    EXIT_LETTER = "exit_letter", "Exit letter"


class GeneratedDocument(models.Model):
    nominal = models.ForeignKey("people.Nominal", on_delete=models.PROTECT,
                                related_name="documents")
    kind = models.CharField(max_length=24, choices=DocumentKind.choices)
    filename = models.CharField(max_length=120)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    generated_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                     related_name="+")
    generated_at = models.DateTimeField(default=timezone.now)
    # What restricted kinds of record it was worked out from, so that only a reader who
    # may see them opens it (docs/adr/0009): the producer's sight, where the kind of
    # document reads that kind.
    reads_intelligence = models.BooleanField(default=False)
    reads_public_protection = models.BooleanField(default=False)

    class Meta:
        ordering = ["-generated_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.generated_at:%Y-%m-%d}"

"""Consent and involvement: what lets a non-statutory partner see a person (000 ISA)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class ConsentStatus(models.TextChoices):
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ConsentBasis(models.TextChoices):
    CONSENT = "consent", "The person's consent"
    CONTRACT = "contract", "A contract to deliver a service"


class GivenBy(models.TextChoices):
    PERSON = "person", "The person"
    PARENT_OR_GUARDIAN = "parent_or_guardian", "A parent or guardian (youth)"


class Consent(models.Model):
    """A consent (or contract) record for sharing a person's data with one organisation.

    The latest record for a person and organisation is the current one; older
    records stay as history.
    """

    nominal = models.ForeignKey("people.Nominal", on_delete=models.CASCADE, related_name="consents")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="consents"
    )
    basis = models.CharField(max_length=10, choices=ConsentBasis.choices,
                             default=ConsentBasis.CONSENT)
    status = models.CharField(max_length=10, choices=ConsentStatus.choices)
    given_by = models.CharField(max_length=20, choices=GivenBy.choices, default=GivenBy.PERSON)
    guardian_name = models.CharField(max_length=120, blank=True)
    decided_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} for {self.organisation} on {self.decided_on}"


class Involvement(models.Model):
    """An organisation working with a person, from a date until an end date."""

    nominal = models.ForeignKey(
        "people.Nominal", on_delete=models.CASCADE, related_name="involvements"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="involvements"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    purpose = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return f"{self.organisation} from {self.start_date}"


# Consent paperwork (000 ISA s4: the signed form kept with the decision) ------------


class PaperworkType(models.TextChoices):
    PDF = "application/pdf", "PDF"
    PNG = "image/png", "PNG image"
    JPEG = "image/jpeg", "JPEG image"


class ConsentPaperwork(models.Model):
    """The signed consent form for one decision, kept in the database beside it.

    Its type is found from its first bytes (never from the name or the browser's
    word for it) and its size is checked against IOM_CONSENT_PAPERWORK_MAX_BYTES.
    """

    consent = models.OneToOneField(Consent, on_delete=models.CASCADE, related_name="paperwork")
    file_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40, choices=PaperworkType.choices)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True,
                                    related_name="+")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_content_type_display()})"


# The legal basis for sharing, per organisation (000 ISA s4) -------------------------


class LegalBasis(models.TextChoices):
    STATUTORY = "statutory", "A statutory power or duty to share"
    CONSENT = "consent", "The person's consent"
    CONTRACT = "contract", "A contract to deliver a service to the partnership"


class SharingBasis(models.Model):
    """Why an organisation may receive personal data under the agreement (ISA s4)."""

    organisation = models.OneToOneField("accounts.Organisation", on_delete=models.CASCADE,
                                        related_name="sharing_basis")
    basis = models.CharField(max_length=12, choices=LegalBasis.choices)
    legislation = models.CharField(max_length=300, blank=True,
                                   help_text="The Act and section relied on, e.g. Crime "
                                             "and Disorder Act 1998 s115.")
    purposes = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True,
                                    related_name="+")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_basis_display()}"


# Notices to users: consent about to expire, a record corrected (000 s7) -------------


class NoticeKind(models.TextChoices):
    CONSENT_EXPIRY = "consent_expiry", "Consent expires soon"
    CORRECTION = "correction", "A record you received was corrected"
    WITHDRAWAL = "withdrawal", "A record you received was withdrawn"
    # The case lifecycle (cohorts), worded per reader from ``facts``.
    SELECTED = "cohort_selected", "Selected for the IOM cohort"
    RAG_RED = "cohort_rag_red", "RAG status changed to RED"
    DESELECTION = "cohort_deselection", "Told of deselection"
    EXIT = "cohort_exit", "Left the IOM cohort"
    YOUTH_TRANSITION = "youth_transition", "Plan the move to adult services"


class Notice(models.Model):
    """An information-governance notice in a user's inbox, once per recipient and key.

    The summary names no restricted content: a correction notice says which kind
    of record changed, for whom and why; the reader opens the person to see it
    (through the policy, as ever).
    """

    recipient = models.ForeignKey("accounts.User", on_delete=models.CASCADE,
                                  related_name="governance_notices")
    recipient_organisation = models.CharField(max_length=160, blank=True)
    nominal = models.ForeignKey("people.Nominal", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    key = models.CharField(max_length=160)
    summary = models.CharField(max_length=500)
    # Structured codes of what happened, for notices worded per reader when shown
    # (``notices.words_for``): restricted content is never stored as text.
    facts = models.JSONField(default=dict, blank=True)
    correction = models.ForeignKey("RecordCorrection", on_delete=models.CASCADE, null=True,
                                   blank=True, related_name="notices")
    created_at = models.DateTimeField(default=timezone.now)
    respond_by = models.DateField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"],
                                               name="governance_notice_once")]
        indexes = [models.Index(fields=["recipient", "acknowledged_at"],
                                name="governance_notice_inbox")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%-d %B %Y})"


# Corrections and withdrawals by the originating organisation (000 s7) --------------


class CorrectionAction(models.TextChoices):
    CORRECT = "correct", "Corrected"
    WITHDRAW = "withdraw", "Withdrawn"


class RecordCorrection(models.Model):
    """One correction or withdrawal of a record, with the values before and after.

    The record's history: nothing is overwritten silently. A withdrawn record is
    removed from the person's history; its last values stay here.
    """

    nominal = models.ForeignKey("people.Nominal", on_delete=models.CASCADE,
                                related_name="corrections")
    kind = models.CharField(max_length=20)
    record_id = models.BigIntegerField()
    action = models.CharField(max_length=10, choices=CorrectionAction.choices)
    previous = models.JSONField(default=dict)
    new = models.JSONField(default=dict)
    reason = models.CharField(max_length=500)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                     related_name="+")
    source_system = models.CharField(max_length=20, blank=True)
    source_record_id = models.CharField(max_length=64, blank=True)
    corrected_at = models.DateTimeField(default=timezone.now)
    corrected_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True,
                                     related_name="+")
    # For a record a feed supplied: when, and in which import run's report (an id of
    # feeds.ImportRun, kept plain: governance depends on no app to its right).
    reported_to_feed_at = models.DateTimeField(null=True, blank=True)
    reported_in_run = models.BigIntegerField(null=True, blank=True)
    # The import run whose file changed the record to the corrected values: the source
    # system agrees, so there is nothing to tell it.
    settled_in_run = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-corrected_at", "-id"]
        indexes = [models.Index(fields=["kind", "record_id"], name="correction_record")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.kind} {self.record_id}"


class Citation(models.Model):
    """A document, minute or agenda item that cited a record later corrected."""

    correction = models.ForeignKey(RecordCorrection, on_delete=models.CASCADE,
                                   related_name="citations")
    cited_in = models.CharField(max_length=40)
    cited_id = models.BigIntegerField()
    label = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["correction", "cited_in", "cited_id"],
                                               name="citation_once")]

    def __str__(self) -> str:
        return self.label


# Subject access (DPA 2018 Part 3 s45) -----------------------------------------------


class RequestState(models.TextChoices):
    OPEN = "open", "Open"
    DISCLOSED = "disclosed", "Disclosed"


class SubjectAccessRequest(models.Model):
    nominal = models.ForeignKey("people.Nominal", on_delete=models.CASCADE,
                                related_name="subject_access_requests")
    received_on = models.DateField()
    due_on = models.DateField()
    requester_note = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=10, choices=RequestState.choices,
                             default=RequestState.OPEN)
    opened_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True,
                                  related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    disclosed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"Subject access received {self.received_on}, due {self.due_on}"


class Withholding(models.Model):
    """An item kept out of a subject access export (s45(4)), with the reason."""

    request = models.ForeignKey(SubjectAccessRequest, on_delete=models.CASCADE,
                                related_name="withholdings")
    kind = models.CharField(max_length=30)
    record_id = models.CharField(max_length=40)
    reason = models.CharField(max_length=500)
    may_say_withheld = models.BooleanField(
        default=True, help_text="Whether the export may say that information was withheld "
                                "(s45(5): not where saying so would itself prejudice).")
    decided_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "kind", "record_id"],
                                               name="withholding_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id} withheld"


# Retention and disposal (000 s8; MoPI) -----------------------------------------------


class RetentionOutcome(models.TextChoices):
    RETAIN = "retain", "Retain, with a reason"
    DISPOSE = "dispose", "Dispose"
    LEGAL_HOLD = "legal_hold", "Legal hold"


class RetentionDecision(models.Model):
    """A review's decision; the newest one for a person counts."""

    nominal = models.ForeignKey("people.Nominal", on_delete=models.CASCADE,
                                related_name="retention_decisions")
    outcome = models.CharField(max_length=12, choices=RetentionOutcome.choices)
    reason = models.CharField(max_length=500)
    review_again_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} on {self.decided_at:%Y-%m-%d}"


class Tombstone(models.Model):
    """What is left of a disposed person: no name, no identifier, no content.

    Kept so that the access log's entries about the person id still say what
    became of them, and so that the disposal can be counted and audited.
    """

    nominal_id = models.BigIntegerField(unique=True)
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT,
                                    related_name="+")
    retention_group = models.PositiveSmallIntegerField()
    last_came_to_notice = models.DateField()
    rule = models.CharField(max_length=200)
    erased = models.JSONField(default=dict, help_text="How many records of each kind.")
    disposed_at = models.DateTimeField(default=timezone.now)
    disposed_by = models.CharField(max_length=200)

    class Meta:
        ordering = ["-disposed_at"]

    def __str__(self) -> str:
        return f"person {self.nominal_id} disposed {self.disposed_at:%Y-%m-%d}"


# Breaches and incidents (000 ISA s11) ------------------------------------------------


class BreachState(models.TextChoices):
    OPEN = "open", "Open"
    CONTAINED = "contained", "Contained"
    CLOSED = "closed", "Closed"


class Breach(models.Model):
    """A personal data breach or incident, with the 72-hour clock from discovery
    (UK GDPR Art. 33, DPA 2018 s67: report to the ICO within 72 hours of becoming
    aware, where reportable)."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT,
                                    related_name="+")
    summary = models.CharField(max_length=200)
    what_happened = models.TextField()
    discovered_at = models.DateTimeField()
    containment = models.TextField(blank=True)
    reportable = models.BooleanField(null=True, help_text="Unknown until assessed.")
    reportable_reason = models.CharField(max_length=500, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=BreachState.choices,
                             default=BreachState.OPEN)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    people = models.ManyToManyField("people.Nominal", related_name="+", blank=True)
    # Access log entries picked as the accesses the breach is about.
    entries = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-discovered_at", "-id"]

    def __str__(self) -> str:
        return self.summary

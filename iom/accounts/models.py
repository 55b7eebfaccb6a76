"""Partnerships, organisations, districts, users and their roles."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class Partnership(models.Model):
    """An IOM partnership: the agencies of one area that manage a cohort together."""

    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A police district (local policing area) of a partnership."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="districts")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="district_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    POLICE = "police", "Police"
    PROBATION = "probation", "Probation service"
    PRISON = "prison", "Prison"
    COUNCIL = "council", "Local authority"
    YOUTH_JUSTICE = "youth_justice", "Youth justice service"
    HEALTH = "health", "Health"
    DRUG_ALCOHOL = "drug_alcohol", "Drug and alcohol service"
    HOUSING = "housing", "Housing provider"
    VOLUNTARY = "voluntary", "Voluntary sector"


# Organisations whose own statutory duties give them a lawful basis to share
# and receive offender information without the person's consent (000 ISA s4).
STATUTORY_KINDS = frozenset(
    {
        OrganisationKind.POLICE,
        OrganisationKind.PROBATION,
        OrganisationKind.PRISON,
        OrganisationKind.COUNCIL,
        OrganisationKind.YOUTH_JUSTICE,
    }
)


class Organisation(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="organisations"
    )
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    is_statutory = models.BooleanField(
        help_text="Has a statutory power to share offender information without consent."
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="organisation_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OFFENDER_MANAGER = "offender_manager", "Police offender manager"
    SUPERVISOR = "supervisor", "Supervisor"
    COORDINATOR = "coordinator", "IOM coordinator"
    PROBATION_OFFICER = "probation_officer", "Probation officer"
    PRISON_OFFICER = "prison_officer", "Prison offender manager"
    YOUTH_JUSTICE_OFFICER = "youth_justice_officer", "Youth justice officer"
    HOUSING_OFFICER = "housing_officer", "Council housing officer"
    PRACTITIONER = "practitioner", "Partner practitioner"
    ANALYST = "analyst", "Analyst"
    DATA_PROTECTION_OFFICER = "dpo", "Data-protection officer"
    ADMIN = "admin", "Administrator"
    BOARD_MEMBER = "board_member", "Board member"


# Roles that work with named people's records.
CASEWORK_ROLES = frozenset(
    {
        Role.OFFENDER_MANAGER,
        Role.SUPERVISOR,
        Role.COORDINATOR,
        Role.PROBATION_OFFICER,
        Role.PRISON_OFFICER,
        Role.YOUTH_JUSTICE_OFFICER,
        Role.HOUSING_OFFICER,
        Role.PRACTITIONER,
    }
)


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.PRACTITIONER)
    is_service_account = models.BooleanField(
        default=False,
        help_text="An account for another system, not a person: the only kind of account an "
                  "administrator may issue API tokens to.",
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        permissions = [
            ("view_intelligence", "Can view police intelligence (named permission)"),
        ]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def partnership_id(self) -> int | None:
        return self.organisation.partnership_id if self.organisation else None


class ApiToken(models.Model):
    """A bearer token for an API client, acting as its user.

    Only a hash of the token is stored; the token itself is shown once. A token
    acts only as a service account or as the person who issued it to themselves
    (``acts_lawfully``), so nobody can act through a token as somebody else.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    # Null for tokens issued before issuers were recorded; such a token works
    # only for a service account.
    issued_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="issued_api_tokens")
    name = models.CharField(max_length=80)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}...)"

    @property
    def acts_lawfully(self) -> bool:
        """A token may act as a service account, or as the one who issued it."""
        return self.user.is_service_account or (
            self.issued_by_id is not None and self.issued_by_id == self.user_id)

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "iom_" + secrets.token_urlsafe(32)


class TwoFactorEnrolment(models.Model):
    """A one-time code an administrator gives a user to set up their authenticator app.

    With two-factor sign-in required, a password alone never enrols an authenticator:
    whoever learnt a password before its owner set up their app could otherwise enrol
    their own. The code goes to the user separately from the password, is kept only as
    a hash, lasts IOM_2FA_ENROLMENT_HOURS and works once.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE,
                             related_name="two_factor_enrolments")
    code_hash = models.CharField(max_length=64)
    issued_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"two-factor enrolment for {self.user} until {self.expires_at:%Y-%m-%d %H:%M}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()

    @staticmethod
    def hash_code(code: str) -> str:
        """Codes are typed by hand: case, spaces and dashes do not matter."""
        cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
        return hashlib.sha256(cleaned.encode()).hexdigest()

    @staticmethod
    def new_code() -> str:
        """Twelve characters from an alphabet without look-alikes (60 bits), in fours."""
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        raw = "".join(secrets.choice(alphabet) for _ in range(12))
        return "-".join(raw[i:i + 4] for i in range(0, 12, 4))

"""Writes to organisations, districts, users and API tokens.

Only an administrator calls these, and only for records of their own
partnership: a record of another partnership raises ``NotFound``, exactly as
a missing one does. Each service checks its input whole before storing
anything, and writes its access-log entry (with old and new values) in the
same transaction as the change.
"""

from __future__ import annotations

import hmac
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_otp import devices_for_user

from iom.audit.models import Action
from iom.audit.services import RecordRef, record_access
from iom.core.errors import DomainError, Forbidden, NotFound
from iom.core.lookup import one_visible

from .models import (
    ApiToken,
    District,
    Organisation,
    OrganisationKind,
    Role,
    TwoFactorEnrolment,
    User,
)

INTELLIGENCE_PERMISSION = ("accounts", "view_intelligence")

# --- Scoping: what an administrator may manage ------------------------------


def managed_partnership_id(admin: User) -> int:
    """The partnership whose records this administrator manages."""
    if not (admin.is_active and admin.role == Role.ADMIN and admin.organisation is not None):
        raise Forbidden("Only an administrator can manage accounts.")
    return admin.organisation.partnership_id


def organisations_managed_by(admin: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(partnership_id=managed_partnership_id(admin))


def districts_managed_by(admin: User) -> QuerySet[District]:
    return District.objects.filter(partnership_id=managed_partnership_id(admin))


def users_managed_by(admin: User) -> QuerySet[User]:
    return User.objects.filter(organisation__partnership_id=managed_partnership_id(admin))


def access_organisation(admin: User, pk: int | str) -> Organisation:
    return one_visible(organisations_managed_by(admin), pk)


def access_district(admin: User, pk: int | str) -> District:
    return one_visible(districts_managed_by(admin), pk)


def access_user(admin: User, pk: int | str) -> User:
    return one_visible(users_managed_by(admin).select_related("organisation", "district"), pk)


def access_api_token(admin: User, user: User, pk: int | str) -> ApiToken:
    managed = access_user(admin, user.pk)
    return one_visible(ApiToken.objects.filter(user=managed), pk)


def _require_managed(admin: User, partnership_id: int | None) -> None:
    # Services take model instances, so they check the partnership themselves
    # rather than trusting that the caller looked the record up properly.
    if partnership_id != managed_partnership_id(admin):
        raise NotFound


# --- Checking input ----------------------------------------------------------


def _text(value: str, *, field: str, label: str, max_length: int) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise DomainError.on_field(field, f"Enter {label}.", code="required")
    if len(cleaned) > max_length:
        raise DomainError.on_field(field, f"{label.capitalize()} must be {max_length} "
                                          "characters or fewer.")
    return cleaned


def _choice(value: str, choices: type[models.TextChoices], *, field: str, label: str) -> str:
    if value not in choices.values:
        raise DomainError.on_field(field, f"Select {label}.")
    return str(value)


def _changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    changed = [key for key in new if old.get(key) != new[key]]
    return {"old": {k: old.get(k) for k in changed}, "new": {k: new[k] for k in changed}}


def _log(acting_user: User, action: Action, through: str, record: RecordRef,
         detail: dict[str, Any]) -> None:
    if detail.keys() == {"old", "new"} and not detail["new"]:
        return  # a save that changed nothing is not a change worth an entry
    record_access(user=acting_user, action=action, through=through, records=[record],
                  detail=detail)


# --- Organisations -----------------------------------------------------------


def _organisation_fields(admin: User, *, name: str, kind: str, is_statutory: bool,
                         active: bool, instance: Organisation | None = None) -> dict[str, Any]:
    name = _text(name, field="name", label="the organisation's name", max_length=160)
    kind = _choice(kind, OrganisationKind, field="kind", label="the type of organisation")
    taken = organisations_managed_by(admin).filter(name__iexact=name)
    if instance is not None:
        taken = taken.exclude(pk=instance.pk)
    if taken.exists():
        raise DomainError.on_field("name", "An organisation with this name already exists.")
    return {"name": name, "kind": kind, "is_statutory": bool(is_statutory),
            "active": bool(active)}


@transaction.atomic
def create_organisation(*, acting_user: User, through: str, name: str, kind: str,
                        is_statutory: bool, active: bool = True) -> Organisation:
    fields = _organisation_fields(acting_user, name=name, kind=kind,
                                  is_statutory=is_statutory, active=active)
    organisation = Organisation.objects.create(
        partnership_id=managed_partnership_id(acting_user), **fields)
    _log(acting_user, Action.CREATE, through, RecordRef("organisation", organisation.pk),
         {"new": fields})
    return organisation


@transaction.atomic
def update_organisation(*, acting_user: User, through: str, organisation: Organisation,
                        name: str, kind: str, is_statutory: bool,
                        active: bool) -> Organisation:
    _require_managed(acting_user, organisation.partnership_id)
    fields = _organisation_fields(acting_user, name=name, kind=kind, is_statutory=is_statutory,
                                  active=active, instance=organisation)
    old = {key: getattr(organisation, key) for key in fields}
    for key, value in fields.items():
        setattr(organisation, key, value)
    organisation.save(update_fields=list(fields))
    _log(acting_user, Action.UPDATE, through, RecordRef("organisation", organisation.pk),
         _changes(old, fields))
    return organisation


# --- Districts ---------------------------------------------------------------


def _district_name(admin: User, name: str, instance: District | None = None) -> str:
    name = _text(name, field="name", label="the district's name", max_length=120)
    taken = districts_managed_by(admin).filter(name__iexact=name)
    if instance is not None:
        taken = taken.exclude(pk=instance.pk)
    if taken.exists():
        raise DomainError.on_field("name", "A district with this name already exists.")
    return name


@transaction.atomic
def create_district(*, acting_user: User, through: str, name: str) -> District:
    name = _district_name(acting_user, name)
    district = District.objects.create(partnership_id=managed_partnership_id(acting_user),
                                       name=name)
    _log(acting_user, Action.CREATE, through, RecordRef("district", district.pk),
         {"new": {"name": name}})
    return district


@transaction.atomic
def rename_district(*, acting_user: User, through: str, district: District,
                    name: str) -> District:
    _require_managed(acting_user, district.partnership_id)
    name = _district_name(acting_user, name, instance=district)
    old = district.name
    district.name = name
    district.save(update_fields=["name"])
    _log(acting_user, Action.UPDATE, through, RecordRef("district", district.pk),
         _changes({"name": old}, {"name": name}))
    return district


# --- Users -------------------------------------------------------------------


def _placement(admin: User, organisation: Organisation, district: District | None,
               role: str, current: int | None = None) -> dict[str, Any]:
    """Where a user sits: an organisation and district of the admin's partnership.

    Nobody may join an inactive organisation, but its remaining users can
    still be edited (for example, to be made inactive themselves).
    """
    _require_managed(admin, organisation.partnership_id)
    if not organisation.active and organisation.pk != current:
        raise DomainError.on_field("organisation", "This organisation is no longer active.")
    if district is not None and district.partnership_id != organisation.partnership_id:
        raise DomainError.on_field("district", "Choose a district of this partnership.")
    role = _choice(role, Role, field="role", label="a role")
    return {"organisation_id": organisation.pk, "district_id": district.pk if district else None,
            "role": role}


def _checked(check: Any, value: str, field: str) -> None:
    try:
        check(value)
    except ValidationError as exc:
        raise DomainError.on_field(field, " ".join(exc.messages)) from exc


def _identity(username: str, first_name: str, last_name: str, email: str) -> dict[str, str]:
    username = _text(username, field="username", label="a username", max_length=150)
    _checked(UnicodeUsernameValidator(), username, "username")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError.on_field("username", "This username is already taken.")
    email = _text(email, field="email", label="an email address", max_length=254)
    _checked(validate_email, email, "email")
    return {
        "username": username,
        "first_name": _text(first_name, field="first_name", label="a first name", max_length=150),
        "last_name": _text(last_name, field="last_name", label="a last name", max_length=150),
        "email": email,
    }


def _check_password(password: str, identity: dict[str, str]) -> None:
    # The unsaved user lets the validators refuse a password like the name.
    _checked(lambda value: validate_password(value, user=User(**identity)), password, "password")


def _snapshot(user: User) -> dict[str, Any]:
    return {"username": user.username, "first_name": user.first_name,
            "last_name": user.last_name, "email": user.email,
            "organisation_id": user.organisation_id, "district_id": user.district_id,
            "role": user.role, "is_active": user.is_active}


@transaction.atomic
def create_user(*, acting_user: User, through: str, username: str, first_name: str,
                last_name: str, email: str, organisation: Organisation,
                district: District | None, role: str, password: str) -> User:
    identity = _identity(username, first_name, last_name, email)
    placement = _placement(acting_user, organisation, district, role)
    _check_password(password, identity)
    user = User(**identity, **placement)
    user.set_password(password)
    user.save()
    _log(acting_user, Action.CREATE, through, RecordRef("user", user.pk), {"new": _snapshot(user)})
    return user


@transaction.atomic
def update_user(*, acting_user: User, through: str, user: User, role: str,
                organisation: Organisation, district: District | None,
                active: bool) -> User:
    _require_managed(acting_user, user.partnership_id)
    placement = _placement(acting_user, organisation, district, role,
                           current=user.organisation_id)
    if user.pk == acting_user.pk and (role != Role.ADMIN or not active):
        # Otherwise the last administrator could lock everyone out of this area.
        raise DomainError.on_field("role" if active else "active",
                                   "You cannot remove your own administrator access.")
    old = _snapshot(user)
    for key, value in {**placement, "is_active": bool(active)}.items():
        setattr(user, key, value)
    user.save(update_fields=["organisation", "district", "role", "is_active"])
    _log(acting_user, Action.UPDATE, through, RecordRef("user", user.pk),
         _changes(old, _snapshot(user)))
    return user


def has_intelligence_permission(user: User) -> bool:
    app_label, codename = INTELLIGENCE_PERMISSION
    return user.user_permissions.filter(
        content_type__app_label=app_label, codename=codename).exists()


@transaction.atomic
def set_intelligence_permission(*, acting_user: User, through: str, user: User,
                                granted: bool) -> None:
    """Grant or remove the named permission to see police intelligence."""
    _require_managed(acting_user, user.partnership_id)
    had = has_intelligence_permission(user)
    if had == granted:
        return
    app_label, codename = INTELLIGENCE_PERMISSION
    permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    if granted:
        user.user_permissions.add(permission)
    else:
        user.user_permissions.remove(permission)
    # Django caches permissions on the instance; drop the cache so the
    # change is seen straight away by whoever holds this object.
    for cache in ("_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(cache, None)
    _log(acting_user, Action.UPDATE, through, RecordRef("user", user.pk),
         {"old": {"view_intelligence": had}, "new": {"view_intelligence": granted}})


@transaction.atomic
def set_service_account(*, acting_user: User, through: str, user: User,
                        service_account: bool) -> None:
    """Mark an account as being for another system (or no longer).

    Only an account nobody has signed in with may become one, and it can no
    longer sign in with a password: otherwise a person's account could be
    relabelled to be given a token, and a person could use a system's account.
    A service account made a person again keeps its tokens, which stop working.
    """
    _require_managed(acting_user, user.partnership_id)
    if user.is_service_account == service_account:
        return
    if service_account:
        if user.pk == acting_user.pk or user.last_login is not None or has_two_factor(user):
            raise DomainError.on_field(
                "service_account", f"{user.display_name} has signed in, so their account "
                "is a person's and cannot become a service account. Add a new user for the "
                "system instead.")
        user.set_unusable_password()
    user.is_service_account = service_account
    user.save(update_fields=["is_service_account", "password"])
    _log(acting_user, Action.UPDATE, through, RecordRef("user", user.pk),
         {"old": {"is_service_account": not service_account},
          "new": {"is_service_account": service_account}})


def has_two_factor(user: User) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


@transaction.atomic
def reset_two_factor(*, acting_user: User, through: str, user: User) -> int:
    """Remove the user's authenticator devices so that they set one up again.

    A session verified with a removed device is no longer verified, so the
    user is sent to set-up on their next page. Returns how many were removed.
    """
    _require_managed(acting_user, user.partnership_id)
    devices = list(devices_for_user(user, confirmed=None))
    for device in devices:
        device.delete()
    _log(acting_user, Action.UPDATE, through, RecordRef("user", user.pk),
         {"two_factor_reset": True, "devices_removed": len(devices)})
    return len(devices)


@transaction.atomic
def issue_enrolment_code(*, acting_user: User | None, through: str,
                         user: User) -> tuple[TwoFactorEnrolment, str]:
    """A new one-time code for the user to set up an authenticator; returned only here.

    Any earlier unused code stops working, and so does any set-up begun but not
    finished (its key may have been seen). ``acting_user`` is None only for
    ``manage.py two_factor_enrolment``, which is how the first administrator gets one.
    """
    if acting_user is not None:
        _require_managed(acting_user, user.partnership_id)
    if not user.is_active:
        raise DomainError(message="This user's account is not active.")
    now = timezone.now()
    user.two_factor_enrolments.filter(used_at__isnull=True).update(used_at=now)
    for device in devices_for_user(user, confirmed=False):
        device.delete()
    code = TwoFactorEnrolment.new_code()
    enrolment = TwoFactorEnrolment.objects.create(
        user=user, code_hash=TwoFactorEnrolment.hash_code(code), issued_by=acting_user,
        issued_at=now, expires_at=now + timedelta(hours=settings.IOM_2FA_ENROLMENT_HOURS))
    record_access(user=acting_user, action=Action.CREATE, through=through,
                  records=[RecordRef("user", user.pk)],
                  detail={"two_factor_enrolment": enrolment.pk,
                          "expires_at": enrolment.expires_at.isoformat()})
    return enrolment, code


def enrolment_for_code(*, user: User, code: str) -> TwoFactorEnrolment | None:
    """The user's usable enrolment that this code opens, if any."""
    wanted = TwoFactorEnrolment.hash_code(code)
    for enrolment in user.two_factor_enrolments.filter(used_at__isnull=True,
                                                       expires_at__gt=timezone.now()):
        if hmac.compare_digest(enrolment.code_hash, wanted):
            return enrolment
    return None


# --- API tokens --------------------------------------------------------------


NOT_A_SERVICE_ACCOUNT = (
    "{name} is a person, not a service account. An administrator cannot issue a token "
    "that acts as another person: issue it to a service account, made for the system "
    "that will use it, with its own organisation and role."
)


def may_issue_token_for(admin: User, user: User) -> bool:
    """Tokens go to service accounts, or to the administrator themselves."""
    return user.is_service_account or user.pk == admin.pk


@transaction.atomic
def issue_api_token(*, acting_user: User, through: str, user: User,
                    name: str) -> tuple[ApiToken, str]:
    """A new token acting as a service account (or as the administrator
    themselves). The plain key is returned only here.

    Refused for any other person: their token's accesses would be logged under
    their name while someone else acted (ApiToken.acts_lawfully).
    """
    _require_managed(acting_user, user.partnership_id)
    name = _text(name, field="name", label="a name for the token", max_length=80)
    if not user.is_active:
        raise DomainError(message="This user's account is not active.")
    if not may_issue_token_for(acting_user, user):
        raise DomainError(message=NOT_A_SERVICE_ACCOUNT.format(name=user.display_name),
                          code="not_a_service_account")
    return _new_token(issuer=acting_user, user=user, name=name, through=through)


def _new_token(*, issuer: User, user: User, name: str, through: str) -> tuple[ApiToken, str]:
    key = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, issued_by=issuer, name=name,
                                    key_hash=ApiToken.hash_key(key), prefix=key[:8])
    _log(issuer, Action.CREATE, through, RecordRef("api_token", token.pk),
         {"new": {"user_id": user.pk, "name": name, "prefix": token.prefix,
                  "issued_by_id": issuer.pk}})
    return token, key


def own_api_tokens(user: User) -> QuerySet[ApiToken]:
    """Every token that acts as the user, whoever issued it, so they can revoke any."""
    return ApiToken.objects.filter(user=user).select_related("user", "issued_by")


def access_own_api_token(user: User, pk: int | str) -> ApiToken:
    return one_visible(own_api_tokens(user), pk)


@transaction.atomic
def issue_own_api_token(*, acting_user: User, through: str, name: str) -> tuple[ApiToken, str]:
    """A token for one's own scripts or tools, acting as oneself and named as
    issued by oneself. The plain key is returned only here."""
    if not acting_user.is_active or acting_user.is_service_account:
        raise Forbidden("Only a person's active account issues its own tokens.")
    name = _text(name, field="name", label="a name for the token", max_length=80)
    return _new_token(issuer=acting_user, user=acting_user, name=name, through=through)


@transaction.atomic
def revoke_own_api_token(*, acting_user: User, through: str, token: ApiToken) -> ApiToken:
    if token.user_id != acting_user.pk:
        raise NotFound
    return _revoke(acting_user, through, token)


@transaction.atomic
def revoke_api_token(*, acting_user: User, through: str, token: ApiToken) -> ApiToken:
    _require_managed(acting_user, token.user.partnership_id)
    return _revoke(acting_user, through, token)


def _revoke(acting_user: User, through: str, token: ApiToken) -> ApiToken:
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    _log(acting_user, Action.UPDATE, through, RecordRef("api_token", token.pk),
         {"old": {"revoked_at": None}, "new": {"revoked_at": token.revoked_at}})
    return token

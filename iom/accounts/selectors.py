"""Reads of the partnership's own structure: its districts (003 districts; 004 1.22)."""

from __future__ import annotations

from django.db.models import QuerySet

from iom.core.errors import DomainError

from .models import District, User


def districts_of(user: User) -> QuerySet[District]:
    """The districts of the user's partnership, by name (none without an organisation)."""
    if user.organisation is None:
        return District.objects.none()
    return District.objects.filter(partnership_id=user.organisation.partnership_id)


def district_choices(user: User) -> list[tuple[int, str]]:
    return [(d.pk, d.name) for d in districts_of(user)]


def district_for(user: User, district_id: int | None) -> District | None:
    """The chosen district of the user's partnership, or a refusal naming the field."""
    if district_id is None:
        return None
    found = districts_of(user).filter(pk=district_id).first()
    if found is None:
        raise DomainError.on_field("district", "Choose a district of your partnership.")
    return found

"""One record by the id a user sent, among those they may see."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

from .errors import NotFound

M = TypeVar("M", bound=Model)


def one_visible(visible: QuerySet[M], pk: int | str) -> M:
    """The record with this id in ``visible`` (the caller's scoped query).

    An id that is not a number, absent, or outside the scope all raise the same
    ``NotFound``, so nobody learns that a record exists by probing for ids.
    """
    try:
        number = int(pk)
    except (TypeError, ValueError) as exc:
        raise NotFound from exc
    found = visible.filter(pk=number).first()
    if found is None:
        raise NotFound
    return found

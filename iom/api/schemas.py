"""The base of every API input schema, and the types the document needs said exactly.

``Input`` holds every value of a request body or query to the bounds of
``iom/core/bounds.py`` (no NUL, text capped, numbers within 64 bits, dates
within their range, times without an offset), so that a value PostgreSQL or
SQLite would refuse, or that no record can have, is a 422 naming its field and
never a server error.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time
from typing import Annotated, Any

from ninja import Schema
from pydantic import PlainSerializer, ValidationInfo, WithJsonSchema, field_validator

from iom.core import bounds

TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$"

# A time of day in the UK: what the clock on the wall says, so no offset. JSON
# Schema's "time" format requires one (RFC 3339), hence a pattern instead.
LocalTime = Annotated[
    time,
    PlainSerializer(lambda t: t.replace(tzinfo=None).isoformat(timespec="seconds"),
                    return_type=str),
    WithJsonSchema({"type": "string", "pattern": TIME_PATTERN, "example": "09:30",
                    "description": "a time of day in the UK (Europe/London), HH:MM or "
                                   "HH:MM:SS, without an offset"}),
]


def problem_in(value: Any, name: str) -> str | None:
    """The first problem in a value, looking inside lists and mappings."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            found = problem_in(key, name) or problem_in(item, str(key))
            if found:
                return f"{key}: {found}"
        return None
    if isinstance(value, list | tuple | set | frozenset):
        return next((p for p in (problem_in(item, name) for item in value) if p), None)
    return bounds.value_problem(value, name=name)


class Input(Schema):
    """A request's body or query, every value within bounds (docs/api.md, "Bounds")."""

    @field_validator("*", mode="after")
    @classmethod
    def _within_bounds(cls, value: Any, info: ValidationInfo) -> Any:
        problem = problem_in(value, info.field_name or "")
        if problem:
            raise ValueError(problem)
        return value
